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
    assert ack(room.chair, "admit", {"participant_id": sam.id, "flags": ["is_referrer"]})["ok"]
    sync(sam.socket)  # let in: the phone syncs, and joins the meeting's rooms
    screen = room.screen()
    room.go_to("agreement")
    added = ack(kerry.socket, "add_outcome", {"client_id": "kerry-outcome-1", "text": "The children are safe"})
    assert added["ok"], added
    action = ack(
        kerry.socket,
        "add_action",
        {"client_id": "kerry-action-1", "what": "Nan collects the children", "who_text": "Nan", "by_when": "Fridays"},
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
    assert ack(sam.socket, "respond_to_plan", {"agreed": True, "participant_id": kerry.id})["error"]["code"] == "invalid"
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
    saved = ack(kerry.socket, "save_terms", {"revision": 0, "contingency": "Nan steps in", "monitor": "Aunt Jo"})
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
