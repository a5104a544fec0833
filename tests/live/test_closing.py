"""The end of the meeting, live: the plan's terms, the referrer's agreement loop, closing."""

from __future__ import annotations

import pytest

from facilitator.extensions import db
from facilitator.models import Meeting, MeetingStatus
from tests.live.conftest import ack, everything_stored, received, sync


@pytest.fixture
def ending(room):
    """An FGC at its agreement stage: Kerry (mum), Sam the social worker, the referrer."""
    kerry = room.phone("Kerry")
    sam = room.phone("Sam", side="professional", admit=False)
    assert ack(room.chair, "correct", {"participant_id": sam.id, "flags": ["is_referrer"]})["ok"]
    assert ack(room.chair, "admit", {"participant_id": sam.id})["ok"]
    sync(sam.socket)  # let in: the phone syncs, and joins the meeting's rooms
    screen = room.screen()
    room.go_to("agreement")
    added = ack(
        kerry.socket, "add_outcome", {"client_id": "kerry-outcome-1", "text": "The children are safe"}
    )
    assert added["ok"], added
    action = ack(
        kerry.socket,
        "add_action",
        {
            "client_id": "kerry-action-1",
            "what": "Nan collects the children",
            "who_text": "Nan",
            "by_when": "Fridays",
        },
    )
    assert action["ok"], action
    room.drain()
    return room, kerry, sam, screen


def test_the_referrer_declines_with_reasons_the_family_amends_and_the_referrer_agrees(ending):
    room, kerry, sam, screen = ending

    declined = ack(sam.socket, "respond_to_plan", {"agreed": False, "reasons": "Who takes them on Mondays?"})
    assert declined["ok"], declined
    for socket in (room.chair, screen, kerry.socket, sam.socket):
        [event] = received(socket, "agreement_changed")
        assert event["agreement"]["agreed"] is None
        [response] = event["agreement"]["responses"]
        assert (response["name"], response["agreed"], response["reasons"], response["current"]) == (
            "Sam",
            False,
            "Who takes them on Mondays?",
            True,
        )

    amended = ack(
        kerry.socket,
        "add_action",
        {"client_id": "kerry-action-2", "what": "Dad takes them on Mondays", "who_text": "Dad"},
    )
    assert amended["ok"], amended
    for socket in (room.chair, kerry.socket, sam.socket):
        [event] = received(socket, "agreement_changed")
        assert event["agreement"]["responses"][0]["current"] is False  # asked again

    agreed = ack(sam.socket, "respond_to_plan", {"agreed": True})
    assert agreed["ok"], agreed
    state = sync(kerry.socket)["plan"]["agreement"]
    assert state["agreed"]["name"] == "Sam"
    assert [r["agreed"] for r in state["responses"]] == [False, True]


def test_only_the_referrer_answers_and_reasons_are_needed_to_decline(ending, app):
    room, kerry, sam, _screen = ending
    before = everything_stored(app, room.meeting.id)
    assert ack(kerry.socket, "respond_to_plan", {"agreed": True})["error"]["code"] == "forbidden"
    assert ack(sam.socket, "respond_to_plan", {"agreed": False})["error"]["code"] == "invalid"
    assert ack(sam.socket, "respond_to_plan", {"agreed": "yes"})["error"]["code"] == "invalid"
    assert (
        ack(sam.socket, "respond_to_plan", {"agreed": True, "participant_id": kerry.id})["error"]["code"]
        == "invalid"
    )
    assert everything_stored(app, room.meeting.id) == before
    assert sync(room.chair)["plan"]["agreement"]["responses"] == []


def test_the_chair_records_the_referrers_answer(ending):
    room, _kerry, sam, _screen = ending
    assert ack(room.chair, "respond_to_plan", {"agreed": True, "participant_id": sam.id})["ok"]
    [response] = sync(room.chair)["plan"]["agreement"]["responses"]
    assert response["agreed"] and response["recorded_by"]


def test_terms_are_saved_with_revisions(ending):
    room, kerry, sam, screen = ending
    saved = ack(
        kerry.socket,
        "save_terms",
        {"revision": 0, "contingency": "Nan steps in", "monitor": "Aunt Jo", "review_on": "2099-01-01"},
    )
    assert saved["error"]["code"] == "invalid"  # too far ahead
    saved = ack(
        kerry.socket, "save_terms", {"revision": 0, "contingency": "Nan steps in", "monitor": "Aunt Jo"}
    )
    assert saved["ok"], saved
    for socket in (room.chair, screen, sam.socket):
        [event] = received(socket, "terms_saved")
        assert event["terms"]["contingency"] == "Nan steps in"
    stale = ack(room.chair, "save_terms", {"revision": 0, "monitor": "The school"})
    assert stale["error"]["code"] == "conflict"
    assert stale["error"]["current"]["monitor"] == "Aunt Jo"
    assert ack(sam.socket, "save_terms", {"revision": 1, "monitor": "Me"})["error"]["code"] == "forbidden"


def test_closing_makes_the_meeting_read_only(ending, app, client):
    room, kerry, sam, screen = ending
    closed = ack(room.chair, "close_meeting")
    assert closed["ok"], closed
    for socket in (room.chair, screen, kerry.socket, sam.socket):
        assert received(socket, "meeting_closed")
    before = everything_stored(app, room.meeting.id)
    for socket, command, payload in (
        (kerry.socket, "add_outcome", {"client_id": "kerry-outcome-9", "text": "More"}),
        (room.chair, "go_to", {"position": 0}),
        (room.chair, "lobby", {"open": True}),
        (sam.socket, "respond_to_plan", {"agreed": True}),
        (room.chair, "close_meeting", {}),
    ):
        assert ack(socket, command, payload)["error"]["code"] == "closed", command
    assert everything_stored(app, room.meeting.id) == before
    assert sync(kerry.socket)["meeting"]["status"] == "closed"
    with app.app_context():
        meeting = db.session.get(Meeting, room.meeting.id)
        assert meeting.status is MeetingStatus.CLOSED and meeting.closed_at is not None
        code = meeting.join_code

    page = kerry.http.get(f"/join/{code}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Nan collects the children" in text and "Read the summary aloud" in text

    stranger = app.test_client()
    finished = stranger.get(f"/join/{code}")
    assert finished.status_code == 410
    assert "Nan collects the children" not in finished.get_data(as_text=True)
    stranger.post(f"/join/{code}", data={"name": "Late", "side": "family"})
    with app.app_context():
        assert [p.name for p in db.session.get(Meeting, room.meeting.id).participants] == ["Kerry", "Sam"]


def test_the_chair_records_for_a_listed_referrer_without_a_phone(room):
    """A referrer in the room with no phone: the chair records their answer; nobody else can."""
    kerry = room.phone("Kerry")
    with room.app.test_request_context():
        from facilitator.services import people

        meeting = db.session.get(Meeting, room.meeting.id)
        dan = people.add_person(
            meeting, people.PersonDetails("Dan", "Social worker", "professional", frozenset({"is_referrer"}))
        ).id
    room.go_to("agreement")
    assert ack(kerry.socket, "add_outcome", {"client_id": "kerry-outcome-1", "text": "Safe at home"})["ok"]
    assert ack(kerry.socket, "respond_to_plan", {"agreed": True, "participant_id": dan})["error"]["code"] == (
        "forbidden"
    )
    assert ack(room.chair, "respond_to_plan", {"agreed": True, "participant_id": kerry.id})["error"][
        "code"
    ] == ("invalid")
    assert ack(room.chair, "respond_to_plan", {"agreed": True, "participant_id": dan})["ok"]
    assert sync(kerry.socket)["plan"]["agreement"]["agreed"]["name"] == "Dan"


def test_an_empty_plan_cannot_be_agreed(ending):
    _room, kerry, sam, _screen = ending
    plan = sync(kerry.socket)["plan"]
    for action in plan["actions"]:
        assert ack(
            kerry.socket, "remove_action", {"action_id": action["id"], "revision": action["revision"]}
        )["ok"]
    for outcome in plan["outcomes"]:
        assert ack(
            kerry.socket, "remove_outcome", {"outcome_id": outcome["id"], "revision": outcome["revision"]}
        )["ok"]
    refused = ack(sam.socket, "respond_to_plan", {"agreed": True})
    assert refused["error"]["code"] == "invalid" and "nothing in the plan" in refused["error"]["message"]


def test_private_time_keeps_the_end_of_the_plan_from_those_shut_out(ending):
    """The family writes its contingency in private: the referrer (shut out) and the chair get
    no terms event, cannot answer or close, and see the terms once everyone is invited back."""
    room, kerry, sam, screen = ending
    assert ack(room.chair, "start_private_time", {"stay": []})["ok"]
    room.drain()
    saved = ack(kerry.socket, "save_terms", {"revision": 0, "contingency": "Our secret fallback"})
    assert saved["ok"], saved
    assert received(screen, "terms_saved")
    for shut_out in (room.chair, sam.socket):
        assert "Our secret fallback" not in str(received(shut_out))
        assert "Our secret fallback" not in str(sync(shut_out))
    assert ack(sam.socket, "respond_to_plan", {"agreed": True})["error"]["code"] == "private_time"
    assert ack(room.chair, "close_meeting")["error"]["code"] == "private_time"
    assert ack(kerry.socket, "end_private_time")["ok"]
    assert sync(sam.socket)["plan"]["terms"]["contingency"] == "Our secret fallback"


def test_the_meeting_cannot_close_during_private_time_even_by_a_race(ending, app):
    """The service refuses too: the check is not only the command's."""
    room, *_ = ending
    assert ack(room.chair, "start_private_time", {"stay": []})["ok"]
    with app.test_request_context():
        from facilitator.services import closing
        from facilitator.services.errors import ValidationError

        meeting = db.session.get(Meeting, room.meeting.id)
        with pytest.raises(ValidationError):
            closing.close(meeting, "Chair")
        assert meeting.status is MeetingStatus.LIVE


CLOSING_COMMANDS = ["save_terms", "action_progress", "respond_to_plan", "close_meeting"]
CLOSING_HOSTILE = [
    None,
    "",
    "x" * 70_000,
    12,
    [],
    {"__proto__": {"admin": True}},
    {"revision": "0", "contingency": "Hijacked"},
    {"revision": 0, "contingency": ["Hijacked"]},
    {"revision": 0, "contingency": "c" * 2001},
    {"revision": 0, "monitor": "m" * 121},
    {"revision": 0, "monitor": {"$ne": ""}},
    {"revision": 0, "review_on": "2020-01-01"},
    {"revision": 0, "review_on": "tomorrow"},
    {"revision": 0, "review_on": 20270101},
    {"revision": 0, "review_on": "2027-02-30"},
    {"revision": 0, "decision": "keep"},  # not a review
    {"revision": 0, "decision": "burn"},
    {"revision": 0, "meeting_id": "OTHER"},
    {"revision": None, "contingency": "Hijacked"},
    {"action_id": "ACTION", "revision": 1, "progress": "done"},  # not carried from a meeting before
    {"action_id": "OTHER_ACTION", "revision": 1, "progress": "done"},
    {"action_id": "ACTION", "revision": 1, "progress": "finished"},
    {"action_id": "ACTION", "revision": 1, "progress": None},
    {"agreed": "true"},
    {"agreed": 1},
    {"agreed": False},
    {"agreed": False, "reasons": ""},
    {"agreed": False, "reasons": "   "},
    {"agreed": False, "reasons": "r" * 1001},
    {"agreed": False, "reasons": ["no"]},
    {"agreed": True, "participant_id": "OTHER"},
    {"agreed": True, "participant_id": "KERRY"},
    {"agreed": True, "participant_id": 10**20},
    {"agreed": True, "reasons": {"a": 1}},
    {"agreed": True, "extra": 1},
    {"close": True},
]


@pytest.fixture
def other_meeting(app, make_meeting):
    """A live meeting of the same chair whose plan nobody following this one may touch."""
    with app.test_request_context():
        from facilitator.services import people, plan, running

        other = db.session.get(Meeting, make_meeting("Meeting for the U. family").id)
        uma = people.add_person(
            other, people.PersonDetails("Uma", "", "professional", frozenset({"is_referrer"}))
        )
        running.start(other)
        action, _ = plan.add_action(
            other, "uma-action-00001", plan.ActionDetails(what="Umbrella action", who_text="Uma"), "Uma"
        )
        return other.id, {"OTHER": uma.id, "OTHER_ACTION": action.id}


def test_fuzz_every_closing_command_with_hostile_payloads(app, ending, other_meeting):
    """Nothing malformed changes anything, nothing of another meeting leaks, no connection drops."""
    room, kerry, sam, screen = ending
    other_id, ids = other_meeting
    ids["ACTION"] = sync(kerry.socket)["plan"]["actions"][0]["id"]
    ids["KERRY"] = kerry.id
    room.drain()
    before = {m: everything_stored(app, m) for m in (room.meeting.id, other_id)}
    for socket in (room.chair, kerry.socket, sam.socket, screen):
        for command in CLOSING_COMMANDS:
            for payload in CLOSING_HOSTILE:
                if isinstance(payload, dict):
                    payload = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}
                if command == "close_meeting" and socket is room.chair and payload in ({}, None):
                    continue  # a real close: covered elsewhere
                response = socket.emit(command, payload, callback=True)
                assert response["ok"] is False, (command, payload, response)
                assert response["error"]["code"] in ("invalid", "forbidden", "conflict"), (
                    command,
                    payload,
                    response,
                )
                assert "Uma" not in str(response) and "Umbrella" not in str(response)
        assert socket.is_connected()
    assert {m: everything_stored(app, m) for m in (room.meeting.id, other_id)} == before
    for socket in room.sockets:
        assert received(socket) == []
