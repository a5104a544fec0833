"""Erasing one person's details at their request, keeping the meeting's record whole.

Their name becomes a marker ("Erased person 1") and their relationship goes, wherever the
meeting keeps them: the people list, and every edit, answer or history entry signed with their
name. What they said and wrote stays in its place, as the council's policy says
(`ERASURE_WORDS`): replaced by the chair's marker ("replace"), or kept, under the marker that
replaced their name ("keep-unnamed"). Their scores stay as numbers (a revealed spread stays
true), and so do their side and flags (what the record says of a child or a bottom line). Their
phone's token and personal link are cleared and their live connections forgotten; phones
following the meeting are told, and theirs disconnected, through the one change path, as when
someone is removed. Nothing of what was erased is kept: the history entry says only that one
person's details were erased, by whom, when. Erasure cannot be undone, and is done once.

Words others wrote that mention the person (a plan action's "what", a note) are not searched:
the chair amends them, as any amendment.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from facilitator.extensions import db
from facilitator.models import (
    AgreementResponse,
    ConsentItem,
    Contribution,
    HistoryEntry,
    HistoryKind,
    LiveConnection,
    Meeting,
    Outcome,
    Participant,
    PlanAction,
    PlanNote,
    PlanTerms,
    Term,
    TermAnswer,
)
from facilitator.services import changes
from facilitator.services.errors import ValidationError

REPLACE = "replace"
KEEP_UNNAMED = "keep-unnamed"
MAX_MARKER = 200


def policy() -> str:
    """What the council's policy does with an erased person's words (`config.ERASURE_WORDS`)."""
    return current_app.config.get("ERASURE_WORDS", REPLACE)


def default_words_marker() -> str:
    return _("Removed at the person's request.")


def _erasures(meeting: Meeting):
    return select(HistoryEntry.detail).where(
        HistoryEntry.meeting_id == meeting.id, HistoryEntry.kind == HistoryKind.PERSON_ERASED
    )


def erased_ids(meeting: Meeting) -> frozenset[int]:
    """The people of this meeting whose details were erased, by id."""
    return frozenset(int(detail) for detail in db.session.scalars(_erasures(meeting)) if detail.isdigit())


def is_erased(meeting: Meeting, person: Participant) -> bool:
    return person.id in erased_ids(meeting)


@dataclass(frozen=True)
class Preview:
    """What erasing someone will do, for the chair to confirm."""

    marker: str  # the name they will have
    policy: str
    said: int  # things said in rounds (offers included)
    kept: int  # items of their own space or houses
    answers: int  # answers to terms, the referrer's agreement
    live: bool  # whether phones may be following the meeting now


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _marker_name(meeting: Meeting) -> str:
    number = _count(
        HistoryEntry, HistoryEntry.meeting_id == meeting.id, HistoryEntry.kind == HistoryKind.PERSON_ERASED
    )
    return _("Erased person %(number)d", number=number + 1)


def _person_in(meeting: Meeting, person_id: int) -> Participant:
    person = next((person for person in meeting.participants if person.id == person_id), None)
    if person is None:
        raise ValidationError("person_id", _("That person is not on this meeting's list."))
    if is_erased(meeting, person):
        raise ValidationError("person_id", _("This person's details have already been erased."))
    return person


def preview(meeting: Meeting, person_id: int) -> Preview:
    person = _person_in(meeting, person_id)
    return Preview(
        marker=_marker_name(meeting),
        policy=policy(),
        said=_count(Contribution, Contribution.meeting_id == meeting.id, Contribution.participant_id == person.id),
        kept=_count(ConsentItem, ConsentItem.meeting_id == meeting.id, ConsentItem.author_id == person.id),
        answers=_count(
            AgreementResponse,
            AgreementResponse.meeting_id == meeting.id,
            AgreementResponse.participant_id == person.id,
        )
        + _count(
            TermAnswer,
            TermAnswer.participant_id == person.id,
            TermAnswer.term_id.in_(select(Term.id).where(Term.meeting_id == meeting.id)),
        ),
        live=meeting.is_open,
    )


def _words_marker(words: object) -> str:
    if not isinstance(words, str) or not words.strip():
        raise ValidationError("marker", _("Say what is shown in place of their words."))
    words = words.strip()
    if len(words) > MAX_MARKER:
        raise ValidationError("marker", _("Use at most %(count)d characters.", count=MAX_MARKER))
    return words


def erase(meeting: Meeting, person_id: int, *, by: str, words_marker: object = None) -> Participant:
    """Erase one person's details, finally, as the council's policy says; returns them as they
    are now (named by the marker). `words_marker`: what replaces their words under "replace"."""
    person = _person_in(meeting, person_id)
    replacing = policy() == REPLACE
    words = _words_marker(words_marker if words_marker is not None else default_words_marker()) if replacing else ""
    old_name, marker = person.name, _marker_name(meeting)

    # Their phones, on every process, are told and disconnected once this is committed.
    connections = sorted(
        db.session.scalars(select(LiveConnection.sid).where(LiveConnection.participant_id == person.id))
    )
    changes.record_for(meeting, "person_removed", person.id, connections=connections)
    changes.record(meeting, "people_changed")
    db.session.execute(delete(LiveConnection).where(LiveConnection.participant_id == person.id))
    person.name, person.relation = marker, ""
    person.device_token_hash = person.invite_token_hash = None
    person.connections = 0

    _unsign(meeting, old_name, marker)
    stages = _words(meeting, person, words) if replacing else _stages_of(meeting, person)
    for stage_id in sorted(stages):
        changes.record(meeting, "round_changed", stage_id=stage_id)
    db.session.add(HistoryEntry(meeting_id=meeting.id, kind=HistoryKind.PERSON_ERASED, by=by, detail=str(person.id)))
    db.session.commit()
    return person


def _stages_of(meeting: Meeting, person: Participant) -> set[int]:
    """The rounds that show their name: told again, under the marker."""
    return set(
        db.session.scalars(
            select(Contribution.stage_id).where(
                Contribution.meeting_id == meeting.id, Contribution.participant_id == person.id
            )
        )
    )


def _unsign(meeting: Meeting, old_name: str, marker: str) -> None:
    """Their name wherever the meeting keeps it as words: edits signed with it, who does an
    action or checks the plan (when typed as their name), the referrer's answers, the history."""
    for model in (Outcome, PlanAction, PlanNote):
        for item in db.session.scalars(
            select(model).where(model.meeting_id == meeting.id, model.edited_by == old_name)
        ):
            item.edited_by = marker
            _tell_plan(meeting, item)
    for action in db.session.scalars(
        select(PlanAction).where(PlanAction.meeting_id == meeting.id, PlanAction.who_text == old_name)
    ):
        action.who_text = marker
        _tell_plan(meeting, action)
    for action in db.session.scalars(
        select(PlanAction).where(PlanAction.meeting_id == meeting.id, PlanAction.who_participant_id.isnot(None))
    ):
        if action.who is not None and action.who.name == marker:
            _tell_plan(meeting, action)  # shown under their new name
    terms = db.session.scalar(select(PlanTerms).where(PlanTerms.meeting_id == meeting.id))
    if terms is not None and old_name in (terms.edited_by, terms.monitor):
        terms.edited_by = marker if terms.edited_by == old_name else terms.edited_by
        terms.monitor = marker if terms.monitor == old_name else terms.monitor
        changes.record(meeting, "terms_saved")
    responses = list(
        db.session.scalars(
            select(AgreementResponse).where(
                AgreementResponse.meeting_id == meeting.id, AgreementResponse.name == old_name
            )
        )
    )
    for response in responses:
        response.name = marker
    if responses:
        changes.record(meeting, "agreement_changed")
    for entry in db.session.scalars(
        select(HistoryEntry).where(HistoryEntry.meeting_id == meeting.id, HistoryEntry.by == old_name)
    ):
        entry.by = marker


def _tell_plan(meeting: Meeting, item: Outcome | PlanAction | PlanNote) -> None:
    name = {Outcome: "outcome", PlanAction: "action", PlanNote: "note"}[type(item)]
    audience = "family" if isinstance(item, PlanNote) and item.family_only else ""
    changes.record(meeting, f"{name}_saved", audience=audience, subject=item, id=item.id)


def _words(meeting: Meeting, person: Participant, words: str) -> set[int]:
    """Everything they said or wrote, replaced by the chair's marker; the rounds it was in."""
    from facilitator import access  # it imports the services

    stages: set[int] = set()
    for said in db.session.scalars(
        select(Contribution).where(Contribution.meeting_id == meeting.id, Contribution.participant_id == person.id)
    ):
        said.text, said.feeling = words, None
        stages.add(said.stage_id)
    # Their offers and proposals still waiting for the family are their words; an action the
    # family accepted is the family's plan.
    for action in db.session.scalars(
        select(PlanAction).where(PlanAction.meeting_id == meeting.id, PlanAction.proposed_by_id == person.id)
    ):
        if action.status.waiting:
            action.what = words
            action.how_we_know = ""
            _tell_plan(meeting, action)
    for item in db.session.scalars(
        select(ConsentItem).where(ConsentItem.meeting_id == meeting.id, ConsentItem.author_id == person.id)
    ):
        item.text = words
        item.shared_text = words if item.shared_text is not None else None
        item.suggestion = None
        changes.record(meeting, "item_saved", audience=access.item_audience(item), subject=item, item_id=item.id)
    for answer in db.session.scalars(
        select(TermAnswer).where(
            TermAnswer.participant_id == person.id,
            TermAnswer.term_id.in_(select(Term.id).where(Term.meeting_id == meeting.id)),
        )
    ):
        if answer.change:
            answer.change = words
            term = db.session.get(Term, answer.term_id)
            changes.record(meeting, "term_saved", subject=term, term_id=term.id)
    responses = list(
        db.session.scalars(
            select(AgreementResponse).where(
                AgreementResponse.meeting_id == meeting.id, AgreementResponse.participant_id == person.id
            )
        )
    )
    for response in responses:
        if response.reasons:
            response.reasons = words
    if responses:
        changes.record(meeting, "agreement_changed")
    return stages
