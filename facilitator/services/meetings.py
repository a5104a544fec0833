"""Meetings: creating them and finding them by join code."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import Chair, Meeting
from facilitator.services.errors import ValidationError

# No 0/O, 1/I/L, 2/Z, 5/S or 8/B: every character reads one way on a screen.
JOIN_CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
JOIN_CODE_LENGTH = 7


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(typed: str) -> str:
    """Accept a code as people type it: any case, with spaces or dashes."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def create_meeting(
    owner: Chair, title: str, purpose: str = "", scheduled_at: datetime | None = None
) -> Meeting:
    """Create a scheduled meeting with a join code no other meeting has had."""
    title = title.strip()
    purpose = purpose.strip()
    if not title:
        raise ValidationError("title", _("Give the meeting a title, for example the family's initials."))
    if len(title) > 120:
        raise ValidationError("title", _("Use a title of at most 120 characters."))
    if len(purpose) > 300:
        raise ValidationError("purpose", _("Describe the purpose in at most 300 characters."))
    code = new_join_code()
    while db.session.scalar(select(Meeting.id).where(Meeting.join_code == code)) is not None:
        code = new_join_code()
    meeting = Meeting(owner=owner, title=title, purpose=purpose, scheduled_at=scheduled_at, join_code=code)
    db.session.add(meeting)
    db.session.commit()
    return meeting


def find_open_meeting(typed_code: str) -> Meeting | None:
    """The meeting a join code opens, or None when it is unknown or the meeting has closed."""
    code = normalise_join_code(typed_code)
    if len(code) != JOIN_CODE_LENGTH or any(ch not in JOIN_CODE_ALPHABET for ch in code):
        return None
    meeting = db.session.scalar(select(Meeting).where(Meeting.join_code == code))
    return meeting if meeting is not None and meeting.is_open else None


def meetings_of(chair: Chair) -> list[Meeting]:
    return list(
        db.session.scalars(
            select(Meeting).where(Meeting.owner_id == chair.id).order_by(Meeting.created_at.desc())
        )
    )
