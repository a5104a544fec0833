"""Recent attempts, kept briefly so that guessing and flooding slow down."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.extensions import db
from facilitator.models.types import UTCDateTime, utcnow


class ThrottleEvent(db.Model):
    """One attempt counted against a limit: a failed sign-in, a join.

    Keyed by a keyed hash of what is limited (an e-mail address, a network
    address), so the table holds no personal data in the clear; in the
    database, so every server process counts the same.
    """

    __tablename__ = "throttle_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
