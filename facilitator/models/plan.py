"""The family's plan: the outcomes they want, the actions that get there, what happens if it
does not work, and the referrer's agreement."""

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.extensions import db
from facilitator.models.agenda import enum_column
from facilitator.models.people import Participant
from facilitator.models.types import UTCDateTime, utcnow


class ActionStatus(enum.StrEnum):
    """The plan stays family-led: a professional's action waits for the family or the chair,
    and so does an offer ("This is what I can do to help..."), which is in the plan as soon as
    it is made, as its offerer's, until the family accepts or changes it."""

    PROPOSED = "proposed"
    AGREED = "agreed"
    OFFERED = "offered"

    @property
    def waiting(self) -> bool:
        """Whether the family has yet to take it into the plan."""
        return self is not ActionStatus.AGREED


class ActionProgress(enum.StrEnum):
    """How an action from the last meeting is going, as a review finds it."""

    DONE = "done"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    STUCK = "stuck"


class ReviewDecision(enum.StrEnum):
    """What a review decides for the plan."""

    KEEP = "keep"
    REVISE = "revise"
    STEP_DOWN = "step_down"  # to a child in need plan
    END = "end"


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
    # The professional who proposed it, or the person who offered it, while it waits for
    # acceptance and after.
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    # The "This is what I can do to help..." offer it was made from, once (as the offer was made).
    offer_id: Mapped[int | None] = mapped_column(
        ForeignKey("contribution.id", ondelete="SET NULL"), unique=True
    )
    # In a review: the action it continues from the meeting before, and how it is going.
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("plan_action.id", ondelete="SET NULL"))
    progress: Mapped[ActionProgress | None] = mapped_column(enum_column(ActionProgress, 16))
    progress_note: Mapped[str] = mapped_column(Text, default="")
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


class PlanTerms(db.Model):
    """What the plan says beyond its actions: what happens if it does not work, who checks it
    is happening, when it is reviewed, the core group (where the format has one), and (at a
    review) what is decided for it. `revision` 0: not yet agreed in this meeting (a review's
    terms as carried from the meeting before)."""

    __tablename__ = "plan_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), unique=True)
    contingency: Mapped[str] = mapped_column(Text, default="")
    monitor: Mapped[str] = mapped_column(String(120), default="")
    review_on: Mapped[date | None] = mapped_column(Date)
    # The core group's first meeting (at a review, its next), and weeks between its meetings.
    core_group_meets_on: Mapped[date | None] = mapped_column(Date)
    core_group_every_weeks: Mapped[int | None] = mapped_column()
    decision: Mapped[ReviewDecision | None] = mapped_column(enum_column(ReviewDecision, 16))
    # The day a decision to step the plan down or end it takes effect.
    decision_on: Mapped[date | None] = mapped_column(Date)
    decision_why: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(default=1)
    edited_by: Mapped[str] = mapped_column(String(80), default="")

    core_group: Mapped[list["CoreGroupMember"]] = relationship(
        cascade="all, delete-orphan", order_by="CoreGroupMember.participant_id"
    )

    @property
    def ends_plan(self) -> bool:
        """The review decided to end the plan: no other meeting is planned."""
        return self.decision is ReviewDecision.END


class CoreGroupMember(db.Model):
    """One person of the meeting in the plan's core group, chosen with the terms."""

    __tablename__ = "core_group_member"
    __table_args__ = (UniqueConstraint("terms_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    terms_id: Mapped[int] = mapped_column(ForeignKey("plan_terms.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)

    participant: Mapped[Participant] = relationship()


class AgreementResponse(db.Model):
    """The referrer agrees the plan, or says why it cannot be agreed yet. `plan_revision` is
    the plan as it stood: once the family changes it, the referrer is asked again."""

    __tablename__ = "agreement_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    # The referrer's name as it was, kept when the person is removed.
    name: Mapped[str] = mapped_column(String(80))
    agreed: Mapped[bool]
    reasons: Mapped[str] = mapped_column(Text, default="")
    plan_revision: Mapped[int]
    # The chair, when they recorded it for a referrer without a phone.
    recorded_by: Mapped[str] = mapped_column(String(120), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
