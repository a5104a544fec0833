"""Chairs: the only people with accounts (participants join with a device token)."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.extensions import db
from facilitator.models.types import UTCDateTime, utcnow


class Chair(db.Model):
    """A conference chair, FGC coordinator, mediator or family coach."""

    __tablename__ = "chair"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so that login does not depend on how it was typed.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    # Part of every session; raising it (a new password) ends every other session.
    session_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Chair {self.id}>"
