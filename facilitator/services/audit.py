"""The audit trail: who viewed, exported, printed or changed what in a meeting, when, and from
where; sign-ins, failed ones too; what admins did.

Append-only: `record` adds an entry, `page_of` and `entries` read them, and the one way an
entry leaves is `purge_older_than`, for the retention rules. Nothing here or anywhere else in
the app changes an entry.

An entry holds ids and short labels, never what anyone said or wrote and never a password.
The actor is the current viewer (`access.current_viewer()`, or the viewer a live command
identified) and the address is the client's as the app sees it (`request.remote_addr`).

A view (a summary printed, a PDF) is written and committed at once. A change is written in its
own transaction (`with_change=True`): the entry waits in the session and is inserted, in one
statement, as that transaction commits, with the version the change raised the meeting to; a
change that is refused or rolled back leaves no entry.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import delete, event, func, insert, select
from sqlalchemy.orm import Session

from facilitator.extensions import db
from facilitator.models import AuditEntry, Meeting
from facilitator.models.types import utcnow
from facilitator.services import accounts, changes, dates

# What was done. A change made through a page is "page:<endpoint>"; a live command,
# "live:<command>".
SIGN_IN = "sign_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGN_IN_REFUSED = "sign_in_refused"  # too many failures: refused unheard
SIGN_OUT = "sign_out"
SUMMARY_VIEWED = "summary_viewed"  # the printable page, which is what is printed
SUMMARY_PDF = "summary_pdf"
ACTIONS_CSV = "actions_csv"
CHAIR_CREATED = "chair_created"
AUDIT_EXPORTED = "audit_exported"
PERSON_EXPORTED = "person_exported"  # a subject access export, as a page, PDF or JSON
PAGE = "page:"
LIVE = "live:"

PAGE_SIZE = 50
CSV_COLUMNS = (
    "id",
    "at",
    "action",
    "actor_kind",
    "actor_id",
    "actor_name",
    "meeting_id",
    "meeting_version",
    "subject",
    "detail",
    "address",
)

_STAGED = "facilitator.audit"
_INSERT = insert(AuditEntry.__table__)
_LENGTHS = {"action": 80, "actor_name": 254, "subject": 200, "detail": 500, "address": 45}


def record(
    action: str,
    meeting: Meeting | int | None = None,
    *,
    subject: str = "",
    detail: str = "",
    viewer: Any = None,
    actor_name: str | None = None,
    with_change: bool = False,
) -> None:
    """Note that the current viewer (or `viewer`) did `action`, about `meeting` and `subject`.

    `actor_name` names someone the app does not know yet (the e-mail address given at a failed
    sign-in). With `with_change`, the entry is written by the transaction's own commit, if
    that transaction changes the meeting."""
    from facilitator import access  # access asks the services; they do not ask it back

    who = access.current_viewer() if viewer is None else viewer
    meeting_id = meeting.id if isinstance(meeting, Meeting) else meeting
    if meeting_id is None and who.is_screen:
        meeting_id = who.screen_of
    kind, actor_id, name = _actor(who)
    row = {
        "at": utcnow(),
        "action": action,
        "actor_kind": kind,
        "actor_id": actor_id,
        "actor_name": name if actor_name is None else actor_name,
        "meeting_id": meeting_id,
        "meeting_version": None,
        "subject": subject,
        "detail": detail,
        "address": (request.remote_addr or "") if has_request_context() else "",
    }
    for column, length in _LENGTHS.items():
        row[column] = row[column][:length]
    if has_app_context():
        g.audited = True  # the page's own note: `web.audit.record_page_change` adds none
    if with_change:
        db.session.info.setdefault(_STAGED, []).append(row)
        return
    db.session.execute(_INSERT, [row])
    db.session.commit()


def email_given(text: str | None) -> str:
    """The e-mail address typed at a sign-in, as the entry names it; anything that is not one
    (a password typed in the wrong box) is left out."""
    email = accounts.normalise_email(text or "")
    return email if len(email) <= 254 and accounts.EMAIL_PATTERN.match(email) else ""


def _actor(viewer) -> tuple[str, int | None, str]:
    if viewer.is_chair and viewer.chair is not None:
        return "chair", viewer.chair.id, f"{viewer.chair.display_name} <{viewer.chair.email}>"
    if viewer.is_participant and viewer.participant is not None:
        return "participant", viewer.participant.id, viewer.participant.name
    if viewer.is_screen:
        return "screen", None, ""
    return "anonymous", None, ""


@event.listens_for(Session, "before_commit")
def _write_staged(session: Session) -> None:
    """Write the entries of the changes this transaction made. An entry whose meeting this
    transaction did not change (a command refused, a resend that changed nothing) is dropped."""
    rows = []
    for row in session.info.pop(_STAGED, ()):
        change = changes.open_change(session, row["meeting_id"]) if row["meeting_id"] is not None else None
        if change is not None:
            rows.append({**row, "meeting_version": change.version})
    if rows:
        session.execute(_INSERT, rows)


@event.listens_for(Session, "after_rollback")
def _forget_staged(session: Session) -> None:
    session.info.pop(_STAGED, None)


@dataclass(frozen=True)
class Filter:
    """Which entries: every field left empty matches everything."""

    meeting_id: int | None = None
    actor: str = ""  # part of the name (or e-mail address), in any case
    action: str = ""  # the action; "live:" or "page:" for every one of those
    since: date | None = None  # from this day, in the council's time zone
    until: date | None = None  # to this day, included

    def conditions(self) -> list:
        found = []
        if self.meeting_id is not None:
            found.append(AuditEntry.meeting_id == self.meeting_id)
        if self.actor:
            found.append(func.lower(AuditEntry.actor_name).contains(self.actor.lower(), autoescape=True))
        if self.action.endswith(":"):
            found.append(AuditEntry.action.startswith(self.action, autoescape=True))
        elif self.action:
            found.append(AuditEntry.action == self.action)
        if self.since is not None:
            found.append(AuditEntry.at >= _start_of(self.since))
        if self.until is not None:
            found.append(AuditEntry.at < _start_of(self.until + timedelta(days=1)))
        return found


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=dates.council_zone())


@dataclass(frozen=True)
class Page:
    entries: list[AuditEntry]
    number: int
    has_previous: bool
    has_next: bool


def page_of(wanted: Filter, number: int = 1, size: int = PAGE_SIZE) -> Page:
    """One page of the entries that match, newest first."""
    number = max(number, 1)
    found = list(
        db.session.scalars(
            select(AuditEntry)
            .where(*wanted.conditions())
            .order_by(AuditEntry.id.desc())
            .offset((number - 1) * size)
            .limit(size + 1)
        )
    )
    return Page(found[:size], number, number > 1, len(found) > size)


def entries(wanted: Filter) -> Iterator[AuditEntry]:
    """Every entry that matches, oldest first, read in batches."""
    return iter(
        db.session.scalars(
            select(AuditEntry)
            .where(*wanted.conditions())
            .order_by(AuditEntry.id)
            .execution_options(yield_per=500)
        )
    )


def _cell(value: object) -> str:
    """A spreadsheet must not run what someone typed: text that starts like a formula is quoted."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_lines(found: Iterator[AuditEntry]) -> Iterator[str]:
    """The entries as CSV, a line at a time, every cell safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in found:
        values = [getattr(item, column) for column in CSV_COLUMNS]
        values[1] = item.at.isoformat()
        writer.writerow(_cell(value) for value in values)
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


def purge_older_than(cutoff: datetime) -> int:
    """Delete the entries written before `cutoff` (an aware datetime), for the retention rules;
    how many went. The only deletion of audit entries there is."""
    if cutoff.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous: pass an aware one")
    deleted = db.session.execute(delete(AuditEntry).where(AuditEntry.at < cutoff))
    db.session.commit()
    return deleted.rowcount
