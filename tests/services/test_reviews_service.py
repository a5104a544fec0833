"""Reviews at the service level: what a review carries over from the meeting before, the
chain of a family's meetings, the default review date, and the decision a review makes."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from facilitator.extensions import db
from facilitator.models import (
    ActionStatus,
    Admission,
    Chair,
    Meeting,
    MeetingStatus,
    PlanTerms,
    ReviewDecision,
    Side,
)
from facilitator.models.types import utcnow
from facilitator.services import closing, dates, joining, people, plan, reviews, running
from facilitator.services.errors import ValidationError

# Not the council's zone, and hours from UTC: a review at 10:00 here is not 10:00 UTC.
ZONE = ZoneInfo("America/New_York")


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


@pytest.fixture
def owner(chair, request_context):
    return db.session.get(Chair, chair.id)


@pytest.fixture
def review_on(request_context):
    """The review date the family chose: about three months from today."""
    return utcnow().date() + timedelta(days=91)


def joined(meeting, name, side="family", relation="", *, admit=True, flags=None):
    """Someone who joined from a phone (a device token) and, unless told otherwise, was let in."""
    person = joining.join(meeting, name, relation, side, joining.new_device_token(), "192.0.2.10")
    if admit:
        joining.correct(meeting, person.id, flags=list(flags or []))
        joining.admit(meeting, person.id)
    return person


def details(what, **more):
    return plan.ActionDetails(what=what, **more)


def refused(call, error=ValidationError):
    with pytest.raises(error) as raised:
        call()
    db.session.rollback()
    return raised.value


def meeting_count():
    return db.session.scalar(select(func.count()).select_from(Meeting))


def closed_meeting(meeting, by="Sam Patel"):
    running.start(meeting)
    closing.close(meeting, by)
    return meeting


@pytest.fixture
def held(make_meeting, request_context, review_on):
    """A closed FGC with everything a review might carry, and some things it must not:
    Nan listed with a personal link, Jay (a child) listed, Kerry and Dan (the referrer) let in from phones,
    Lee left in the lobby, Rob turned away; agreed and never-accepted actions, notes
    (one kept within the family), and terms with a review date."""
    made = make_meeting("FGC for the J. family", venue="Family Centre")
    meeting = db.session.get(Meeting, made.id)
    nan = people.add_person(meeting, people.PersonDetails("Nan", "Kerry's mum", "family"))
    people.issue_invite(meeting, nan.id)
    people.add_person(meeting, people.PersonDetails("Jay", "Kerry's son", "family", frozenset({"is_child"})))
    kerry = joined(meeting, "Kerry", relation="Mum")
    dan = joined(meeting, "Dan", "professional", "Social worker", flags=["is_referrer"])
    joined(meeting, "Lee", admit=False)
    rob = joined(meeting, "Rob", admit=False)
    joining.decline(meeting, rob.id)
    running.start(meeting)

    safe, _ = plan.add_outcome(meeting, "outcome-0000001", "The children are safe at home", "Kerry")
    school, _ = plan.add_outcome(meeting, "outcome-0000002", "J. goes to school every day", "Kerry")
    plan.add_action(
        meeting,
        "action-00000001",
        details(
            "Walk J. to school",
            who_participant_id=kerry.id,
            by_when="Every weekday",
            how_we_know="School attendance",
            outcome_id=school.id,
        ),
        "Kerry",
    )
    plan.add_action(
        meeting,
        "action-00000002",
        details("Has the children on Fridays", who_text="Nan", outcome_id=safe.id),
        "Kerry",
    )
    course, _ = plan.add_action(
        meeting, "action-00000003", details("Parenting course", who_text="Family Centre"), "Dan", proposer=dan
    )
    plan.accept_action(meeting, course.id, 1, "Kerry")
    plan.add_action(
        meeting, "action-00000004", details("Weekly home visits", who_text="Dan"), "Dan", proposer=dan
    )
    plan.add_note(meeting, "note-0000000001", "We will ask Uncle Pete too", False, "Kerry")
    plan.add_note(meeting, "note-0000000002", "Mum's worries stay with us", True, "Kerry")
    plan.save_terms(
        meeting,
        0,
        {"contingency": "Nan steps in", "monitor": "Aunt Jo", "review_on": review_on.isoformat()},
        "Kerry",
    )
    closing.close(meeting, "Sam Patel")
    return meeting


def test_a_review_carries_the_agreed_plan_and_the_people_who_took_part(held, owner, review_on):
    """The review starts from what was agreed, by the people who were there, with no phone
    or personal link of theirs still working in the new meeting."""
    review, created = reviews.create_review(held, ZONE)

    assert created and review.review_of_id == held.id and review.review_of is held
    assert (review.format_key, review.status, review.venue) == (
        "review_conference",
        MeetingStatus.SCHEDULED,
        "Family Centre",
    )
    assert review.scheduled_at == datetime.combine(review_on, time(10, 0), tzinfo=ZONE)
    assert review.scheduled_at.astimezone(ZONE).time() == time(10, 0)

    carried = review.participants
    assert [(p.name, p.relation, p.side, p.admission, people.flags_of(p)) for p in carried] == [
        ("Nan", "Kerry's mum", Side.FAMILY, Admission.EXPECTED, frozenset()),
        ("Jay", "Kerry's son", Side.FAMILY, Admission.EXPECTED, {"is_child"}),
        ("Kerry", "Mum", Side.FAMILY, Admission.EXPECTED, frozenset()),
        ("Dan", "Social worker", Side.PROFESSIONAL, Admission.EXPECTED, {"is_referrer"}),
    ]
    had_links = {p.name for p in held.participants if p.device_token_hash or p.invite_token_hash}
    assert had_links == {"Nan", "Kerry", "Dan", "Lee", "Rob"}
    assert all(p.device_token_hash is None and p.invite_token_hash is None for p in carried)
    assert not {p.id for p in carried} & {p.id for p in held.participants}
    kerry_then = next(p for p in held.participants if p.name == "Kerry")
    kerry_now = next(p for p in carried if p.name == "Kerry")

    outcomes = plan.outcomes_of(review)
    assert [o.text for o in outcomes] == ["The children are safe at home", "J. goes to school every day"]
    old_actions = {a.what: a for a in plan.actions_of(held)}
    new_actions = plan.actions_of(review)
    assert [a.what for a in new_actions] == [
        "Walk J. to school",
        "Has the children on Fridays",
        "Parenting course",
    ]
    walk, fridays, course = new_actions
    assert (walk.who_participant_id, walk.who_text, walk.by_when, walk.how_we_know, walk.outcome_id) == (
        kerry_now.id,
        "",
        "Every weekday",
        "School attendance",
        outcomes[1].id,
    )
    assert old_actions["Walk J. to school"].who_participant_id == kerry_then.id
    assert (fridays.who_participant_id, fridays.who_name, fridays.outcome_id) == (None, "Nan", outcomes[0].id)
    assert (course.who_name, course.outcome_id, course.proposed_by_id) == ("Family Centre", None, None)
    for action in new_actions:
        assert action.carried_from_id == old_actions[action.what].id
        assert (action.status, action.progress, action.revision) == (ActionStatus.AGREED, None, 1)

    assert [(n.text, n.family_only) for n in plan.notes_of(review)] == [
        ("We will ask Uncle Pete too", False),
        ("Mum's worries stay with us", True),
    ]
    terms = plan.terms_of(review)
    # Carried, not yet agreed in the review: its own next review date is its format's default,
    # six months after it meets (on the last one's review date).
    assert (terms.contingency, terms.monitor, terms.review_on, terms.decision, terms.revision) == (
        "Nan steps in",
        "Aunt Jo",
        plan._add_months(review_on, 6),
        None,
        0,
    )
    assert plan.terms_of(held).review_on == review_on  # the meeting reviewed keeps its own


def test_only_a_closed_meeting_is_reviewed_and_only_once(held, owner, make_meeting):
    """A plan still being written has nothing to review; setting up the review twice (two
    clicks, two chairs) gives the same meeting, not a second one."""
    scheduled = db.session.get(Meeting, make_meeting("FGC for the K. family").id)
    live = db.session.get(Meeting, make_meeting("FGC for the L. family").id)
    running.start(live)
    before = meeting_count()
    for meeting in (scheduled, live):
        assert refused(lambda meeting=meeting: reviews.create_review(meeting, ZONE)).field == "meeting"
        assert reviews.review_of(meeting) is None
    assert meeting_count() == before

    first, created = reviews.create_review(held, ZONE)
    again, created_again = reviews.create_review(held, ZONE)

    assert (created, created_again, again.id) == (True, False, first.id)
    assert meeting_count() == before + 1
    assert reviews.review_of(held).id == first.id
    assert len(plan.actions_of(first)) == 3  # nothing carried a second time


def test_a_familys_meetings_read_as_one_chain_from_any_of_them(held, owner):
    """Each meeting points to the one it reviews; from the first, the review or the review's
    review, the family's history is the same three meetings, oldest first."""
    review, _ = reviews.create_review(held, ZONE)
    closed_meeting(review)
    second_review, _ = reviews.create_review(review, ZONE)

    chain = [held.id, review.id, second_review.id]
    for meeting in (held, review, second_review):
        assert [m.id for m in reviews.history_of_family(meeting)] == chain
    assert second_review.review_of_id == review.id
    assert second_review.title == "Review: Review: FGC for the J. family"
    assert [a.carried_from_id for a in plan.actions_of(second_review)] == [
        a.id for a in plan.actions_of(review)
    ]


def test_a_meeting_without_reviews_is_a_chain_of_one(make_meeting, request_context):
    meeting = db.session.get(Meeting, make_meeting("FGC for the M. family").id)
    assert reviews.history_of_family(meeting) == [meeting]
    assert reviews.review_of(meeting) is None


@pytest.mark.parametrize(
    ("started", "review"),
    [
        (date(2026, 2, 10), date(2026, 5, 10)),
        (date(2026, 1, 31), date(2026, 4, 30)),  # no 31 April: the last day of the month
        (date(2026, 11, 30), date(2027, 2, 28)),  # into the next year, and a short February
        (date(2027, 11, 30), date(2028, 2, 29)),  # a leap year's February
    ],
)
def test_a_child_protection_conference_is_reviewed_three_months_after_it_started(
    make_meeting, request_context, started, review
):
    """Practice sets the first review of a restorative child protection conference; the day
    of the month is kept where that month has it."""
    meeting = db.session.get(
        Meeting, make_meeting("Conference for the D. family", format_key="restorative_cp_conference").id
    )
    meeting.started_at = datetime.combine(started, time(9, 30), tzinfo=UTC)
    db.session.commit()

    assert plan.default_review_date(meeting) == review
    assert plan.terms_of(meeting).review_on == review


def test_at_a_family_group_conference_the_family_chooses_the_review_date(make_meeting, request_context):
    meeting = db.session.get(Meeting, make_meeting("FGC for the D. family").id)
    meeting.started_at = datetime(2026, 2, 10, 9, 30, tzinfo=UTC)
    db.session.commit()

    assert plan.default_review_date(meeting) is None
    assert plan.terms_of(meeting).review_on is None


@pytest.fixture
def review_meeting(held, owner):
    """The review of the held meeting, under way."""
    review, _ = reviews.create_review(held, ZONE)
    running.start(review)
    return review


def stored_terms(meeting):
    db.session.expire_all()
    terms = db.session.scalar(select(PlanTerms).where(PlanTerms.meeting_id == meeting.id))
    return None if terms is None else (terms.contingency, terms.decision, terms.decision_why, terms.revision)


def test_a_decision_on_the_plan_is_made_only_at_a_review(make_meeting, request_context):
    """At a first meeting there is no plan yet to keep, change, step down or end."""
    meeting = db.session.get(Meeting, make_meeting("FGC for the P. family").id)
    running.start(meeting)
    version = meeting.version

    for decision in ("keep", "end"):
        error = refused(
            lambda decision=decision: plan.save_terms(
                meeting, 0, {"contingency": "Nan steps in", "decision": decision}, "Kerry"
            )
        )
        assert error.field == "decision"

    assert stored_terms(meeting) is None  # the contingency with it: nothing was saved
    assert db.session.get(Meeting, meeting.id).version == version


def test_a_review_records_its_decision_and_why(review_meeting):
    """The carried terms are not yet agreed in the review (revision 0); a step-down takes effect
    on the day it is decided unless another day is given."""
    terms = plan.save_terms(
        review_meeting, 0, {"decision": "step_down", "decision_why": "The children are safer now"}, "Kerry"
    )

    assert (terms.decision, terms.decision_why, terms.edited_by, terms.decision_on) == (
        ReviewDecision.STEP_DOWN,
        "The children are safer now",
        "Kerry",
        dates.local_day(utcnow()),
    )
    assert stored_terms(review_meeting) == (
        "Nan steps in",
        ReviewDecision.STEP_DOWN,
        "The children are safer now",
        1,
    )


@pytest.mark.parametrize("decision", ["maybe", "KEEP", "step down", 1, True, ["keep"], {"value": "keep"}])
def test_a_review_refuses_a_decision_it_does_not_know_and_changes_nothing(review_meeting, decision):
    plan.save_terms(review_meeting, 0, {"decision": "keep", "decision_why": "It is working"}, "Kerry")
    before, version = stored_terms(review_meeting), review_meeting.version

    error = refused(
        lambda: plan.save_terms(
            review_meeting, 1, {"contingency": "Grandad steps in", "decision": decision}, "Dan"
        )
    )

    assert error.field == "decision"
    assert stored_terms(review_meeting) == before == ("Nan steps in", ReviewDecision.KEEP, "It is working", 1)
    assert db.session.get(Meeting, review_meeting.id).version == version


def test_the_review_is_run_by_the_same_chairs_whoever_sets_it_up(held, owner, other_chair):
    """A co-chair who sets the review up does not take it over: the owner keeps it, and the
    co-chairs and minute-takers of the meeting before keep their part."""
    from facilitator.services import meetings

    colleague = db.session.get(Chair, other_chair.id)
    meetings.share_meeting(held, colleague.email, "co_chair")

    review, _ = reviews.create_review(held, ZONE)

    assert review.owner_id == owner.id
    assert [(m.chair_id, m.role.value) for m in review.members] == [(colleague.id, "co_chair")]


def test_a_second_review_of_the_same_meeting_is_refused_by_the_database(held):
    """The check before creating is not the only guard: two chairs at the same moment would both
    pass it, and the unique link to the meeting before keeps the second from being stored."""
    from sqlalchemy.exc import IntegrityError

    first, _ = reviews.create_review(held, ZONE)
    second = Meeting(owner_id=held.owner_id, title="Another", join_code="XXXXXXX", review_of_id=held.id)
    db.session.add(second)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert reviews.review_of(held).id == first.id
