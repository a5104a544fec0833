"""Private family time and the agenda agree: starting it moves the meeting to the agenda's
private-time stage (never back), and ending it moves on to the stage after. Those it shuts out
still receive nothing but that it is on; the family's phones are told where the meeting is."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import Meeting, MeetingEvent
from tests.live.conftest import ack, heard, sync


def sent(socket):
    """(name, payload) of everything a socket was sent since last asked."""
    return [(e["name"], e["args"][0]) for e in heard(socket)]


def stage_at(room, kind, nth=0):
    return [s for s in sync(room.chair)["meeting"]["stages"] if s["kind"] == kind][nth]


def where(app, meeting_id):
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        return meeting.current_position, meeting.timer_ends_at, meeting.timer_remaining


@pytest.fixture
def gathered(room):
    """Kerry and Nan of the family, Ade (an advocate the family chose to stay), Dan the social
    worker, and the room screen."""
    kerry, nan = room.phone("Kerry"), room.phone("Nan")
    ade = room.phone("Ade", side="professional")
    dan = room.phone("Dan", side="professional")
    screen = room.screen()
    return kerry, nan, ade, dan, screen


def test_starting_private_time_moves_to_its_stage_with_the_timer_set_afresh(app, room, gathered):
    kerry, nan, ade, dan, screen = gathered
    private = stage_at(room, "private_time")
    room.go_to("offers")
    assert ack(room.chair, "timer", {"action": "start"})["ok"]  # the offers round's timer running
    room.drain()

    started = ack(room.chair, "start_private_time", {"stay": [ade.id]})

    assert started["ok"], started
    assert where(app, room.meeting.id) == (private["position"], None, private["minutes"] * 60)
    # The family's phones: the news, then where the meeting is now, in the same change.
    for socket in (kerry.socket, nan.socket):
        (first, news), (second, moved) = sent(socket)
        assert (first, second) == ("private_time_changed", "meeting_changed")
        assert news["version"] == moved["version"] == started["version"]
        assert set(news) == {"version", "private_time"}
        assert moved["meeting"]["current_position"] == private["position"]
        assert moved["meeting"]["timer"] == {"ends_at": None, "remaining": private["minutes"] * 60}
        assert moved["meeting"]["private_time"] is not None
    # The room screen and Ade, who stays: their view with the news, already at the stage.
    for socket in (screen, ade.socket):
        names = [name for name, _ in sent(socket)]
        assert names == ["private_time_changed", "meeting_changed"]
    snapshot = sync(screen)
    assert snapshot["meeting"]["current_position"] == private["position"]
    # The chair and Dan are shut out: that private time is on, and nothing of where it is.
    for socket in (room.chair, dan.socket):
        ((name, changed),) = sent(socket)
        assert name == "private_time_changed" and changed["version"] == started["version"]
        assert set(changed["snapshot"]["meeting"]) == {"id", "title", "private_time"}
        assert private["title"] not in json.dumps(changed)
    # One change: the version moved once, and the log holds both, in order.
    with app.app_context():
        logged = db.session.scalars(
            select(MeetingEvent.kind)
            .where(MeetingEvent.meeting_id == room.meeting.id, MeetingEvent.version == started["version"])
            .order_by(MeetingEvent.position)
        ).all()
    assert logged == ["private_time_changed", "meeting_changed"]


def test_those_shut_out_receive_nothing_while_the_family_is_at_the_stage(app, room, gathered):
    kerry, nan, ade, dan, screen = gathered
    private = stage_at(room, "private_time")
    room.go_to("information_sharing")
    assert ack(room.chair, "start_private_time", {"stay": []})["ok"]
    room.drain()

    assert ack(kerry.socket, "add_outcome", {"client_id": "kerry-outcome-01", "text": "Nan moves in"})["ok"]
    moved_by_dan = ack(dan.socket, "go_to", {"position": 0})
    moved_by_chair = ack(room.chair, "go_to", {"position": 0})
    timed_by_chair = ack(room.chair, "timer", {"action": "start"})

    for response in (moved_by_dan, moved_by_chair, timed_by_chair):
        assert response["ok"] is False and response["error"]["code"] == "private_time", response
    for socket in (room.chair, dan.socket, ade.socket):  # Ade was not chosen to stay this time
        assert sent(socket) == []
        snapshot = sync(socket)
        assert "stages" not in snapshot["meeting"] and "Nan moves in" not in json.dumps(snapshot)
    assert where(app, room.meeting.id)[0] == private["position"]


def test_ending_it_moves_on_to_the_stage_after_and_everyone_sees_it(app, room, gathered):
    kerry, nan, ade, dan, screen = gathered
    plan = stage_at(room, "plan")
    room.go_to("offers")
    assert ack(room.chair, "start_private_time", {"stay": [ade.id]})["ok"]
    room.drain()

    ended = ack(kerry.socket, "end_private_time")

    assert ended["ok"], ended
    assert where(app, room.meeting.id) == (plan["position"], None, plan["minutes"] * 60)
    for socket in (kerry.socket, nan.socket):
        (first, news), (second, moved) = sent(socket)
        assert (first, second, news["private_time"]) == ("private_time_changed", "meeting_changed", None)
        assert moved["version"] == ended["version"] and moved["meeting"]["current_position"] == plan["position"]
    # Everyone let back in gets their view whole with the news, at the stage after.
    for socket in (room.chair, dan.socket, screen, ade.socket):
        events = sent(socket)
        assert [name for name, _ in events] == ["private_time_changed", "meeting_changed"]
        assert events[0][1]["snapshot"]["meeting"]["current_position"] == plan["position"]
        assert events[0][1]["snapshot"]["meeting"]["private_time"] is None
    assert sync(dan.socket)["meeting"]["current_position"] == plan["position"]


def test_a_second_private_time_later_in_the_meeting_does_not_move_it_back(app, room, gathered):
    kerry, nan, ade, dan, screen = gathered
    agreement = stage_at(room, "agreement")
    room.go_to("agreement")
    assert ack(room.chair, "timer", {"action": "start"})["ok"]
    at_start = where(app, room.meeting.id)
    room.drain()

    started = ack(room.chair, "start_private_time", {"stay": []})
    assert started["ok"], started
    assert where(app, room.meeting.id) == at_start  # same stage, its timer untouched
    assert [name for name, _ in sent(kerry.socket)] == ["private_time_changed"]

    ended = ack(room.chair, "end_private_time")
    assert ended["ok"], ended
    assert where(app, room.meeting.id) == at_start
    assert [name for name, _ in sent(kerry.socket)] == ["private_time_changed"]
    assert sync(kerry.socket)["meeting"]["current_position"] == agreement["position"]


def test_started_at_its_stage_it_stays_and_ends_by_moving_on(app, room, gathered):
    kerry, *_ = gathered
    private, plan = stage_at(room, "private_time"), stage_at(room, "plan")
    room.go_to("private_time")
    assert ack(room.chair, "timer", {"action": "start"})["ok"]
    at_start = where(app, room.meeting.id)
    room.drain()

    assert ack(room.chair, "start_private_time", {"stay": []})["ok"]
    assert where(app, room.meeting.id) == at_start  # already there: its timer keeps running
    assert at_start[0] == private["position"] and at_start[1] is not None
    assert [name for name, _ in sent(kerry.socket)] == ["private_time_changed"]

    assert ack(room.chair, "end_private_time")["ok"]
    assert where(app, room.meeting.id)[0] == plan["position"]


def test_a_phone_that_missed_it_catches_up_with_both_in_order(app, room, gathered):
    kerry, nan, ade, dan, screen = gathered
    private = stage_at(room, "private_time")
    room.go_to("offers")
    since = sync(nan.socket)["version"]

    started = ack(room.chair, "start_private_time", {"stay": []})
    heard(nan.socket)  # as if its connection had dropped
    response = ack(nan.socket, "sync", {"since": since})

    assert response == {"ok": True, "caught_up": started["version"]}
    replayed = sent(nan.socket)
    assert [(name, payload["version"]) for name, payload in replayed] == [
        ("private_time_changed", started["version"]),
        ("meeting_changed", started["version"]),
    ]
    assert replayed[1][1]["meeting"]["current_position"] == private["position"]
    # Dan, shut out, is not caught up event by event: the waiting view, nothing more.
    heard(dan.socket)
    waiting = ack(dan.socket, "sync", {"since": since})
    assert "caught_up" not in waiting and set(waiting["snapshot"]["meeting"]) == {"id", "title", "private_time"}
    assert sent(dan.socket) == []


@pytest.mark.parametrize("format_key", ["restorative_conversation"])
def test_an_agenda_without_private_time_stays_where_it_is(app, room, format_key):
    kerry = room.phone("Kerry")
    stages = sync(room.chair)["meeting"]["stages"]
    assert "private_time" not in {s["kind"] for s in stages}
    assert ack(room.chair, "start")["ok"]
    assert ack(room.chair, "go_to", {"position": 1})["ok"]
    at_start = where(app, room.meeting.id)
    room.drain()

    assert ack(room.chair, "start_private_time", {"stay": []})["ok"]
    assert where(app, room.meeting.id) == at_start
    assert ack(kerry.socket, "end_private_time")["ok"]
    assert where(app, room.meeting.id) == at_start
    assert [name for name, _ in sent(kerry.socket)] == ["private_time_changed", "private_time_changed"]
