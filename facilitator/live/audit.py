"""The audit trail's note of a live command that changes the plan, the people, private time or
closing: one entry, written by the command's own commit (`services.audit`). Answers in rounds,
moving between stages and the timer are not noted: the meeting's event log has them."""

from __future__ import annotations

from flask import request

from facilitator.access import Viewer
from facilitator.models import Meeting
from facilitator.models.types import is_row_id
from facilitator.services import audit


def note(viewer: Viewer, meeting: Meeting) -> None:
    """This command, by this viewer, in this meeting: the ids its details name (never its words),
    and, once committed, the version it raised the meeting to."""
    event = getattr(request, "event", None) or {}
    args = event.get("args") or ()
    details = args[0] if args and isinstance(args[0], dict) else {}
    subject = " ".join(
        f"{key}={value}" for key, value in sorted(details.items()) if key.endswith("_id") and is_row_id(value)
    )
    command = str(event.get("message", ""))
    audit.record(audit.LIVE + command, meeting, subject=subject, viewer=viewer, with_change=True)
