"""The one change path across two processes on PostgreSQL and Redis: sockets follow identity
(a person removed, turned away or moved to the professionals hears nothing more, whichever
process holds their phone), and pages and sockets writing at once never share or reuse a
version."""

from __future__ import annotations

import re
import threading
import time

import psycopg2
import pytest
import requests
from sqlalchemy.engine import make_url

from tests.conftest import csrf_token
from tests.scale.conftest import joined, person_id

pytestmark = pytest.mark.server

SECRET = "Grandad moves in on Monday"


def page_post(session: requests.Session, url: str, page: str, data: dict) -> requests.Response:
    """Submit a form as a browser does: the CSRF token from the page the form is on."""
    token = csrf_token(session.get(page, timeout=10).text)
    return session.post(url, data={"csrf_token": token, **data}, allow_redirects=False, timeout=10)


def after(client, name):
    """What a client received after the first event of this name (nothing, if it never came)."""
    with client.lock:
        names = [event for event, _ in client.events]
        return client.events[names.index(name) + 1 :] if name in names else None


def test_removed_and_turned_away_people_hear_nothing_more_on_either_process(meeting):
    a, b = meeting.a, meeting.b
    kerry_phone = joined(meeting.join_url, "Kerry", "family")
    dan_phone = joined(meeting.join_url, "Dan", "professional")
    chair = meeting.follow(a, meeting.chair)
    assert chair.call("admit_all")["ok"]
    rob_phone = joined(meeting.join_url, "Rob", "family")  # still in the lobby
    kerry, dan, rob = meeting.follow(a, kerry_phone), meeting.follow(b, dan_phone), meeting.follow(b, rob_phone)
    assert chair.call("start")["ok"]
    assert chair.call("go_to", {"position": 5})["ok"]
    snapshot = chair.call("sync")["snapshot"]
    dan_id, rob_id = person_id(snapshot, "Dan"), person_id(snapshot, "Rob")

    people = f"{a.url}/meetings/{meeting.id}/people/"
    removed = page_post(meeting.chair, f"{people}{dan_id}/remove", people, {})
    assert removed.status_code == 302, removed.status_code
    assert chair.call("decline", {"participant_id": rob_id})["ok"]
    # Told, then disconnected by the server, although their sockets are on the other process.
    assert dan.wait_for(lambda: not dan.sio.connected, timeout=5), dan.events
    assert rob.wait_for(lambda: not rob.sio.connected, timeout=5), rob.events
    assert dan.named("removed") and rob.named("declined")

    assert kerry.call("add_outcome", {"client_id": "kerry-outcome-01", "text": SECRET})["ok"]
    assert chair.wait_for(lambda: chair.named("outcome_saved"))
    time.sleep(1.0)  # long enough for Redis to carry anything it was going to carry
    assert after(dan, "removed") == [] and after(rob, "declined") == []
    assert SECRET not in str(dan.events) + str(rob.events)


def test_a_person_moved_to_the_professionals_in_private_time_hears_nothing_more(meeting):
    a, b = meeting.a, meeting.b
    kerry_phone, bea_phone = joined(meeting.join_url, "Kerry", "family"), joined(meeting.join_url, "Bea", "family")
    chair = meeting.follow(a, meeting.chair)
    assert chair.call("admit_all")["ok"]
    kerry, bea = meeting.follow(a, kerry_phone), meeting.follow(b, bea_phone)
    bea_id = person_id(chair.call("sync")["snapshot"], "Bea")
    assert chair.call("start")["ok"]
    assert chair.call("go_to", {"position": 4})["ok"]
    assert chair.call("start_private_time", {"stay": []})["ok"]
    assert bea.wait_for(lambda: bea.named("private_time_changed"))

    # The chair finds Bea is Kerry's social worker, and corrects her side on the people page.
    page = f"{a.url}/meetings/{meeting.id}/people/{bea_id}"
    saved = page_post(meeting.chair, page, page, {"name": "Bea", "relation": "", "side": "professional"})
    assert saved.status_code == 302, saved.status_code
    assert bea.wait_for(lambda: bea.named("identity_changed"), timeout=5), bea.events

    assert kerry.call("add_outcome", {"client_id": "kerry-outcome-01", "text": SECRET})["ok"]
    assert kerry.call("add_note", {"client_id": "kerry-note-00001", "text": SECRET, "family_only": True})["ok"]
    time.sleep(1.0)
    assert SECRET not in str(after(bea, "identity_changed"))
    snapshot = bea.call("sync")["snapshot"]
    assert "plan" not in snapshot and SECRET not in str(snapshot)
    assert bea.call("add_outcome", {"client_id": "bea-outcome-001", "text": "x"})["error"]["code"] == "private_time"


def versions_in_log(database_url: str, meeting_id: int) -> tuple[list[tuple[int, int]], int]:
    server = make_url(database_url)
    with (
        psycopg2.connect(host=server.host, port=server.port, user=server.username, dbname=server.database) as db,
        db.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT version, position FROM meeting_event WHERE meeting_id = %s ORDER BY version, position",
            (meeting_id,),
        )
        events = cursor.fetchall()
        cursor.execute("SELECT version FROM meeting WHERE id = %s", (meeting_id,))
        return events, cursor.fetchone()[0]


def test_pages_and_sockets_writing_at_once_on_two_processes_never_share_a_version(meeting, shared_database):
    a, b = meeting.a, meeting.b
    phones = {name: joined(meeting.join_url, name, "family") for name in ("Kerry", "Nan")}
    chair = meeting.follow(a, meeting.chair)
    assert chair.call("admit_all")["ok"]
    kerry, nan = meeting.follow(a, phones["Kerry"]), meeting.follow(b, phones["Nan"])
    assert chair.call("start")["ok"]
    assert chair.call("go_to", {"position": 1})["ok"]  # check-in
    chair_on_b = requests.Session()
    chair_on_b.cookies.update(meeting.chair.cookies)
    failures: list[str] = []

    def answers(client, name):
        for number in range(60):
            response = client.call("contribute", {"client_id": f"{name}-answer-{number:05d}", "text": f"{name} {number}"})
            if not response["ok"]:
                failures.append(str(response))

    def page_writes(server, session, name):
        people = f"{server.url}/meetings/{meeting.id}/people/"
        for number in range(20):
            added = page_post(session, people, people, {"name": f"{name} {number}", "relation": "", "side": "family"})
            if added.status_code != 302:
                failures.append(f"{name}: {added.status_code}")

    def joins(name):
        for number in range(15):
            joined(meeting.join_url.replace(a.url, b.url) if number % 2 else meeting.join_url, f"{name}{number}", "family")

    workers = [
        threading.Thread(target=answers, args=(kerry, "kerry")),
        threading.Thread(target=answers, args=(nan, "nan")),
        threading.Thread(target=page_writes, args=(a, meeting.chair, "Listed on A")),
        threading.Thread(target=page_writes, args=(b, chair_on_b, "Listed on B")),
        threading.Thread(target=joins, args=("Walk-in ",)),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert failures == []

    events, version = versions_in_log(shared_database, meeting.id)
    versions = sorted({v for v, _ in events})
    # Every change raised the version once: 1, 2, 3 ... with no number given out twice and
    # none skipped, and each version's events are one change's (positions 0, 1, ...).
    assert versions == list(range(1, version + 1))
    positions: dict[int, list[int]] = {}
    for v, position in events:
        positions.setdefault(v, []).append(position)
    assert all(p == list(range(len(p))) for p in positions.values())
    assert len(versions) >= 60 * 2 + 20 * 2 + 15  # hundreds of changes, all of them logged

    # Both family phones, on different processes, end with the same meeting, at that version.
    time.sleep(1.0)
    views = [client.call("sync")["snapshot"] for client in (kerry, nan)]
    assert views[0]["version"] == views[1]["version"] == version
    assert {k: v for k, v in views[0].items() if k != "you"} == {k: v for k, v in views[1].items() if k != "you"}
