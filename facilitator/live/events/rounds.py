"""What people say in the rounds: answers, the chair recording for someone, the talking
piece, how the room sees the answers, and private 0-10 scores."""

from __future__ import annotations

from flask_babel import gettext as _

from facilitator import access
from facilitator.extensions import db, socketio
from facilitator.live.acks import ok
from facilitator.live.commands import Refused, command, payload_of, present, running, running_chair
from facilitator.models import Participant
from facilitator.models.types import is_row_id
from facilitator.services import contributions, rounds

ANSWER_FIELDS = ("client_id", "text", "stage_id", "kind", "feeling")


def _answered(meeting, person, details, recorded_by=None):
    item, _ = contributions.add(
        meeting,
        person,
        details.get("client_id"),
        details.get("text"),
        stage_id=details.get("stage_id"),
        kind=details.get("kind"),
        feeling=details.get("feeling"),
        recorded_by=recorded_by,
    )
    return ok(version=meeting.version, contribution_id=item.id)


@socketio.on("contribute")
@command
def contribute(payload=None):
    """A person let in -> an answer, worry, offer or reason in a stage that takes them:
    `{"client_id", "text", "stage_id"?, "kind"?, "feeling"?}`. Stored once per client id:
    a resend gets the same ack and nothing is broadcast again. An offer is also an action in
    the plan, offered, in the same change: `contribution_added`, then `action_saved`."""
    details = payload_of(payload, *ANSWER_FIELDS)
    viewer, meeting = present()
    if not access.may_contribute(viewer, meeting):
        raise Refused("forbidden", _("Only people in the meeting can answer here."))
    return _answered(meeting, viewer.participant, details)


@socketio.on("record")
@command
def record(payload=None):
    """A chair -> an answer typed for someone in the room without a phone:
    `contribute`'s fields and `"participant_id"`."""
    details = payload_of(payload, "participant_id", *ANSWER_FIELDS)
    viewer, meeting = running_chair()
    person_id = details.get("participant_id")
    person = db.session.get(Participant, person_id) if is_row_id(person_id) else None
    if person is None or person.meeting_id != meeting.id:
        raise Refused("invalid", _("Choose someone in the meeting."))
    return _answered(meeting, person, details, recorded_by=viewer.chair)


@socketio.on("round")
@command
def round_settings(payload=None):
    """A chair -> how the current round works: `{"display"?: "named" | "unnamed" |
    "names_only", "talking_piece"?: bool}`. Everyone receives `round_changed`."""
    details = payload_of(payload, "display", "talking_piece")
    if not details:
        raise Refused("invalid", _("Say what to change about the round."))
    meeting = running()
    rounds.set_round(meeting, **details)
    return ok(version=meeting.version)


@socketio.on("pass_turn")
@command
def pass_turn(payload=None):
    """A chair -> pass the talking piece to the next person yet to answer, or to
    `{"participant_id": int}`. Everyone receives `round_changed`."""
    details = payload_of(payload, "participant_id")
    meeting = running()
    rounds.pass_turn(meeting, details.get("participant_id"))
    return ok(version=meeting.version)


@socketio.on("score")
@command
def score(payload=None):
    """A person let in -> their private score in a scaling stage, `{"value": 0-10, "stage_id"?}`;
    they may change it until the reveal. Everyone learns who has scored, never the number."""
    details = payload_of(payload, "value", "stage_id")
    viewer, meeting = present()
    if not access.may_contribute(viewer, meeting):
        raise Refused("forbidden", _("Only people in the meeting can give a score."))
    stored = rounds.score(meeting, viewer.participant, details.get("value"), details.get("stage_id"))
    return ok(version=meeting.version, value=stored.value)


@socketio.on("reveal")
@command
def reveal(payload=None):
    """A chair -> show all the scores of the current scaling stage together."""
    payload_of(payload)
    meeting = running()
    rounds.reveal(meeting)
    return ok(version=meeting.version)
