"""Meetings: setting them up from a format, sharing them, finding them by join code."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from facilitator import formats
from facilitator.formats import words
from facilitator.extensions import db
from facilitator.models import Chair, Meeting, MeetingMember, MemberRole, Stage
from facilitator.models.types import utcnow
from facilitator.services import accounts, changes, people
from facilitator.services.errors import ValidationError

# No 0/O, 1/I/L, 2/Z, 5/S or 8/B: every character reads one way on a screen.
JOIN_CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
JOIN_CODE_LENGTH = 7
# A date further out than this is a typing mistake, not a meeting.
SCHEDULE_RANGE = timedelta(days=5 * 366)
# Also checked by the set-up form, so that every missing answer is named at once.
TITLE_MISSING = _l("Give the meeting a title, for example the family's initials.")
FORMAT_MISSING = _l("Choose one of the meeting formats.")


@dataclass(frozen=True)
class Details:
    """What a chair types about a meeting."""

    title: str
    purpose: str = ""
    venue: str = ""
    scheduled_at: datetime | None = None
    # The room screen's language, and an optional second one shown beside it.
    language: str = "en"
    second_language: str | None = None

    def validated(self) -> Details:
        title, purpose, venue = self.title.strip(), self.purpose.strip(), self.venue.strip()
        if not title:
            raise ValidationError("title", str(TITLE_MISSING))
        if len(title) > 120:
            raise ValidationError("title", _("Use a title of at most 120 characters."))
        if len(purpose) > 300:
            raise ValidationError("purpose", _("Describe the purpose in at most 300 characters."))
        if len(venue) > 120:
            raise ValidationError("venue", _("Use at most 120 characters for the venue."))
        if self.scheduled_at is not None:
            if self.scheduled_at.tzinfo is None:
                raise ValueError("scheduled_at must carry its time zone")
            if abs(self.scheduled_at - utcnow()) > SCHEDULE_RANGE:
                raise ValidationError("date", _("Choose a date within five years of today."))
        offered = current_app.config["LANGUAGES"]
        if self.language not in offered:
            raise ValidationError("language", _("Choose one of the languages offered."))
        second = self.second_language or None
        if second is not None and (second not in offered or second == self.language):
            raise ValidationError("second_language", _("Choose a second language other than the first, or none."))
        return Details(title, purpose, venue, self.scheduled_at, self.language, second)


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(typed: str) -> str:
    """Accept a code as people type it: any case, with spaces or dashes."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def _unused_join_code() -> str:
    code = new_join_code()
    while db.session.scalar(select(Meeting.id).where(Meeting.join_code == code)) is not None:
        code = new_join_code()
    return code


def create_meeting(
    owner: Chair, details: Details, format_key: str = "check_in_circle", *, commit: bool = True
) -> Meeting:
    """Create a scheduled meeting whose agenda is a copy of the format's stages (not yet
    committed with `commit=False`, for a caller that adds more in the same transaction)."""
    meeting_format = formats.get(format_key)
    if meeting_format is None:
        raise ValidationError("format_key", str(FORMAT_MISSING))
    details = details.validated()
    meeting = Meeting(
        owner=owner,
        title=details.title,
        purpose=details.purpose,
        venue=details.venue,
        scheduled_at=details.scheduled_at,
        language=details.language,
        second_language=details.second_language,
        format_key=meeting_format.key,
        apart=meeting_format.apart,
        join_code=_unused_join_code(),
    )
    meeting.stages = [
        Stage(
            position=position,
            kind=template.kind,
            title=words.source_title(template),
            prompt=words.source_prompt(template),
            template=words.key_of(meeting_format, position),
            minutes=template.minutes,
        )
        for position, template in enumerate(meeting_format.stages)
    ]
    db.session.add(meeting)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return meeting


def update_details(meeting: Meeting, details: Details) -> None:
    details = details.validated()
    meeting.title, meeting.purpose, meeting.venue = details.title, details.purpose, details.venue
    meeting.scheduled_at = details.scheduled_at
    meeting.language, meeting.second_language = details.language, details.second_language
    changes.record(meeting, "meeting_changed")
    db.session.commit()


def duplicate_meeting(meeting: Meeting, owner: Chair) -> Meeting:
    """A new scheduled meeting with the same details, agenda and people list.

    Nothing said in the original comes across, nor anyone's admission or link.
    """
    title = _("Copy of %(title)s", title=meeting.title)[:120]
    copy = Meeting(
        owner=owner,
        title=title,
        purpose=meeting.purpose,
        venue=meeting.venue,
        language=meeting.language,
        second_language=meeting.second_language,
        format_key=meeting.format_key,
        apart=getattr(formats.get(meeting.format_key), "apart", False),
        join_code=_unused_join_code(),
    )
    copy.stages = [
        Stage(
            position=stage.position,
            kind=stage.kind,
            title=stage.title,
            prompt=stage.prompt,
            template=stage.template,
            minutes=stage.minutes,
        )
        for stage in meeting.stages
    ]
    copy.participants = [people.listed_again(person) for person in meeting.participants]
    db.session.add(copy)
    db.session.commit()
    return copy


def delete_meeting(meeting: Meeting) -> None:
    """Delete the meeting and everything recorded in it."""
    db.session.delete(meeting)
    db.session.commit()


def find_meeting(typed_code: str) -> Meeting | None:
    """The meeting a join code belongs to, open or closed."""
    code = normalise_join_code(typed_code)
    if len(code) != JOIN_CODE_LENGTH or any(ch not in JOIN_CODE_ALPHABET for ch in code):
        return None
    return db.session.scalar(select(Meeting).where(Meeting.join_code == code))


def find_open_meeting(typed_code: str) -> Meeting | None:
    """The meeting a join code opens, or None when it is unknown or the meeting has closed."""
    meeting = find_meeting(typed_code)
    return meeting if meeting is not None and meeting.is_open else None


def meetings_of(chair: Chair) -> list[Meeting]:
    """The meetings a chair owns or was given access to, soonest first, undated last."""
    shared = select(MeetingMember.meeting_id).where(MeetingMember.chair_id == chair.id)
    return list(
        db.session.scalars(
            select(Meeting)
            .where(or_(Meeting.owner_id == chair.id, Meeting.id.in_(shared)))
            .order_by(Meeting.scheduled_at.is_(None), Meeting.scheduled_at, Meeting.created_at.desc())
        )
    )


def share_meeting(meeting: Meeting, email: str, role: str) -> MeetingMember:
    """Give another chair access to a meeting, as co-chair or minute-taker."""
    try:
        member_role = MemberRole(role)
    except ValueError:
        raise ValidationError("role", _("Choose co-chair or minute-taker.")) from None
    chair = accounts.find_chair(accounts.validate_email(email))
    if chair is None:
        raise ValidationError("email", _("No chair has an account with that e-mail address."))
    if chair.id == meeting.owner_id:
        raise ValidationError("email", _("That chair already runs this meeting."))
    member = db.session.scalar(
        select(MeetingMember).where(
            MeetingMember.meeting_id == meeting.id, MeetingMember.chair_id == chair.id
        )
    )
    if member is None:
        member = MeetingMember(meeting=meeting, chair=chair, role=member_role)
        db.session.add(member)
    member.role = member_role
    db.session.commit()
    return member


def unshare_meeting(meeting: Meeting, member_id: int) -> None:
    member = db.session.get(MeetingMember, member_id)
    if member is None or member.meeting_id != meeting.id:
        raise ValidationError("member_id", _("That chair does not have access to this meeting."))
    db.session.delete(member)
    db.session.commit()
