"""Private family time: the chair starts it; the family (or the chair) ends it."""

from __future__ import annotations

from flask_babel import gettext as _

from facilitator import access
from facilitator.extensions import socketio
from facilitator.live import broadcast
from facilitator.live.acks import ok
from facilitator.live.commands import Refused, command, identify, payload_of, running_chair
from facilitator.services import private_time


@socketio.on("start_private_time")
@command
def start_private_time(payload=None):
    """A chair who runs the meeting -> `{"stay": [participant ids]}`: the professionals the
    family chose to stay. Everyone receives `private_time_changed`; from then on the chairs
    and the other professionals receive nothing of the meeting until it ends."""
    details = payload_of(payload, "stay")
    viewer, meeting = running_chair()
    private_time.start(meeting, details.get("stay", []), access.name_of(viewer))
    broadcast.private_time_changed(meeting)
    return ok(version=meeting.version)


@socketio.on("end_private_time")
@command
def end_private_time(payload=None):
    """A family member ("We're ready - invite everyone back") or a chair who runs the
    meeting -> `{}`. Everyone receives `private_time_changed`, and syncs."""
    payload_of(payload)
    viewer, meeting = identify()
    if not access.may_end_private_time(viewer, meeting):
        raise Refused("forbidden", _("The family invites everyone back, or the chair does."))
    private_time.end(meeting, access.name_of(viewer))
    broadcast.private_time_changed(meeting)
    return ok(version=meeting.version)
