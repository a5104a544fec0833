"""The family's plan, written live: outcomes, and actions under them.

Who may do what is decided in `access.py`; here `proposer` is the
professional whose action waits for the family or the chair to accept it
(None when the family or a chair writes). Every edit names the revision it
started from: if someone else changed the item in between, the edit is
refused with the item as it is now, and the person decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitator.extensions import db
from facilitator.models import (
    ActionStatus,
    Admission,
    Meeting,
    MeetingStatus,
    Outcome,
    Participant,
    PlanAction,
    PlanNote,
)
from facilitator.models.types import is_row_id
from facilitator.services import contributions
from facilitator.services.errors import ServiceError, ValidationError

MAX_OUTCOME = 500
MAX_WHAT = 1000
MAX_SHORT = 120
MAX_HOW = 500
MAX_ITEMS = 500


class Forbidden(ServiceError):
    """The person is in the meeting, but may not change this item."""

    code = "forbidden"


class Conflict(ServiceError):
    """Someone else changed the item first; `current` is how it is now."""

    code = "conflict"

    def __init__(self, message: str, current: Outcome | PlanAction | None) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class ActionDetails:
    what: object = None
    who_participant_id: object = None
    who_text: object = ""
    by_when: object = ""
    how_we_know: object = ""
    outcome_id: object = None

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ActionDetails:
        fields = ("what", "who_participant_id", "who_text", "by_when", "how_we_know", "outcome_id")
        return cls(**{name: payload[name] for name in fields if name in payload})


def _text(value: object, field: str, limit: int, *, required: bool, missing: str = "") -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(field, _("This needs to be text."))
    value = value.strip()
    if required and not value:
        raise ValidationError(field, missing)
    if len(value) > limit:
        raise ValidationError(field, _("Use at most %(count)d characters.", count=limit))
    return value


def _open(meeting: Meeting) -> None:
    if meeting.status is not MeetingStatus.LIVE:
        raise ValidationError("meeting", _("The plan is written while the meeting is on."))


def _room_for_more(meeting: Meeting, model: type[Outcome | PlanAction]) -> None:
    count = db.session.scalar(
        select(db.func.count()).select_from(model).where(model.meeting_id == meeting.id)
    )
    if count >= MAX_ITEMS:
        raise ValidationError("plan", _("This plan is full (%(count)d items).", count=MAX_ITEMS))


def _changed(meeting: Meeting, item: Outcome | PlanAction, revision: object, editor: str) -> None:
    if type(revision) is not int:
        raise ValidationError(
            "revision", _("This edit does not say which version it changes; reload the page.")
        )
    if revision != item.revision:
        raise Conflict(
            _(
                "%(name)s changed this while you were editing. Look at their version, then decide.",
                name=item.edited_by,
            )
            if item.edited_by
            else _("Someone changed this while you were editing. Look at their version, then decide."),
            item,
        )
    item.revision += 1
    item.edited_by = editor
    meeting.version += 1


def _commit_new(meeting: Meeting, item: Outcome | PlanAction) -> tuple[Outcome | PlanAction, bool]:
    """Store a new item once per client id, even when two resends race."""
    db.session.add(item)
    meeting.version += 1
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        stored = _by_client_id(meeting, type(item), item.client_id)
        if stored is None:
            raise
        return stored, False
    return item, True


def _by_client_id(meeting: Meeting, model, client_id: str):
    return db.session.scalar(
        select(model).where(model.meeting_id == meeting.id, model.client_id == client_id)
    )


def _outcome(meeting: Meeting, outcome_id: object) -> Outcome:
    item = db.session.get(Outcome, outcome_id) if is_row_id(outcome_id) else None
    if item is None or item.meeting_id != meeting.id:
        raise ValidationError("outcome_id", _("This outcome is no longer in the plan."))
    return item


def _action(meeting: Meeting, action_id: object) -> PlanAction:
    item = db.session.get(PlanAction, action_id) if is_row_id(action_id) else None
    if item is None or item.meeting_id != meeting.id:
        raise ValidationError("action_id", _("This action is no longer in the plan."))
    return item


def outcomes_of(meeting: Meeting) -> list[Outcome]:
    return list(
        db.session.scalars(select(Outcome).where(Outcome.meeting_id == meeting.id).order_by(Outcome.id))
    )


def actions_of(meeting: Meeting) -> list[PlanAction]:
    return list(
        db.session.scalars(
            select(PlanAction).where(PlanAction.meeting_id == meeting.id).order_by(PlanAction.id)
        )
    )


def add_outcome(meeting: Meeting, client_id: object, text: object, editor: str) -> tuple[Outcome, bool]:
    client_id = contributions.valid_client_id(client_id)
    stored = _by_client_id(meeting, Outcome, client_id)
    if stored is not None:
        return stored, False
    _open(meeting)
    text = _text(
        text, "text", MAX_OUTCOME, required=True, missing=_("Write what the family want to achieve.")
    )
    _room_for_more(meeting, Outcome)
    return _commit_new(
        meeting, Outcome(meeting_id=meeting.id, client_id=client_id, text=text, edited_by=editor)
    )


def edit_outcome(
    meeting: Meeting, outcome_id: object, revision: object, text: object, editor: str
) -> Outcome:
    _open(meeting)
    item = _outcome(meeting, outcome_id)
    text = _text(
        text, "text", MAX_OUTCOME, required=True, missing=_("Write what the family want to achieve.")
    )
    _changed(meeting, item, revision, editor)
    item.text = text
    db.session.commit()
    return item


def remove_outcome(meeting: Meeting, outcome_id: object, revision: object) -> int:
    """Remove an outcome; its actions stay in the plan, not yet under an outcome."""
    _open(meeting)
    item = _outcome(meeting, outcome_id)
    _changed(meeting, item, revision, "")
    for action in actions_of(meeting):
        if action.outcome_id == item.id:
            action.outcome_id = None
    db.session.delete(item)
    db.session.commit()
    return item.id


def _who(meeting: Meeting, details: ActionDetails) -> tuple[int | None, str]:
    who_id = details.who_participant_id
    if who_id is not None:
        person = db.session.get(Participant, who_id) if is_row_id(who_id) else None
        if person is None or person.meeting_id != meeting.id or person.admission is not Admission.ADMITTED:
            raise ValidationError("who_participant_id", _("Choose someone in the meeting, or write who."))
        return person.id, ""
    who_text = _text(details.who_text, "who_text", MAX_SHORT, required=True, missing=_("Say who will do it."))
    return None, who_text


def _apply(meeting: Meeting, action: PlanAction, details: ActionDetails) -> None:
    action.what = _text(details.what, "what", MAX_WHAT, required=True, missing=_("Say what will be done."))
    action.who_participant_id, action.who_text = _who(meeting, details)
    action.by_when = _text(details.by_when, "by_when", MAX_SHORT, required=False)
    action.how_we_know = _text(details.how_we_know, "how_we_know", MAX_HOW, required=False)
    action.outcome_id = None if details.outcome_id is None else _outcome(meeting, details.outcome_id).id


def add_action(
    meeting: Meeting,
    client_id: object,
    details: ActionDetails,
    editor: str,
    *,
    proposer: Participant | None = None,
) -> tuple[PlanAction, bool]:
    """Add an action: agreed when the family or a chair writes it, proposed when a professional does."""
    client_id = contributions.valid_client_id(client_id)
    stored = _by_client_id(meeting, PlanAction, client_id)
    if stored is not None:
        return stored, False
    return _new_action(meeting, client_id, details, editor, proposer)


def _new_action(
    meeting: Meeting,
    client_id: str,
    details: ActionDetails,
    editor: str,
    proposer: Participant | None,
    offer_id: int | None = None,
) -> tuple[PlanAction, bool]:
    _open(meeting)
    _room_for_more(meeting, PlanAction)
    action = PlanAction(
        meeting_id=meeting.id,
        client_id=client_id,
        offer_id=offer_id,
        status=ActionStatus.PROPOSED if proposer is not None else ActionStatus.AGREED,
        proposed_by_id=proposer.id if proposer is not None else None,
        edited_by=editor,
    )
    _apply(meeting, action, details)
    return _commit_new(meeting, action)


def action_from_offer(
    meeting: Meeting, client_id: object, offer_id: object, editor: str, *, proposer: Participant | None = None
) -> tuple[PlanAction, bool]:
    """Turn a "This is what I can do to help..." offer into an action, in one step: who is the
    person who offered, what is what they said."""
    client_id = contributions.valid_client_id(client_id)
    stored = _by_client_id(meeting, PlanAction, client_id)
    if stored is not None:
        return stored, False
    offer = contributions.offer(meeting, offer_id)
    taken = db.session.scalar(select(PlanAction).where(PlanAction.offer_id == offer.id))
    if taken is not None:
        raise Conflict(_("This offer is already in the plan."), taken)
    details = ActionDetails(what=offer.text[:MAX_WHAT], who_participant_id=offer.participant_id)
    return _new_action(meeting, client_id, details, editor, proposer, offer_id=offer.id)


def _may_change(action: PlanAction, proposer: Participant | None) -> None:
    """A professional changes only their own proposals, and only until they are accepted."""
    if proposer is None:
        return
    if action.status is not ActionStatus.PROPOSED or action.proposed_by_id != proposer.id:
        raise Forbidden(_("Only the family or the chair can change this action."))


def edit_action(
    meeting: Meeting,
    action_id: object,
    revision: object,
    details: ActionDetails,
    editor: str,
    *,
    proposer: Participant | None = None,
) -> PlanAction:
    _open(meeting)
    action = _action(meeting, action_id)
    _may_change(action, proposer)
    checked = PlanAction()
    _apply(meeting, checked, details)  # every field is checked before anything changes
    _changed(meeting, action, revision, editor)
    for field in ("what", "who_participant_id", "who_text", "by_when", "how_we_know", "outcome_id"):
        setattr(action, field, getattr(checked, field))
    db.session.commit()
    return action


def accept_action(meeting: Meeting, action_id: object, revision: object, editor: str) -> PlanAction:
    """The family or the chair take a professional's proposal into the plan."""
    _open(meeting)
    action = _action(meeting, action_id)
    if action.status is ActionStatus.AGREED and type(revision) is int:
        return action  # accepted already, by someone else at the same moment
    _changed(meeting, action, revision, editor)
    action.status = ActionStatus.AGREED
    db.session.commit()
    return action


def remove_action(
    meeting: Meeting, action_id: object, revision: object, *, proposer: Participant | None = None
) -> int:
    _open(meeting)
    action = _action(meeting, action_id)
    _may_change(action, proposer)
    _changed(meeting, action, revision, "")
    db.session.delete(action)
    db.session.commit()
    return action.id


MAX_NOTE = 1000


def notes_of(meeting: Meeting) -> list[PlanNote]:
    return list(
        db.session.scalars(select(PlanNote).where(PlanNote.meeting_id == meeting.id).order_by(PlanNote.id))
    )


def _note(meeting: Meeting, note_id: object) -> PlanNote:
    item = db.session.get(PlanNote, note_id) if is_row_id(note_id) else None
    if item is None or item.meeting_id != meeting.id:
        raise ValidationError("note_id", _("This note is no longer in the plan."))
    return item


def _family_only(value: object) -> bool:
    if type(value) is not bool:
        raise ValidationError("family_only", _("Say whether to keep the note within the family."))
    return value


def add_note(
    meeting: Meeting, client_id: object, text: object, family_only: object, editor: str
) -> tuple[PlanNote, bool]:
    """A note on the family's plan, kept within the family if they say so."""
    client_id = contributions.valid_client_id(client_id)
    stored = _by_client_id(meeting, PlanNote, client_id)
    if stored is not None:
        return stored, False
    _open(meeting)
    text = _text(text, "text", MAX_NOTE, required=True, missing=_("Write the note first."))
    family_only = _family_only(family_only)
    _room_for_more(meeting, PlanNote)
    note = PlanNote(
        meeting_id=meeting.id, client_id=client_id, text=text, family_only=family_only, edited_by=editor
    )
    return _commit_new(meeting, note)


def edit_note(
    meeting: Meeting, note_id: object, revision: object, text: object, family_only: object, editor: str
) -> PlanNote:
    _open(meeting)
    note = _note(meeting, note_id)
    text = _text(text, "text", MAX_NOTE, required=True, missing=_("Write the note first."))
    family_only = _family_only(family_only)
    _changed(meeting, note, revision, editor)
    note.text, note.family_only = text, family_only
    db.session.commit()
    return note


def remove_note(meeting: Meeting, note_id: object, revision: object) -> PlanNote:
    _open(meeting)
    note = _note(meeting, note_id)
    _changed(meeting, note, revision, "")
    db.session.delete(note)
    db.session.commit()
    return note
