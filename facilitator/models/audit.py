"""The audit trail: who viewed, exported, printed or changed what, when and from where."""

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.extensions import db
from facilitator.models.types import UTCDateTime, utcnow


class AuditEntry(db.Model):
    """One thing someone did, written once and never changed (`services/audit.py` only adds;
    the retention purge alone deletes, by age).

    Names are kept as they were, and the meeting by its id without a foreign key: the trail
    outlives a deleted meeting, a removed person and a deleted account. Entries hold ids and
    short labels, never what anyone said or wrote, and never a password."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_meeting_id_at", "meeting_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # What was done, as a stable code: "summary_viewed", "sign_in_failed", "live:add_outcome",
    # "page:agenda.add" (see `services/audit.py`).
    action: Mapped[str] = mapped_column(String(80), index=True)
    # Who: "chair", "participant", "screen" or "anonymous", their id, and their name (for a
    # chair their e-mail address; for a sign-in, the address given) as it was then.
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None]
    actor_name: Mapped[str] = mapped_column(String(254), default="")
    meeting_id: Mapped[int | None]
    # The version a live change raised the meeting to: its events in `meeting_event` say what
    # it did, by id.
    meeting_version: Mapped[int | None]
    # What it was about, by id ("copy=family", "stage_id=4", "chair 7").
    subject: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(String(500), default="")
    # The client's network address as the app sees it (behind a proxy, what the proxy says).
    address: Mapped[str] = mapped_column(String(45), default="")

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action}>"
