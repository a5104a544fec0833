"""Connecting to the live side: who is let in, and what they are told."""

import time

import pytest
from flask import request
from werkzeug.test import EnvironBuilder

from tests.conftest import CHAIR_EMAIL
from tests.live.conftest import ack, heard, sync


def events_named(socket, name):
    return [event["args"][0] for event in socket.get_received() if event["name"] == name]


def test_signed_in_chair_is_greeted_with_the_server_clock(auth, chair, live):
    auth.login()
    before = time.time() * 1000
    socket = live()
    assert socket.is_connected()
    (hello,) = events_named(socket, "hello")
    assert hello["viewer"] == "chair"
    assert before - 1000 <= hello["server_time"] <= time.time() * 1000 + 1000
    assert CHAIR_EMAIL not in str(hello)


def test_anonymous_connection_is_refused(live):
    socket = live()
    assert not socket.is_connected()


@pytest.mark.parametrize("meeting", [10**20, -1, 0, True, "1", [1]])
def test_a_meeting_id_that_cannot_exist_is_refused_like_any_stranger(auth, chair, live, meeting):
    auth.login()
    assert not live(auth={"meeting": meeting}).is_connected()


def test_signed_out_chair_can_no_longer_connect(auth, chair, live):
    auth.login()
    auth.logout()
    assert not live().is_connected()


def test_clock_answers_with_the_server_time(auth, chair, live):
    auth.login()
    socket = live()
    ack = socket.emit("clock", {}, callback=True)
    assert ack["ok"] is True
    assert abs(ack["server_time"] - time.time() * 1000) < 5000


def test_malformed_commands_get_an_error_ack_and_the_connection_survives(auth, chair, live):
    auth.login()
    socket = live()
    socket.get_received()
    for payload in ("x" * 10_000, ["a", "list"], {"unexpected": True}, 42):
        ack = socket.emit("clock", payload, callback=True)
        assert ack == {"ok": False, "error": {"code": "invalid", "message": "This command takes no details."}}
    ack = socket.emit("clock", {}, {}, callback=True)  # one argument too many
    assert ack["ok"] is False and ack["error"]["code"] == "internal"
    assert socket.is_connected()
    assert socket.emit("clock", callback=True)["ok"] is True


@pytest.mark.parametrize(
    "headers", [{}, {"Upgrade": "websocket", "Connection": "Upgrade"}], ids=["long-polling", "websocket"]
)
def test_an_events_request_context_keeps_no_routing_error(app, headers):
    """Each event runs in a request context made from its socket's handshake. Were the Socket.IO
    path not routed, every event would keep an HTTP error and its traceback: a reference cycle
    that only the garbage collector frees, while every connection waits."""
    environ = EnvironBuilder(path="/socket.io/", query_string="EIO=4&transport=websocket", headers=headers)
    with app.request_context(environ.get_environ()):
        assert request.routing_exception is None
        assert request.url_rule.rule == "/socket.io/"


def test_a_page_coming_back_is_sent_only_what_it_missed_as_it_may_see_it(room):
    """After a dropped connection or a restart, `sync` with the version the page has: the events
    since, from the log, filtered for this viewer; no snapshot."""
    kerry, dan = room.phone("Kerry"), room.phone("Dan", side="professional")
    room.go_to("check_in")
    since = sync(dan.socket)["version"]
    assert ack(kerry.socket, "contribute", {"client_id": "missed-0001", "text": "Hopeful"})["ok"]
    assert ack(kerry.socket, "add_note", {"client_id": "note-000001", "text": "Ours alone", "family_only": True})["ok"]
    heard(dan.socket)
    response = ack(dan.socket, "sync", {"since": since})
    assert response == {"ok": True, "caught_up": since + 2}
    replayed = [(e["name"], e["args"][0]["version"]) for e in heard(dan.socket)]
    # The note kept within the family reaches Dan as what everyone else gets: its id, removed.
    assert replayed == [("contribution_added", since + 1), ("note_removed", since + 2)]
    assert "Ours alone" not in str(heard(dan.socket))
    # Nothing missed: nothing sent. A version the meeting never had, or nonsense: the snapshot.
    assert ack(dan.socket, "sync", {"since": since + 2}) == {"ok": True, "caught_up": since + 2}
    assert heard(dan.socket) == []
    for since in (since + 3, -1, "7", None, [1], {"v": 1}, 1.5, True):
        response = ack(dan.socket, "sync", {"since": since})
        assert response["ok"] and "Ours alone" not in str(response) and response["snapshot"]["version"] == since_now(room)


def test_a_page_coming_back_names_its_version_as_it_connects_and_needs_no_sync(room):
    """The handshake carries the version the page has: what it missed comes at once, filtered for
    this viewer, then `hello` saying it is caught up, so the page asks nothing more."""
    kerry, dan = room.phone("Kerry"), room.phone("Dan", side="professional")
    room.go_to("check_in")
    since = sync(dan.socket)["version"]
    dan.socket.disconnect()
    assert ack(kerry.socket, "contribute", {"client_id": "missed-0002", "text": "Hopeful"})["ok"]
    assert ack(kerry.socket, "add_note", {"client_id": "note-000002", "text": "Ours alone", "family_only": True})["ok"]

    sent = [(e["name"], e["args"][0]) for e in heard(room.back(dan, since))]

    names = [name for name, _ in sent]
    assert names[:3] == ["contribution_added", "note_removed", "hello"], names
    assert [data["version"] for _, data in sent[:2]] == [since + 1, since + 2]
    assert sent[2][1]["caught_up"] == since + 2
    assert "Ours alone" not in str(sent)


def test_a_page_coming_back_with_nothing_missed_is_sent_nothing_but_hello(room):
    kerry = room.phone("Kerry")
    room.go_to("check_in")
    since = sync(kerry.socket)["version"]
    kerry.socket.disconnect()
    sent = [(e["name"], e["args"][0]) for e in heard(room.back(kerry, since))]
    assert [name for name, _ in sent if name != "presence_changed"] == ["hello"]
    assert sent[0][1]["caught_up"] == since


@pytest.mark.parametrize("forged", [10**6, -1, "7", [1], {"v": 1}, 1.5, True])
def test_a_version_the_meeting_never_had_or_nonsense_in_the_handshake_catches_up_nothing(room, forged):
    kerry = room.phone("Kerry")
    room.go_to("check_in")
    kerry.socket.disconnect()
    again = room.back(kerry, forged)
    sent = heard(again)
    (hello,) = [e["args"][0] for e in sent if e["name"] == "hello"]
    assert "caught_up" not in hello and {e["name"] for e in sent} <= {"hello", "presence_changed"}
    assert sync(again)["version"] == since_now(room)  # the page asks for its snapshot instead


def test_a_professional_coming_back_during_private_time_is_caught_up_on_nothing(room):
    """Shut out, their page is drawn from a snapshot: the handshake's version brings nothing of
    what the family does, only a `hello` that sends the page to ask."""
    kerry, dan = room.phone("Kerry"), room.phone("Dan", side="professional")
    room.go_to("check_in")
    since = sync(dan.socket)["version"]
    dan.socket.disconnect()
    assert ack(room.chair, "start_private_time", {})["ok"]
    assert ack(kerry.socket, "add_note", {"client_id": "note-000003", "text": "Family only words"})["ok"]

    sent = heard(room.back(dan, since))

    assert [e["name"] for e in sent] == ["hello"] and "caught_up" not in sent[0]["args"][0]


def test_a_phone_moved_to_the_professionals_while_away_is_caught_up_as_a_professional(app, room):
    """Kerry's phone drops; the chair moves her to the professionals' side, and the family writes
    a note kept within the family. Coming back with the version her page had, she is told who
    she is now (her page asks again) and is sent the note only as the professionals are."""
    from facilitator.extensions import db
    from facilitator.models import Meeting
    from facilitator.services import people

    kerry, nan = room.phone("Kerry"), room.phone("Nan")
    room.go_to("check_in")
    since = sync(kerry.socket)["version"]
    kerry.socket.disconnect()
    with app.test_request_context():
        meeting = db.session.get(Meeting, room.meeting.id)
        people.update_person(meeting, kerry.id, people.PersonDetails("Kerry", "", "professional"))
    assert ack(nan.socket, "add_note", {"client_id": "note-000004", "text": "Family words", "family_only": True})["ok"]

    sent = [(e["name"], e["args"][0]) for e in heard(room.back(kerry, since))]

    names = [name for name, _ in sent]
    assert "identity_changed" in names and "note_saved" not in names, names
    assert "Family words" not in str(sent)
    again = sync(room.sockets[-1])
    assert again["you"]["side"] == "professional" and "Family words" not in str(again)


def since_now(room):
    return sync(room.chair)["version"]


def test_a_page_too_far_behind_is_sent_the_meeting_whole(room, monkeypatch):
    from facilitator.live import broadcast

    monkeypatch.setattr(broadcast, "CATCH_UP_LIMIT", 2)
    kerry = room.phone("Kerry")
    room.go_to("check_in")
    since = sync(kerry.socket)["version"]
    for n in range(3):
        assert ack(kerry.socket, "contribute", {"client_id": f"far-behind-{n:04d}", "text": f"Answer {n}"})["ok"]
    heard(kerry.socket)
    response = ack(kerry.socket, "sync", {"since": since})
    assert [c["text"] for c in response["snapshot"]["contributions"]] == ["Answer 0", "Answer 1", "Answer 2"]
    assert heard(kerry.socket) == []


def test_a_phone_coming_and_going_tells_the_meeting_who_not_the_whole_list(room):
    kerry, dan = room.phone("Kerry"), room.phone("Dan")
    version = sync(kerry.socket)["version"]
    dan.socket.disconnect()
    told = [(e["name"], e["args"][0]) for e in heard(kerry.socket)]
    assert told == [("presence_changed", {"version": version, "people": [{"id": dan.id, "presence": "lost"}]})]


@pytest.fixture
def batching(app, room):
    """Turns on presence told in batches, as a server has it; off again before the room's phones
    disconnect at the end, so that no batch outlives the test."""

    def turn_on(seconds, retry_after=None):
        app.config["PRESENCE_BATCH_SECONDS"] = seconds
        if retry_after is not None:
            app.config["PRESENCE_BEAT_SECONDS"] = retry_after

    yield turn_on
    app.config["PRESENCE_BATCH_SECONDS"] = 0.0


def test_phones_coming_back_together_are_told_to_the_meeting_in_one_event(room, batching):
    """After a restart a room's phones come back within a second: the meeting hears one event
    of who came, once the moment has passed, not one event a phone."""
    kerry, dan, nan, priya = (room.phone(name) for name in ("Kerry", "Dan", "Nan", "Priya"))
    heard(kerry.socket)
    batching(1.0)
    for phone in (dan, nan, priya):
        phone.socket.disconnect()
    assert heard(kerry.socket) == []  # not yet: the moment is still open
    deadline = time.monotonic() + 10
    told = []
    while not told and time.monotonic() < deadline:
        time.sleep(0.1)
        told = [(e["name"], e["args"][0]) for e in heard(kerry.socket)]
    assert [(name, event["people"]) for name, event in told] == [
        ("presence_changed", [{"id": phone.id, "presence": "lost"} for phone in (dan, nan, priya)])
    ]


def test_phones_the_database_could_not_count_are_counted_at_the_next_try(room, batching, monkeypatch):
    """The database away for a moment loses nobody's coming or going: the batch waits and is
    counted, and told, once it answers again."""
    from sqlalchemy.exc import OperationalError

    from facilitator.services import presence

    kerry, dan = room.phone("Kerry"), room.phone("Dan")
    heard(kerry.socket)
    batching(0.2, retry_after=0.2)
    counting, refused = presence.record, []

    def away_once(moves):
        if not refused:
            refused.append(moves)
            raise OperationalError("UPDATE participant", {}, Exception("database is locked"))
        return counting(moves)

    monkeypatch.setattr(presence, "record", away_once)
    dan.socket.disconnect()
    deadline = time.monotonic() + 10
    told = []
    while not told and time.monotonic() < deadline:
        time.sleep(0.1)
        told = [e["args"][0]["people"] for e in heard(kerry.socket) if e["name"] == "presence_changed"]
    assert refused, "the first try should have failed"
    assert told == [[{"id": dan.id, "presence": "lost"}]]
