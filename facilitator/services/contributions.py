"""What people say: each answer stored once, in the stage it was given in."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitator.extensions import db
from facilitator.models import Contribution, Meeting, MeetingStatus, Participant, StageKind
from facilitator.services.errors import ValidationError

MAX_TEXT = 1000
# Made by the phone (a UUID, or any random id of letters, digits and dashes).
CLIENT_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
# Stages where people answer; the others are the chair's or the plan's.
ANSWERED_IN = {
    StageKind.WELCOME,
    StageKind.CHECK_IN,
    StageKind.QUESTION_ROUND,
    StageKind.INFORMATION_SHARING,
    StageKind.OFFERS,
    StageKind.CHECK_OUT,
}


def add(meeting: Meeting, person: Participant, client_id: object, text: object) -> tuple[Contribution, bool]:
    """Store an answer to the current stage, once per client id.

    Returns the contribution and whether it is new: a resend of one already
    stored returns the stored one, unchanged.
    """
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise ValidationError("client_id", _("This answer has no valid id; reload the page and try again."))
    existing = db.session.scalar(
        select(Contribution).where(Contribution.meeting_id == meeting.id, Contribution.client_id == client_id)
    )
    if existing is not None:
        if existing.participant_id != person.id:
            raise ValidationError(
                "client_id", _("This answer has no valid id; reload the page and try again.")
            )
        return existing, False
    if not isinstance(text, str) or not text.strip():
        raise ValidationError("text", _("Write something first."))
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise ValidationError("text", _("Use at most %(count)d characters.", count=MAX_TEXT))
    stage = meeting.current_stage
    if meeting.status is not MeetingStatus.LIVE or stage is None or stage.kind not in ANSWERED_IN:
        raise ValidationError("text", _("This part of the meeting does not take answers."))
    contribution = Contribution(
        meeting_id=meeting.id, stage_id=stage.id, participant_id=person.id, client_id=client_id, text=text
    )
    db.session.add(contribution)
    meeting.version += 1
    try:
        db.session.commit()
    except IntegrityError:  # the same resend, arriving twice at once: the other one stored it
        db.session.rollback()
        stored = db.session.scalar(
            select(Contribution).where(Contribution.meeting_id == meeting.id, Contribution.client_id == client_id)
        )
        if stored is None or stored.participant_id != person.id:
            raise
        return stored, False
    return contribution, True


def of_meeting(meeting: Meeting) -> list[Contribution]:
    return list(
        db.session.scalars(
            select(Contribution).where(Contribution.meeting_id == meeting.id).order_by(Contribution.id)
        )
    )
