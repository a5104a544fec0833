"""Rounds: how the room sees what is said, the talking piece, and private 0-10 scores."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from facilitator.extensions import db
from facilitator.formats import behaviour
from facilitator.models import (
    Admission,
    Contribution,
    Meeting,
    MeetingStatus,
    Participant,
    RoundDisplay,
    Score,
    Stage,
    StageKind,
)
from facilitator.models.types import is_row_id, utcnow
from facilitator.services import changes
from facilitator.services.errors import ServiceError, ValidationError

# The pictures a person may choose from when they check in or out, each shown with its word.
FEELINGS = ("happy", "calm", "hopeful", "unsure", "worried", "sad", "angry", "tired")
ROUNDS = behaviour.kinds(rounds=True)
SCALE = range(11)
# Asked for every answer: built once, so SQLAlchemy keeps its cache key.
_AT = select(Stage).where(Stage.meeting_id == bindparam("meeting"), Stage.position == bindparam("position"))


class NotYourTurn(ServiceError):
    """Someone answered while the talking piece is with someone else; they may send it later."""

    code = "not_your_turn"


def live_stage(meeting: Meeting, stage_id: object = None) -> Stage:
    """The stage a round command is about: the current one unless another reached one is named."""
    if meeting.status is not MeetingStatus.LIVE or meeting.current_position is None:
        raise ValidationError("stage_id", _("The meeting has not started."))
    if stage_id is None:  # only the stage named, not the whole agenda: this runs for every answer
        stage = db.session.scalar(_AT, {"meeting": meeting.id, "position": meeting.current_position})
        if stage is None:
            raise ValidationError("stage_id", _("The meeting has not started."))
        return stage
    stage = db.session.get(Stage, stage_id) if is_row_id(stage_id) else None
    if stage is None or stage.meeting_id != meeting.id or not meeting.has_reached(stage):
        raise ValidationError("stage_id", _("There is no such stage on the agenda."))
    return stage


def circle(meeting: Meeting) -> list[Participant]:
    """Everyone in the room, in the circle's order (the order they were listed or joined)."""
    return [p for p in meeting.participants if p.admission is Admission.ADMITTED and p.left_at is None]


def answered(stage: Stage) -> set[int]:
    return set(
        db.session.scalars(select(Contribution.participant_id).where(Contribution.stage_id == stage.id))
    )


def next_turn(meeting: Meeting, stage: Stage, after: int | None) -> int | None:
    """The next person round the circle after `after` who has not answered yet (`after` itself
    last, when nobody else is left); None when everyone has."""
    people = [p.id for p in circle(meeting)]
    done = answered(stage)
    start = people.index(after) + 1 if after in people else 0
    for person_id in people[start:] + people[:start]:
        if person_id not in done:
            return person_id
    return None


def set_round(meeting: Meeting, **wanted: object) -> Stage:
    """Change how the current round works (`display`, `talking_piece`): every change is
    checked before any is made, so a request that is partly wrong changes nothing."""
    stage = live_stage(meeting)
    display = _display(wanted["display"]) if "display" in wanted else stage.display
    on = (
        _talking_piece(stage, wanted["talking_piece"]) if "talking_piece" in wanted else stage.talking_piece
    )
    if stage.display is display and stage.talking_piece == on:
        return stage
    stage.display = display
    if stage.talking_piece != on:
        stage.talking_piece = on
        stage.turn_participant_id = next_turn(meeting, stage, None) if on else None
    changes.record(meeting, "round_changed", stage_id=stage.id)
    db.session.commit()
    return stage


def _display(display: object) -> RoundDisplay:
    if not isinstance(display, str) or display not in {d.value for d in RoundDisplay}:
        raise ValidationError("display", _("Choose how the room sees the answers."))
    return RoundDisplay(display)


def _talking_piece(stage: Stage, on: object) -> bool:
    if type(on) is not bool:
        raise ValidationError("on", _("Say whether to use the talking piece."))
    if stage.kind not in ROUNDS:
        raise ValidationError("on", _("The talking piece is for check-ins and question rounds."))
    return on


def set_display(meeting: Meeting, display: object) -> Stage:
    """Show the current round's answers with names, without names, or only who has answered."""
    return set_round(meeting, display=display)


def set_talking_piece(meeting: Meeting, on: object) -> Stage:
    """Turn the talking piece on (it goes to the first person yet to answer) or off."""
    return set_round(meeting, talking_piece=on)


def pass_turn(meeting: Meeting, to: object = None) -> Stage:
    """The chair passes the talking piece on: to the next person yet to answer, or to someone named."""
    stage = live_stage(meeting)
    if not stage.talking_piece:
        raise ValidationError("participant_id", _("Turn the talking piece on first."))
    if to is None:
        stage.turn_participant_id = next_turn(meeting, stage, stage.turn_participant_id)
    else:
        if type(to) is not int or to not in {p.id for p in circle(meeting)}:
            raise ValidationError("participant_id", _("That person is not in the circle."))
        stage.turn_participant_id = to
    changes.record(meeting, "round_changed", stage_id=stage.id)
    db.session.commit()
    return stage


def check_turn(meeting: Meeting, stage: Stage, person: Participant, *, by_chair: bool) -> None:
    """Refuse an answer out of turn; the chair may record anyone's."""
    holder = stage.turn_participant_id
    if by_chair or not stage.talking_piece or stage is not meeting.current_stage:
        return
    if holder is not None and holder != person.id:
        name = db.session.get(Participant, holder).name
        raise NotYourTurn(
            _("The talking piece is with %(name)s. Your answer will be sent when it reaches you.", name=name)
        )


def after_answer(meeting: Meeting, stage: Stage, person: Participant) -> None:
    """The turn passes when the person holding the talking piece has answered."""
    if stage.talking_piece and stage.turn_participant_id == person.id:
        stage.turn_participant_id = next_turn(meeting, stage, person.id)


def score(meeting: Meeting, person: Participant, value: object, stage_id: object = None) -> Score:
    """Store (or change) a person's private score, until the chair reveals them all."""
    stage = live_stage(meeting, stage_id)
    if stage.kind is not StageKind.SCALING:
        raise ValidationError("value", _("This part of the meeting does not ask for a score."))
    if stage.revealed_at is not None:
        raise ValidationError("value", _("The scores have been shown; they can no longer change."))
    if type(value) is not int or value not in SCALE:
        raise ValidationError("value", _("Choose a number from 0 to 10."))
    stored = db.session.scalar(
        select(Score).where(Score.stage_id == stage.id, Score.participant_id == person.id)
    )
    if stored is None:
        stored = Score(meeting_id=meeting.id, stage_id=stage.id, participant_id=person.id, value=value)
        db.session.add(stored)
    elif stored.value == value:
        return stored
    stored.value = value
    changes.record(meeting, "round_changed", stage_id=stage.id)
    db.session.commit()
    return stored


def reveal(meeting: Meeting) -> Stage:
    """Show everyone's scores together; from now on they are fixed and people can say why."""
    stage = live_stage(meeting)
    if stage.kind is not StageKind.SCALING:
        raise ValidationError("stage_id", _("This part of the meeting does not ask for a score."))
    if stage.revealed_at is None:
        stage.revealed_at = utcnow()
        changes.record(meeting, "round_changed", stage_id=stage.id)
        db.session.commit()
    return stage


def scores_of(stage: Stage) -> list[Score]:
    return list(
        db.session.scalars(select(Score).where(Score.stage_id == stage.id).order_by(Score.value, Score.id))
    )


def scores_by(person: Participant) -> list[Score]:
    return list(db.session.scalars(select(Score).where(Score.participant_id == person.id)))
