"""Reviews: a review conference or core group starts from the plan of the meeting before.

The new meeting copies the people list, the outcomes, the agreed actions
(each remembering the action it continues, so the review can say how it
went), the notes, the contingency and monitor, and the core group (its people,
as listed again, and how often it meets). The terms are carried, not agreed:
the review agrees its own, and its next review date is its format's default
until it does. Each meeting points to the one it reviews, so a family's
meetings read as one history.
"""

from __future__ import annotations

from datetime import datetime, time, tzinfo

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitator.extensions import db
from facilitator.models import (
    ActionStatus,
    CoreGroupMember,
    Admission,
    Meeting,
    MeetingMember,
    MeetingStatus,
    Outcome,
    Participant,
    PlanAction,
    PlanNote,
    PlanTerms,
)
from facilitator.services import meetings, people, plan
from facilitator.services.errors import ValidationError

REVIEW_FORMAT = "review_conference"


def review_of(meeting: Meeting) -> Meeting | None:
    """The review set up for this meeting, if there is one."""
    return db.session.scalar(select(Meeting).where(Meeting.review_of_id == meeting.id).order_by(Meeting.id))


def create_review(meeting: Meeting, zone: tzinfo) -> tuple[Meeting, bool]:
    """A review conference or core group for a closed meeting, on its review date, run by the
    same chairs; the one already set up, if there is one (a meeting is reviewed once, and that
    review reviewed next). All or nothing: two chairs asking at once make one review."""
    if meeting.status is not MeetingStatus.CLOSED:
        raise ValidationError("meeting", _("Close the meeting before setting up its review."))
    existing = review_of(meeting)
    if existing is not None:
        return existing, False
    terms = plan.terms_of(meeting)
    when = None
    if terms.review_on is not None:
        when = datetime.combine(terms.review_on, time(10, 0), tzinfo=zone)
    review = meetings.create_meeting(
        meeting.owner,
        meetings.Details(
            title=_("Review: %(title)s", title=meeting.title)[:120],
            purpose=_("To look at how the plan is going, and decide what happens next."),
            venue=meeting.venue,
            scheduled_at=when,
            language=meeting.language,
            second_language=meeting.second_language,
        ),
        REVIEW_FORMAT,
        commit=False,
    )
    review.review_of_id = meeting.id
    for member in meeting.members:
        db.session.add(MeetingMember(meeting=review, chair_id=member.chair_id, role=member.role))
    carried = _carry_people(meeting, review)
    _carry_plan(meeting, review, carried)
    _carry_terms(meeting, review, carried)
    try:
        db.session.commit()
    except IntegrityError:  # another chair set it up at the same moment
        db.session.rollback()
        return review_of(meeting), False
    return review, True


def _carry_people(meeting: Meeting, review: Meeting) -> dict[int, Participant]:
    """Everyone who took part, listed again for the review (no phones, no links)."""
    carried: dict[int, Participant] = {}
    for person in meeting.participants:
        if person.admission in (Admission.LOBBY, Admission.DECLINED):
            continue  # never part of the meeting
        copy = people.listed_again(person)
        copy.meeting = review
        db.session.add(copy)
        carried[person.id] = copy
    db.session.flush()
    return carried


def _carry_plan(meeting: Meeting, review: Meeting, carried: dict[int, Participant]) -> None:
    outcomes: dict[int, Outcome] = {}
    for outcome in plan.outcomes_of(meeting):
        copy = Outcome(meeting_id=review.id, client_id=f"review-{outcome.id}", text=outcome.text)
        db.session.add(copy)
        outcomes[outcome.id] = copy
    db.session.flush()
    for action in plan.actions_of(meeting):
        if action.status is not ActionStatus.AGREED:
            continue  # a proposal nobody accepted was never part of the plan
        who = carried.get(action.who_participant_id) if action.who_participant_id else None
        db.session.add(
            PlanAction(
                meeting_id=review.id,
                client_id=f"review-{action.id}",
                outcome_id=outcomes[action.outcome_id].id if action.outcome_id in outcomes else None,
                who_participant_id=who.id if who else None,
                who_text="" if who else action.who_name,
                what=action.what,
                by_when=action.by_when,
                how_we_know=action.how_we_know,
                carried_from_id=action.id,
            )
        )
    for note in plan.notes_of(meeting):
        db.session.add(
            PlanNote(
                meeting_id=review.id,
                client_id=f"review-{note.id}",
                text=note.text,
                family_only=note.family_only,
            )
        )


def _carry_terms(meeting: Meeting, review: Meeting, carried: dict[int, Participant]) -> None:
    """The contingency, the monitor and the core group, as the review starts from them
    (`revision` 0: not yet agreed in the review). The dates are the review's own to agree."""
    terms = plan.terms_of(meeting)
    weeks = terms.core_group_every_weeks or plan.CORE_GROUP_EVERY_WEEKS
    db.session.add(
        PlanTerms(
            meeting_id=review.id,
            contingency=terms.contingency,
            monitor=terms.monitor,
            review_on=None,
            core_group_every_weeks=weeks if plan.has_core_group(review) else None,
            core_group=[
                CoreGroupMember(participant=carried[member.participant_id])
                for member in terms.core_group
                if member.participant_id in carried and plan.has_core_group(review)
            ],
            revision=0,
        )
    )


def history_of_family(meeting: Meeting) -> list[Meeting]:
    """The chain this meeting belongs to, oldest first: the meetings it follows, itself, and
    the reviews that follow it."""
    chain = [meeting]
    seen = {meeting.id}
    while chain[0].review_of is not None and chain[0].review_of.id not in seen:
        seen.add(chain[0].review_of.id)
        chain.insert(0, chain[0].review_of)
    while True:
        following = review_of(chain[-1])
        if following is None or following.id in seen:
            return chain
        seen.add(following.id)
        chain.append(following)
