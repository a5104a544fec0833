"""Words that reach others only when their author agrees: a party's own space in a shuttle
mediation, and the child's three houses. Who receives an item is decided in `access.py`
from what is stored here (`ConsentItem.sharing`), for events, `sync`, pages and exports alike.
"""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.extensions import db
from facilitator.models.agenda import enum_column
from facilitator.models.people import Participant
from facilitator.models.types import UTCDateTime, utcnow


class ItemKind(enum.StrEnum):
    # A party's own space (shuttle mediation).
    THOUGHT = "thought"
    FEELING = "feeling"
    WORRY = "worry"
    PROPOSAL = "proposal"
    # The child's three houses.
    HOUSE_OF_WORRIES = "house_of_worries"
    HOUSE_OF_GOOD_THINGS = "house_of_good_things"
    HOUSE_OF_DREAMS = "house_of_dreams"

    @property
    def is_house(self) -> bool:
        return self in HOUSES


SPACE_KINDS = (ItemKind.THOUGHT, ItemKind.FEELING, ItemKind.WORRY, ItemKind.PROPOSAL)
HOUSES = (ItemKind.HOUSE_OF_WORRIES, ItemKind.HOUSE_OF_GOOD_THINGS, ItemKind.HOUSE_OF_DREAMS)


class Sharing(enum.StrEnum):
    """Who an item has reached with its author's consent."""

    NOBODY = "nobody"  # the author's (and the mediator's, or the child's advocate's) alone
    PARTY = "party"  # passed on to one other party (`passed_to_id`)
    PARTIES = "parties"  # passed on to every other party
    FAMILY = "family"  # a child's item, shared with the family
    EVERYONE = "everyone"  # a child's item, shared with everyone in the meeting


class ConsentItem(db.Model):
    """One thing one person wrote that stays theirs until they agree to pass it on.

    `text` is the author's words and is only ever read by those `access.reads_whole` names;
    others read `shared_text`: exactly the words the author agreed to pass on (theirs, or a
    mediator's rephrasing they approved), or nothing. Once shared, an item does not change.
    """

    __tablename__ = "consent_item"
    __table_args__ = (UniqueConstraint("meeting_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str] = mapped_column(String(64))
    # Whose words these are: the party, or the child (also when their advocate typed them).
    author_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    # The advocate who typed it on the child's behalf; None when the author did.
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    kind: Mapped[ItemKind] = mapped_column(enum_column(ItemKind, 24))
    text: Mapped[str] = mapped_column(Text)
    sharing: Mapped[Sharing] = mapped_column(enum_column(Sharing, 16), default=Sharing.NOBODY)
    # A party taken off the list takes nothing of the author's with them.
    passed_to_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    # Who it was passed to, by id, when it was passed to every other party: fixed at that moment.
    passed_to_ids: Mapped[str] = mapped_column(String(200), default="")
    shared_text: Mapped[str | None] = mapped_column(Text)
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The mediator's rephrasing, waiting for the author to approve it; passed on only then.
    suggestion: Mapped[str | None] = mapped_column(Text)
    suggested_by: Mapped[str] = mapped_column(String(120), default="")
    # The session of a mediation it was written in.
    session_number: Mapped[int] = mapped_column(default=1)
    revision: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[Participant] = relationship(foreign_keys=[author_id])
    written_by: Mapped[Participant | None] = relationship(foreign_keys=[written_by_id])
    passed_to: Mapped[Participant | None] = relationship(foreign_keys=[passed_to_id])

    @property
    def is_shared(self) -> bool:
        return self.sharing is not Sharing.NOBODY

    @property
    def receivers(self) -> list[int]:
        """The parties it was passed on to, by id."""
        if self.sharing is Sharing.PARTY and self.passed_to_id is not None:
            return [self.passed_to_id]
        if self.sharing is Sharing.PARTIES:
            return [int(part) for part in self.passed_to_ids.split() if part.isdigit()]
        return []


class Term(db.Model):
    """A term of a mediation's agreement, in the mediator's wording; agreed once every party
    has accepted its current revision."""

    __tablename__ = "mediation_term"
    __table_args__ = (UniqueConstraint("meeting_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    # The proposal it was worded from, when there was one.
    from_item_id: Mapped[int | None] = mapped_column(ForeignKey("consent_item.id", ondelete="SET NULL"))
    revision: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    answers: Mapped[list["TermAnswer"]] = relationship(
        order_by="TermAnswer.id", cascade="all, delete-orphan", passive_deletes=True
    )


class TermAnswer(db.Model):
    """One party's answer to one revision of a term: accepted, or a change asked for."""

    __tablename__ = "mediation_term_answer"
    __table_args__ = (UniqueConstraint("term_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("mediation_term.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    revision: Mapped[int]
    accepted: Mapped[bool]
    # The change asked for: for the mediator, not for the other party.
    change: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
