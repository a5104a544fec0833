"""People in a meeting: the family and friends and the professionals.

Participants have no account. The chair lists the people the family asked
for before the meeting; others are added when they join by the meeting's code.
"""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.extensions import db
from facilitator.models.agenda import enum_column
from facilitator.models.types import UTCDateTime, utcnow


class Side(enum.StrEnum):
    FAMILY = "family"
    PROFESSIONAL = "professional"


class Admission(enum.StrEnum):
    """Where a person stands: listed in advance, waiting in the lobby, in, or turned away."""

    EXPECTED = "expected"
    LOBBY = "lobby"
    ADMITTED = "admitted"
    DECLINED = "declined"


class Participant(db.Model):
    __tablename__ = "participant"
    # One person per phone per meeting: re-scanning brings the same person back.
    __table_args__ = (UniqueConstraint("meeting_id", "device_token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # In the family's words: "Nan", "Dad's partner", "Class teacher".
    relation: Mapped[str] = mapped_column(String(80), default="")
    side: Mapped[Side] = mapped_column(enum_column(Side, 16))
    is_child: Mapped[bool] = mapped_column(default=False)
    is_advocate: Mapped[bool] = mapped_column(default=False)
    is_interpreter: Mapped[bool] = mapped_column(default=False)
    is_referrer: Mapped[bool] = mapped_column(default=False)
    may_stay_in_private_time: Mapped[bool] = mapped_column(default=False)
    # Let in during private family time, as someone who would stay: they wait until the family
    # welcomes them, or private time ends (nobody acquires the family's view by being let in).
    waits_for_family: Mapped[bool] = mapped_column(default=False)
    admission: Mapped[Admission] = mapped_column(enum_column(Admission, 16), default=Admission.EXPECTED)
    # SHA-256 of the personal join link's token; the token itself is never stored.
    invite_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # SHA-256 of the random token in the phone's cookie, once the person has joined from it.
    device_token_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Presence, in the database so that any server process can answer: open
    # connections from this person's phones, and when they said they left.
    connections: Mapped[int] = mapped_column(default=0)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting = relationship("Meeting", back_populates="participants")

    @property
    def is_family(self) -> bool:
        return self.side is Side.FAMILY

    def __repr__(self) -> str:
        return f"<Participant {self.id} {self.side.value} {self.admission.value}>"
