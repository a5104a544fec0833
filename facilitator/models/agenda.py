"""The agenda: a meeting's stages, in order, each with its prompt questions."""

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.extensions import db
from facilitator.models.types import UTCDateTime


class StageKind(enum.StrEnum):
    """What happens in a stage; the live meeting offers different tools for each."""

    WELCOME = "welcome"
    CHECK_IN = "check_in"
    QUESTION_ROUND = "question_round"
    INFORMATION_SHARING = "information_sharing"
    OFFERS = "offers"  # "This is what I can do to help..."
    PRIVATE_TIME = "private_time"
    PLAN = "plan"
    PLAN_REVIEW = "plan_review"
    SCALING = "scaling"
    AGREEMENT = "agreement"
    CHECK_OUT = "check_out"
    # Each party of a shuttle mediation writes in their own space; words leave it with consent.
    OWN_SPACE = "own_space"
    # The child's three houses (worries, good things, dreams), shared as the child agrees.
    CHILDS_VOICE = "childs_voice"
    # Signs of Safety mapping, a stage for each part of the map (drawn together as one map).
    WORRIES = "worries"  # what we are worried about, and the danger statements
    WORKING_WELL = "working_well"  # what is working well
    NEEDS_TO_HAPPEN = "needs_to_happen"  # what needs to happen, and the safety goals


class RoundDisplay(enum.StrEnum):
    """How the room sees what is said in a round; the chairs always see everything."""

    NAMED = "named"  # each name with its answer
    UNNAMED = "unnamed"  # the answers without names
    NAMES_ONLY = "names_only"  # only who has answered


def enum_column(enum_class: type[enum.StrEnum], length: int = 32) -> Enum:
    """Store an enum by its value as plain text, the same on every database."""
    return Enum(enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class Stage(db.Model):
    """One step of a meeting's agenda, copied from its format and then the chair's to edit."""

    __tablename__ = "stage"
    __table_args__ = (UniqueConstraint("meeting_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    # 0-based order in the agenda; stages the meeting has reached never move.
    position: Mapped[int]
    kind: Mapped[StageKind] = mapped_column(enum_column(StageKind))
    title: Mapped[str] = mapped_column(String(120))
    # Which format stage this one was copied from ("family_group_conference/3"): its words
    # that are still the format's are shown in each viewer's language (formats/words.py).
    template: Mapped[str | None] = mapped_column(String(80))
    # The questions asked in this stage, one per line, in plain words.
    prompt: Mapped[str] = mapped_column(Text, default="")
    # A suggested time box; the chair's timer starts from it.
    minutes: Mapped[int] = mapped_column(default=10)
    display: Mapped[RoundDisplay] = mapped_column(enum_column(RoundDisplay, 16), default=RoundDisplay.NAMED)
    # The talking piece: people answer in the circle's order, one at a time.
    talking_piece: Mapped[bool] = mapped_column(default=False)
    # Who holds the talking piece now; None when nobody is waiting to answer.
    turn_participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    # A scaling stage's scores stay hidden from everyone until the chair reveals them.
    revealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def questions(self) -> list[str]:
        return [line.strip() for line in self.prompt.splitlines() if line.strip()]

    def __repr__(self) -> str:
        return f"<Stage {self.id} {self.position} {self.kind.value}>"
