"""Running the meeting: the lobby, the stages, the timer. Chairs who run it only."""

from __future__ import annotations

from flask_babel import gettext as _

from facilitator.extensions import socketio
from facilitator.live.acks import ok
from facilitator.live import audit
from facilitator.live.commands import Refused, command, payload_of, running, running_chair
from facilitator.services import joining
from facilitator.services import running as run


@socketio.on("correct")
@command
def correct(payload=None):
    """A chair -> `{"participant_id", "side"?, "flags"?}`: a waiting person's side or flags
    corrected, stored at once. The chairs receive `people_changed`; admitting them uses it."""
    details = payload_of(payload, "participant_id", "side", "flags")
    viewer, meeting = running_chair()
    audit.note(viewer, meeting)
    joining.correct(meeting, details.get("participant_id"), details.get("side"), details.get("flags"))
    return ok(version=meeting.version)


@socketio.on("admit")
@command
def admit(payload=None):
    """A chair -> `{"participant_id"}`: let a person in from the lobby, as the chairs have
    corrected them. Their phones receive `admitted`; everyone `people_changed`."""
    details = payload_of(payload, "participant_id")
    viewer, meeting = running_chair()
    audit.note(viewer, meeting)
    joining.admit(meeting, details.get("participant_id"))
    return ok(version=meeting.version)


@socketio.on("admit_all")
@command
def admit_all(payload=None):
    """A chair -> let everyone in the lobby in."""
    payload_of(payload)
    viewer, meeting = running_chair()
    audit.note(viewer, meeting)
    joining.admit_all(meeting)
    return ok(version=meeting.version)


@socketio.on("decline")
@command
def decline(payload=None):
    """A chair -> turn a person away from the lobby; their phones receive `declined`."""
    details = payload_of(payload, "participant_id")
    viewer, meeting = running_chair()
    audit.note(viewer, meeting)
    joining.decline(meeting, details.get("participant_id"))
    return ok(version=meeting.version)


@socketio.on("start")
@command
def start(payload=None):
    """A chair -> start the meeting at its first stage. Everyone receives `meeting_changed`."""
    payload_of(payload)
    meeting = running()
    run.start(meeting)
    return ok(version=meeting.version)


@socketio.on("go_to")
@command
def go_to(payload=None):
    """A chair -> move to the stage at `position` (0-based): next, previous or any."""
    details = payload_of(payload, "position")
    meeting = running()
    run.go_to(meeting, details.get("position"))
    return ok(version=meeting.version)


@socketio.on("timer")
@command
def timer(payload=None):
    """A chair -> `{"action": "start" | "pause"}` or `{"action": "add", "minutes": int}`."""
    details = payload_of(payload, "action", "minutes")
    meeting = running()
    action = details.get("action")
    if action == "start":
        run.timer_start(meeting)
    elif action == "pause":
        run.timer_pause(meeting)
    elif action == "add":
        run.timer_add(meeting, details.get("minutes"))
    else:
        raise Refused("invalid", _("Start, pause or add minutes to the timer."))
    return ok(version=meeting.version)


@socketio.on("lobby")
@command
def lobby(payload=None):
    """A chair -> `{"open": bool}`: while open, the room screen shows how to join."""
    details = payload_of(payload, "open")
    meeting = running()
    run.set_lobby(meeting, details.get("open"))
    return ok(version=meeting.version)
