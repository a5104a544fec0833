"""The state of a meeting as one viewer may see it, for `sync`.

Built from the database on every call and filtered through `access.py`, so
what a socket receives never depends on what it received before.
"""

from __future__ import annotations

from typing import Any

from facilitator import access
from facilitator.access import Viewer
from facilitator.models import Meeting, Participant
from facilitator.services import people


def person(participant: Participant) -> dict[str, Any]:
    return {
        "id": participant.id,
        "name": participant.name,
        "relation": participant.relation,
        "side": participant.side.value,
        "flags": sorted(people.flags_of(participant)),
        "admission": participant.admission.value,
    }


def meeting_summary(meeting: Meeting) -> dict[str, Any]:
    return {"id": meeting.id, "title": meeting.title, "status": meeting.status.value}


def for_viewer(viewer: Viewer, meeting: Meeting) -> dict[str, Any]:
    """Chairs see everyone, lobby included; a person let in sees the meeting; a person
    in the lobby sees only where they stand."""
    snapshot: dict[str, Any] = {"version": meeting.version, "meeting": {"id": meeting.id}}
    if viewer.is_participant and viewer.participant is not None:
        snapshot["you"] = person(viewer.participant)
    if not access.may_see_content(viewer, meeting):
        return snapshot
    snapshot["meeting"] = meeting_summary(meeting)
    if viewer.is_chair:
        snapshot["people"] = [person(p) for p in meeting.participants]
    return snapshot
