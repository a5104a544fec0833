"""Private family time: the professionals leave and the family makes its own plan.

Who is shut out while it is on is decided in `access.py` from what is stored
here (`meeting.private_since`, the people's "may stay" flags), so every
process, page and command sees the same thing at the same moment.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import Admission, HistoryEntry, HistoryKind, Meeting, MeetingStatus, Participant, Side
from facilitator.models.types import is_row_id, utcnow
from facilitator.services import changes, running
from facilitator.services.errors import ValidationError


def start(meeting: Meeting, stay: object, by: str) -> None:
    """Start private family time. `stay` lists the professionals the family chose to stay
    (advocates, an interpreter); every other professional, and the chairs, are shut out. The
    meeting moves to the agenda's private-time stage, if one is ahead (`running.to_private_time`)."""
    if meeting.status is not MeetingStatus.LIVE:
        raise ValidationError("meeting", _("Start the meeting first."))
    if meeting.in_private_time:
        raise ValidationError("meeting", _("Private family time has already started."))
    if not isinstance(stay, list) or not all(is_row_id(person_id) for person_id in stay):
        raise ValidationError("stay", _("Choose who may stay from the professionals in the meeting."))
    professionals = {
        person.id: person
        for person in meeting.participants
        if person.side is Side.PROFESSIONAL and person.admission is Admission.ADMITTED
    }
    if not set(stay) <= set(professionals):
        raise ValidationError("stay", _("Choose who may stay from the professionals in the meeting."))
    # Every professional of the meeting, not only those let in: someone marked "may stay" on the
    # people page but not chosen now must not stay on arriving later (a personal link lets them in).
    for person in meeting.participants:
        if person.side is Side.PROFESSIONAL:
            person.may_stay_in_private_time = person.id in stay
    meeting.private_since = utcnow()
    changes.record(meeting, "private_time_changed")
    # The agenda follows: to its private-time stage, never back. In the same change, after the
    # news (a family phone takes the news, then the stage); those shut out are not sent it.
    running.to_private_time(meeting)
    db.session.add(HistoryEntry(meeting_id=meeting.id, kind=HistoryKind.PRIVATE_TIME_STARTED, by=by))
    db.session.commit()


def end(meeting: Meeting, by: str) -> None:
    """Invite everyone back: from now on everyone sees the family's plan (but not the notes
    kept within the family). From the agenda's private-time stage, the meeting moves on to the
    next (`running.from_private_time`)."""
    if not meeting.in_private_time:
        raise ValidationError("meeting", _("Private family time is not on."))
    meeting.private_since = None
    for person in meeting.participants:
        person.waits_for_family = False
    changes.record(meeting, "private_time_changed")
    running.from_private_time(meeting)  # on to the stage after the private-time stage
    db.session.add(HistoryEntry(meeting_id=meeting.id, kind=HistoryKind.PRIVATE_TIME_ENDED, by=by))
    db.session.commit()


def history_of(meeting: Meeting) -> list[HistoryEntry]:
    return list(
        db.session.scalars(
            select(HistoryEntry).where(HistoryEntry.meeting_id == meeting.id).order_by(HistoryEntry.id)
        )
    )


def welcome(meeting: Meeting, person_id: object) -> Participant:
    """The family lets in someone who was let into the meeting during private time."""
    if not meeting.in_private_time:
        raise ValidationError("participant_id", _("Private family time is not on."))
    person = db.session.get(Participant, person_id) if is_row_id(person_id) else None
    if person is None or person.meeting_id != meeting.id or not person.waits_for_family:
        raise ValidationError("participant_id", _("That person is not waiting to join you."))
    person.waits_for_family = False
    changes.record_for(meeting, "identity_changed", person.id)
    changes.record(meeting, "people_changed")
    db.session.commit()
    return person
