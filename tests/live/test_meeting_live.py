"""The live meeting: stages, timer, answers, and sync that survives reconnects."""

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import Contribution, Meeting, Participant
from facilitator.services import joining, running
from tests.web.test_joining import join


def names(socket):
    return [event["name"] for event in socket.get_received()]


@pytest.fixture
def circle(make_meeting):
    """A check-in circle: welcome, check-in, check-out."""
    return make_meeting("Circle for the T. family", format_key="check_in_circle")


@pytest.fixture
def chair_socket(auth, live, circle):
    auth.login()
    socket = live(auth={"meeting": circle.id})
    assert socket.is_connected()
    return socket


@pytest.fixture
def let_in(app, live, circle):
    """Phones of people let into the meeting, connected live."""

    def make(name, side="family"):
        phone = app.test_client()
        join(phone, circle, name=name, side=side)
        with app.test_request_context():
            person = db.session.scalar(select(Participant).where(Participant.name == name))
            joining.admit(db.session.get(Meeting, circle.id), person.id)
            person_id = person.id
        socket = live(http_client=phone, auth={"meeting": circle.id})
        assert socket.is_connected()
        socket.get_received()
        return phone, socket, person_id

    return make


def ack(socket, command, payload=None):
    return socket.emit(command, {} if payload is None else payload, callback=True)


def sync(socket):
    response = ack(socket, "sync")
    assert response["ok"], response
    return response["snapshot"]


def test_starting_and_moving_reach_every_screen_in_version_order(app, chair_socket, let_in):
    _, kerry, _ = let_in("Kerry")
    _, dan, _ = let_in("Dan", side="professional")
    chair_socket.get_received()
    versions = []
    for command, payload in (("start", {}), ("go_to", {"position": 1}), ("timer", {"action": "start"})):
        response = ack(chair_socket, command, payload)
        assert response["ok"], response
        versions.append(response["version"])
    assert versions == sorted(versions) and len(set(versions)) == 3
    for socket in (kerry, dan, chair_socket):
        events = [e["args"][0] for e in socket.get_received() if e["name"] == "meeting_changed"]
        assert [e["version"] for e in events] == versions
        assert events[-1]["meeting"]["current_position"] == 1
        assert events[-1]["meeting"]["stages"][1]["kind"] == "check_in"


def test_a_late_joiner_receives_the_current_stage_and_what_was_said(app, chair_socket, let_in):
    ack(chair_socket, "start")
    ack(chair_socket, "go_to", {"position": 1})
    _, kerry, _ = let_in("Kerry")
    assert ack(kerry, "contribute", {"client_id": "kerry-answer-0001", "text": "Tired but hopeful"})["ok"]
    _, late, _ = let_in("Grandad")
    snapshot = sync(late)
    assert snapshot["meeting"]["current_position"] == 1
    assert snapshot["meeting"]["status"] == "live"
    assert [(c["name"], c["text"]) for c in snapshot["contributions"]] == [("Kerry", "Tired but hopeful")]
    assert {p["name"] for p in snapshot["people"]} == {"Kerry", "Grandad"}


def test_a_phone_that_missed_changes_converges_after_reconnecting(app, live, chair_socket, let_in, circle):
    phone, kerry, _ = let_in("Kerry")
    _, dan, _ = let_in("Dan", side="professional")
    ack(chair_socket, "start")
    kerry.disconnect()
    ack(chair_socket, "go_to", {"position": 1})
    ack(chair_socket, "timer", {"action": "add", "minutes": 5})
    ack(dan, "contribute", {"client_id": "dan-answer-00001", "text": "Here to help"})
    ack(chair_socket, "go_to", {"position": 2})
    back = live(http_client=phone, auth={"meeting": circle.id})
    mine, theirs = sync(back), sync(chair_socket)
    assert mine["version"] == theirs["version"]
    assert mine["meeting"] == theirs["meeting"]
    assert mine["contributions"] == theirs["contributions"]
    assert [c["text"] for c in mine["contributions"]] == ["Here to help"]


def test_the_same_answer_sent_three_times_is_stored_once(app, chair_socket, let_in):
    ack(chair_socket, "start")
    ack(chair_socket, "go_to", {"position": 1})
    _, kerry, _ = let_in("Kerry")
    chair_socket.get_received()
    answer = {"client_id": "0f8e6c2a-resend-test", "text": "Nervous"}
    acks = [ack(kerry, "contribute", answer) for _ in range(3)]
    assert all(a["ok"] for a in acks)
    assert len({a["contribution_id"] for a in acks}) == 1
    with app.app_context():
        assert db.session.scalars(select(Contribution.text)).all() == ["Nervous"]
    assert names(chair_socket).count("contribution_added") == 1


def test_an_id_already_used_by_someone_else_is_refused(app, chair_socket, let_in):
    ack(chair_socket, "start")
    ack(chair_socket, "go_to", {"position": 1})
    _, kerry, _ = let_in("Kerry")
    _, dan, _ = let_in("Dan")
    assert ack(kerry, "contribute", {"client_id": "shared-id-123456", "text": "Mine"})["ok"]
    refused = ack(dan, "contribute", {"client_id": "shared-id-123456", "text": "Overwrite"})
    assert refused["ok"] is False
    with app.app_context():
        assert db.session.scalars(select(Contribution.text)).all() == ["Mine"]


def test_answers_are_refused_in_stages_that_take_none_and_before_the_start(app, chair_socket, let_in, circle):
    _, kerry, _ = let_in("Kerry")
    before = ack(kerry, "contribute", {"client_id": "too-early-000001", "text": "Hello?"})
    assert before["ok"] is False and before["error"]["code"] == "invalid"
    with app.app_context():
        assert db.session.scalars(select(Contribution)).all() == []


CHAIR_COMMANDS = [
    ("start", {}),
    ("go_to", {"position": 1}),
    ("timer", {"action": "start"}),
    ("timer", {"action": "add", "minutes": 5}),
    ("lobby", {"open": False}),
    ("admit_all", {}),
]


def meeting_rows(app, meeting_id):
    """Everything stored about a meeting, to check that nothing changed."""
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        return json.dumps(
            {
                "meeting": [
                    meeting.version,
                    meeting.status.value,
                    meeting.current_position,
                    meeting.lobby_open,
                    str(meeting.timer_ends_at),
                    meeting.timer_remaining,
                    meeting.title,
                ],
                "stages": [[s.id, s.position, s.title, s.prompt] for s in meeting.stages],
                "people": [[p.id, p.name, p.side.value, p.admission.value] for p in meeting.participants],
                "said": [
                    [c.id, c.text]
                    for c in db.session.scalars(
                        select(Contribution).where(Contribution.meeting_id == meeting_id)
                    )
                ],
            }
        )


@pytest.mark.parametrize(("command", "payload"), CHAIR_COMMANDS)
def test_chair_commands_from_a_phone_or_the_screen_are_refused(app, live, let_in, circle, command, payload):
    _, kerry, _ = let_in("Kerry")
    with app.app_context():
        token = running.issue_screen_token(db.session.get(Meeting, circle.id))
    screen = live(http_client=app.test_client(), auth={"meeting": circle.id, "screen": token})
    assert screen.is_connected()
    before = meeting_rows(app, circle.id)
    for socket in (kerry, screen):
        refused = ack(socket, command, payload)
        assert (
            refused["ok"] is False and refused["error"]["code"] == "forbidden" and refused["error"]["message"]
        )
    assert meeting_rows(app, circle.id) == before


def test_the_room_screen_sees_the_meeting_and_cannot_speak(app, live, chair_socket, let_in, circle):
    let_in("Kerry")
    with app.app_context():
        token = running.issue_screen_token(db.session.get(Meeting, circle.id))
    screen = live(http_client=app.test_client(), auth={"meeting": circle.id, "screen": token})
    snapshot = sync(screen)
    assert snapshot["meeting"]["title"] == "Circle for the T. family"
    assert [p["name"] for p in snapshot["people"]] == ["Kerry"]
    ack(chair_socket, "start")
    assert "meeting_changed" in names(screen)
    ack(chair_socket, "go_to", {"position": 1})
    refused = ack(screen, "contribute", {"client_id": "screen-says-0001", "text": "Hi"})
    assert refused["error"]["code"] == "forbidden"
    with app.app_context():
        running.issue_screen_token(db.session.get(Meeting, circle.id))  # opened again: the old link stops
    assert not live(
        http_client=app.test_client(), auth={"meeting": circle.id, "screen": token}
    ).is_connected()
    assert ack(screen, "sync")["error"]["code"] == "unauthorised"


@pytest.mark.parametrize("token", ["", "x" * 30, "a" * 500, 12345, None])
def test_a_wrong_screen_token_is_refused(app, live, circle, token):
    assert not live(
        http_client=app.test_client(), auth={"meeting": circle.id, "screen": token or "wrong"}
    ).is_connected()


def test_the_timer_is_an_end_time_kept_by_the_server(app, chair_socket):
    ack(chair_socket, "start")
    snapshot = sync(chair_socket)
    suggested = snapshot["meeting"]["stages"][0]["minutes"] * 60
    assert snapshot["meeting"]["timer"] == {"ends_at": None, "remaining": suggested}  # set, not yet started
    ack(chair_socket, "timer", {"action": "start"})
    started = sync(chair_socket)["meeting"]["timer"]
    now_ms = datetime.now(UTC).timestamp() * 1000
    assert started["remaining"] is None
    assert suggested * 1000 - 5_000 <= started["ends_at"] - now_ms <= suggested * 1000 + 1_000
    ack(chair_socket, "timer", {"action": "add", "minutes": 2})
    assert sync(chair_socket)["meeting"]["timer"]["ends_at"] - started["ends_at"] == 120_000
    ack(chair_socket, "timer", {"action": "pause"})
    assert suggested + 115 <= sync(chair_socket)["meeting"]["timer"]["remaining"] <= suggested + 120
    ack(chair_socket, "go_to", {"position": 1})
    assert sync(chair_socket)["meeting"]["timer"]["ends_at"] is None


def test_presence_follows_the_phones(app, live, chair_socket, let_in):
    phone, kerry, person_id = let_in("Kerry")
    assert [p["presence"] for p in sync(chair_socket)["people"]] == ["online"]
    kerry.disconnect()
    assert [p["presence"] for p in sync(chair_socket)["people"]] == ["lost"]


HOSTILE = [
    None,
    "",
    "x" * 70_000,
    12,
    True,
    [],
    ["position", 1],
    {"position": "1"},
    {"position": 1.0},
    {"position": -1},
    {"position": 10**12},
    {"position": True},
    {"action": "explode"},
    {"action": "add", "minutes": "5"},
    {"action": "add", "minutes": 10**9},
    {"action": "add", "minutes": 0},
    {"open": "yes"},
    {"open": 1},
    {"participant_id": "OTHER"},
    {"client_id": "x", "text": "hi"},
    {"client_id": "a" * 65, "text": "hi"},
    {"client_id": "valid-client-id-1", "text": ""},
    {"client_id": "valid-client-id-2", "text": "y" * 5000},
    {"client_id": "valid-client-id-3", "text": {"$gt": ""}},
    {"client_id": ["valid-client-id-4"], "text": "hi"},
    {"room": "meeting:OTHER:family"},
    {"__proto__": {"admin": True}},
]
COMMANDS = [
    "sync",
    "start",
    "go_to",
    "timer",
    "lobby",
    "admit",
    "admit_all",
    "decline",
    "contribute",
    "clock",
]


def test_fuzz_every_command_with_hostile_payloads(app, live, chair_socket, let_in, circle, make_meeting):
    other = make_meeting("Meeting for the U. family", format_key="check_in_circle")
    stranger = app.test_client()
    join(stranger, other, name="Uma")
    with app.app_context():
        uma = db.session.scalar(select(Participant.id).where(Participant.name == "Uma"))
    ack(chair_socket, "start")
    ack(chair_socket, "go_to", {"position": 1})
    _, kerry, _ = let_in("Kerry")
    before = {meeting_id: meeting_rows(app, meeting_id) for meeting_id in (circle.id, other.id)}
    for socket in (chair_socket, kerry):
        for command in COMMANDS:
            for payload in HOSTILE:
                if isinstance(payload, dict) and payload.get("participant_id") == "OTHER":
                    payload = {"participant_id": uma}
                response = socket.emit(command, payload, callback=True)
                assert isinstance(response, dict), (command, payload)
                if command not in ("sync", "clock") or payload not in (None, {}):
                    assert response["ok"] is False or command in ("admit_all",), (command, payload, response)
                assert "Uma" not in json.dumps(response)
                assert "U. family" not in json.dumps(response)
        assert socket.is_connected()
    assert {meeting_id: meeting_rows(app, meeting_id) for meeting_id in (circle.id, other.id)} == before
    assert ack(kerry, "contribute", {"client_id": "still-working-01", "text": "Still here"})["ok"]


def test_a_person_who_leaves_shows_as_left_until_they_come_back(app, live, chair_socket, let_in, circle):
    phone, kerry, _ = let_in("Kerry")
    assert ack(kerry, "leave")["ok"]
    kerry.disconnect()
    assert [p["presence"] for p in sync(chair_socket)["people"]] == ["left"]
    live(http_client=phone, auth={"meeting": circle.id})
    assert [p["presence"] for p in sync(chair_socket)["people"]] == ["online"]
    assert ack(chair_socket, "leave")["error"]["code"] == "forbidden"
