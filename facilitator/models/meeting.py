"""Meetings: one restorative meeting, from set-up to its closing summary."""

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.extensions import db
from facilitator.models.account import Chair
from facilitator.models.agenda import Stage, enum_column
from facilitator.models.people import Participant
from facilitator.models.types import UTCDateTime, utcnow


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    LIVE = "live"
    CLOSED = "closed"


class MemberRole(enum.StrEnum):
    """What another chair given access to a meeting may do there."""

    CO_CHAIR = "co_chair"  # runs the meeting alongside its owner
    MINUTE_TAKER = "minute_taker"  # follows the meeting and records actions


class Meeting(db.Model):
    """A meeting a chair runs; phones find it by its join code while it is open."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("chair.id", ondelete="CASCADE"), index=True)
    # Initials, not a child's full name: the title is shown on the room screen.
    title: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(String(300), default="")
    # The format the agenda was made from; the agenda itself is the meeting's own.
    format_key: Mapped[str] = mapped_column(String(40), default="")
    # The room screen's language, and a second one beside it where the room needs two (Welsh
    # and English in Wales). Each phone and the chair's pages follow their own choice.
    language: Mapped[str] = mapped_column(String(8), default="en")
    second_language: Mapped[str | None] = mapped_column(String(8))
    venue: Mapped[str] = mapped_column(String(120), default="")
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[MeetingStatus] = mapped_column(
        enum_column(MeetingStatus, 16), default=MeetingStatus.SCHEDULED
    )
    # Position of the stage the meeting is at; None until it starts. Stages up to
    # here have been reached and can no longer be moved, edited or removed.
    current_position: Mapped[int | None]
    # Short, typed by people whose phone cannot scan; unique for ever, so an old
    # code never opens a newer meeting.
    join_code: Mapped[str] = mapped_column(String(8), unique=True)
    # Increases with every change; every live event carries it.
    version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The stage timer, as the server keeps it: running until `timer_ends_at`, or
    # paused with `timer_remaining` seconds left; neither when no timer is set.
    timer_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    timer_remaining: Mapped[int | None]
    # While the lobby is open the room screen shows the join QR code.
    lobby_open: Mapped[bool] = mapped_column(default=True)
    # While private family time is on: when it started. Professionals who may not stay,
    # and the chairs, receive nothing of the meeting until it ends.
    private_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Rises with every change to the outcomes, actions and terms: an agreement is to one revision.
    plan_revision: Mapped[int] = mapped_column(default=0)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The meeting this one reviews: a family's meetings form a chain.
    review_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL"), index=True, unique=True
    )
    # A shuttle mediation: the parties are apart, each in their own space, until the mediator
    # brings them together (`services/shuttle.py`).
    apart: Mapped[bool] = mapped_column(default=False)
    # A mediation held over several sessions on different days: which one this is, and, between
    # two of them, when the last one ended and the day the next is planned for.
    session_number: Mapped[int] = mapped_column(default=1)
    session_ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_session_on: Mapped[date | None] = mapped_column(Date)
    # SHA-256 of the room screen's read-only token.
    screen_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    owner: Mapped[Chair] = relationship()
    stages: Mapped[list[Stage]] = relationship(
        order_by=Stage.position, cascade="all, delete-orphan", passive_deletes=True
    )
    participants: Mapped[list[Participant]] = relationship(
        back_populates="meeting", order_by=Participant.id, cascade="all, delete-orphan", passive_deletes=True
    )
    members: Mapped[list["MeetingMember"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", passive_deletes=True
    )
    review_of: Mapped["Meeting | None"] = relationship(remote_side=[id])

    @property
    def is_open(self) -> bool:
        return self.status is not MeetingStatus.CLOSED

    @property
    def in_private_time(self) -> bool:
        return self.private_since is not None

    @property
    def between_sessions(self) -> bool:
        return self.session_ended_at is not None

    @property
    def current_stage(self) -> Stage | None:
        if self.current_position is None or not 0 <= self.current_position < len(self.stages):
            return None
        return self.stages[self.current_position]

    def has_reached(self, stage: Stage) -> bool:
        return self.current_position is not None and stage.position <= self.current_position

    def __repr__(self) -> str:
        return f"<Meeting {self.id} {self.status.value}>"


class MeetingMember(db.Model):
    """Another chair given access to a meeting by its owner."""

    __tablename__ = "meeting_member"
    __table_args__ = (UniqueConstraint("meeting_id", "chair_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    chair_id: Mapped[int] = mapped_column(ForeignKey("chair.id", ondelete="CASCADE"), index=True)
    role: Mapped[MemberRole] = mapped_column(enum_column(MemberRole, 16))

    meeting: Mapped[Meeting] = relationship(back_populates="members")
    chair: Mapped[Chair] = relationship()
