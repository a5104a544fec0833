"""Writing the plan together: outcomes and actions.

The family and the chairs write the plan directly; a professional's action is
proposed until the family or a chair accepts it (`access.py` decides which), and
an offer is in the plan as it is made (`rounds.contribute`), offered until then.
Edits carry the `revision` they started from; a stale one is refused with
code `conflict` and the item as it is now, so nobody overwrites anyone.
"""

from __future__ import annotations

from flask_babel import gettext as _

from facilitator import access
from facilitator.extensions import socketio
from facilitator.live import audit
from facilitator.live.acks import ok
from facilitator.live.commands import Refused, command, payload_of, present
from facilitator.services import plan

ACTION_FIELDS = ("what", "who_participant_id", "who_text", "by_when", "how_we_know", "outcome_id")


def _writer():
    """The meeting, who signs the edit, and the proposing professional (None for direct edits)."""
    meeting, editor, proposer, _person = _writer_in_person()
    return meeting, editor, proposer


def _writer_in_person():
    """As `_writer`, and the person who writes (None for a chair): an offer's own offerer changes
    it without accepting it."""
    viewer, meeting = present()
    person = viewer.participant if viewer.is_participant else None
    if access.may_edit_plan(viewer, meeting):
        audit.note(viewer, meeting)
        return meeting, access.name_of(viewer), None, person
    if access.may_propose_actions(viewer, meeting):
        audit.note(viewer, meeting)
        return meeting, access.name_of(viewer), viewer.participant, person
    raise Refused("forbidden", _("You cannot change the plan."))


def _family_writer():
    meeting, editor, proposer = _writer()
    if proposer is not None:
        raise Refused("forbidden", _("The family and the chair write this part of the plan."))
    return meeting, editor


@socketio.on("add_outcome")
@command
def add_outcome(payload=None):
    """The family or a chair -> `{"client_id", "text"}`. Everyone receives `outcome_saved`."""
    details = payload_of(payload, "client_id", "text")
    meeting, editor = _family_writer()
    item, _is_new = plan.add_outcome(meeting, details.get("client_id"), details.get("text"), editor)
    return ok(version=meeting.version, outcome_id=item.id)


@socketio.on("edit_outcome")
@command
def edit_outcome(payload=None):
    """The family or a chair -> `{"outcome_id", "revision", "text"}`."""
    details = payload_of(payload, "outcome_id", "revision", "text")
    meeting, editor = _family_writer()
    item = plan.edit_outcome(
        meeting, details.get("outcome_id"), details.get("revision"), details.get("text"), editor
    )
    return ok(version=meeting.version, revision=item.revision)


@socketio.on("remove_outcome")
@command
def remove_outcome(payload=None):
    """The family or a chair -> `{"outcome_id", "revision"}`; its actions stay, under no outcome."""
    details = payload_of(payload, "outcome_id", "revision")
    meeting, _editor = _family_writer()
    plan.remove_outcome(meeting, details.get("outcome_id"), details.get("revision"))
    return ok(version=meeting.version)


@socketio.on("add_action")
@command
def add_action(payload=None):
    """Anyone let in, or a chair -> `{"client_id", "what", "who_participant_id" | "who_text",
    "by_when"?, "how_we_know"?, "outcome_id"?}`. Everyone receives `action_saved`. (An offer
    needs no command: it is in the plan as it is made.)"""
    details = payload_of(payload, "client_id", *ACTION_FIELDS)
    meeting, editor, proposer = _writer()
    item, _is_new = plan.add_action(
        meeting,
        details.get("client_id"),
        plan.ActionDetails.from_payload(details),
        editor,
        proposer=proposer,
    )
    return ok(version=meeting.version, action_id=item.id)


@socketio.on("edit_action")
@command
def edit_action(payload=None):
    """The family or a chair (a professional: their own proposals and offers) -> `{"action_id",
    "revision", "what", ...}`: every field of the action as it should now be. An offer the family
    or a chair changes is accepted; its offerer's own change leaves it offered, and theirs."""
    details = payload_of(payload, "action_id", "revision", *ACTION_FIELDS)
    meeting, editor, proposer, person = _writer_in_person()
    item = plan.edit_action(
        meeting,
        details.get("action_id"),
        details.get("revision"),
        plan.ActionDetails.from_payload(details),
        editor,
        proposer=proposer,
        person=person,
    )
    return ok(version=meeting.version, revision=item.revision)


@socketio.on("accept_action")
@command
def accept_action(payload=None):
    """The family or a chair -> `{"action_id", "revision"}`: a proposed or offered action joins
    the plan."""
    details = payload_of(payload, "action_id", "revision")
    meeting, editor = _family_writer()
    item = plan.accept_action(meeting, details.get("action_id"), details.get("revision"), editor)
    return ok(version=meeting.version, revision=item.revision)


@socketio.on("remove_action")
@command
def remove_action(payload=None):
    """The family or a chair (a professional: their own proposals and offers, until accepted) ->
    `{"action_id", "revision"}`."""
    details = payload_of(payload, "action_id", "revision")
    meeting, _editor, proposer = _writer()
    plan.remove_action(
        meeting, details.get("action_id"), details.get("revision"), proposer=proposer
    )
    return ok(version=meeting.version)


def _note_writer():
    """The family writes its notes (the chairs and professionals do not see every note)."""
    viewer, meeting = present()
    if not (viewer.is_participant and access.may_edit_plan(viewer, meeting)):
        raise Refused("forbidden", _("The family writes the notes on its plan."))
    audit.note(viewer, meeting)
    return meeting, access.name_of(viewer)


@socketio.on("add_note")
@command
def add_note(payload=None):
    """A family member -> `{"client_id", "text", "family_only": bool}`. Those who may see it
    receive `note_saved`."""
    details = payload_of(payload, "client_id", "text", "family_only")
    meeting, editor = _note_writer()
    item, _is_new = plan.add_note(
        meeting, details.get("client_id"), details.get("text"), details.get("family_only", False), editor
    )
    return ok(version=meeting.version, note_id=item.id)


@socketio.on("edit_note")
@command
def edit_note(payload=None):
    """A family member -> `{"note_id", "revision", "text", "family_only"}`."""
    details = payload_of(payload, "note_id", "revision", "text", "family_only")
    meeting, editor = _note_writer()
    item = plan.edit_note(
        meeting,
        details.get("note_id"),
        details.get("revision"),
        details.get("text"),
        details.get("family_only", False),
        editor,
    )
    return ok(version=meeting.version, revision=item.revision)


@socketio.on("remove_note")
@command
def remove_note(payload=None):
    """A family member -> `{"note_id", "revision"}`."""
    details = payload_of(payload, "note_id", "revision")
    meeting, _editor = _note_writer()
    plan.remove_note(meeting, details.get("note_id"), details.get("revision"))
    return ok(version=meeting.version)


@socketio.on("save_terms")
@command
def save_terms(payload=None):
    """The family or a chair -> `{"revision", "contingency"?, "monitor"?, "review_on"?,
    "decision"?, "decision_why"?}`: what happens if the plan does not work, who checks it is
    happening, when it is reviewed (`YYYY-MM-DD` or null) and, at a review, the decision
    (`keep`, `revise`, `step_down`, `end`). Everyone receives `terms_saved`."""
    details = payload_of(payload, "revision", *plan.TERMS_FIELDS)
    meeting, editor = _family_writer()
    changes = {field: details[field] for field in plan.TERMS_FIELDS if field in details}
    terms = plan.save_terms(meeting, details.get("revision"), changes, editor)
    return ok(version=meeting.version, revision=terms.revision)


@socketio.on("action_progress")
@command
def action_progress(payload=None):
    """The family or a chair, at a review -> `{"action_id", "revision", "progress", "note"?}`:
    how an action from the last meeting is going (`done`, `in_progress`, `not_started`,
    `stuck`). Everyone receives `action_saved`."""
    details = payload_of(payload, "action_id", "revision", "progress", "note")
    meeting, editor = _family_writer()
    item = plan.set_progress(
        meeting,
        details.get("action_id"),
        details.get("revision"),
        details.get("progress"),
        details.get("note"),
        editor,
    )
    return ok(version=meeting.version, revision=item.revision)
