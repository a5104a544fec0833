"""The child's voice added to an agenda, or taken off it, while people are in the meeting:
what they may do follows, and their phones are told to ask again."""

from __future__ import annotations

from facilitator.extensions import db
from facilitator.models import Meeting, Participant, StageKind
from tests.live.conftest import heard, received, sync


def houses_on_the_agenda(app, meeting_id):
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        return [stage.id for stage in meeting.stages if stage.kind is StageKind.CHILDS_VOICE]


def test_adding_and_removing_the_childs_voice_tells_every_phone_what_it_may_now_do(app, room, post):
    child, mum = room.phone("Jay"), room.phone("Mum")
    with app.app_context():
        db.session.get(Participant, child.id).is_child = True
        db.session.commit()
    assert sync(child.socket)["can"]["fill_houses"] is False
    room.drain()
    added = {"kind": StageKind.CHILDS_VOICE.value, "title": "Jay's three houses", "prompt": "", "minutes": "10"}
    agenda = f"/meetings/{room.meeting.id}/agenda"

    assert post(f"{agenda}/", added).status_code == 302
    assert received(child.socket, "identity_changed") and received(mum.socket, "identity_changed")
    snapshot = sync(child.socket)
    assert snapshot["can"]["fill_houses"] is True and snapshot["items"] == []
    assert sync(mum.socket)["can"]["fill_houses"] is False

    # A second stage of the kind, added or removed, changes nothing anyone may do: nobody is told.
    post(f"{agenda}/", added)
    first, second = houses_on_the_agenda(app, room.meeting.id)
    room.drain()
    post(f"{agenda}/{first}/remove")
    told = [event["name"] for event in heard(child.socket)]
    assert "meeting_changed" in told and "identity_changed" not in told

    post(f"{agenda}/{second}/remove")
    assert received(child.socket, "identity_changed")
    assert sync(child.socket)["can"]["fill_houses"] is False
