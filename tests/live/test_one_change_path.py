"""The one change path: who receives what is decided once, in `access.py`, from the database
as each event is sent; a change raises the version once; identity cannot be acquired into
private family time."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from facilitator import access
from facilitator.extensions import db
from facilitator.live import broadcast
from facilitator.models import Meeting, MeetingEvent, Participant
from facilitator.services import people
from tests.conftest import csrf_token
from tests.live.conftest import ack, heard, sync

SERVICES = Path(__file__).parents[2] / "facilitator" / "services"
SECRET = "Grandad moves in on Monday"


def recorded_kinds() -> set[str]:
    """Every kind of event a service can record, read from the services' own source."""
    kinds = set()
    for source in SERVICES.glob("*.py"):
        kinds |= set(re.findall(r'changes\.(?:record|record_for|tell)\(\s*\w+,\s*"(\w+)"', source.read_text()))
    kinds |= {f"{name}_{what}" for name in ("outcome", "action", "note", "terms") for what in ("saved", "removed")}
    return kinds - {"terms_removed"}


def test_every_event_kind_the_server_publishes_has_its_audience_in_access():
    published = broadcast.kinds()
    assert recorded_kinds() <= published, recorded_kinds() - published
    assert set(access.EVENT_VIEWS) == published
    nobody = access.Recipient("participant:1", access.View.FAMILY, 1, True)
    assert not access.receives("something_new", "", nobody)  # a kind with no audience reaches no one


def test_only_the_change_path_raises_a_meetings_version(app, room):
    with app.app_context():
        meeting = db.session.get(Meeting, room.meeting.id)
        meeting.version += 1
        with pytest.raises(RuntimeError, match="raised by services.changes.record alone"):
            db.session.flush()
        db.session.rollback()


def test_every_change_is_logged_once_at_a_version_of_its_own(app, room, post):
    kerry = room.phone("Kerry")
    room.go_to("check_in")
    assert ack(kerry.socket, "contribute", {"client_id": "kerry-check-in-01", "text": "Hopeful"})["ok"]
    assert post(f"/meetings/{room.meeting.id}/people/", {"name": "Nan", "relation": "", "side": "family"}).status_code == 302
    assert ack(room.chair, "admit_all")["ok"] is True  # nobody waiting: no change, no version
    with app.app_context():
        version = db.session.get(Meeting, room.meeting.id).version
        logged = db.session.execute(
            select(MeetingEvent.version, MeetingEvent.position, MeetingEvent.kind, MeetingEvent.payload)
            .where(MeetingEvent.meeting_id == room.meeting.id)
            .order_by(MeetingEvent.version, MeetingEvent.position)
        ).all()
    assert sorted({v for v, _, _, _ in logged}) == list(range(1, version + 1))
    assert [k for v, _, k, _ in logged if v == version] == ["people_changed"]  # the page's change, last
    assert "contribution_added" in [k for _, _, k, _ in logged]
    assert all("Hopeful" not in json.dumps(payload) for *_, payload in logged)  # ids, never words


def test_a_removed_person_receives_nothing_more(app, room, post):
    kerry, dan = room.phone("Kerry"), room.phone("Dan", side="professional")
    room.go_to("plan")
    removed = post(f"/meetings/{room.meeting.id}/people/{dan.id}/remove")
    assert removed.status_code == 302
    assert [e["name"] for e in heard(dan.socket)] == ["removed"]
    assert not dan.socket.is_connected()  # the server ended the connection
    assert ack(kerry.socket, "add_outcome", {"client_id": "kerry-outcome-01", "text": SECRET})["ok"]
    assert heard(dan.socket) == []


def test_someone_moved_to_the_professionals_in_private_time_gets_nothing_of_it(app, room, post):
    kerry, bea = room.phone("Kerry"), room.phone("Bea")
    room.go_to("private_time")
    assert ack(room.chair, "start_private_time", {"stay": []})["ok"]
    room.drain()
    edited = post(
        f"/meetings/{room.meeting.id}/people/{bea.id}", {"name": "Bea", "relation": "", "side": "professional"}
    )
    assert edited.status_code == 302
    assert [e["name"] for e in heard(bea.socket)] == ["identity_changed"]  # and not who is here now
    assert ack(kerry.socket, "add_outcome", {"client_id": "kerry-outcome-01", "text": SECRET})["ok"]
    assert ack(kerry.socket, "add_note", {"client_id": "kerry-note-0001", "text": SECRET, "family_only": True})["ok"]
    assert heard(bea.socket) == []
    snapshot = sync(bea.socket)
    assert "plan" not in snapshot and SECRET not in json.dumps(snapshot)


def test_no_new_room_screen_opens_during_private_time(app, room, post, client):
    kerry = room.phone("Kerry")
    screen = room.screen()
    room.go_to("private_time")
    assert ack(room.chair, "start_private_time", {"stay": []})["ok"]
    assert ack(kerry.socket, "add_outcome", {"client_id": "kerry-outcome-01", "text": SECRET})["ok"]
    with app.app_context():
        token_hash = db.session.get(Meeting, room.meeting.id).screen_token_hash
    opened = post(f"/meetings/{room.meeting.id}/screen")
    assert opened.status_code == 302 and "/screen/" not in opened.headers["Location"]
    console = client.get(opened.headers["Location"]).get_data(as_text=True)
    assert "Open the room screen again when they invite everyone back" in console
    assert SECRET not in console
    with app.app_context():
        assert db.session.get(Meeting, room.meeting.id).screen_token_hash == token_hash
    assert SECRET in json.dumps(sync(screen))  # the family's own screen carries on


def test_someone_let_in_during_private_time_waits_for_the_family(app, room, post, client):
    """By a personal link made during private time, or from the lobby: let into the meeting,
    not into the family's private time, until the family welcomes them."""
    kerry, dan = room.phone("Kerry"), room.phone("Dan", side="professional")
    room.go_to("private_time")
    assert ack(room.chair, "start_private_time", {"stay": []})["ok"]
    assert ack(kerry.socket, "add_note", {"client_id": "kerry-note-0001", "text": SECRET, "family_only": True})["ok"]
    added = post(f"/meetings/{room.meeting.id}/people/", {"name": "Auntie Jo", "relation": "", "side": "family"})
    assert added.status_code == 302
    with app.test_request_context():
        meeting = db.session.get(Meeting, room.meeting.id)
        jo = db.session.scalar(select(Participant).where(Participant.name == "Auntie Jo"))
        _, token = people.issue_invite(meeting, jo.id)
        jo_id = jo.id
    phone = app.test_client()
    form = phone.get(f"/join/invite/{token}").get_data(as_text=True)
    assert phone.post(f"/join/invite/{token}", data={"csrf_token": csrf_token(form)}).status_code == 302
    page = phone.get(f"/join/{room.meeting.join_code}").get_data(as_text=True)
    assert SECRET not in page
    jo_socket = room._follow(phone)
    snapshot = sync(jo_socket)
    assert "plan" not in snapshot and snapshot["you"]["waits_for_family"] is True
    assert SECRET not in json.dumps(heard(room.chair))
    # The chair and Dan cannot let her in; the family can.
    assert ack(room.chair, "welcome", {"participant_id": jo_id})["error"]["code"] == "private_time"
    assert ack(dan.socket, "welcome", {"participant_id": jo_id})["error"]["code"] == "private_time"
    assert ack(kerry.socket, "welcome", {"participant_id": jo_id})["ok"]
    assert SECRET in json.dumps(sync(jo_socket))
    assert SECRET not in json.dumps(sync(room.chair)) and SECRET not in json.dumps(sync(dan.socket))


def test_capabilities_say_what_the_commands_allow(app, room):
    """What a page offers (`can`) is what the commands then allow, for every kind of viewer."""
    kerry, dan = room.phone("Kerry"), room.phone("Dan", side="professional")
    lee = room.phone("Lee", admit=False)
    room.go_to("plan")
    expected = {
        room.chair: {"contribute": False, "edit_plan": True, "propose_actions": False, "write_notes": False, "run": True},
        kerry.socket: {"contribute": True, "edit_plan": True, "propose_actions": False, "write_notes": True, "run": False},
        dan.socket: {"contribute": True, "edit_plan": False, "propose_actions": True, "write_notes": False, "run": False},
        lee.socket: {"contribute": False, "edit_plan": False, "propose_actions": False, "write_notes": False, "run": False},
    }
    for socket, can in expected.items():
        got = sync(socket)["can"]
        assert {key: got[key] for key in can} == can
    for number, (socket, can) in enumerate(expected.items()):
        added = ack(socket, "add_outcome", {"client_id": f"outcome-{number:08d}", "text": "Kids safe"})
        assert added["ok"] is can["edit_plan"], (can, added)
        noted = ack(socket, "add_note", {"client_id": f"note-{number:011d}", "text": "Ours", "family_only": False})
        assert noted["ok"] is can["write_notes"], (can, noted)
