"""The state of a meeting as one viewer may see it, for `sync` and for events.

Built from the database on every call and filtered through `access.py`, so
what a socket receives never depends on what it received before.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from facilitator import access
from facilitator.access import Viewer
from facilitator.models import Admission, Contribution, Meeting, Participant, Stage
from facilitator.services import contributions, people


def _ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def person(participant: Participant) -> dict[str, Any]:
    return {
        "id": participant.id,
        "name": participant.name,
        "relation": participant.relation,
        "side": participant.side.value,
        "flags": sorted(people.flags_of(participant)),
        "admission": participant.admission.value,
        "presence": presence(participant),
    }


def presence(participant: Participant) -> str:
    """online, connection lost (was here, no phone connected now), left, or not yet arrived."""
    if participant.left_at is not None:
        return "left"
    if participant.connections > 0:
        return "online"
    return "lost" if participant.joined_at is not None else "absent"


def stage(item: Stage) -> dict[str, Any]:
    return {
        "id": item.id,
        "position": item.position,
        "kind": item.kind.value,
        "title": item.title,
        "questions": item.questions,
        "minutes": item.minutes,
        "takes_answers": item.kind in contributions.ANSWERED_IN,
    }


def meeting_state(meeting: Meeting) -> dict[str, Any]:
    """Where the meeting is: the same for everyone who may see it."""
    return {
        "id": meeting.id,
        "title": meeting.title,
        "purpose": meeting.purpose,
        "status": meeting.status.value,
        "current_position": meeting.current_position,
        "lobby_open": meeting.lobby_open,
        "timer": {"ends_at": _ms(meeting.timer_ends_at), "remaining": meeting.timer_remaining},
        "stages": [stage(item) for item in meeting.stages],
    }


def contribution(item: Contribution) -> dict[str, Any]:
    return {
        "id": item.id,
        "client_id": item.client_id,
        "stage_id": item.stage_id,
        "participant_id": item.participant_id,
        "name": item.participant.name,
        "text": item.text,
        "at": _ms(item.created_at),
    }


def people_for(viewer: Viewer, meeting: Meeting) -> list[dict[str, Any]]:
    """Chairs see everyone, lobby included; everyone else sees who has been let in."""
    if viewer.is_chair:
        return [person(p) for p in meeting.participants]
    return [person(p) for p in meeting.participants if p.admission is Admission.ADMITTED]


def for_viewer(viewer: Viewer, meeting: Meeting) -> dict[str, Any]:
    """A person in the lobby sees only where they stand; everyone allowed sees the meeting."""
    snapshot: dict[str, Any] = {"version": meeting.version, "meeting": {"id": meeting.id}}
    if viewer.is_participant and viewer.participant is not None:
        snapshot["you"] = person(viewer.participant)
    if not access.may_see_content(viewer, meeting):
        return snapshot
    snapshot["meeting"] = meeting_state(meeting)
    snapshot["people"] = people_for(viewer, meeting)
    snapshot["contributions"] = [contribution(item) for item in contributions.of_meeting(meeting)]
    return snapshot
