"""What people say in the meeting: answers to a stage's questions, offers, worries,
and the private scores of a scaling question."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.extensions import db
from facilitator.models.agenda import Stage, enum_column
from facilitator.models.people import Participant
from facilitator.models.types import UTCDateTime, utcnow


class ContributionKind(enum.StrEnum):
    """What a contribution is. Each kind of stage collects some of these, the first by default,
    and says who may give each (`formats/behaviour.py`)."""

    ANSWER = "answer"
    WORRY = "worry"
    WORKING_WELL = "working_well"
    BOTTOM_LINE = "bottom_line"  # from professionals only: what must happen
    OFFER = "offer"  # "This is what I can do to help..."
    REASON = "reason"  # "why that number?", once a scale's scores are revealed
    # Signs of Safety mapping (at most 16 characters: the column's length).
    DANGER_STATEMENT = "danger_statement"  # from professionals only: the harm feared, said plainly
    NEEDS_TO_HAPPEN = "needs_to_happen"  # what needs to happen for the children to be safe
    SAFETY_GOAL = "safety_goal"  # from professionals only: what they need to see to close the case


class Contribution(db.Model):
    """One thing one person said in one stage.

    `client_id` is made by the phone before sending, so a resend after a
    dropped connection finds the stored one instead of adding a second.
    """

    __tablename__ = "contribution"
    __table_args__ = (UniqueConstraint("meeting_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"), index=True)
    # The person it is from; the chair may record it for someone without a phone.
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[ContributionKind] = mapped_column(
        enum_column(ContributionKind, 16), default=ContributionKind.ANSWER
    )
    # One of the check-in feelings (a picture with a word), or None.
    feeling: Mapped[str | None] = mapped_column(String(16))
    # The chair who typed it for someone without a phone; None when the person sent it.
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("chair.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    participant: Mapped[Participant] = relationship()
    stage: Mapped[Stage] = relationship()


class Score(db.Model):
    """One person's private 0-10 answer to a scaling stage; nobody sees it before the reveal."""

    __tablename__ = "score"
    __table_args__ = (UniqueConstraint("stage_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    value: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
