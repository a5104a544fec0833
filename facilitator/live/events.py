"""Client -> server commands. Each handler is thin: identify, validate, call, ack.

Identity comes from the cookies the socket connected with (a chair's session,
a phone's device token) and the database, never from a payload; the meeting
a socket follows is named once, on connect, and checked against that
identity. A handler that fails answers an error ack instead of dropping the
connection.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from flask import request
from flask_babel import gettext as _
from flask_socketio import ConnectionRefusedError, join_room, leave_room, rooms

from facilitator import access
from facilitator.access import Viewer
from facilitator.extensions import db, socketio
from facilitator.live import broadcast, connections, snapshot
from facilitator.live import rooms as room_names
from facilitator.live.acks import ok, refused
from facilitator.models import Meeting
from facilitator.services import contributions, joining, running
from facilitator.services.errors import ServiceError

log = logging.getLogger(__name__)


class Refused(Exception):
    """A command that cannot be carried out; becomes an error ack."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _payload(payload: Any, *allowed: str) -> dict[str, Any]:
    """The command's details: an object with only the fields this command knows."""
    if payload is None:
        payload = {}
    if not isinstance(payload, dict) or not set(payload) <= set(allowed):
        raise Refused("invalid", _("These details do not fit this command."))
    return payload


def _identify() -> tuple[Viewer, Meeting]:
    """Who this socket is in the meeting it follows, worked out again from the database."""
    following = connections.of(request.sid)
    meeting = db.session.get(Meeting, following.meeting_id) if following is not None else None
    if meeting is None:
        raise Refused("unauthorised", _("This connection is not following a meeting."))
    viewer = access.viewer_in(meeting, request.cookies.get(access.DEVICE_COOKIE), following.screen_token)
    if not access.may_connect(viewer):
        raise Refused("unauthorised", _("You are no longer part of this meeting."))
    return viewer, meeting


def _running() -> Meeting:
    viewer, meeting = _identify()
    if not access.may_run(viewer, meeting):
        raise Refused("forbidden", _("Only the meeting's chairs can do that."))
    return meeting


def _place(viewer: Viewer, meeting: Meeting) -> None:
    """Put the socket in exactly the rooms its identity allows now."""
    wanted = room_names.for_viewer(viewer, meeting)
    for room in set(rooms()) - wanted - {request.sid}:
        leave_room(room)
    for room in wanted:
        join_room(room)


def command(handler):
    """Turn refusals into error acks; a command never drops its connection."""

    @functools.wraps(handler)
    def wrapped(payload=None):
        try:
            return handler(payload)
        except Refused as refusal:
            return refused(refusal.code, refusal.message)
        except ServiceError as error:
            db.session.rollback()
            return refused(error.code, error.message)

    return wrapped


@socketio.on("connect")
def connect(auth=None):
    """Any client. A chair may connect to follow nothing (pages without a meeting); to follow
    a meeting, `auth` is `{"meeting": <id>}` and the socket must be a chair of it or a
    person on it (lobby included). Unknown meetings and strangers get the same refusal."""
    meeting_id = auth.get("meeting") if isinstance(auth, dict) else None
    screen_token = auth.get("screen") if isinstance(auth, dict) else None
    if meeting_id is None:
        viewer = access.current_viewer()
        if not viewer.is_chair:
            raise ConnectionRefusedError("unauthorised")
        broadcast.hello(request.sid, viewer)
        return
    if screen_token is not None and not isinstance(screen_token, str):
        raise ConnectionRefusedError("unauthorised")
    meeting = db.session.get(Meeting, meeting_id) if type(meeting_id) is int else None
    viewer = (
        access.viewer_in(meeting, request.cookies.get(access.DEVICE_COOKIE), screen_token)
        if meeting
        else access.ANONYMOUS
    )
    if meeting is None or not access.may_connect(viewer):
        raise ConnectionRefusedError("unauthorised")
    person = viewer.participant if viewer.is_participant else None
    connections.follow(request.sid, connections.Following(meeting.id, person and person.id, screen_token))
    _place(viewer, meeting)
    broadcast.hello(request.sid, viewer)
    if person is not None:
        running.connected(person)
        broadcast.people_changed(meeting)


@socketio.on("disconnect")
def disconnect(reason=None):
    """A socket went: if it was a person's phone, everyone who sees presence is told."""
    following = connections.forget(request.sid)
    if following is not None and following.participant_id is not None:
        running.disconnected(following.participant_id)
        meeting = db.session.get(Meeting, following.meeting_id)
        if meeting is not None:
            broadcast.people_changed(meeting)


@socketio.on("clock")
def clock(payload=None):
    """Any client -> ack with the server's time, to correct timers for the device's clock."""
    if payload not in (None, {}):
        return refused("invalid", _("This command takes no details."))
    return ok(server_time=broadcast.server_time_ms())


@socketio.on("sync")
@command
def sync(payload=None):
    """Any client following a meeting -> ack with the snapshot it may see; its rooms are
    set again from its identity now (after admission, for instance)."""
    _payload(payload)
    viewer, meeting = _identify()
    _place(viewer, meeting)
    return ok(snapshot=snapshot.for_viewer(viewer, meeting))


@socketio.on("admit")
@command
def admit(payload=None):
    """A chair -> let a person in from the lobby, optionally with a corrected side and flags.
    The person's phones receive `admitted`; the chairs receive `people_changed`."""
    details = _payload(payload, "participant_id", "side", "flags")
    flags = details.get("flags")
    if flags is not None and (not isinstance(flags, list) or not all(isinstance(f, str) for f in flags)):
        raise Refused("invalid", _("Flags are a list of names."))
    side = details.get("side")
    if side is not None and not isinstance(side, str):
        raise Refused("invalid", _("Choose family and friends, or professional."))
    meeting = _running()
    person = joining.admit(meeting, details.get("participant_id"), side=side, flags=flags)
    broadcast.admission_changed(person)
    broadcast.people_changed(meeting)
    return ok(version=meeting.version)


@socketio.on("admit_all")
@command
def admit_all(payload=None):
    """A chair -> let everyone in the lobby in."""
    _payload(payload)
    meeting = _running()
    for person in joining.admit_all(meeting):
        broadcast.admission_changed(person)
    broadcast.people_changed(meeting)
    return ok(version=meeting.version)


@socketio.on("decline")
@command
def decline(payload=None):
    """A chair -> turn a person away from the lobby; their phones receive `declined`."""
    details = _payload(payload, "participant_id")
    meeting = _running()
    person = joining.decline(meeting, details.get("participant_id"))
    broadcast.admission_changed(person)
    broadcast.people_changed(meeting)
    return ok(version=meeting.version)


@socketio.on("start")
@command
def start(payload=None):
    """A chair -> start the meeting at its first stage. Everyone receives `meeting_changed`."""
    _payload(payload)
    meeting = _running()
    running.start(meeting)
    broadcast.meeting_changed(meeting)
    return ok(version=meeting.version)


@socketio.on("go_to")
@command
def go_to(payload=None):
    """A chair -> move to the stage at `position` (0-based): next, previous or any."""
    details = _payload(payload, "position")
    meeting = _running()
    running.go_to(meeting, details.get("position"))
    broadcast.meeting_changed(meeting)
    return ok(version=meeting.version)


@socketio.on("timer")
@command
def timer(payload=None):
    """A chair -> `{"action": "start" | "pause"}` or `{"action": "add", "minutes": int}`."""
    details = _payload(payload, "action", "minutes")
    meeting = _running()
    action = details.get("action")
    if action == "start":
        running.timer_start(meeting)
    elif action == "pause":
        running.timer_pause(meeting)
    elif action == "add":
        running.timer_add(meeting, details.get("minutes"))
    else:
        raise Refused("invalid", _("Start, pause or add minutes to the timer."))
    broadcast.meeting_changed(meeting)
    return ok(version=meeting.version)


@socketio.on("lobby")
@command
def lobby(payload=None):
    """A chair -> `{"open": bool}`: while open, the room screen shows how to join."""
    details = _payload(payload, "open")
    meeting = _running()
    running.set_lobby(meeting, details.get("open"))
    broadcast.meeting_changed(meeting)
    return ok(version=meeting.version)


@socketio.on("contribute")
@command
def contribute(payload=None):
    """A person let in -> `{"client_id": str, "text": str}`: an answer to the current stage.
    Stored once per client id: a resend gets the same ack and nothing is broadcast again."""
    details = _payload(payload, "client_id", "text")
    viewer, meeting = _identify()
    if not access.may_contribute(viewer, meeting):
        raise Refused("forbidden", _("Only people in the meeting can answer here."))
    item, is_new = contributions.add(meeting, viewer.participant, details.get("client_id"), details.get("text"))
    if is_new:
        broadcast.contribution_added(meeting, item)
    return ok(version=meeting.version, contribution_id=item.id)


@socketio.on("leave")
@command
def leave(payload=None):
    """A person -> they are leaving the meeting; everyone who sees presence is told."""
    _payload(payload)
    viewer, meeting = _identify()
    if not viewer.is_participant:
        raise Refused("forbidden", _("Only people in the meeting can leave it."))
    running.leave(viewer.participant)
    broadcast.people_changed(meeting)
    return ok(version=meeting.version)


@socketio.on_error_default
def unexpected(error: Exception):
    """A handler failed: log it, answer an error ack, keep the connection and the server."""
    db.session.rollback()
    log.error("live command %r failed", request.event.get("message"), exc_info=error)
    return refused("internal", _("Something went wrong on our side. Please try again."))
