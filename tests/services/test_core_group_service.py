"""The core group at the service level: chosen with the plan's terms from the people of the
meeting, with when it first meets and how many weeks apart; carried into the review, which can
change it; every refusal changes nothing. And a review's own dates: its next review, and the day
a step-down or an end takes effect."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import CoreGroupMember, Meeting, MeetingEvent, PlanTerms, ReviewDecision
from facilitator.models.types import utcnow
from facilitator.services import closing, dates, joining, people, plan, reviews, running
from facilitator.services.errors import ValidationError

ZONE = ZoneInfo("Europe/London")


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


def joined(meeting, name, side="family", relation="", *, admit=True):
    person = joining.join(meeting, name, relation, side, joining.new_device_token(), "192.0.2.10")
    if admit:
        joining.admit(meeting, person.id)
    return person


def refused(call, error=ValidationError):
    with pytest.raises(error) as raised:
        call()
    db.session.rollback()
    return raised.value


def stored(meeting):
    """The terms and the core group as the database holds them, and the meeting's version."""
    db.session.expire_all()
    terms = db.session.scalar(select(PlanTerms).where(PlanTerms.meeting_id == meeting.id))
    version = db.session.get(Meeting, meeting.id).version
    if terms is None:
        return None, version
    members = db.session.scalars(
        select(CoreGroupMember.participant_id).where(CoreGroupMember.terms_id == terms.id).order_by(CoreGroupMember.id)
    ).all()
    return (
        terms.revision,
        terms.core_group_meets_on,
        terms.core_group_every_weeks,
        terms.review_on,
        terms.decision,
        terms.decision_on,
        list(members),
    ), version


@pytest.fixture
def conference(make_meeting, request_context):
    """A restorative child protection conference under way: Kerry (Mum) and Dan (the social
    worker) let in, Lee waiting in the lobby, the GP listed but not here."""
    made = make_meeting("Conference for the D. family", format_key="restorative_cp_conference")
    meeting = db.session.get(Meeting, made.id)
    meeting.kerry = joined(meeting, "Kerry", relation="Mum")
    meeting.dan = joined(meeting, "Dan", "professional", "Social worker")
    meeting.lee = joined(meeting, "Lee", admit=False)
    meeting.gp = people.add_person(meeting, people.PersonDetails("Dr Shah", "GP", "professional"))
    running.start(meeting)
    return meeting


def in_a_week():
    return utcnow().date() + timedelta(days=7)


def test_a_conference_has_a_core_group_meeting_every_six_weeks_until_it_agrees_otherwise(
    conference, make_meeting
):
    terms = plan.terms_of(conference)
    assert (terms.core_group, terms.core_group_meets_on, terms.core_group_every_weeks) == ([], None, 6)
    assert plan.has_core_group(conference)

    fgc = db.session.get(Meeting, make_meeting("FGC for the D. family").id)
    assert not plan.has_core_group(fgc)
    assert plan.terms_of(fgc).core_group_every_weeks is None


def test_the_core_group_is_chosen_with_the_terms(conference):
    plan_revision = conference.plan_revision
    terms = plan.save_terms(
        conference,
        0,
        {
            "core_group": [conference.dan.id, conference.kerry.id, conference.kerry.id],
            "core_group_meets_on": in_a_week().isoformat(),
            "core_group_every_weeks": 4,
        },
        "Sam Patel",
    )

    assert [m.participant.name for m in terms.core_group] == ["Kerry", "Dan"]  # as listed, once each
    assert stored(conference)[0] == (
        1,
        in_a_week(),
        4,
        plan.default_review_date(conference),  # the review date it showed is now agreed
        None,
        None,
        [conference.kerry.id, conference.dan.id],
    )
    assert db.session.get(Meeting, conference.id).plan_revision == plan_revision + 1  # the referrer is asked again
    version = db.session.get(Meeting, conference.id).version
    assert db.session.scalars(
        select(MeetingEvent.kind).where(MeetingEvent.meeting_id == conference.id, MeetingEvent.version == version)
    ).all() == ["terms_saved"]


def test_a_core_group_changes_only_who_leaves_or_joins(conference):
    plan.save_terms(conference, 0, {"core_group": [conference.kerry.id, conference.dan.id]}, "Sam Patel")
    kerry_row = db.session.scalar(
        select(CoreGroupMember.id).where(CoreGroupMember.participant_id == conference.kerry.id)
    )

    plan.save_terms(conference, 1, {"core_group": [conference.kerry.id], "monitor": "Aunt Jo"}, "Kerry")

    (revision, _on, weeks, *_rest, members), _version = stored(conference)
    assert (revision, weeks, members) == (2, 6, [conference.kerry.id])
    assert db.session.scalar(select(CoreGroupMember.id)) == kerry_row  # the same row, kept
    plan.save_terms(conference, 2, {"contingency": "Nan steps in"}, "Kerry")  # left out: kept
    assert stored(conference)[0][-1] == [conference.kerry.id]
    plan.save_terms(conference, 3, {"core_group": []}, "Kerry")
    assert stored(conference)[0][-1] == []


@pytest.fixture
def elsewhere(make_meeting, request_context):
    """Someone let in to another conference: their id is not this meeting's to name."""
    other = db.session.get(Meeting, make_meeting("Conference for the E. family", format_key="restorative_cp_conference").id)
    return joined(other, "Eve")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("core_group", "elsewhere"),
        ("core_group", "lobby"),
        ("core_group", "listed"),  # the GP, listed but never let in
        ("core_group", [999999]),
        ("core_group", ["1"]),
        ("core_group", [True]),
        ("core_group", [2**70]),
        ("core_group", "Kerry"),
        ("core_group", {"id": 1}),
        ("core_group", None),
        ("core_group_meets_on", "12/01/2027"),
        ("core_group_meets_on", "2027-13-01"),
        ("core_group_meets_on", 20270101),
        ("core_group_meets_on", "next Tuesday"),
        ("core_group_meets_on", "2027W011"),  # ISO 8601, but not a day as YYYY-MM-DD
        ("core_group_meets_on", " 2027-01-11"),
        ("core_group_meets_on", "past"),
        ("core_group_meets_on", "far"),
        ("core_group_every_weeks", 0),
        ("core_group_every_weeks", 53),
        ("core_group_every_weeks", -6),
        ("core_group_every_weeks", "6"),
        ("core_group_every_weeks", 6.0),
        ("core_group_every_weeks", True),
    ],
)
def test_a_core_group_that_does_not_fit_is_refused_and_changes_nothing(conference, elsewhere, field, value):
    plan.save_terms(
        conference, 0, {"core_group": [conference.kerry.id], "core_group_meets_on": in_a_week().isoformat()}, "Kerry"
    )
    before = stored(conference)
    value = {
        "elsewhere": [conference.kerry.id, elsewhere.id],
        "lobby": [conference.lee.id],
        "listed": [conference.gp.id],
        "past": (utcnow().date() - timedelta(days=3)).isoformat(),
        "far": (utcnow().date() + timedelta(days=400)).isoformat(),
    }.get(value, value) if isinstance(value, str) else value

    error = refused(lambda: plan.save_terms(conference, 1, {"contingency": "Changed", field: value}, "Dan"))

    assert error.field == field
    assert error.message
    assert stored(conference) == before


def test_a_format_without_a_core_group_refuses_one(make_meeting, request_context):
    meeting = db.session.get(Meeting, make_meeting("FGC for the D. family").id)
    kerry = joined(meeting, "Kerry")
    running.start(meeting)

    for field, value in (
        ("core_group", [kerry.id]),
        ("core_group_meets_on", in_a_week().isoformat()),
        ("core_group_every_weeks", 6),
    ):
        error = refused(lambda field=field, value=value: plan.save_terms(meeting, 0, {field: value}, "Kerry"))
        assert error.field == field
    assert stored(meeting) == (None, db.session.get(Meeting, meeting.id).version)
    # Nothing asked of a core group is nothing to refuse (a client that sends every field).
    plan.save_terms(meeting, 0, {"core_group": [], "core_group_every_weeks": None, "monitor": "Nan"}, "Kerry")
    assert stored(meeting)[0][-1] == []


def test_a_stale_core_group_is_refused_with_the_terms_as_they_are(conference):
    plan.save_terms(conference, 0, {"core_group": [conference.kerry.id]}, "Kerry")
    before = stored(conference)

    error = refused(lambda: plan.save_terms(conference, 0, {"core_group": [conference.dan.id]}, "Dan"), plan.Conflict)

    assert [m.participant_id for m in error.current.core_group] == [conference.kerry.id]
    assert stored(conference) == before


@pytest.fixture
def review(conference, request_context):
    """The conference names Kerry and Dan as its core group, meeting every four weeks; it
    closes and its review is set up."""
    plan.save_terms(
        conference,
        0,
        {
            "core_group": [conference.kerry.id, conference.dan.id],
            "core_group_meets_on": in_a_week().isoformat(),
            "core_group_every_weeks": 4,
        },
        "Kerry",
    )
    closing.close(conference, "Sam Patel")
    made, _ = reviews.create_review(conference, ZONE)
    return made


def test_the_review_inherits_the_core_group_as_its_people_are_listed_again(conference, review):
    terms = plan.terms_of(review)
    names = {p.id: p.name for p in review.participants}
    assert [names[m.participant_id] for m in terms.core_group] == ["Kerry", "Dan"]
    assert all(m.participant.meeting_id == review.id for m in terms.core_group)  # its own people
    assert (terms.core_group_every_weeks, terms.core_group_meets_on, terms.revision) == (4, None, 0)
    # Its own next review date: the format's default, six months after it meets.
    assert terms.review_on == plan._add_months(conference_review_day(review), 6)
    assert stored(review)[0][3] is None  # shown, not yet agreed


def conference_review_day(review):
    return dates.local_day(review.scheduled_at)


def test_the_review_changes_its_core_group_and_agrees_its_dates(review):
    running.start(review)
    listed = {p.name: p for p in review.participants}
    ravi = joined(review, "Ravi", "professional", "Health visitor")
    kerry_again = listed["Kerry"]  # carried, listed without a phone: still a member
    default = plan.terms_of(review).review_on

    plan.save_terms(review, 0, {"core_group": [kerry_again.id, ravi.id], "core_group_every_weeks": 6}, "Sam Patel")

    (revision, meets_on, weeks, review_on, *_rest, members), _version = stored(review)
    assert (revision, meets_on, weeks, review_on, members) == (1, None, 6, default, [kerry_again.id, ravi.id])
    # Dan, now out, cannot be put back while he has not joined the review.
    error = refused(lambda: plan.save_terms(review, 1, {"core_group": [listed["Dan"].id]}, "Sam Patel"))
    assert error.field == "core_group"

    closing.close(review, "Sam Patel")
    next_review, _ = reviews.create_review(review, ZONE)
    assert dates.local_day(next_review.scheduled_at) == default  # the review's date, carried on
    assert [m.participant.name for m in plan.terms_of(next_review).core_group] == ["Kerry", "Ravi"]


@pytest.mark.parametrize("decision", ["step_down", "end"])
def test_a_step_down_or_an_end_is_recorded_with_the_day_it_takes_effect(review, decision):
    running.start(review)
    on = utcnow().date() + timedelta(days=14)

    plan.save_terms(review, 0, {"decision": decision, "decision_on": on.isoformat()}, "Sam Patel")
    assert stored(review)[0][4:6] == (ReviewDecision(decision), on)

    plan.save_terms(review, 1, {"decision_why": "Safer now"}, "Sam Patel")  # left out: kept
    assert stored(review)[0][4:6] == (ReviewDecision(decision), on)

    plan.save_terms(review, 2, {"decision": "keep"}, "Sam Patel")  # no longer a step-down: no date
    assert stored(review)[0][4:6] == (ReviewDecision.KEEP, None)


@pytest.mark.parametrize(
    ("decision", "value"),
    [("end", "03/03/2027"), ("end", "tomorrow"), ("end", 5), ("end", "far"), ("keep", "soon"), ("revise", "soon")],
)
def test_a_decision_date_that_does_not_fit_is_refused_and_changes_nothing(review, decision, value):
    running.start(review)
    before = stored(review)
    value = {
        "far": (utcnow().date() + timedelta(days=400)).isoformat(),
        "soon": (utcnow().date() + timedelta(days=3)).isoformat(),
    }.get(value, value) if isinstance(value, str) else value

    error = refused(lambda: plan.save_terms(review, 0, {"decision": decision, "decision_on": value}, "Sam Patel"))

    assert error.field == "decision_on"
    assert stored(review) == before


def test_which_formats_have_a_core_group_is_format_data():
    from facilitator import formats

    assert {f.key for f in formats.all_formats() if f.core_group} == {
        "restorative_cp_conference",
        "review_conference",
    }
