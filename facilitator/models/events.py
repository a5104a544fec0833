"""The meeting's event log: what each change did, in the order the changes were made."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.extensions import db
from facilitator.models.types import UTCDateTime, utcnow


class MeetingEvent(db.Model):
    """One thing a change did ("an outcome was saved"), stored in the change's own transaction.

    Every event of one change carries the version that change raised the meeting to, so the
    unique key also proves that no two changes ever shared a version."""

    __tablename__ = "meeting_event"
    __table_args__ = (UniqueConstraint("meeting_id", "version", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    # The event's place in its change (a change can say several things).
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(40))
    # What it is about, by id ({"outcome_id": 4}); the words themselves stay in their own rows.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The item's own audience when it has one ("family", "person:12 chairs"); "" for the kind's
    # own. Words, not a list: see `access.receives`.
    audience: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<MeetingEvent {self.meeting_id} v{self.version} {self.kind}>"
