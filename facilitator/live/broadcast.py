"""Every server -> client emit, each with its audience.

Nothing else in the app calls ``socketio.emit``: this file is the whole
outgoing protocol, so who receives what can be checked in one place. Every
event about a meeting carries the meeting's version, and every change reaches
every room that may see the meeting, so a client that sees a gap in versions
knows it missed something and calls `sync`.
"""

from __future__ import annotations

import time

from facilitator import __version__
from facilitator.access import Viewer
from facilitator.extensions import socketio
from facilitator.live import rooms, snapshot
from facilitator.models import Admission, Contribution, Meeting, Outcome, Participant, PlanAction, Side, Stage
from facilitator.services import contributions


def server_time_ms() -> int:
    return int(time.time() * 1000)


def hello(sid: str, viewer: Viewer) -> None:
    """To the one socket that has just connected: who the server takes it for, and its clock."""
    socketio.emit(
        "hello",
        {"viewer": viewer.kind.value, "server_time": server_time_ms(), "app_version": __version__},
        to=sid,
    )


def meeting_changed(meeting: Meeting) -> None:
    """To everyone who may see the meeting: where it is (stage, timer, lobby, agenda)."""
    socketio.emit(
        "meeting_changed",
        {"version": meeting.version, "meeting": snapshot.meeting_state(meeting)},
        to=rooms.everyone_in(meeting.id),
    )


def people_changed(meeting: Meeting) -> None:
    """To the chairs: everyone, lobby included. To the screen and the people let in: who is here."""
    everyone = [snapshot.person(p) for p in meeting.participants]
    admitted = [p for p in everyone if p["admission"] == Admission.ADMITTED.value]
    socketio.emit(
        "people_changed", {"version": meeting.version, "people": everyone}, to=rooms.chairs(meeting.id)
    )
    socketio.emit("people_changed", {"version": meeting.version, "people": admitted}, to=_room(meeting.id))


def _room(meeting_id: int) -> list[str]:
    """Everyone but the chairs: the room screen and the people let in."""
    return [rooms.screen(meeting_id), *(rooms.side(meeting_id, which) for which in Side)]


def contribution_added(meeting: Meeting, item: Contribution) -> None:
    """What someone has just said, and the round it was said in (the talking piece may have
    moved on). The chairs see it whole; the room sees it as the chair shows the round."""
    stage = snapshot.stage(item.stage)
    for audience, full in ((rooms.chairs(meeting.id), True), (_room(meeting.id), False)):
        socketio.emit(
            "contribution_added",
            {
                "version": meeting.version,
                "contribution": snapshot.contribution(item, full=full),
                "stage": stage,
            },
            to=audience,
        )


def round_changed(meeting: Meeting, stage: Stage) -> None:
    """A round's settings, turn or scores changed: the stage, and everything said in it as
    each audience may now see it (showing names again, for instance)."""
    said = [item for item in contributions.of_meeting(meeting) if item.stage_id == stage.id]
    state = snapshot.stage(stage)
    for audience, full in ((rooms.chairs(meeting.id), True), (_room(meeting.id), False)):
        socketio.emit(
            "round_changed",
            {
                "version": meeting.version,
                "stage": state,
                "contributions": [snapshot.contribution(item, full=full) for item in said],
            },
            to=audience,
        )


def outcome_saved(meeting: Meeting, item: Outcome) -> None:
    """To everyone who may see the meeting: an outcome added or changed."""
    socketio.emit(
        "outcome_saved",
        {"version": meeting.version, "outcome": snapshot.outcome(item)},
        to=rooms.everyone_in(meeting.id),
    )


def outcome_removed(meeting: Meeting, outcome_id: int) -> None:
    """To everyone who may see the meeting: an outcome removed; its actions stay, under no outcome."""
    socketio.emit(
        "outcome_removed", {"version": meeting.version, "id": outcome_id}, to=rooms.everyone_in(meeting.id)
    )


def action_saved(meeting: Meeting, item: PlanAction) -> None:
    """To everyone who may see the meeting: an action added, changed or accepted."""
    socketio.emit(
        "action_saved",
        {"version": meeting.version, "action": snapshot.action(item)},
        to=rooms.everyone_in(meeting.id),
    )


def action_removed(meeting: Meeting, action_id: int) -> None:
    socketio.emit(
        "action_removed", {"version": meeting.version, "id": action_id}, to=rooms.everyone_in(meeting.id)
    )


def admission_changed(person: Participant) -> None:
    """To the person's own phones only: let in (`admitted`) or turned away (`declined`)."""
    event = {Admission.ADMITTED: "admitted", Admission.DECLINED: "declined"}.get(person.admission)
    if event is not None:
        socketio.emit(event, {"version": person.meeting.version}, to=rooms.person(person.id))
