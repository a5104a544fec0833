"""Retention: how long a closed meeting is kept, and deleting what has been kept long enough.

The record a council keeps of a meeting is the one in its own case system: this tool holds
the meeting, not the file. A closed meeting is kept `MEETING_RETENTION_DAYS` after it closed,
long enough to print or export its summary, check it, make amendments and set up its review;
then everything recorded in it is deleted, in every table. Deleting the meeting's row is
enough: every row that belongs to a meeting refers to it, or to a row that does, with
``ON DELETE CASCADE`` (SQLite enforces it because `database.py` turns foreign keys on). No
file is ever written for a meeting (PDFs and CSVs are drawn in memory as they are sent), so
there is nothing on disk to remove.

- An open meeting (scheduled or live) is never deleted here, however old: only a chair
  deletes one that will not happen.
- A closed meeting that a kept meeting reviews is kept as long as that review is: a family's
  meetings stay one chain while its latest is kept, and the review can still show what it
  carried on from.

The audit trail (`services/audit.py`) names a meeting by its id, without a foreign key, so
its entries outlive the meeting they describe, as far as `AUDIT_RETENTION_DAYS` says, counted
from when each entry was written; then they are deleted too.

Each meeting is deleted in its own transaction, after checking again, with its row locked,
that it is still past its time, so running this twice, or on a schedule beside the app, is
harmless. What is reported holds ids, dates and counts, never a name or a word said.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from facilitator.extensions import db
from facilitator.models import AuditEntry, Meeting, MeetingStatus
from facilitator.models.types import utcnow
from facilitator.services import audit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExpiredMeeting:
    """A closed meeting past its retention, and how many rows of each table are about it."""

    id: int
    title: str
    closed_at: datetime
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass
class Purge:
    """What a purge deleted (or, in a dry run, would delete)."""

    meetings: list[ExpiredMeeting] = field(default_factory=list)
    audit_entries: int = 0


def meeting_cutoff(now: datetime | None = None) -> datetime:
    """Meetings closed before this are past their retention."""
    return (now or utcnow()) - timedelta(days=current_app.config["MEETING_RETENTION_DAYS"])


def audit_cutoff(now: datetime | None = None) -> datetime:
    """Audit entries written before this are past their retention."""
    return (now or utcnow()) - timedelta(days=current_app.config["AUDIT_RETENTION_DAYS"])


def _expired_ids(cutoff: datetime) -> list[int]:
    """Closed before the cutoff, and not reviewed by a meeting that is kept; oldest first."""
    columns = (Meeting.id, Meeting.status, Meeting.closed_at, Meeting.review_of_id)
    rows = db.session.execute(select(*columns)).all()
    kept = {
        row.id
        for row in rows
        if row.status != MeetingStatus.CLOSED or row.closed_at is None or row.closed_at >= cutoff
    }
    reviews = {row.id: row.review_of_id for row in rows}
    for meeting_id in list(kept):  # the meetings a kept meeting reviews, back along the chain
        reviewed = reviews.get(meeting_id)
        while reviewed is not None and reviewed not in kept:
            kept.add(reviewed)
            reviewed = reviews.get(reviewed)
    closed = sorted((row for row in rows if row.id not in kept), key=lambda row: (row.closed_at, row.id))
    return [row.id for row in closed]


def _rows_about(meeting_id: int) -> dict[str, int]:
    """Rows of each table that hold a `meeting_id` column naming this meeting (rows about them,
    such as the answers to a mediation's terms, go with them)."""
    counts = {}
    for table in db.metadata.sorted_tables:
        column = table.columns.get("meeting_id")
        if column is None or not any(key.column.table.name == "meeting" for key in column.foreign_keys):
            continue
        count = db.session.scalar(select(func.count()).select_from(table).where(column == meeting_id))
        if count:
            counts[table.name] = count
    return counts


def _describe(meeting: Meeting) -> ExpiredMeeting:
    return ExpiredMeeting(
        id=meeting.id,
        title=meeting.title,
        closed_at=meeting.closed_at,
        rows={"meeting": 1, **_rows_about(meeting.id)},
    )


def expired_meetings(now: datetime | None = None) -> list[ExpiredMeeting]:
    """The closed meetings past their retention, oldest first: what a purge would delete."""
    expired = _expired_ids(meeting_cutoff(now))
    found = [_describe(db.session.get(Meeting, meeting_id)) for meeting_id in expired]
    db.session.rollback()
    return found


def purge_meeting(meeting_id: int, now: datetime | None = None) -> ExpiredMeeting | None:
    """Delete one meeting past its retention, and everything recorded in it, in one transaction.
    None, and nothing deleted, if it is gone already or no longer past its retention."""
    try:
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is None:
            return None
        if db.session.get_bind().dialect.name == "postgresql":
            meeting = db.session.get(Meeting, meeting_id, with_for_update=True, populate_existing=True)
        if meeting is None or meeting_id not in _expired_ids(meeting_cutoff(now)):
            db.session.rollback()
            return None
        deleted = _describe(meeting)
        db.session.expunge(meeting)
        db.session.execute(delete(Meeting).where(Meeting.id == meeting_id))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    db.session.expire_all()
    log.info(
        "retention: deleted meeting %s (closed %s): %s rows",
        deleted.id,
        deleted.closed_at.date().isoformat(),
        deleted.total_rows,
    )
    return deleted


def expired_audit_entries(now: datetime | None = None) -> int:
    """How many audit entries are past their retention."""
    count = db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.at < audit_cutoff(now))
    )
    db.session.rollback()
    return count or 0


def purge_audit_entries(now: datetime | None = None) -> int:
    """Delete the audit entries past their retention, in one transaction; how many went."""
    try:
        deleted = audit.purge_older_than(audit_cutoff(now))
    except Exception:
        db.session.rollback()
        raise
    if deleted:
        log.info("retention: deleted %s audit entries", deleted)
    return deleted


def purge_expired(now: datetime | None = None, *, dry_run: bool = False) -> Purge:
    """Delete every closed meeting past its retention, one transaction each, then the audit
    entries past theirs. With `dry_run`, only say what would go."""
    now = now or utcnow()
    if dry_run:
        return Purge(expired_meetings(now), expired_audit_entries(now))
    purge = Purge()
    candidates = _expired_ids(meeting_cutoff(now))
    db.session.rollback()
    for meeting_id in candidates:
        deleted = purge_meeting(meeting_id, now)
        if deleted is not None:
            purge.meetings.append(deleted)
    purge.audit_entries = purge_audit_entries(now)
    return purge
