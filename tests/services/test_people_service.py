"""The people list: who the family asked for, and their personal links."""

import pytest
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import Meeting, MeetingStatus, Participant, Side
from facilitator.services import people
from facilitator.services.errors import ValidationError


@pytest.fixture
def meeting(app, make_meeting):
    made = make_meeting()
    with app.test_request_context():
        yield db.session.get(Meeting, made.id)


def nan(**changes):
    values = {"name": "Pat", "relation": "Nan", "side": "family", "flags": frozenset()} | changes
    return people.PersonDetails(**values)


def test_a_person_is_listed_with_their_side_and_flags(meeting):
    person = people.add_person(
        meeting,
        people.PersonDetails(
            " Amira ",
            " J.'s advocate ",
            "professional",
            frozenset({"is_advocate", "may_stay_in_private_time"}),
        ),
    )
    db.session.expire_all()
    stored = db.session.get(Participant, person.id)
    assert (stored.name, stored.relation, stored.side) == ("Amira", "J.'s advocate", Side.PROFESSIONAL)
    assert people.flags_of(stored) == {"is_advocate", "may_stay_in_private_time"}
    assert stored.invite_token_hash is None


@pytest.mark.parametrize(
    ("details", "field"),
    [
        (nan(name="  "), "name"),
        (nan(name="x" * 81), "name"),
        (nan(relation="x" * 81), "relation"),
        (nan(side=""), "side"),
        (nan(side="chair"), "side"),
        (nan(flags=frozenset({"is_owner"})), "flags"),
        (nan(side="professional", flags=frozenset({"is_child"})), "side"),
    ],
)
def test_bad_details_are_refused_with_the_field_and_nothing_is_saved(meeting, details, field):
    with pytest.raises(ValidationError) as refused:
        people.add_person(meeting, details)
    assert refused.value.field == field and refused.value.message
    db.session.rollback()
    assert db.session.scalars(select(Participant)).all() == []


def test_an_edit_replaces_the_flags_and_a_bad_edit_changes_nothing(meeting):
    person = people.add_person(meeting, nan(flags=frozenset({"may_stay_in_private_time"})))
    people.update_person(meeting, person.id, nan(name="Patricia", flags=frozenset({"is_interpreter"})))
    with pytest.raises(ValidationError):
        people.update_person(meeting, person.id, nan(name="", flags=frozenset()))
    db.session.rollback()
    stored = db.session.get(Participant, person.id)
    assert stored.name == "Patricia"
    assert people.flags_of(stored) == {"is_interpreter"}


def test_a_personal_link_is_stored_only_as_a_hash_and_a_new_one_replaces_it(meeting):
    person = people.add_person(meeting, nan())
    _, first = people.issue_invite(meeting, person.id)
    assert people.find_invited(first).id == person.id
    assert first not in (person.invite_token_hash or "")
    assert person.invite_token_hash == people.hash_token(first)
    _, second = people.issue_invite(meeting, person.id)
    assert second != first
    assert people.find_invited(first) is None
    assert people.find_invited(second).id == person.id


@pytest.mark.parametrize("token", ["", "short", "x" * 500, "../../etc/passwd", "' OR 1=1 --"])
def test_a_made_up_link_finds_nobody(meeting, token):
    people.add_person(meeting, nan())
    assert people.find_invited(token) is None


def test_links_stop_working_when_the_meeting_closes(meeting):
    person = people.add_person(meeting, nan())
    _, token = people.issue_invite(meeting, person.id)
    meeting.status = MeetingStatus.CLOSED
    db.session.commit()
    assert people.find_invited(token) is None
    with pytest.raises(ValidationError):
        people.add_person(meeting, nan(name="Late"))


def test_removing_someone_ends_their_link(meeting):
    person = people.add_person(meeting, nan())
    _, token = people.issue_invite(meeting, person.id)
    people.remove_person(meeting, person.id)
    assert people.find_invited(token) is None
    assert db.session.scalars(select(Participant)).all() == []


def test_someone_on_another_meetings_list_cannot_be_touched(meeting, make_meeting):
    other = db.session.get(Meeting, make_meeting("Another family").id)
    theirs = people.add_person(other, nan(name="Their nan"))
    for change in (
        lambda: people.update_person(meeting, theirs.id, nan(name="Changed")),
        lambda: people.remove_person(meeting, theirs.id),
        lambda: people.issue_invite(meeting, theirs.id),
    ):
        with pytest.raises(ValidationError):
            change()
        db.session.rollback()
    stored = db.session.get(Participant, theirs.id)
    assert (stored.name, stored.invite_token_hash) == ("Their nan", None)
