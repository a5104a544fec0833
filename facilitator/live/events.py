"""Client -> server commands. Each handler is thin: identify, validate, call, ack.

Identity comes from the session cookie the socket connected with, never from
a payload; a handler that fails answers an error ack instead of dropping the
connection.
"""

import logging

from flask import request
from flask_babel import gettext as _
from flask_socketio import ConnectionRefusedError

from facilitator import access
from facilitator.extensions import socketio
from facilitator.live import broadcast
from facilitator.live.acks import ok, refused

log = logging.getLogger(__name__)


@socketio.on("connect")
def connect(auth=None):
    """Any client: accepted only when the server can say who it is."""
    viewer = access.current_viewer()
    if not access.may_connect(viewer):
        raise ConnectionRefusedError("unauthorised")
    broadcast.hello(request.sid, viewer)


@socketio.on("clock")
def clock(payload=None):
    """Any client -> ack with the server's time, to correct timers for the device's clock."""
    if payload not in (None, {}):
        return refused("invalid", _("This command takes no details."))
    return ok(server_time=broadcast.server_time_ms())


@socketio.on_error_default
def unexpected(error: Exception):
    """A handler failed: log it, answer an error ack, keep the connection and the server."""
    log.error("live command %r failed", request.event.get("message"), exc_info=error)
    return refused("internal", _("Something went wrong on our side. Please try again."))
