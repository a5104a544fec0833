"""How long `sync` takes for a big live meeting: a Family Group Conference of 30 people, 150
contributions and a plan of 200 items, as the chair, a family phone and the room screen call
it. The baseline is the same meeting measured first, before its plan was written.

Run: `python -m bench.sync_time`. Two timings per call:

- round trip: the client's `emit("sync", {}, callback=True)` over the Socket.IO test client
  (packets encoded and decoded as on the wire, but no network);
- server: the event as Flask-SocketIO handles it (request context, identity, rooms, snapshot,
  session removed at the end), timed around the registered handler.

Every call is a fresh request: the handler's database session is removed when its context ends,
so each sync loads the meeting from the database as in production (checked: every call issues
the same statements). The garbage collector runs as in the server (`collect_garbage_seldom`); a
full collection makes the max of a series, and the table says how many fell among its calls.
"""

from __future__ import annotations

import gc
import json
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event

from facilitator import access, create_app, database
from facilitator.extensions import db, socketio
from facilitator.live import collect_garbage_seldom
from facilitator.models import Meeting, Participant, StageKind
from facilitator.services import (
    accounts,
    agreement,
    contributions,
    joining,
    meetings,
    plan,
    private_time,
    running,
)

TARGET_MS = 20.0
WARM_UP = 5
VIEWERS = ("chair", "family phone", "room screen")

# (name, relation, side, flags): 18 family and friends, 12 professionals.
PEOPLE: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("Kerry", "Mum", "family", ()),
    ("Lee", "Dad", "family", ()),
    ("Jade", "Daughter, 14", "family", ("is_child",)),
    ("Tyler", "Son, 11", "family", ("is_child",)),
    ("Nan", "Mum's mum", "family", ()),
    ("Grandad", "Mum's dad", "family", ()),
    ("Auntie Sue", "Mum's sister", "family", ()),
    ("Uncle Rob", "Sue's husband", "family", ()),
    ("Nana Pat", "Dad's mum", "family", ()),
    ("Uncle Dean", "Dad's brother", "family", ()),
    ("Auntie Gemma", "Dean's partner", "family", ()),
    ("Cousin Amy", "Sue's daughter", "family", ()),
    ("Cousin Josh", "Sue's son", "family", ()),
    ("Great-aunt Val", "Nan's sister", "family", ()),
    ("Mo", "Family friend", "family", ()),
    ("Tasha", "Neighbour", "family", ()),
    ("Pastor Ade", "Church", "family", ()),
    ("Carla", "Mum's best friend", "family", ()),
    ("Priya", "Social worker", "professional", ("is_referrer",)),
    ("Mr Hughes", "Head of year", "professional", ()),
    ("Ms Okafor", "Primary teacher", "professional", ()),
    ("Helen", "Health visitor", "professional", ()),
    ("Dr Shah", "GP", "professional", ()),
    ("Sam", "Advocate for Jade", "professional", ("is_advocate",)),
    ("Farida", "Interpreter", "professional", ("is_interpreter",)),
    ("PC Walsh", "Police", "professional", ()),
    ("Kim", "Youth worker", "professional", ()),
    ("Rachel", "Family support worker", "professional", ()),
    ("Tom", "Housing officer", "professional", ()),
    ("Dee", "Drug and alcohol worker", "professional", ()),
]
OUTCOMES, ACCEPTED_OFFERS, ACTIONS, NOTES = 20, 20, 110, 10
WHEN = ("by 1 March", "every Monday", "within two weeks", "before the review", "every school day", "")
HOW = ("Priya will see it in the diary", "Jade will tell her advocate", "The school will ring Mum", "")


def _millis(seconds: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in seconds)
    return {
        "p50": statistics.median(ms),
        "p95": statistics.quantiles(ms, n=100, method="inclusive")[94],
        "max": ms[-1],
    }


class Meetingroom:
    """One live meeting in a fresh app on its own SQLite file, built through the services."""

    def __init__(self, folder: Path) -> None:
        self.app: Flask = create_app(
            {"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}"}
        )
        with self.app.app_context():
            database.upgrade_schema()
        self.tokens: dict[str, str] = {}
        with self.app.test_request_context():
            chair = accounts.create_chair("sam.patel@council.example", "a long enough password", "Sam Patel")
            meeting = meetings.create_meeting(
                chair, meetings.Details(title="FGC for the J. family"), "family_group_conference"
            )
            self.chair_id, self.chair_version, self.meeting_id = chair.id, chair.session_version, meeting.id
            self._people(meeting)
            self._history(meeting)

    def _people(self, meeting: Meeting) -> None:
        """Everyone joins by the code on their phone and is let in, with their flags."""
        for number, (name, relation, side, flags) in enumerate(PEOPLE):
            token = joining.new_device_token()
            person = joining.join(meeting, name, relation, side, token, f"10.0.0.{number}")
            joining.correct(meeting, person.id, flags=list(flags or []))
            joining.admit(meeting, person.id)
            self.tokens[name] = token
        self.people = {p.name: p.id for p in meeting.participants}

    def _go(self, meeting: Meeting, kind: StageKind) -> None:
        running.go_to(meeting, next(s.position for s in meeting.stages if s.kind is kind))

    def _history(self, meeting: Meeting) -> None:
        """Check-in, information sharing, offers (150 contributions), then private family time."""
        people = [db.session.get(Participant, pid) for pid in self.people.values()]
        professionals = [p for p in people if not p.is_family]
        running.start(meeting)
        self._go(meeting, StageKind.CHECK_IN)
        feelings = ("hopeful", "worried", "calm", "unsure", "tired", None)
        for n, person in enumerate(people):
            contributions.add(
                meeting, person, f"check-{n:04d}", f"{person.name} feels ok today", feeling=feelings[n % 6]
            )
        self._go(meeting, StageKind.INFORMATION_SHARING)
        for n in range(60):
            person = people[(n * 7) % len(people)]
            kinds = ("worry", "working_well", "bottom_line" if not person.is_family else "worry")
            text = f"What {person.name} sees at home and at school, point {n}: " + "details " * 12
            contributions.add(meeting, person, f"share-{n:04d}", text.strip(), kind=kinds[n % 3])
        self._go(meeting, StageKind.OFFERS)
        for n in range(60):
            person = people[(n * 11) % len(people)]
            text = f"I can help by picking the children up on day {n % 7}, and " + "more " * 10
            contributions.add(meeting, person, f"offer-{n:04d}", text.strip())
        self._go(meeting, StageKind.PRIVATE_TIME)
        stay = [p.id for p in professionals if p.is_advocate or p.is_interpreter]
        private_time.start(meeting, stay, "Kerry")
        private_time.end(meeting, "Kerry")
        self._go(meeting, StageKind.PLAN)

    def write_plan(self) -> int:
        """20 outcomes, 170 actions (the 60 offers', 20 of them accepted; 110 written, 28 of those
        proposed by professionals, half of those accepted), 10 notes (4 kept within the family),
        the terms, and the referrer's answer."""
        with self.app.test_request_context():
            meeting = db.session.get(Meeting, self.meeting_id)
            people = [db.session.get(Participant, pid) for pid in self.people.values()]
            family = [p for p in people if p.is_family]
            professionals = [p for p in people if not p.is_family]
            outcomes = [
                plan.add_outcome(meeting, f"outcome-{n:04d}", f"Jade and Tyler are safe and {n}", "Kerry")[0]
                for n in range(OUTCOMES)
            ]
            offered = [a for a in plan.actions_of(meeting) if a.offer_id is not None]  # as the offers were made
            for action in offered[:ACCEPTED_OFFERS]:
                plan.accept_action(meeting, action.id, action.revision, "Sam Patel")
            for n in range(ACTIONS):
                proposer = professionals[n % len(professionals)] if n % 4 == 0 else None
                named = proposer or family[n % len(family)]
                details = plan.ActionDetails(
                    what=f"Action {n}: take the children to school and stay for the meeting with the teacher",
                    who_participant_id=named.id if n % 3 else None,
                    who_text="Nan and Grandad" if n % 3 == 0 else "",
                    by_when=WHEN[n % len(WHEN)],
                    how_we_know=HOW[n % len(HOW)],
                    outcome_id=outcomes[n % OUTCOMES].id if n % 17 else None,
                )
                action, _ = plan.add_action(
                    meeting, f"action-{n:04d}", details, named.name, proposer=proposer
                )
                if proposer is not None and n % 8 == 0:
                    plan.accept_action(meeting, action.id, action.revision, "Kerry")
            for n in range(NOTES):
                plan.add_note(meeting, f"note-{n:04d}", f"Remember this, {n}", n % 3 == 0, "Nan")
            review_on = (date.today() + timedelta(days=90)).isoformat()
            changes = {"contingency": "Nan has the children if Mum is unwell.", "monitor": "Priya"}
            plan.save_terms(meeting, 0, {**changes, "review_on": review_on}, "Kerry")
            referrer = db.session.get(Participant, self.people["Priya"])
            agreement.respond(meeting, referrer, False, "Who takes Tyler to football on Saturdays?")
            items = (
                len(plan.outcomes_of(meeting)) + len(plan.actions_of(meeting)) + len(plan.notes_of(meeting))
            )
        return items

    def sockets(self) -> dict[str, Any]:
        """The chair's laptop (session cookie), Kerry's phone (device cookie) and the room screen."""
        chair_http = self.app.test_client()
        with chair_http.session_transaction() as session:
            session[access.SESSION_CHAIR_KEY] = self.chair_id
            session[access.SESSION_VERSION_KEY] = self.chair_version
        phone_http = self.app.test_client()
        phone_http.set_cookie(access.DEVICE_COOKIE, self.tokens["Kerry"])
        with self.app.app_context():
            screen = running.issue_screen_token(db.session.get(Meeting, self.meeting_id))
        auth = {"meeting": self.meeting_id}
        connect = socketio.test_client
        found = {
            "chair": connect(self.app, flask_test_client=chair_http, auth=auth),
            "family phone": connect(self.app, flask_test_client=phone_http, auth=auth),
            "room screen": connect(self.app, auth={**auth, "screen": screen}),
        }
        assert all(socket.is_connected() for socket in found.values())
        return found


@contextmanager
def instrumented(app: Flask) -> Iterator[tuple[list[float], list[int]]]:
    """Time the server's handling of each `sync` event, and count the SQL statements it issues."""
    handlers = socketio.server.handlers["/"]
    original: Callable[..., Any] = handlers["sync"]
    server_seconds: list[float] = []
    statements = [0]

    def timed(*args: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args)
        finally:
            server_seconds.append(time.perf_counter() - start)

    def count(*_args: Any) -> None:
        statements[0] += 1

    with app.app_context():
        engine = db.engine
    handlers["sync"] = timed
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield server_seconds, statements
    finally:
        handlers["sync"] = original
        event.remove(engine, "before_cursor_execute", count)


@contextmanager
def full_collections() -> Iterator[list[int]]:
    """Count Python's full (oldest generation) garbage collections, which stop everything."""
    counted = [0]

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            counted[0] += 1

    gc.callbacks.append(callback)
    try:
        yield counted
    finally:
        gc.callbacks.remove(callback)


def measure(app: Flask, socket: Any, repeats: int) -> dict[str, Any]:
    """Warm up, then time `repeats` syncs; the statements must be the same on every call."""
    with instrumented(app) as (server_seconds, statements), full_collections() as collections:
        for _ in range(WARM_UP):
            socket.emit("sync", {}, callback=True)
        server_seconds.clear()
        collections[0] = 0
        round_trip: list[float] = []
        counts: set[int] = set()
        for _ in range(repeats):
            statements[0] = 0
            start = time.perf_counter()
            answer = socket.emit("sync", {}, callback=True)
            round_trip.append(time.perf_counter() - start)
            counts.add(statements[0])
    assert answer["ok"] and "plan" in answer["snapshot"], answer
    assert len(counts) == 1, f"the statements differ between calls: {sorted(counts)}"
    return {
        "round_trip": _millis(round_trip),
        "server": _millis(server_seconds),
        "statements": counts.pop(),
        "full_gc": collections[0],
        "json_bytes": len(json.dumps(answer["snapshot"], separators=(",", ":")).encode()),
    }


def run(repeats: int = 200) -> dict[str, Any]:
    """Sync the meeting as each viewer before its plan is written (baseline) and after."""
    with tempfile.TemporaryDirectory() as folder:
        room = Meetingroom(Path(folder))
        sockets = room.sockets()
        collect_garbage_seldom()  # as run.py does once the app is made
        figures: dict[str, Any] = {"repeats": repeats, "items": {"empty": 0}, "viewers": {}}
        for viewer in VIEWERS:
            figures["viewers"][viewer] = {"empty": measure(room.app, sockets[viewer], repeats)}
        figures["items"]["full"] = room.write_plan()
        for viewer in VIEWERS:
            figures["viewers"][viewer]["full"] = measure(room.app, sockets[viewer], repeats)
        for socket in sockets.values():
            socket.disconnect()
        with room.app.app_context():
            db.session.remove()
            db.engine.dispose()
    return figures


def _row(label: str, trip: str, server: str, sql: str, size: str, collections: str) -> str:
    return f"{label:<24} {trip:>23} {server:>23} {sql:>5} {size:>10} {collections:>7}"


def _times(ms: dict[str, float]) -> str:
    return f"{ms['p50']:7.2f}{ms['p95']:8.2f}{ms['max']:8.2f}"


def _ratio(full: dict[str, Any], empty: dict[str, Any], key: str) -> str:
    return "".join(f"{full[key][q] / empty[key][q]:7.2f}x" for q in ("p50", "p95")) + " " * 8


def report(figures: dict[str, Any]) -> str:
    """A plain-text table: each viewer with an empty plan (the baseline) and the full plan, and
    the ratio of the two."""
    items = figures["items"]
    title = (
        f"sync of a live Family Group Conference: {len(PEOPLE)} people, 150 contributions; "
        f"{figures['repeats']} calls per row after {WARM_UP} warm-up calls"
    )
    lines = [
        title,
        _row("", "round trip ms", "server ms", "", "", ""),
        _row("viewer, plan", "p50     p95     max", "p50     p95     max", "SQL", "JSON bytes", "full GC"),
    ]
    for viewer, both in figures["viewers"].items():
        for which in ("empty", "full"):
            row = both[which]
            lines.append(
                _row(
                    f"{viewer}, {items[which]} items",
                    _times(row["round_trip"]),
                    _times(row["server"]),
                    str(row["statements"]),
                    str(row["json_bytes"]),
                    str(row["full_gc"]),
                )
            )
        empty, full = both["empty"], both["full"]
        lines.append(
            _row(
                "  ratio",
                _ratio(full, empty, "round_trip"),
                _ratio(full, empty, "server"),
                f"{full['statements'] - empty['statements']:+d}",
                f"{full['json_bytes'] / empty['json_bytes']:.2f}x",
                "",
            )
        )
    worst = max(both["full"]["server"]["p95"] for both in figures["viewers"].values())
    verdict = "met" if worst < TARGET_MS else "missed"
    lines.append(
        f"target, server p95 under {TARGET_MS:.0f} ms with {items['full']} plan items: {verdict} "
        f"(worst viewer {worst:.2f} ms)"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(run()))
