"""The plan at the service level: limits, who an action is for, checks before changes,
and resends that race, for the edge cases that are awkward to reach over a socket."""

import pytest
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import (
    ActionStatus,
    Admission,
    Meeting,
    MeetingEvent,
    MeetingStatus,
    Outcome,
    PlanAction,
)
from facilitator.services import contributions, people, plan, running
from facilitator.services.errors import ValidationError


@pytest.fixture
def meeting(app, make_meeting):
    """A live Family Group Conference, at its offers round."""
    made = make_meeting("FGC for the J. family")
    with app.test_request_context():
        meeting = db.session.get(Meeting, made.id)
        running.start(meeting)
        running.go_to(meeting, 3)
        yield meeting


def person(meeting, name, side="family", admission=Admission.ADMITTED):
    added = people.add_person(meeting, people.PersonDetails(name, "", side))
    added.admission = admission
    db.session.commit()
    return added


def details(what="Walk the children to school", **more):
    return plan.ActionDetails(what=what, **({"who_text": "The family"} | more))


def refused(call, error=ValidationError):
    with pytest.raises(error) as raised:
        call()
    db.session.rollback()
    return raised.value


def test_a_full_plan_takes_no_more_but_still_answers_resends(meeting, monkeypatch):
    monkeypatch.setattr(plan, "MAX_ITEMS", 2)
    first, _ = plan.add_outcome(meeting, "outcome-0000001", "Kids safe", "Kerry")
    plan.add_outcome(meeting, "outcome-0000002", "Kids happy", "Kerry")
    plan.add_action(meeting, "action-00000001", details(), "Kerry")
    plan.add_action(meeting, "action-00000002", details("Cook on Sundays"), "Kerry")

    assert "2" in refused(lambda: plan.add_outcome(meeting, "outcome-0000003", "One more", "Kerry")).message
    refused(lambda: plan.add_action(meeting, "action-00000003", details("One more"), "Kerry"))
    assert plan.add_outcome(meeting, "outcome-0000001", "Kids safe", "Kerry") == (first, False)
    assert len(plan.outcomes_of(meeting)) == 2 and len(plan.actions_of(meeting)) == 2


def test_the_plan_is_closed_before_and_after_the_meeting(app, make_meeting, meeting):
    made = make_meeting("FGC for the K. family")
    scheduled = db.session.get(Meeting, made.id)
    refused(lambda: plan.add_outcome(scheduled, "outcome-0000001", "Kids safe", "Kerry"))
    outcome, _ = plan.add_outcome(meeting, "outcome-0000001", "Kids safe", "Kerry")
    meeting.status = MeetingStatus.CLOSED
    db.session.commit()
    refused(lambda: plan.edit_outcome(meeting, outcome.id, 1, "Kids safe and well", "Kerry"))
    refused(lambda: plan.add_action(meeting, "action-00000001", details(), "Kerry"))
    assert [o.text for o in plan.outcomes_of(meeting)] == ["Kids safe"]


def test_an_action_is_for_someone_let_in_or_for_whoever_is_named(app, make_meeting, meeting):
    nan = person(meeting, "Nan")
    grandad = person(meeting, "Grandad", admission=Admission.EXPECTED)
    rob = person(meeting, "Rob", admission=Admission.DECLINED)
    other = db.session.get(Meeting, make_meeting("FGC for the U. family").id)
    uma = person(other, "Uma")

    for_nan, _ = plan.add_action(meeting, "action-00000001", details(who_participant_id=nan.id), "Kerry")
    for_grandad, _ = plan.add_action(meeting, "action-00000002", details(who_text="Grandad"), "Kerry")
    for_school, _ = plan.add_action(meeting, "action-00000003", details(who_text="  The school  "), "Kerry")

    assert (for_nan.who_participant_id, for_nan.who_text, for_nan.who_name) == (nan.id, "", "Nan")
    assert (for_grandad.who_participant_id, for_grandad.who_name) == (None, "Grandad")  # in words
    assert (for_school.who_participant_id, for_school.who_name) == (None, "The school")
    for nobody in (grandad.id, rob.id, uma.id, -1, 0, 10**20, "1", True):
        refused(
            lambda who=nobody: plan.add_action(
                meeting, "action-00000004", details(who_participant_id=who), "Kerry"
            )
        )
    refused(lambda: plan.add_action(meeting, "action-00000004", details(who_text=""), "Kerry"))
    assert len(plan.actions_of(meeting)) == 3


def test_an_edit_is_checked_whole_before_anything_changes(meeting):
    nan = person(meeting, "Nan")
    action, _ = plan.add_action(meeting, "action-00000001", details(who_participant_id=nan.id), "Kerry")
    version = meeting.version

    for wrong in (
        details("Changed", outcome_id=999_999),
        details("Changed", by_when="b" * 121),
        details("", who_participant_id=nan.id),
        details("Changed", who_text=""),
    ):
        refused(lambda wrong=wrong: plan.edit_action(meeting, action.id, 1, wrong, "Dan"))

    db.session.expire_all()
    stored = db.session.get(PlanAction, action.id)
    assert (stored.what, stored.who_participant_id, stored.revision, stored.edited_by) == (
        "Walk the children to school",
        nan.id,
        1,
        "Kerry",
    )
    assert meeting.version == version


def test_a_professional_changes_only_their_own_proposal_until_accepted(meeting):
    dan = person(meeting, "Dan", side="professional")
    priya = person(meeting, "Priya", side="professional")
    proposal, _ = plan.add_action(meeting, "action-00000001", details("Visits"), "Dan", proposer=dan)
    assert (proposal.status, proposal.proposed_by_id) == (ActionStatus.PROPOSED, dan.id)

    error = refused(
        lambda: plan.edit_action(meeting, proposal.id, 1, details("Mine now"), "Priya", proposer=priya),
        plan.Forbidden,
    )
    assert error.code == "forbidden"
    plan.edit_action(meeting, proposal.id, 1, details("Weekly visits"), "Dan", proposer=dan)
    plan.accept_action(meeting, proposal.id, 2, "Kerry")
    refused(lambda: plan.remove_action(meeting, proposal.id, 3, proposer=dan), plan.Forbidden)
    assert [(a.what, a.status, a.revision) for a in plan.actions_of(meeting)] == [
        ("Weekly visits", ActionStatus.AGREED, 3)
    ]


def test_accepting_what_is_already_agreed_changes_nothing(meeting):
    dan = person(meeting, "Dan", side="professional")
    proposal, _ = plan.add_action(meeting, "action-00000001", details("Visits"), "Dan", proposer=dan)
    plan.accept_action(meeting, proposal.id, 1, "Kerry")
    version = meeting.version

    again = plan.accept_action(meeting, proposal.id, 1, "Nan")  # Nan tapped at the same moment

    assert (again.status, again.revision, again.edited_by, meeting.version) == (
        ActionStatus.AGREED,
        2,
        "Kerry",
        version,
    )
    refused(lambda: plan.accept_action(meeting, proposal.id, "2", "Nan"))


def test_a_conflict_names_who_changed_the_item_and_carries_it(meeting):
    outcome, _ = plan.add_outcome(meeting, "outcome-0000001", "Kids safe", "Kerry")
    plan.edit_outcome(meeting, outcome.id, 1, "Kids safe at home", "Nan")

    conflict = refused(
        lambda: plan.edit_outcome(meeting, outcome.id, 1, "Kids safe at school", "Kerry"), plan.Conflict
    )

    assert "Nan" in conflict.message
    assert (conflict.current.id, conflict.current.text, conflict.current.revision) == (
        outcome.id,
        "Kids safe at home",
        2,
    )


def test_removing_an_outcome_leaves_its_actions_unplaced(meeting):
    outcome, _ = plan.add_outcome(meeting, "outcome-0000001", "Kids safe", "Kerry")
    other, _ = plan.add_outcome(meeting, "outcome-0000002", "Kids happy", "Kerry")
    under, _ = plan.add_action(meeting, "action-00000001", details(outcome_id=outcome.id), "Kerry")
    elsewhere, _ = plan.add_action(meeting, "action-00000002", details(outcome_id=other.id), "Kerry")
    version = meeting.version

    assert plan.remove_outcome(meeting, outcome.id, 1) == outcome.id

    assert meeting.version == version + 1
    assert [o.id for o in plan.outcomes_of(meeting)] == [other.id]
    assert [(a.id, a.outcome_id) for a in plan.actions_of(meeting)] == [
        (under.id, None),
        (elsewhere.id, other.id),
    ]


def test_an_offer_is_one_offered_action_of_whoever_offered_in_the_same_change(meeting):
    nan = person(meeting, "Nan")
    version, plan_revision = meeting.version, meeting.plan_revision

    offer, is_new = contributions.add(meeting, nan, "offer-000000001", "I can do the school run")

    assert is_new
    (action,) = plan.actions_of(meeting)
    assert (action.who_participant_id, action.what, action.offer_id, action.status, action.proposed_by_id) == (
        nan.id,
        "I can do the school run",
        offer.id,
        ActionStatus.OFFERED,
        nan.id,
    )
    assert meeting.version == version + 1  # one change: the offer and its action
    assert meeting.plan_revision == plan_revision + 1
    kinds = db.session.scalars(
        select(MeetingEvent.kind).where(MeetingEvent.meeting_id == meeting.id, MeetingEvent.version == meeting.version)
    ).all()
    assert kinds == ["contribution_added", "action_saved"]
    assert contributions.add(meeting, nan, "offer-000000001", "I can do the school run") == (offer, False)
    assert [a.id for a in plan.actions_of(meeting)] == [action.id]
    assert meeting.version == version + 1


def test_two_resends_of_an_offer_racing_make_one_action(meeting, monkeypatch):
    nan = person(meeting, "Nan")
    first, _ = contributions.add(meeting, nan, "offer-000000001", "I can cook")
    version = meeting.version
    looked_up = []
    stored_answer = contributions._stored

    def not_yet_seen(meeting, client_id):
        looked_up.append(client_id)
        return None if len(looked_up) == 1 else stored_answer(meeting, client_id)

    monkeypatch.setattr(contributions, "_stored", not_yet_seen)

    assert contributions.add(meeting, nan, "offer-000000001", "I can cook") == (first, False)
    assert len(looked_up) == 2
    assert [a.offer_id for a in plan.actions_of(meeting)] == [first.id]
    assert db.session.get(Meeting, meeting.id).version == version


def test_only_offers_become_actions_and_a_full_plan_takes_no_offer(app, make_meeting, meeting, monkeypatch):
    nan = person(meeting, "Nan")
    other = db.session.get(Meeting, make_meeting("FGC for the U. family").id)
    running.start(other)
    running.go_to(other, 3)
    uma = person(other, "Uma")
    contributions.add(other, uma, "offer-000000001", "Umbrella offer")
    running.go_to(meeting, 1)
    contributions.add(meeting, nan, "answer-00000001", "Tired")
    assert plan.actions_of(meeting) == []
    assert [a.what for a in plan.actions_of(other)] == ["Umbrella offer"]

    running.go_to(meeting, 3)
    monkeypatch.setattr(plan, "MAX_ITEMS", 1)
    plan.add_action(meeting, "action-00000001", details(), "Kerry")
    version = meeting.version
    full = refused(lambda: contributions.add(meeting, nan, "offer-000000002", "I can cook"))
    assert full.field == "plan"
    assert db.session.get(Meeting, meeting.id).version == version
    assert [c.kind.value for c in contributions.of_meeting(meeting)] == ["answer"]


def test_an_offer_stays_its_offerers_until_the_family_changes_or_accepts_it(meeting):
    nan, kerry = person(meeting, "Nan"), person(meeting, "Kerry")
    dan, priya = person(meeting, "Dan", side="professional"), person(meeting, "Priya", side="professional")
    contributions.add(meeting, nan, "offer-000000001", "I can cook")
    contributions.add(meeting, dan, "offer-000000002", "A parenting course")
    contributions.add(meeting, priya, "offer-000000003", "A nursery place")
    nans, dans, priyas = plan.actions_of(meeting)

    # The offerer changes their own words: still offered, still theirs.
    plan.edit_action(meeting, nans.id, 1, details("I can cook on Sundays", who_participant_id=nan.id), "Nan", person=nan)
    plan.edit_action(
        meeting, dans.id, 1, details("A course in March", who_participant_id=dan.id), "Dan", proposer=dan, person=dan
    )
    assert (nans.status, dans.status) == (ActionStatus.OFFERED, ActionStatus.OFFERED)
    given_away = refused(
        lambda: plan.edit_action(meeting, dans.id, 2, details("A course", who_text="Kerry"), "Dan", proposer=dan, person=dan),
        plan.Forbidden,
    )
    assert "yours" in given_away.message
    refused(
        lambda: plan.edit_action(meeting, priyas.id, 1, details("Hijacked", who_participant_id=priya.id), "Dan", proposer=dan),
        plan.Forbidden,
    )

    # Someone else of the family changes one: accepted as changed. A chair accepts another.
    plan.edit_action(meeting, nans.id, 2, details("Nan cooks on Sundays", who_participant_id=nan.id), "Kerry", person=kerry)
    plan.accept_action(meeting, dans.id, 2, "Sam (chair)")
    assert (nans.status, dans.status, priyas.status) == (ActionStatus.AGREED, ActionStatus.AGREED, ActionStatus.OFFERED)
    assert (nans.what, nans.edited_by, dans.edited_by) == ("Nan cooks on Sundays", "Kerry", "Sam (chair)")
    # Accepted, it is the family's: its offerer no longer changes it.
    refused(
        lambda: plan.edit_action(meeting, dans.id, 3, details("Changed", who_participant_id=dan.id), "Dan", proposer=dan),
        plan.Forbidden,
    )


def test_when_an_offerer_is_taken_off_the_list_their_offers_still_waiting_go(meeting):
    dan = person(meeting, "Dan", side="professional")
    kerry = person(meeting, "Kerry")
    contributions.add(meeting, dan, "offer-000000001", "A parenting course")
    contributions.add(meeting, dan, "offer-000000002", "Weekly visits")
    contributions.add(meeting, kerry, "offer-000000003", "I can cook")
    course, visits, cooking = plan.actions_of(meeting)
    plan.accept_action(meeting, visits.id, 1, "Kerry")

    people.remove_person(meeting, dan.id)

    assert [(a.id, a.what, a.status) for a in plan.actions_of(meeting)] == [
        (visits.id, "Weekly visits", ActionStatus.AGREED),
        (cooking.id, "I can cook", ActionStatus.OFFERED),
    ]
    removed = db.session.scalars(
        select(MeetingEvent.payload).where(
            MeetingEvent.meeting_id == meeting.id, MeetingEvent.kind == "action_removed"
        )
    ).all()
    assert removed == [{"id": course.id}]


def test_two_resends_racing_store_one_outcome(meeting, monkeypatch):
    """The second of two identical sends arriving at once hits the unique key, and is
    answered with the stored outcome instead of an error."""
    first, _ = plan.add_outcome(meeting, "outcome-0000001", "Kids safe", "Kerry")
    looked_up = []

    def not_yet_seen(meeting, model, client_id):
        looked_up.append(client_id)
        if len(looked_up) == 1:
            return None  # as if the other send had not committed yet when this one looked
        return db.session.scalar(
            select(model).where(model.meeting_id == meeting.id, model.client_id == client_id)
        )

    monkeypatch.setattr(plan, "_by_client_id", not_yet_seen)
    version = meeting.version

    stored, is_new = plan.add_outcome(meeting, "outcome-0000001", "Kids safe", "Kerry")

    assert (stored.id, is_new) == (first.id, False)
    assert len(looked_up) == 2  # it did try to store it, and then found the other one's
    assert db.session.scalars(select(Outcome.id)).all() == [first.id]
    assert db.session.get(Meeting, meeting.id).version == version
