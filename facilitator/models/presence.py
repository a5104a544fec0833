"""Which server process holds which phone's connection, so that any process can tell who is
here, and put it right when another process dies."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.extensions import db
from facilitator.models.types import UTCDateTime, utcnow


class LiveNode(db.Model):
    """A running server process, and when it last said it was alive."""

    __tablename__ = "live_node"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LiveConnection(db.Model):
    """One phone's open connection, held by one process."""

    __tablename__ = "live_connection"

    node_id: Mapped[str] = mapped_column(ForeignKey("live_node.id", ondelete="CASCADE"), primary_key=True)
    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
