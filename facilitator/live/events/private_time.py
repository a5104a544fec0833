"""Private family time: the chair starts it; the family (or the chair) ends it."""

from __future__ import annotations

from flask_babel import gettext as _

from facilitator import access
from facilitator.extensions import socketio
from facilitator.live import audit
from facilitator.live.acks import ok
from facilitator.live.commands import Refused, command, payload_of, present, running_chair
from facilitator.services import private_time


@socketio.on("start_private_time")
@command
def start_private_time(payload=None):
    """A chair who runs the meeting -> `{"stay": [participant ids]}`: the professionals the
    family chose to stay. Everyone receives `private_time_changed`; from then on the chairs
    and the other professionals receive nothing of the meeting until it ends."""
    details = payload_of(payload, "stay")
    viewer, meeting = running_chair()
    audit.note(viewer, meeting)
    private_time.start(meeting, details.get("stay", []), access.name_of(viewer))
    return ok(version=meeting.version)


@socketio.on("end_private_time")
@command
def end_private_time(payload=None):
    """A family member ("We're ready - invite everyone back") or a chair who runs the
    meeting -> `{}`. Everyone receives `private_time_changed`, and syncs."""
    payload_of(payload)
    viewer, meeting = present()
    if not access.may_end_private_time(viewer, meeting):
        raise Refused("forbidden", _("The family invites everyone back, or the chair does."))
    audit.note(viewer, meeting)
    private_time.end(meeting, access.name_of(viewer))
    return ok(version=meeting.version)


@socketio.on("welcome")
@command
def welcome(payload=None):
    """A family member, during private time -> `{"participant_id"}`: let in someone who was
    let into the meeting during it and waits for the family. Their phones receive
    `identity_changed`; everyone who sees the people `people_changed`."""
    details = payload_of(payload, "participant_id")
    viewer, meeting = present()
    if not access.may_welcome(viewer, meeting):
        raise Refused("forbidden", _("The family decides who joins their private time."))
    audit.note(viewer, meeting)
    private_time.welcome(meeting, details.get("participant_id"))
    return ok(version=meeting.version)
