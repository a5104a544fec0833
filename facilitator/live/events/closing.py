"""The end of the meeting: the referrer's agreement, and closing."""

from __future__ import annotations

from flask_babel import gettext as _

from facilitator import access
from facilitator.extensions import socketio
from facilitator.live import audit
from facilitator.live.acks import ok
from facilitator.live.commands import Refused, command, payload_of, present, running_chair
from facilitator.services import agreement, closing


@socketio.on("respond_to_plan")
@command
def respond_to_plan(payload=None):
    """The referrer -> `{"agreed": bool, "reasons"?}`; reasons are needed when they cannot
    agree. A chair records it for a referrer without a phone, with `"participant_id"`.
    Everyone receives `agreement_changed`."""
    details = payload_of(payload, "agreed", "reasons", "participant_id")
    viewer, meeting = present()
    if not access.may_respond_to_plan(viewer, meeting):
        raise Refused("forbidden", _("The referrer agrees the plan, or the chair records it for them."))
    if viewer.is_participant:
        if "participant_id" in details:
            raise Refused("invalid", _("These details do not fit this command."))
        person, recorded_by = viewer.participant, ""
    else:
        person, recorded_by = (
            agreement.referrer(meeting, details.get("participant_id")),
            access.name_of(viewer),
        )
    audit.note(viewer, meeting)
    agreement.respond(meeting, person, details.get("agreed"), details.get("reasons"), recorded_by=recorded_by)
    return ok(version=meeting.version)


@socketio.on("close_meeting")
@command
def close_meeting(payload=None):
    """A chair who runs the meeting -> `{}`: the meeting closes and becomes read-only.
    Everyone receives `meeting_closed`, and shows the summary."""
    payload_of(payload)
    viewer, meeting = running_chair()
    audit.note(viewer, meeting)
    closing.close(meeting, access.name_of(viewer))
    return ok(version=meeting.version)
