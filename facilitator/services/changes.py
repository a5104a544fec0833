"""One path for every change to a meeting, from a page or a socket alike.

A change locks the meeting's row, raises its version once, in SQL (`version = version + 1
... RETURNING`), and records what it did as events in the meeting's log, all in its own
transaction. Nothing else writes `meeting.version`: a guard refuses a flush that tries.
After the commit, `committed()` hands the events to `live/broadcast.publish`, which decides
who receives each one (`access.py`). A rollback forgets them with the change.

News that is not a change (a phone connecting) is `tell`: published the same way, with the
version the meeting has, and not logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, event, insert, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from facilitator.extensions import db
from facilitator.models import Meeting, MeetingEvent

_RAISE = (
    update(Meeting.__table__)
    .where(Meeting.id == bindparam("meeting"))
    .values(version=Meeting.version + 1)
    .returning(Meeting.version)
)
_LOG = insert(MeetingEvent.__table__)
_LOCK = select(Meeting).where(Meeting.id == bindparam("meeting")).with_for_update()
_OPEN, _DONE, _NEWS = "facilitator.changes", "facilitator.committed", "facilitator.news"


@dataclass
class Change:
    """What one transaction is doing to one meeting: the version it raised it to, and its events."""

    version: int
    events: list[MeetingEvent] = field(default_factory=list)


def lock(meeting: Meeting) -> Meeting:
    """Lock the meeting's row before checking anything a change depends on, and read it afresh
    (PostgreSQL; SQLite lets one writer in at a time). Socket commands lock as they identify
    the socket; pages that write call this."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(_LOCK.execution_options(populate_existing=True), {"meeting": meeting.id})
    return meeting


def record(
    meeting: Meeting, kind: str, *, audience: str = "", subject: object = None, **about: Any
) -> MeetingEvent:
    """Record that `kind` happened in this change (`about`: ids, never words). The first event
    of a transaction raises the meeting's version; the others share it. `subject`, the item
    itself, is kept with the event until it is published, so telling of it reads nothing again."""
    changes: dict[int, Change] = db.session.info.setdefault(_OPEN, {})
    change = changes.get(meeting.id)
    if change is None:
        version = db.session.execute(_RAISE, {"meeting": meeting.id}).scalar_one()
        set_committed_value(meeting, "version", version)
        change = changes[meeting.id] = Change(version)
    fields = {
        "meeting_id": meeting.id,
        "version": change.version,
        "position": len(change.events),
        "kind": kind,
        "payload": about,
        "audience": audience,
    }
    # Written as one statement, not through the unit of work: most changes then leave the
    # session nothing to work out at commit. The object is what `publish` reads.
    db.session.execute(_LOG, fields)
    item = MeetingEvent(**fields)
    item.subject = subject
    change.events.append(item)
    return item


def record_for(meeting: Meeting, kind: str, participant_id: int, **about: Any) -> MeetingEvent:
    """Record an event that is for one person's phones alone."""
    from facilitator import access  # who an audience names is access's to say

    return record(meeting, kind, audience=access.one_person(participant_id), participant_id=participant_id, **about)


def tell(meeting: Meeting, kind: str, **about: Any) -> None:
    """News that changes nothing in the meeting itself (presence): published, not logged."""
    db.session.info.setdefault(_NEWS, []).append(
        MeetingEvent(
            meeting_id=meeting.id, version=meeting.version, position=0, kind=kind, payload=about, audience=""
        )
    )


def open_change(session: Session, meeting_id: int) -> Change | None:
    """What this transaction has done to a meeting so far (the audit trail notes its version)."""
    return session.info.get(_OPEN, {}).get(meeting_id)


def committed() -> list[MeetingEvent]:
    """The events committed since the last call, and any news, in order: once each."""
    return db.session.info.pop(_DONE, []) + db.session.info.pop(_NEWS, [])


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    for change in session.info.pop(_OPEN, {}).values():
        session.info.setdefault(_DONE, []).extend(change.events)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_OPEN, None)


@event.listens_for(Session, "before_flush")
def _only_changes_raise_the_version(session: Session, _context, _instances) -> None:
    for item in session.dirty:
        if isinstance(item, Meeting) and inspect(item).attrs.version.history.has_changes():
            raise RuntimeError("a meeting's version is raised by services.changes.record alone")
