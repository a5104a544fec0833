"""Editing a meeting's agenda: before it starts, and for stages not yet reached.

Stages the meeting has reached are history: they cannot be edited, moved or
removed, and nothing can be put before them.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from facilitator.extensions import db
from facilitator.formats import words
from facilitator.models import Meeting, Stage, StageKind
from facilitator.services import changes
from facilitator.services.errors import ValidationError

MAX_STAGES = 40
# Parts whose tools are there for the whole meeting once the agenda has them (`access.has_part`):
# adding the first or removing the last changes what people may do.
PARTS = (StageKind.OWN_SPACE, StageKind.CHILDS_VOICE)
MAX_PROMPT_LENGTH = 2000
MAX_MINUTES = 240


@dataclass(frozen=True)
class StageText:
    """What a chair types about a stage."""

    title: str
    prompt: str = ""
    minutes: int | None = 10

    def validated(self) -> StageText:
        title = self.title.strip()
        prompt = "\n".join(line.strip() for line in self.prompt.strip().splitlines())
        if not title:
            raise ValidationError("title", _("Give the stage a title."))
        if len(title) > 120:
            raise ValidationError("title", _("Use a title of at most 120 characters."))
        if len(prompt) > MAX_PROMPT_LENGTH:
            raise ValidationError(
                "prompt", _("Use at most %(count)d characters for the questions.", count=MAX_PROMPT_LENGTH)
            )
        if self.minutes is None or not 1 <= self.minutes <= MAX_MINUTES:
            raise ValidationError(
                "minutes", _("Suggest a time from 1 to %(count)d minutes.", count=MAX_MINUTES)
            )
        return StageText(title, prompt, self.minutes)


def _editable_stage(meeting: Meeting, stage_id: int) -> Stage:
    stage = next((stage for stage in meeting.stages if stage.id == stage_id), None)
    if stage is None:
        raise ValidationError("stage_id", _("That stage is not on this meeting's agenda."))
    if meeting.has_reached(stage):
        raise ValidationError(
            "stage_id", _("The meeting has already reached that stage, so it cannot change.")
        )
    if not meeting.is_open:
        raise ValidationError("stage_id", _("The meeting has closed; its agenda cannot change."))
    return stage


def _first_free_position(meeting: Meeting) -> int:
    return 0 if meeting.current_position is None else meeting.current_position + 1


def _renumber(meeting: Meeting, ordered: list[Stage]) -> None:
    """Give stages their new positions in two steps, so that no two ever share one."""
    for offset, stage in enumerate(ordered):
        stage.position = -1 - offset
    db.session.flush()
    for position, stage in enumerate(ordered):
        stage.position = position
    changes.record(meeting, "meeting_changed")


def add_stage(meeting: Meeting, kind: str, text: StageText) -> Stage:
    """Add a stage at the end of the agenda."""
    if not meeting.is_open:
        raise ValidationError("kind", _("The meeting has closed; its agenda cannot change."))
    try:
        stage_kind = StageKind(kind)
    except ValueError:
        raise ValidationError("kind", _("Choose what kind of stage this is.")) from None
    if len(meeting.stages) >= MAX_STAGES:
        raise ValidationError("kind", _("An agenda has at most %(count)d stages.", count=MAX_STAGES))
    text = text.validated()
    stage = Stage(
        position=len(meeting.stages),
        kind=stage_kind,
        title=text.title,
        prompt=text.prompt,
        minutes=text.minutes,
    )
    parts = _parts(meeting)
    meeting.stages.append(stage)
    changes.record(meeting, "meeting_changed")
    _tell_if_parts_changed(meeting, parts)
    db.session.commit()
    return stage


def _parts(meeting: Meeting) -> set[StageKind]:
    return {stage.kind for stage in meeting.stages if stage.kind in PARTS}


def _tell_if_parts_changed(meeting: Meeting, before: set[StageKind]) -> None:
    """What people may do (`can`) follows the agenda's parts: their phones ask again."""
    if _parts(meeting) != before:
        for person in meeting.participants:
            changes.record_for(meeting, "identity_changed", person.id)


def update_stage(meeting: Meeting, stage_id: int, text: StageText) -> Stage:
    """Rename a stage, or change its questions or time box."""
    stage = _editable_stage(meeting, stage_id)
    text = text.validated()
    stage.title, stage.prompt = words.as_written(stage, text.title, text.prompt)
    stage.minutes = text.minutes
    changes.record(meeting, "meeting_changed")
    db.session.commit()
    return stage


def move_stage(meeting: Meeting, stage_id: int, to_position: int) -> None:
    """Move a stage to another place among the stages not yet reached."""
    stage = _editable_stage(meeting, stage_id)
    if not _first_free_position(meeting) <= to_position < len(meeting.stages):
        raise ValidationError("position", _("A stage can only move among the stages not yet reached."))
    ordered = [other for other in meeting.stages if other is not stage]
    ordered.insert(to_position, stage)
    _renumber(meeting, ordered)
    db.session.commit()


def remove_stage(meeting: Meeting, stage_id: int) -> None:
    stage = _editable_stage(meeting, stage_id)
    if len(meeting.stages) == 1:
        raise ValidationError("stage_id", _("A meeting needs at least one stage."))
    ordered = [other for other in meeting.stages if other is not stage]
    parts = _parts(meeting)
    meeting.stages.remove(stage)
    db.session.flush()
    _renumber(meeting, ordered)
    _tell_if_parts_changed(meeting, parts)
    db.session.commit()
