"""Connecting, following a meeting, syncing, and leaving it."""

from __future__ import annotations

import logging

from flask import request
from flask_babel import gettext as _
from flask_socketio import ConnectionRefusedError

from facilitator import access
from facilitator.extensions import db, socketio
from facilitator.live import broadcast, connections, guard, snapshot
from facilitator.live.acks import ok, refused
from facilitator.live.commands import Refused, command, identify, meeting_and_person, payload_of, place
from facilitator.models import Meeting
from facilitator.models.types import is_row_id
from facilitator.services import presence, running

log = logging.getLogger(__name__)


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
    found = meeting_and_person(meeting_id) if is_row_id(meeting_id) else None
    meeting, on_device = found if found is not None else (None, None)
    viewer = access.viewer_in(meeting, on_device, screen_token) if meeting else access.ANONYMOUS
    if meeting is None or not access.may_connect(viewer):
        raise ConnectionRefusedError("unauthorised")
    person = viewer.participant if viewer.is_participant else None
    connections.follow(request.sid, connections.Following(meeting.id, person and person.id, screen_token))
    place(viewer, meeting)
    broadcast.hello(request.sid, viewer, _caught_up(viewer, meeting, auth.get("since")))
    if person is not None:
        presence.hold(request.sid, person.id)
        broadcast.presence_changed(meeting.id, presence.Moved(request.sid, person.id, came=True))


def _caught_up(viewer: access.Viewer, meeting: Meeting, since: object) -> int | None:
    """A page coming back names the version it has: it is sent what it missed (before `hello`,
    which says so), and needs no `sync`. Only for a view that follows versions (not the lobby, not
    someone shut out of private family time: their page is drawn from a snapshot)."""
    if since is None:
        return None
    reader = access.recipient_for(viewer, meeting, room=request.sid)
    return broadcast.catch_up(meeting, reader, since) if reader.view in access.TICKED else None


@socketio.on("disconnect")
def disconnect(reason=None):
    """A socket went: if it was a person's phone, everyone who sees presence is told."""
    following = connections.forget(request.sid)
    if following is not None and following.participant_id is not None:
        broadcast.presence_changed(
            following.meeting_id, presence.Moved(request.sid, following.participant_id, came=False)
        )


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
    set again from its identity now (after admission, for instance). With `{"since": <the
    version it last applied>}` (as a page coming back names it on connecting; pages drawn before
    that did so here), it is sent only the events it missed, from the meeting's log, and the
    ack says `caught_up`; the whole snapshot only when the log cannot say."""
    details = payload_of(payload, "since")
    viewer, meeting = identify(reading=True)
    place(viewer, meeting)
    caught_up = _caught_up(viewer, meeting, details.get("since"))
    if caught_up is not None:
        return ok(caught_up=caught_up)
    return ok(snapshot=snapshot.for_viewer(viewer, meeting))


@socketio.on("leave")
@command
def leave(payload=None):
    """A person -> they are leaving the meeting; everyone who sees presence is told."""
    payload_of(payload)
    viewer, meeting = identify()
    if not viewer.is_participant:
        raise Refused("forbidden", _("Only people in the meeting can leave it."))
    running.leave(viewer.participant)
    return ok(version=meeting.version)


# A failing command is logged with its traceback at most once a connection a minute: a client
# repeating one that fails cannot fill the log.
failures = guard.Quiet(log, "failed live commands", level=logging.ERROR)


@socketio.on_error_default
def unexpected(error: Exception):
    """A handler failed: log it, answer an error ack, keep the connection and the server."""
    db.session.rollback()
    failures.note(request.sid, f"{request.event.get('message')!r} failed", exc_info=error)
    return refused("internal", _("Something went wrong on our side. Please try again."))
