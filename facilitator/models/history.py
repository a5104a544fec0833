"""A meeting's history: the moments that matter afterwards: private family time, closing, and
the changes a chair makes to the plan after it closed."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.extensions import db
from facilitator.models.agenda import enum_column
from facilitator.models.types import UTCDateTime, utcnow


class HistoryKind(enum.StrEnum):
    PRIVATE_TIME_STARTED = "private_time_started"
    PRIVATE_TIME_ENDED = "private_time_ended"
    MEETING_CLOSED = "meeting_closed"
    PLAN_AMENDED = "plan_amended"
    SESSION_ENDED = "session_ended"
    SESSION_STARTED = "session_started"
    MET_TOGETHER = "met_together"
    # One person's details erased at their request (`services/erasure.py`); `detail` holds their id
    # in the meeting, nothing of what was erased.
    PERSON_ERASED = "person_erased"


class HistoryEntry(db.Model):
    """Something that happened in a meeting, when, and who did it (a name, kept as it was)."""

    __tablename__ = "history_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    kind: Mapped[HistoryKind] = mapped_column(enum_column(HistoryKind))
    by: Mapped[str] = mapped_column(String(120), default="")
    # What changed, in words (an amendment after the meeting closed).
    detail: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
