"""Every server -> client emit, and who receives it.

Changes reach clients one way: a service records events on its change (`services/changes.py`),
commits, and `publish()` sends what was committed. Publishing reads who follows the meeting
from the database at that moment (`access.recipients_of`) and asks `access.receives` for each
event and each recipient; no emit here chooses its own recipients. Every event carries the
meeting's version, so a client that sees a gap knows it missed something and calls `sync`.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from contextvars import ContextVar
from collections.abc import Callable, Iterable
from itertools import groupby

from flask import Flask, current_app
from sqlalchemy import bindparam, select

from facilitator import __version__, access
from facilitator.access import Recipient, View, Viewer
from facilitator.extensions import db, socketio
from facilitator.live import snapshot
from facilitator.models import (
    Admission,
    ConsentItem,
    Contribution,
    LiveConnection,
    Meeting,
    MeetingEvent,
    Outcome,
    Participant,
    PlanAction,
    PlanNote,
    Stage,
    Term,
)
from facilitator.services import changes, consent, contributions, plan, presence

_MEETING = select(Meeting).where(Meeting.id == bindparam("id")).execution_options(populate_existing=True)
_PEOPLE = (
    select(Participant)
    .where(Participant.meeting_id == bindparam("meeting"))
    .order_by(Participant.id)
    .execution_options(populate_existing=True)
)
# The rooms sent anything of the change being published.
_sent: ContextVar[set[str] | None] = ContextVar("sent", default=None)
_CONNECTIONS = select(LiveConnection.sid).where(LiveConnection.participant_id == bindparam("person"))


def server_time_ms() -> int:
    return int(time.time() * 1000)


def hello(sid: str, viewer: Viewer, caught_up: int | None = None) -> None:
    """To the one socket that has just connected: who the server takes it for, its clock, and,
    for a page that came back and was sent what it missed, the version it is now caught up to."""
    said = {"viewer": viewer.kind.value, "server_time": server_time_ms(), "app_version": __version__}
    if caught_up is not None:
        said["caught_up"] = caught_up
    socketio.emit("hello", said, to=sid)


def publish() -> None:
    """Send what the changes committed since the last call did (and any news), each event to
    those `access.py` says receive it now. Called once a command, a page or a background task
    has committed. Whoever sees the meeting but received nothing of a change (it was for a few:
    a party's own words, one person's news) is sent `tick`, its version alone, so that their
    page does not take the version it skipped for a missed event and ask for everything again."""
    events = changes.committed()
    for meeting_id, of_meeting in groupby(events, key=lambda event: event.meeting_id):
        meeting = db.session.execute(_MEETING, {"id": meeting_id}).scalar_one_or_none()
        if meeting is None:  # deleted since
            continue
        recipients = access.recipients_of(meeting)
        done: set[tuple] = set()
        for version, of_change in groupby(of_meeting, key=lambda event: event.version):
            fresh = []
            for event in of_change:
                key = (event.kind, event.audience, json.dumps(event.payload, sort_keys=True))
                if key not in done:  # a change that said the same twice is sent once
                    done.add(key)
                    fresh.append(event)
            _send_change(meeting, version, fresh, recipients)


def _send_change(meeting: Meeting, version: int, events: Iterable[MeetingEvent], recipients: list[Recipient]) -> None:
    """Render one change's events for these recipients, then send its version alone (`tick`) to
    each of them who follows versions and was sent nothing of it."""
    reached = _sent.set(set())
    try:
        for event in events:
            _RENDER[event.kind](meeting, event, recipients)
        missed = [r.room for r in recipients if r.view in access.TICKED and r.room not in _sent.get()]
    finally:
        _sent.reset(reached)
    if missed and version > 0:
        socketio.emit("tick", {"version": version}, to=missed)


log = logging.getLogger(__name__)


class _Due:
    """Phones of this process that came or went, by meeting, not yet counted; and the meetings
    whose batch is on its way (one background task a meeting at a time, so that a batch never
    overtakes the one before it). Kept with the app it serves."""

    def __init__(self) -> None:
        self.moves: dict[int, list[presence.Moved]] = {}
        self.running: set[int] = set()
        self.lock = threading.Lock()  # green under eventlet and gevent; a real one in the tests

    @staticmethod
    def of(app: Flask) -> _Due:
        return app.extensions.setdefault("facilitator.presence_due", _Due())


def presence_changed(meeting_id: int, move: presence.Moved) -> None:
    """A person's phone connected or went: counted, and the meeting told in one
    `presence_changed`, with the other phones of it that come or go in the next moment
    (`PRESENCE_BATCH_SECONDS`). After a restart a room's phones come back within a second: one
    transaction and one event of thirty people, not thirty of each to each of thirty phones."""
    app = current_app._get_current_object()
    wait = app.config["PRESENCE_BATCH_SECONDS"]
    if wait <= 0:
        _record_and_tell(meeting_id, [move])
        return
    due = _Due.of(app)
    with due.lock:
        due.moves.setdefault(meeting_id, []).append(move)
        if meeting_id in due.running:
            return
        due.running.add(meeting_id)
    socketio.start_background_task(_keep_telling, app, meeting_id, wait)


def _keep_telling(app: Flask, meeting_id: int, wait: float) -> None:
    """Count and tell a meeting's comings and goings every `wait` seconds while there are any."""
    due = _Due.of(app)
    while True:
        socketio.sleep(wait)
        with due.lock:
            moves = due.moves.pop(meeting_id, [])
            if not moves:
                due.running.discard(meeting_id)
                return
        with app.app_context():
            try:
                presence.record(moves)
            except Exception:  # the database is away for a moment: these wait for the next try
                db.session.rollback()
                log.exception("counting who is here in meeting %s failed; trying again", meeting_id)
                with due.lock:
                    due.moves[meeting_id] = moves + due.moves.get(meeting_id, [])
                socketio.sleep(app.config["PRESENCE_BEAT_SECONDS"])
                continue
            try:
                _tell(meeting_id, moves)
            except Exception:  # counted: the pages see it at their next sync
                db.session.rollback()
                log.exception("telling meeting %s who is here failed", meeting_id)


def _record_and_tell(meeting_id: int, moves: list[presence.Moved]) -> None:
    presence.record(moves)
    _tell(meeting_id, moves)


def _tell(meeting_id: int, moves: list[presence.Moved]) -> None:
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is not None:  # else deleted since
        changes.tell(meeting, "presence_changed", participant_ids=sorted({m.participant_id for m in moves}))
        publish()


# A page further behind than this is sent the meeting whole: cheaper than the events one by one.
CATCH_UP_LIMIT = 100
_MISSED = (
    select(MeetingEvent)
    .where(MeetingEvent.meeting_id == bindparam("meeting"), MeetingEvent.version > bindparam("since"))
    .order_by(MeetingEvent.version, MeetingEvent.position)
    .limit(bindparam("most"))
)


def catch_up(meeting: Meeting, reader: Recipient, since: object) -> int | None:
    """Send one socket what it missed since the version it last applied, from the meeting's log,
    each event as `access.py` decides for it now (a tick for a change that was not for it); the
    version it is now caught up to. None, sending nothing, when that cannot be done: a version
    this meeting never had, or more changes than a snapshot costs. Events render the items as they
    are now; a later event about the same item says the same again, so applying them in order
    ends where a snapshot would.

    The log is read after the socket was put in its rooms, to its end: a change committed since
    `meeting` was read is sent from the log, or live, or both (a page applies a version once)."""
    if type(since) is not int or not 0 <= since <= meeting.version:
        return None
    missed = list(db.session.scalars(_MISSED, {"meeting": meeting.id, "since": since, "most": CATCH_UP_LIMIT + 1}))
    versions = list(dict.fromkeys(event.version for event in missed))
    reached = since + len(versions)
    if len(missed) > CATCH_UP_LIMIT or versions != list(range(since + 1, reached + 1)) or reached < meeting.version:
        return None
    for version, of_change in groupby(missed, key=lambda event: event.version):
        _send_change(meeting, version, of_change, [reader])
    return reached


def _receiving(event: MeetingEvent, recipients: Iterable[Recipient]) -> list[Recipient]:
    return [r for r in recipients if access.receives(event.kind, event.audience, r)]


def _subject(event: MeetingEvent, model: type, key: str):
    """The item an event is about: the one the change kept, else as it is stored now."""
    kept = getattr(event, "subject", None)
    return kept if isinstance(kept, model) else db.session.get(model, event.payload[key])


def _send(name: str, version: int, to: list[Recipient], data_for: Callable[[Recipient], dict | None]) -> None:
    """Emit `name` to each recipient with what `data_for` gives it; the same data goes out once."""
    batches: list[tuple[dict, list[str]]] = []
    # Most recipients are given an object already given to another (one per view): found by
    # its identity, without comparing. `given` keeps each alive, so that no identity is reused.
    by_identity: dict[int, list[str]] = {}
    given: list[dict] = []
    for recipient in to:
        data = data_for(recipient)
        if data is None:
            continue
        rooms = by_identity.get(id(data))
        if rooms is None:
            given.append(data)
            rooms = next((rooms for sent, rooms in batches if sent == data), None)
            if rooms is None:
                rooms = []
                batches.append((data, rooms))
            by_identity[id(data)] = rooms
        rooms.append(recipient.room)
    for data, rooms in batches:
        socketio.emit(name, {"version": version, **data}, to=rooms)
        sent = _sent.get()
        if sent is not None:
            sent.update(rooms)


def _per_view(build: Callable[[View], dict | None]) -> Callable[[Recipient], dict | None]:
    """Data that depends only on the recipient's view, built once per view."""
    built: dict[View, dict | None] = {}

    def data_for(recipient: Recipient) -> dict | None:
        if recipient.view not in built:
            built[recipient.view] = build(recipient.view)
        return built[recipient.view]

    return data_for


def _same(data: dict) -> Callable[[Recipient], dict]:
    return lambda _recipient: data


def _full(view: View) -> bool:
    """The chairs see everything said, whole; everyone else, each round as the chair shows it."""
    return view is View.CHAIRS


def _meeting_changed(meeting: Meeting, event: MeetingEvent, recipients: list[Recipient]) -> None:
    """Where the meeting is: stage, timer, lobby, agenda. The same for everyone who sees it."""
    state = {"meeting": snapshot.meeting_state(meeting)}
    _send("meeting_changed", event.version, _receiving(event, recipients), _same(state))


def _people_changed(meeting: Meeting, event: MeetingEvent, recipients: list[Recipient]) -> None:
    """The chairs: everyone, lobby included. The screen and the people let in: who is in."""
    people = list(db.session.scalars(_PEOPLE, {"meeting": meeting.id}))
    _send(
        "people_changed",
        event.version,
        _receiving(event, recipients),
        _per_view(lambda view: {"people": snapshot.people_in(view, people)}),
    )


_PRESENCE = (
    select(Participant)
    .where(Participant.meeting_id == bindparam("meeting"), Participant.id.in_(bindparam("ids", expanding=True)))
    .order_by(Participant.id)
    .execution_options(populate_existing=True)
)


def _presence_changed(meeting: Meeting, event: MeetingEvent, recipients: list[Recipient]) -> None:
    """Some people's phones connected or went: who and how they are now, not the whole list."""
    people = db.session.scalars(_PRESENCE, {"meeting": meeting.id, "ids": event.payload["participant_ids"]})
    changed = {"people": [{"id": person.id, "presence": snapshot.presence(person)} for person in people]}
    if changed["people"]:
        _send("presence_changed", event.version, _receiving(event, recipients), _same(changed))


def _private_time_changed(meeting: Meeting, event: MeetingEvent, recipients: list[Recipient]) -> None:
    """Private family time started or ended. Everyone whose view changes with it receives the
    new view with the news (as `sync` would answer it but for `you`); one snapshot per view.
    The family's view is the same either way: they receive the news alone."""
    news = {"private_time": snapshot.private_time(meeting)}

    def data_for(recipient: Recipient) -> dict:
        if recipient.family and recipient.view is View.FAMILY:
            return news
        return with_view(recipient)

    views = _per_view(lambda view: {**news, "snapshot": snapshot.of_view(view, meeting)})
    kept = snapshot.Kept.of(meeting)

    def with_view(recipient: Recipient) -> dict:
        data = views(recipient)
        theirs = snapshot.consent_for(recipient, kept)  # a child's items shared with the family
        return {**data, "snapshot": {**data["snapshot"], **theirs}} if theirs else data

    _send("private_time_changed", event.version, _receiving(event, recipients), data_for)


def _contribution_added(meeting: Meeting, event: MeetingEvent, recipients: list[Recipient]) -> None:
    """What someone has just said, and the round it was said in (the talking piece may have
    moved on): whole for the chairs, as the chair shows the round for the room."""
    item = _subject(event, Contribution, "contribution_id")
    if item is None:
        return
    known = snapshot.Known({item.participant_id: item.participant.name}, {item.stage_id: item.stage.display})
    stage = snapshot.stage(item.stage)
    _send(
        "contribution_added",
        event.version,
        _receiving(event, recipients),
        _per_view(
            lambda view: {
                "contribution": snapshot.contribution(item, full=_full(view), known=known),
                "stage": stage,
            }
        ),
    )


def _round_changed(meeting: Meeting, event: MeetingEvent, recipients: list[Recipient]) -> None:
    """A round's settings, turn or scores changed: the stage, and everything said in it as
    each view may now see it (showing names again, for instance)."""
    stage = db.session.get(Stage, event.payload["stage_id"])
    if stage is None:
        return
    said = contributions.of_stage(stage)
    state = snapshot.stage(stage)
    _send(
        "round_changed",
        event.version,
        _receiving(event, recipients),
        _per_view(
            lambda view: {
                "stage": state,
                "contributions": [snapshot.contribution(item, full=_full(view)) for item in said],
            }
        ),
    )


def _item_saved(model: type, name: str, field: str) -> Callable[[Meeting, MeetingEvent, list[Recipient]], None]:
    def render(meeting: Meeting, event: MeetingEvent, recipients: list[Recipient]) -> None:
        item = _subject(event, model, "id")
        if item is not None:
            _send(name, event.version, _receiving(event, recipients), _same({field: snapshot.plan_item(item)}))

    render.__doc__ = f"An item of the plan added or changed: `{name}`."
    return render


def _item_removed(name: str) -> Callable[[Meeting, MeetingEvent, list[Recipient]], None]:
    def render(meeting: Meeting, event: MeetingEvent, recipients: list[Recipient]) -> None:
        _send(name, event.version, _receiving(event, recipients), _same({"id": event.payload["id"]}))

    render.__doc__ = f"An item of the plan removed: `{name}`, by id."
    return render


def _note_saved(meeting: Meeting, event: MeetingEvent, recipients: list[Recipient]) -> None:
    """A note added or changed, to those who may see it. A note kept within the family reaches
    everyone else who sees the plan as its removal (they may have had it before it was kept),
    which carries the version and nothing of the note."""
    item = _subject(event, PlanNote, "id")
    if item is None:
        return
    told = _receiving(event, recipients)
    _send("note_saved", event.version, told, _same({"note": snapshot.note(item)}))
    if event.audience == access.FAMILY_ONLY:
        others = [r for r in recipients if access.receives("note_removed", "", r) and r not in told]
        _send("note_removed", event.version, others, _same({"id": item.id}))


def _terms_saved(meeting: Meeting, event: MeetingEvent, recipients: list[Recipient]) -> None:
    """The contingency, monitor, review date or decision."""
    terms = {"terms": snapshot.terms(plan.terms_of(meeting))}
    _send("terms_saved", event.version, _receiving(event, recipients), _same(terms))


def _agreement_changed(meeting: Meeting, event: MeetingEvent, recipients: list[Recipient]) -> None:
    """The referrer answered, or the plan they answered about has changed since."""
    answers = {"agreement": snapshot.agreement_of(meeting)}
    _send("agreement_changed", event.version, _receiving(event, recipients), _same(answers))


def _kept_saved(meeting: Meeting, event: MeetingEvent, recipients: list[Recipient]) -> None:
    """A kept item written, passed on, shared or given suggested words: to those its audience
    names, whole for its author and keepers, as passed on for everyone else."""
    kept = _subject(event, ConsentItem, "item_id")
    if kept is None:
        return
    _send(
        "item_saved",
        event.version,
        _receiving(event, recipients),
        lambda recipient: {"item": snapshot.item(kept, whole=access.reads_whole(kept, recipient))},
    )


def _kept_removed(meeting: Meeting, event: MeetingEvent, recipients: list[Recipient]) -> None:
    """A kept item its author took back, to those who could read it."""
    _send("item_removed", event.version, _receiving(event, recipients), _same({"id": event.payload["item_id"]}))


def _term_saved(meeting: Meeting, event: MeetingEvent, recipients: list[Recipient]) -> None:
    """A term proposed, reworded or answered; a change a party asked for only to the mediator
    and that party."""
    item = _subject(event, Term, "term_id")
    if item is None:
        return
    parties = consent.parties_of(meeting)
    _send(
        "term_saved",
        event.version,
        _receiving(event, recipients),
        lambda recipient: {"term": snapshot.term(item, parties, recipient)},
    )


def _term_removed(meeting: Meeting, event: MeetingEvent, recipients: list[Recipient]) -> None:
    _send("term_removed", event.version, _receiving(event, recipients), _same({"id": event.payload["term_id"]}))


def _meeting_closed(meeting: Meeting, event: MeetingEvent, recipients: list[Recipient]) -> None:
    """To everyone following the meeting, lobby included: pages show the summary (or, for
    someone never let in, that it has finished)."""
    _send("meeting_closed", event.version, _receiving(event, recipients), _same({}))


def _admission_changed(meeting: Meeting, event: MeetingEvent, recipients: list[Recipient]) -> None:
    """To the person's own phones: let in (`admitted`) or turned away (`declined`, and then
    disconnected, on whichever process holds them)."""
    person = db.session.get(Participant, event.payload["participant_id"])
    if person is None:
        return
    to = _receiving(event, recipients)
    if person.admission is Admission.ADMITTED:
        _send("admitted", event.version, to, _same({}))
    elif person.admission is Admission.DECLINED:
        _send("declined", event.version, to, _same({}))
        _disconnect(db.session.scalars(_CONNECTIONS, {"person": person.id}))


def _identity_changed(meeting: Meeting, event: MeetingEvent, recipients: list[Recipient]) -> None:
    """To the person's own phones: what they may see has changed (their side, their flags, the
    family's welcome); the page asks `sync` and is shown only what it may see now."""
    _send("identity_changed", event.version, _receiving(event, recipients), _same({}))


def _person_removed(meeting: Meeting, event: MeetingEvent, recipients: list[Recipient]) -> None:
    """Taken off the meeting's list: their phones, on every process, are told and disconnected.
    (They are on no list `recipients_of` reads, so this goes to their room by name.)"""
    _send("removed", event.version, [access.former_person(event.payload["participant_id"])], _same({}))
    _disconnect(event.payload.get("connections", []))


def _disconnect(sids: Iterable[str]) -> None:
    """End these sockets, on whichever process holds each (the message queue carries it)."""
    for sid in sids:
        socketio.server.disconnect(sid, namespace="/")


_RENDER: dict[str, Callable[[Meeting, MeetingEvent, list[Recipient]], None]] = {
    "meeting_changed": _meeting_changed,
    "people_changed": _people_changed,
    "presence_changed": _presence_changed,
    "private_time_changed": _private_time_changed,
    "contribution_added": _contribution_added,
    "round_changed": _round_changed,
    "outcome_saved": _item_saved(Outcome, "outcome_saved", "outcome"),
    "outcome_removed": _item_removed("outcome_removed"),
    "action_saved": _item_saved(PlanAction, "action_saved", "action"),
    "action_removed": _item_removed("action_removed"),
    "note_saved": _note_saved,
    "note_removed": _item_removed("note_removed"),
    "terms_saved": _terms_saved,
    "agreement_changed": _agreement_changed,
    "meeting_closed": _meeting_closed,
    "admission_changed": _admission_changed,
    "identity_changed": _identity_changed,
    "person_removed": _person_removed,
    "item_saved": _kept_saved,
    "item_removed": _kept_removed,
    "term_saved": _term_saved,
    "term_removed": _term_removed,
}


def kinds() -> frozenset[str]:
    """Every kind of event this module can publish."""
    return frozenset(_RENDER)
