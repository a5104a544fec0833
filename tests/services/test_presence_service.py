"""Presence counted in batches: phones that come and go within a moment are counted together,
in the order they did, and a count never goes below none or counts a phone never held."""

import pytest
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import LiveConnection, Meeting, Participant
from facilitator.services import people, presence
from facilitator.services.presence import Moved


@pytest.fixture
def kerry(app, make_meeting):
    made = make_meeting()
    with app.test_request_context():
        meeting = db.session.get(Meeting, made.id)
        yield people.add_person(meeting, people.PersonDetails("Kerry", "", "family"))


def counted(person):
    return db.session.scalar(select(Participant.connections).where(Participant.id == person.id))


def held():
    return sorted(db.session.scalars(select(LiveConnection.sid)))


def test_phones_held_are_counted_when_their_batch_is_recorded(kerry):
    presence.hold("sid-phone", kerry.id)
    presence.hold("sid-tablet", kerry.id)
    assert held() == ["sid-phone", "sid-tablet"]  # found at once, to be ended if she is removed
    assert counted(kerry) == 0
    presence.record([Moved("sid-phone", kerry.id, came=True), Moved("sid-tablet", kerry.id, came=True)])
    assert counted(kerry) == 2


def test_a_phone_that_came_and_went_in_one_batch_counts_nothing(kerry):
    presence.hold("sid-phone", kerry.id)
    presence.record([Moved("sid-phone", kerry.id, came=True), Moved("sid-phone", kerry.id, came=False)])
    assert counted(kerry) == 0
    assert held() == []


def test_a_going_never_held_here_changes_nothing(kerry):
    presence.hold("sid-phone", kerry.id)
    presence.record([Moved("sid-phone", kerry.id, came=True)])
    presence.record([Moved("sid-forged", kerry.id, came=False), Moved("sid-forged", kerry.id, came=False)])
    assert counted(kerry) == 1
    assert held() == ["sid-phone"]


def test_a_count_never_goes_below_none(kerry):
    presence.hold("sid-phone", kerry.id)
    presence.hold("sid-tablet", kerry.id)
    kerry.connections = 1  # say another process's death was already taken off the count
    db.session.commit()
    presence.record([Moved("sid-phone", kerry.id, came=False), Moved("sid-tablet", kerry.id, came=False)])
    assert counted(kerry) == 0
