"""Closing a meeting, and the chair's amendments to its plan afterwards.

Once closed a meeting is read-only: every live command is refused, its join
code and links stop working, and the phones show the summary. A chair may
still change the plan, and each change is recorded in the meeting's history
with who made it, when, and what it was.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from flask_babel import gettext as _

from facilitator.extensions import db
from facilitator.models import HistoryEntry, HistoryKind, Meeting, MeetingStatus, PlanAction
from facilitator.models.types import utcnow
from facilitator.services import changes, plan
from facilitator.services.errors import ValidationError


def close(meeting: Meeting, by: str) -> None:
    """End the meeting. Private family time must have ended: the family invites everyone back."""
    if meeting.status is MeetingStatus.CLOSED:
        raise ValidationError("meeting", _("This meeting has closed."))
    if meeting.status is not MeetingStatus.LIVE:
        raise ValidationError("meeting", _("Start the meeting first."))
    if meeting.in_private_time:
        raise ValidationError(
            "meeting", _("Private family time is on: the family invites everyone back first.")
        )
    meeting.status, meeting.closed_at = MeetingStatus.CLOSED, utcnow()
    meeting.timer_ends_at = meeting.timer_remaining = None
    meeting.lobby_open = False
    changes.record(meeting, "meeting_closed")
    _record(meeting, HistoryKind.MEETING_CLOSED, by)
    db.session.commit()


def _record(meeting: Meeting, kind: HistoryKind, by: str, detail: str = "") -> None:
    db.session.add(HistoryEntry(meeting_id=meeting.id, kind=kind, by=by, detail=detail))


def _amended(meeting: Meeting, by: str, detail: str) -> None:
    _record(meeting, HistoryKind.PLAN_AMENDED, by, detail)
    db.session.commit()


def _describe(action: PlanAction) -> str:
    parts = [action.what, action.who_name, action.by_when]
    return " · ".join(part for part in parts if part)


ACTION_FIELDS = {
    "what": lambda: _("what"),
    "who": lambda: _("who"),
    "by_when": lambda: _("by when"),
    "how_we_know": lambda: _("how we will know"),
}


def amend_action(
    meeting: Meeting, action_id: object, revision: object, details: plan.ActionDetails, by: str
) -> PlanAction:
    action = plan.find_action(meeting, action_id) if meeting.status is MeetingStatus.CLOSED else None
    before = {} if action is None else _action_fields(action)
    if action is not None:  # the form does not move an action between outcomes
        details = dataclasses.replace(details, outcome_id=action.outcome_id)
    action = plan.edit_action(meeting, action_id, revision, details, by, amending=True)
    changes = _differences(ACTION_FIELDS, before, _action_fields(action))
    if changes:
        _amended(
            meeting, by, _("Action changed: %(what)s", what=action.what) + " (" + "; ".join(changes) + ")"
        )
    return action


def _differences(labels: dict, before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Each field that changed, in words: 'by when: "Fridays" to "Mondays"'."""
    return [
        _("%(field)s: \u201c%(old)s\u201d to \u201c%(new)s\u201d", field=label(), old=before[f], new=after[f])
        for f, label in labels.items()
        if before[f] != after[f]
    ]


def _action_fields(action: PlanAction) -> dict[str, str]:
    return {
        "what": action.what,
        "who": action.who_name,
        "by_when": action.by_when,
        "how_we_know": action.how_we_know,
    }


def amend_add_action(meeting: Meeting, client_id: object, details: plan.ActionDetails, by: str) -> PlanAction:
    action, created = plan.add_action(meeting, client_id, details, by, amending=True)
    if created:
        _amended(meeting, by, _("Action added: %(action)s", action=_describe(action)))
    return action


def amend_remove_action(meeting: Meeting, action_id: object, revision: object, by: str) -> None:
    action = plan.find_action(meeting, action_id) if meeting.status is MeetingStatus.CLOSED else None
    described = "" if action is None else _describe(action)
    plan.remove_action(meeting, action_id, revision, amending=True)
    _amended(meeting, by, _("Action removed: %(action)s", action=described))


TERMS_FIELDS = {
    "contingency": lambda: _("what happens if the plan does not work"),
    "monitor": lambda: _("who checks the plan is happening"),
    "review_on": lambda: _("review date"),
}


def amend_terms(meeting: Meeting, revision: object, changes: dict[str, Any], by: str) -> None:
    terms = plan.terms_of(meeting)
    before = {field: str(getattr(terms, field) or "") for field in TERMS_FIELDS}
    terms = plan.save_terms(meeting, revision, changes, by, amending=True)
    after = {field: str(getattr(terms, field) or "") for field in TERMS_FIELDS}
    described = _differences(TERMS_FIELDS, before, after)
    if described:
        _amended(meeting, by, "; ".join(described))
