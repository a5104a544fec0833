"""What people say: each answer stored once, in the stage it was given in."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from facilitator.extensions import db
from facilitator.formats import behaviour
from facilitator.models import (
    Admission,
    Chair,
    Contribution,
    ContributionKind,
    Meeting,
    Participant,
    Stage,
    StageKind,
)
from facilitator.models.types import utcnow
from facilitator.services import changes, plan, rounds
from facilitator.services.errors import ValidationError

MAX_TEXT = 1000
# Made by the phone (a UUID, or any random id of letters, digits and dashes).
CLIENT_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
# Stages where people answer; the others are the chair's or the plan's.
ANSWERED_IN = behaviour.kinds(answers=True)
FELT_IN = behaviour.kinds(feelings=True)
# Asked for every answer: built once, so SQLAlchemy keeps their cache keys.
_INSERT = insert(Contribution.__table__)
_STORED = select(Contribution).where(
    Contribution.meeting_id == bindparam("meeting"), Contribution.client_id == bindparam("client_id")
)


def takes_answers(stage: Stage) -> bool:
    """A scaling stage takes answers ("why that number?") once its scores are revealed."""
    return stage.kind in ANSWERED_IN or (stage.kind is StageKind.SCALING and stage.revealed_at is not None)


def valid_client_id(client_id: object) -> str:
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise ValidationError("client_id", _("This has no valid id; reload the page and try again."))
    return client_id


# How to ask again, where a stage collects several kinds and the answer named none of them.
CHOOSE = {
    StageKind.INFORMATION_SHARING: _l("Choose: a worry, what is working well, or a bottom line."),
    StageKind.WORRIES: _l("Choose: a worry, or a danger statement."),
    StageKind.NEEDS_TO_HAPPEN: _l("Choose: what needs to happen, or a safety goal."),
}
# Why a kind was refused to the person it would be from.
NOT_YOURS = {
    ContributionKind.BOTTOM_LINE: _l("Bottom lines come from the professionals."),
    ContributionKind.DANGER_STATEMENT: _l("Danger statements come from the professionals."),
    ContributionKind.SAFETY_GOAL: _l("Safety goals come from the professionals."),
}


def _kind(stage: Stage, person: Participant, kind: object) -> ContributionKind:
    """What the contribution is follows the stage (`behaviour.collects`): where it collects one
    kind, that one, and no other may be named; where several, the answer names one of them. The
    person it is from must be of a side that may give it (`behaviour.GIVEN_BY`)."""
    collects = behaviour.of(stage.kind).collects
    if len(collects) > 1:
        if not isinstance(kind, str) or kind not in {k.value for k in collects}:
            raise ValidationError("kind", str(CHOOSE.get(stage.kind, _l("Choose what you are sharing."))))
        chosen = ContributionKind(kind)
    elif kind is not None:
        raise ValidationError("kind", _("This part of the meeting does not sort answers."))
    else:
        chosen = collects[0]
    if not behaviour.may_give(person.side, chosen):
        raise ValidationError("kind", str(NOT_YOURS.get(chosen, _l("You cannot share that here."))))
    return chosen


def _feeling(stage: Stage, feeling: object) -> str | None:
    if feeling is None:
        return None
    if stage.kind not in FELT_IN or feeling not in rounds.FEELINGS:
        raise ValidationError("feeling", _("Choose one of the feelings shown, or none."))
    return feeling


def _stored(meeting: Meeting, client_id: str) -> Contribution | None:
    return db.session.scalar(_STORED, {"meeting": meeting.id, "client_id": client_id})


def add(
    meeting: Meeting,
    person: Participant,
    client_id: object,
    text: object,
    *,
    stage_id: object = None,
    kind: object = None,
    feeling: object = None,
    recorded_by: Chair | None = None,
) -> tuple[Contribution, bool]:
    """Store an answer to the current stage (or to an earlier one, sent late), once per client id.

    Returns the contribution and whether it is new: a resend of one already
    stored returns the stored one, unchanged. With `recorded_by`, a chair types
    it for someone in the room without a phone.
    """
    client_id = valid_client_id(client_id)
    existing = _stored(meeting, client_id)
    if existing is not None:
        if existing.participant_id != person.id:
            raise ValidationError("client_id", _("This has no valid id; reload the page and try again."))
        return existing, False
    if not isinstance(text, str) or not text.strip():
        raise ValidationError("text", _("Write something first."))
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise ValidationError("text", _("Use at most %(count)d characters.", count=MAX_TEXT))
    stage = rounds.live_stage(meeting, stage_id)
    if not takes_answers(stage):
        raise ValidationError("text", _("This part of the meeting does not take answers."))
    values = {
        "meeting_id": meeting.id,
        "stage_id": stage.id,
        "participant_id": person.id,
        "client_id": client_id,
        "text": text,
        "kind": _kind(stage, person, kind),
        "feeling": _feeling(stage, feeling),
        "recorded_by_id": recorded_by.id if recorded_by is not None else None,
        "created_at": utcnow(),
    }
    rounds.check_turn(meeting, stage, person, by_chair=recorded_by is not None)
    offered = values["kind"] is ContributionKind.OFFER
    if offered:
        plan.check_room_for_offer(meeting)
    if recorded_by is not None and _in_the_room(meeting, person):
        changes.record(meeting, "people_changed")
    try:
        contribution = _written(values, meeting, stage, person)
    except IntegrityError:  # the same resend, arriving twice at once: the other one stored it
        db.session.rollback()
        stored = _stored(meeting, client_id)
        if stored is None or stored.participant_id != person.id:
            raise
        return stored, False
    rounds.after_answer(meeting, stage, person)  # counts the answers, this one included
    if offered:  # in the plan at once, in the same change: the offerer's, until the family accepts it
        plan.add_offered(meeting, contribution, person)
    db.session.commit()
    return contribution, True


def _written(values: dict, meeting: Meeting, stage: Stage, person: Participant) -> Contribution:
    """Insert an answer and record it as the change, a statement each, not through the ORM's
    unit of work: answers are most of what a meeting writes, and working out a flush was an
    eighth of a busy server's time. The answer comes back as a loaded object that holds its
    stage and person, so telling the room of it reads nothing again."""
    row_id = db.session.execute(_INSERT, values).inserted_primary_key[0]
    contribution = Contribution(id=row_id, **values)
    make_transient_to_detached(contribution)
    db.session.add(contribution)
    set_committed_value(contribution, "stage", stage)
    set_committed_value(contribution, "participant", person)
    changes.record(meeting, "contribution_added", subject=contribution, contribution_id=row_id)
    return contribution


def _in_the_room(meeting: Meeting, person: Participant) -> bool:
    """The chair answers for someone listed who is here without a phone: they are in the meeting.
    Whether that let them in just now."""
    if person.meeting_id != meeting.id or person.admission not in (Admission.ADMITTED, Admission.EXPECTED):
        raise ValidationError("participant_id", _("Choose someone in the meeting."))
    let_in = person.admission is Admission.EXPECTED
    person.admission = Admission.ADMITTED
    return let_in


def of_meeting(meeting: Meeting) -> list[Contribution]:
    return list(
        db.session.scalars(
            select(Contribution).where(Contribution.meeting_id == meeting.id).order_by(Contribution.id)
        )
    )


def rows_of_meeting(meeting: Meeting) -> list[Row]:
    """Every answer in the meeting, in order, as plain rows with the columns' names: what a
    snapshot reads, without building an ORM object apiece (a quarter of a `sync` in a busy
    meeting went on that)."""
    return list(
        db.session.execute(
            select(*Contribution.__table__.columns)
            .where(Contribution.meeting_id == meeting.id)
            .order_by(Contribution.id)
        )
    )


def of_stage(stage: Stage) -> list[Contribution]:
    return list(
        db.session.scalars(
            select(Contribution).where(Contribution.stage_id == stage.id).order_by(Contribution.id)
        )
    )
