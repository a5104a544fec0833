"""Several server processes, one meeting: two run.py processes on PostgreSQL and Redis, with
phones on either. What is done through one reaches the phones on the other; private family
time holds across them; and when one process dies, its phones carry on through the other
without losing or doubling anything."""

from __future__ import annotations

import signal
import time

import psycopg2
import pytest
from sqlalchemy.engine import make_url

from tests.scale.conftest import joined, person_id

pytestmark = pytest.mark.server


def test_what_is_done_through_one_process_reaches_phones_on_the_other(meeting):
    a, b = meeting.a, meeting.b
    kerry_phone = joined(meeting.join_url, "Kerry", "family")
    chair = meeting.follow(a, meeting.chair)
    kerry = meeting.follow(b, kerry_phone)  # waiting in the lobby, connected to B

    snapshot = chair.call("sync")["snapshot"]
    assert chair.call("admit", {"participant_id": person_id(snapshot, "Kerry")})["ok"]
    assert kerry.wait_for(lambda: kerry.named("admitted")), kerry.events  # admitted on A, heard on B
    assert kerry.call("sync")["ok"]

    assert chair.call("start")["ok"]
    assert chair.call("go_to", {"position": 1})["ok"]  # check-in
    assert kerry.wait_for(
        lambda: any(e["meeting"]["current_position"] == 1 for e in kerry.named("meeting_changed"))
    )
    nan_phone = joined(meeting.join_url, "Nan", "family")
    snapshot = chair.call("sync")["snapshot"]
    assert chair.call("admit", {"participant_id": person_id(snapshot, "Nan")})["ok"]
    nan = meeting.follow(a, nan_phone)
    assert nan.call("contribute", {"client_id": "nan-check-in-0001", "text": "Glad to be here"})["ok"]
    assert kerry.wait_for(
        lambda: any(e["contribution"]["text"] == "Glad to be here" for e in kerry.named("contribution_added"))
    )
    added = chair.call("add_outcome", {"client_id": "chair-outcome-001", "text": "J. is safe at home"})
    assert added["ok"], added
    assert kerry.wait_for(
        lambda: any(e["outcome"]["text"] == "J. is safe at home" for e in kerry.named("outcome_saved"))
    )
    # And back: Kerry's answer through B reaches the chair on A, once.
    for _ in range(2):
        assert kerry.call("contribute", {"client_id": "kerry-check-in-01", "text": "Nervous"})["ok"]
    assert chair.wait_for(
        lambda: any(e["contribution"]["text"] == "Nervous" for e in chair.named("contribution_added"))
    )
    said = [c["text"] for c in chair.call("sync")["snapshot"]["contributions"]]
    assert sorted(said) == ["Glad to be here", "Nervous"]


def test_private_time_started_on_one_process_shuts_professionals_out_on_the_other(meeting):
    a, b = meeting.a, meeting.b
    kerry_phone, dan_phone = (
        joined(meeting.join_url, "Kerry", "family"),
        joined(meeting.join_url, "Dan", "professional"),
    )
    chair = meeting.follow(a, meeting.chair)
    assert chair.call("admit_all")["ok"]
    kerry, dan = meeting.follow(a, kerry_phone), meeting.follow(b, dan_phone)
    assert chair.call("start")["ok"]
    assert chair.call("go_to", {"position": 4})["ok"]  # private family time
    assert chair.call("start_private_time", {"stay": []})["ok"]
    assert dan.wait_for(lambda: dan.named("private_time_changed"))
    time.sleep(0.3)
    dan.events.clear()

    secret = "Grandad moves in on Monday"
    assert kerry.call("add_outcome", {"client_id": "kerry-outcome-01", "text": secret})["ok"]
    assert kerry.call("add_note", {"client_id": "kerry-note-00001", "text": secret, "family_only": True})[
        "ok"
    ]
    time.sleep(1.0)  # long enough for Redis to carry anything it was going to carry
    assert secret not in str(dan.events)
    assert secret not in str(dan.call("sync"))
    refused = dan.call("add_action", {"client_id": "dan-action-00001", "what": "Visit", "who_text": "Dan"})
    assert refused["error"]["code"] == "private_time"

    assert kerry.call("end_private_time")["ok"]
    assert dan.wait_for(lambda: len(dan.named("private_time_changed")) >= 1)
    plan = dan.call("sync")["snapshot"]["plan"]
    assert [o["text"] for o in plan["outcomes"]] == [secret]  # the plan, once everyone is back
    assert plan["notes"] == []  # never the family's own notes


def online(client, person_id: int) -> bool:
    """Whether a client has been told that this person's phone is connected."""
    return any(
        person == {"id": person_id, "presence": "online"}
        for told in client.named("presence_changed")
        for person in told["people"]
    )


def connections_of(database_url: str, name: str) -> int:
    server = make_url(database_url)
    with (
        psycopg2.connect(
            host=server.host, port=server.port, user=server.username, dbname=server.database
        ) as db,
        db.cursor() as cursor,
    ):
        cursor.execute("SELECT connections FROM participant WHERE name = %s", (name,))
        return cursor.fetchone()[0]


def test_when_a_process_dies_its_phones_carry_on_through_the_other(meeting, shared_database):
    a, b = meeting.a, meeting.b
    kerry_phone = joined(meeting.join_url, "Kerry", "family")
    chair_on_b = meeting.follow(b, meeting.chair)
    assert chair_on_b.call("admit_all")["ok"]
    assert chair_on_b.call("start")["ok"]
    assert chair_on_b.call("go_to", {"position": 1})["ok"]
    kerry = meeting.follow(a, kerry_phone)
    assert kerry.call("contribute", {"client_id": "kerry-before-0001", "text": "Before"})["ok"]
    # The chair, on the other process, is told Kerry's phone is here once it is counted.
    kerry_id = next(p["id"] for p in chair_on_b.call("sync")["snapshot"]["people"] if p["name"] == "Kerry")
    assert chair_on_b.wait_for(lambda: online(chair_on_b, kerry_id)), chair_on_b.events
    assert connections_of(shared_database, "Kerry") == 1

    a.process.send_signal(signal.SIGKILL)  # no goodbye: its connections just stop
    a.process.wait(timeout=10)
    assert kerry.wait_for(lambda: not kerry.sio.connected, timeout=10)

    # The phone reconnects to the process still running, syncs, and resends what it had not
    # seen acknowledged (the same client id): stored once.
    kerry = meeting.follow(b, kerry_phone)
    snapshot = kerry.call("sync")["snapshot"]
    assert [c["text"] for c in snapshot["contributions"]] == ["Before"]
    for _ in range(2):
        assert kerry.call("contribute", {"client_id": "kerry-after-00001", "text": "After"})["ok"]
    assert kerry.call("contribute", {"client_id": "kerry-before-0001", "text": "Before"})["ok"]
    said = [c["text"] for c in chair_on_b.call("sync")["snapshot"]["contributions"]]
    assert sorted(said) == ["After", "Before"]

    # B notices A has gone silent and takes its connection off the count: Kerry is here once.
    deadline = time.monotonic() + 15
    while connections_of(shared_database, "Kerry") != 1 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert connections_of(shared_database, "Kerry") == 1
    kerry_now = next(p for p in chair_on_b.call("sync")["snapshot"]["people"] if p["name"] == "Kerry")
    assert kerry_now["presence"] == "online"
