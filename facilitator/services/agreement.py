"""Agreeing the plan: the referrer agrees it, or says why it cannot be agreed yet.

The family then changes the plan and the referrer is asked again: a response
is to the plan as it stood (`Meeting.plan_revision`), so an agreement given
before a change no longer counts as agreeing the plan now.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import Admission, AgreementResponse, Meeting, MeetingStatus, Participant
from facilitator.models.types import is_row_id
from facilitator.services import changes, plan
from facilitator.services.errors import ValidationError

MAX_REASONS = 1000


@dataclass(frozen=True)
class Agreement:
    """Where the agreement stands: every response in order, and the one that agrees the plan
    as it is now, if any."""

    responses: list[AgreementResponse]
    agreed: AgreementResponse | None
    plan_revision: int

    @property
    def latest(self) -> AgreementResponse | None:
        return self.responses[-1] if self.responses else None


def responses_of(meeting: Meeting) -> list[AgreementResponse]:
    return list(
        db.session.scalars(
            select(AgreementResponse)
            .where(AgreementResponse.meeting_id == meeting.id)
            .order_by(AgreementResponse.id)
        )
    )


def state_of(meeting: Meeting) -> Agreement:
    responses = responses_of(meeting)
    latest = responses[-1] if responses else None
    current = latest is not None and latest.agreed and latest.plan_revision == meeting.plan_revision
    return Agreement(responses, latest if current else None, meeting.plan_revision)


def referrer(meeting: Meeting, person_id: object) -> Participant:
    """The referrer the chair records a response for."""
    person = db.session.get(Participant, person_id) if is_row_id(person_id) else None
    if person is None or person.meeting_id != meeting.id or not person.is_referrer:
        raise ValidationError(
            "participant_id", _("Choose the referrer. Mark them as referrer on the people page.")
        )
    return person


def respond(
    meeting: Meeting, person: Participant, agreed: object, reasons: object, *, recorded_by: str = ""
) -> AgreementResponse:
    """Record the referrer's answer. Reasons are needed when the plan cannot be agreed: the
    family sees them, and changes the plan."""
    if meeting.status is not MeetingStatus.LIVE:
        raise ValidationError("meeting", _("The plan is agreed while the meeting is on."))
    if not person.is_referrer or person.meeting_id != meeting.id:
        raise ValidationError("participant_id", _("The referrer agrees the plan."))
    if person.admission not in (Admission.ADMITTED, Admission.EXPECTED) or (
        person.admission is Admission.EXPECTED and not recorded_by
    ):
        raise ValidationError("participant_id", _("The referrer agrees the plan."))
    if type(agreed) is not bool:
        raise ValidationError("agreed", _("Say whether you agree the plan."))
    if reasons is None:
        reasons = ""
    if not isinstance(reasons, str):
        raise ValidationError("reasons", _("This needs to be text."))
    reasons = reasons.strip()
    if not agreed and not reasons:
        raise ValidationError(
            "reasons", _("Say why the plan cannot be agreed yet, so the family can change it.")
        )
    if len(reasons) > MAX_REASONS:
        raise ValidationError("reasons", _("Use at most %(count)d characters.", count=MAX_REASONS))
    if not plan.outcomes_of(meeting) and not plan.actions_of(meeting):
        raise ValidationError("plan", _("There is nothing in the plan to agree yet."))
    response = AgreementResponse(
        meeting_id=meeting.id,
        participant_id=person.id,
        name=person.name,
        agreed=agreed,
        reasons=reasons,
        plan_revision=meeting.plan_revision,
        recorded_by=recorded_by,
    )
    db.session.add(response)
    changes.record(meeting, "agreement_changed")
    db.session.commit()
    return response
