"""Running a meeting live: starting it, moving between stages, the stage timer,
the lobby, the room screen's token, and leaving (who is connected: `presence.py`)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import Meeting, MeetingStatus, Participant, StageKind
from facilitator.models.types import utcnow
from facilitator.services import changes, people, plan
from facilitator.services.errors import ValidationError

MAX_TIMER_MINUTES = 240


def _live(meeting: Meeting) -> None:
    if meeting.status is not MeetingStatus.LIVE:
        raise ValidationError("meeting", _("Start the meeting first."))


def _reset_timer(meeting: Meeting) -> None:
    """A stage starts with its suggested time, paused until the chair starts it."""
    stage = meeting.current_stage
    meeting.timer_ends_at = None
    meeting.timer_remaining = stage.minutes * 60 if stage is not None else None


def start(meeting: Meeting) -> None:
    """Begin the meeting at its first stage."""
    if meeting.status is MeetingStatus.CLOSED:
        raise ValidationError("meeting", _("This meeting has closed."))
    if meeting.status is MeetingStatus.LIVE:
        raise ValidationError("meeting", _("The meeting has already started."))
    if not meeting.stages:
        raise ValidationError("meeting", _("Add a stage to the agenda first."))
    meeting.status, meeting.started_at, meeting.current_position = MeetingStatus.LIVE, utcnow(), 0
    _reset_timer(meeting)
    changes.record(meeting, "meeting_changed")
    if plan.review_date_follows_start(meeting):  # the default review date counts from today
        changes.record(meeting, "terms_saved")
    db.session.commit()


def go_to(meeting: Meeting, position: object) -> None:
    """Move the meeting to a stage (the next, a previous one, or any on the agenda)."""
    _live(meeting)
    if type(position) is not int or not 0 <= position < len(meeting.stages):
        raise ValidationError("position", _("There is no such stage on the agenda."))
    if _move(meeting, position):
        db.session.commit()


def _move(meeting: Meeting, position: int) -> bool:
    """Move to a stage, its timer set afresh and paused, as part of the caller's change; whether
    the meeting moved."""
    if position == meeting.current_position:
        return False
    meeting.current_position = position
    _reset_timer(meeting)
    changes.record(meeting, "meeting_changed")
    return True


def to_private_time(meeting: Meeting) -> bool:
    """Private family time starts: the meeting moves to the agenda's private-time stage, the first
    at or after where it is. From a stage after it (a second private time, while agreeing the
    plan), or with none on the agenda, it stays where it is. Part of the caller's change."""
    at = meeting.current_position if meeting.current_position is not None else 0
    ahead = next(
        (stage for stage in meeting.stages[at:] if stage.kind is StageKind.PRIVATE_TIME), None
    )
    return ahead is not None and _move(meeting, ahead.position)


def from_private_time(meeting: Meeting) -> bool:
    """Private family time ends: from the agenda's private-time stage, the meeting moves on to the
    stage after it, if there is one; from any other stage it stays. Part of the caller's change."""
    stage = meeting.current_stage
    if stage is None or stage.kind is not StageKind.PRIVATE_TIME or stage.position + 1 >= len(meeting.stages):
        return False
    return _move(meeting, stage.position + 1)


def timer_start(meeting: Meeting) -> None:
    _live(meeting)
    if meeting.timer_ends_at is None:
        seconds = meeting.timer_remaining if meeting.timer_remaining is not None else 0
        meeting.timer_ends_at, meeting.timer_remaining = utcnow() + timedelta(seconds=seconds), None
        changes.record(meeting, "meeting_changed")
        db.session.commit()


def timer_pause(meeting: Meeting) -> None:
    _live(meeting)
    if meeting.timer_ends_at is not None:
        left = (meeting.timer_ends_at - utcnow()).total_seconds()
        meeting.timer_ends_at, meeting.timer_remaining = None, max(0, round(left))
        changes.record(meeting, "meeting_changed")
        db.session.commit()


def timer_add(meeting: Meeting, minutes: object) -> None:
    """Give the stage more time (or less, with a negative number), running or paused."""
    _live(meeting)
    if type(minutes) is not int or minutes == 0 or abs(minutes) > MAX_TIMER_MINUTES:
        raise ValidationError("minutes", _("Add from 1 to %(count)d minutes.", count=MAX_TIMER_MINUTES))
    if meeting.timer_ends_at is not None:
        meeting.timer_ends_at = max(utcnow(), meeting.timer_ends_at + timedelta(minutes=minutes))
    else:
        meeting.timer_remaining = max(0, (meeting.timer_remaining or 0) + minutes * 60)
    changes.record(meeting, "meeting_changed")
    db.session.commit()


def set_lobby(meeting: Meeting, is_open: object) -> None:
    """Open or close the lobby: while open, the room screen shows how to join."""
    if type(is_open) is not bool:
        raise ValidationError("open", _("Say whether the lobby is open."))
    if meeting.lobby_open != is_open:
        meeting.lobby_open = is_open
        changes.record(meeting, "meeting_changed")
        db.session.commit()


def issue_screen_token(meeting: Meeting) -> str:
    """A new read-only token for the room screen; an older screen link stops working."""
    if not meeting.is_open:
        raise ValidationError("meeting", _("This meeting has closed."))
    if meeting.in_private_time:
        # A new screen would show the family's private time to whoever opened it.
        raise ValidationError(
            "meeting",
            _("The family is having private time. Open the room screen again when they invite everyone back."),
        )
    token = secrets.token_urlsafe(24)
    meeting.screen_token_hash = people.hash_token(token)
    db.session.commit()
    return token


def meeting_for_screen(token: str) -> Meeting | None:
    if not 20 <= len(token) <= 64:
        return None
    return db.session.scalar(select(Meeting).where(Meeting.screen_token_hash == people.hash_token(token)))


def leave(person: Participant) -> None:
    """The person says they are leaving; connecting again brings them back."""
    person.left_at = utcnow()
    changes.tell(person.meeting, "people_changed")
    db.session.commit()
