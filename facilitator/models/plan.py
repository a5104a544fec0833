"""The family's plan: the outcomes they want, and the actions that get there."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.extensions import db
from facilitator.models.agenda import enum_column
from facilitator.models.people import Participant
from facilitator.models.types import UTCDateTime, utcnow


class ActionStatus(enum.StrEnum):
    """The plan stays family-led: a professional's action waits for the family or the chair."""

    PROPOSED = "proposed"
    AGREED = "agreed"


class Outcome(db.Model):
    """What the family want to achieve, in their own words."""

    __tablename__ = "outcome"
    __table_args__ = (UniqueConstraint("meeting_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    # Rises with every edit; an edit names the revision it started from, so two
    # people editing at once cannot silently overwrite each other.
    revision: Mapped[int] = mapped_column(default=1)
    edited_by: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PlanAction(db.Model):
    """Who will do what, by when, and how we will know it is done."""

    __tablename__ = "plan_action"
    __table_args__ = (UniqueConstraint("meeting_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str] = mapped_column(String(64))
    # The outcome it serves; None until someone places it (removing an outcome keeps its actions).
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("outcome.id", ondelete="SET NULL"), index=True)
    # Who: a person in the meeting, or words ("Nan and Grandad", "The school").
    who_participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    who_text: Mapped[str] = mapped_column(String(120), default="")
    what: Mapped[str] = mapped_column(Text)
    # A date or words: "by 1 March", "every Monday".
    by_when: Mapped[str] = mapped_column(String(120), default="")
    how_we_know: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus, 16), default=ActionStatus.AGREED)
    # The professional who proposed it, while it waits for acceptance and after.
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    # The "This is what I can do to help..." offer it was made from, once.
    offer_id: Mapped[int | None] = mapped_column(
        ForeignKey("contribution.id", ondelete="SET NULL"), unique=True
    )
    revision: Mapped[int] = mapped_column(default=1)
    edited_by: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    who: Mapped[Participant | None] = relationship(foreign_keys=[who_participant_id])
    proposed_by: Mapped[Participant | None] = relationship(foreign_keys=[proposed_by_id])

    @property
    def who_name(self) -> str:
        return self.who.name if self.who is not None else self.who_text


class PlanNote(db.Model):
    """A note the family adds to its plan; one kept "within the family" is never shown to a
    professional, during private family time or after it, nor in any export."""

    __tablename__ = "plan_note"
    __table_args__ = (UniqueConstraint("meeting_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    family_only: Mapped[bool] = mapped_column(default=False)
    revision: Mapped[int] = mapped_column(default=1)
    edited_by: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
