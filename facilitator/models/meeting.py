"""Meetings: one restorative meeting, from set-up to its closing summary."""

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.extensions import db
from facilitator.models.account import Chair
from facilitator.models.types import UTCDateTime, utcnow


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    LIVE = "live"
    CLOSED = "closed"


class Meeting(db.Model):
    """A meeting a chair runs; phones find it by its join code while it is open."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("chair.id", ondelete="CASCADE"), index=True)
    # Initials, not a child's full name: the title is shown on the room screen.
    title: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(String(300), default="")
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[MeetingStatus] = mapped_column(
        Enum(MeetingStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=MeetingStatus.SCHEDULED,
    )
    # Short, typed by people whose phone cannot scan; unique for ever, so an old
    # code never opens a newer meeting.
    join_code: Mapped[str] = mapped_column(String(8), unique=True)
    # Increases with every change; every live event carries it.
    version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[Chair] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status is not MeetingStatus.CLOSED

    def __repr__(self) -> str:
        return f"<Meeting {self.id} {self.status.value}>"
