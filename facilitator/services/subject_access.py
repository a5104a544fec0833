"""Subject access: everything a meeting holds about one of its people, for them.

What they wrote (answers, feelings, scores, offers, the items of their own space or the child's
houses, their answers to a mediation's terms, the referrer's agreement), what they were given
to do (plan actions where they are "who", the core group), and what is recorded about them
(name, relationship, side, flags, admission, when they joined and left, the meeting's log
entries about them). Never anything they could not see: `access.in_subject_access`,
`access.subject_sees_plan` and `access.note_in_subject_access` decide, as for every copy. Only
this meeting's rows are read, so nothing of another family's meeting can be in it.

`export` returns plain data: the JSON is that data as it is; the PDF and the printable page
draw the same data (`templates/people/export.html`, on the summary's print pipeline).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from facilitator import access
from facilitator.extensions import db
from facilitator.models import (
    AgreementResponse,
    ConsentItem,
    Contribution,
    HistoryEntry,
    Meeting,
    MeetingEvent,
    Outcome,
    Participant,
    PlanAction,
    PlanNote,
    Score,
    Stage,
    Term,
    TermAnswer,
)
from facilitator.models.types import utcnow
from facilitator.services import erasure, people, plan, summary

FORMAT = "facilitator-subject-access/1"
# The log's entries about one person, by the id they carry.
ABOUT_A_PERSON = ("admission_changed", "identity_changed", "person_removed")


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def export(meeting: Meeting, person: Participant) -> dict[str, Any]:
    """Everything held about `person` in `meeting` that they may see, as plain data (JSON-ready)."""
    if person.meeting_id != meeting.id:
        raise ValueError("the person is not in this meeting")
    stages = {stage.id: stage for stage in meeting.stages}
    names = {other.id: other.name for other in meeting.participants}
    sees_plan = access.subject_sees_plan(person, meeting)
    return {
        "format": FORMAT,
        "exported_at": _when(utcnow()),
        "meeting": {
            "id": meeting.id,
            "title": meeting.title,
            "held_on": summary.held_on(meeting).isoformat(),
            "status": meeting.status.value,
        },
        "person": _record(meeting, person),
        "said": _said(meeting, person, stages),
        "scores": _scores(meeting, person, stages),
        "kept_items": _kept(meeting, person, names),
        "term_answers": _term_answers(meeting, person),
        "agreement_responses": _responses(meeting, person),
        "proposed_actions": [_action(action) for action in _actions(meeting, PlanAction.proposed_by_id, person)],
        "plan_shown": sees_plan,
        "assigned_actions": [_action(action) for action in _actions(meeting, PlanAction.who_participant_id, person)]
        if sees_plan
        else [],
        "core_group": _core_group(meeting, person) if sees_plan else None,
        "signed_edits": _signed(meeting, person) if sees_plan else [],
        "history": _history(meeting, person),
    }


def _record(meeting: Meeting, person: Participant) -> dict[str, Any]:
    return {
        "id": person.id,
        "name": person.name,
        "relation": person.relation,
        "side": person.side.value,
        "flags": sorted(people.flags_of(person)),
        "admission": person.admission.value,
        "listed_at": _when(person.created_at),
        "joined_at": _when(person.joined_at),
        "left_at": _when(person.left_at),
        # Whether a link or a phone is held, never the tokens' hashes.
        "personal_link_issued": person.invite_token_hash is not None,
        "joined_from_a_phone": person.device_token_hash is not None,
        "erased": erasure.is_erased(meeting, person),
    }


def _said(meeting: Meeting, person: Participant, stages: dict[int, Stage]) -> list[dict[str, Any]]:
    said = db.session.scalars(
        select(Contribution)
        .where(Contribution.meeting_id == meeting.id, Contribution.participant_id == person.id)
        .order_by(Contribution.created_at, Contribution.id)
    )
    return [
        {
            "stage": stages[item.stage_id].title if item.stage_id in stages else "",
            "kind": item.kind.value,
            "text": item.text,
            "feeling": item.feeling,
            "recorded_by_a_chair": item.recorded_by_id is not None,
            "at": _when(item.created_at),
        }
        for item in said
    ]


def _scores(meeting: Meeting, person: Participant, stages: dict[int, Stage]) -> list[dict[str, Any]]:
    scores = db.session.scalars(
        select(Score).where(Score.meeting_id == meeting.id, Score.participant_id == person.id).order_by(Score.id)
    )
    return [
        {
            "stage": stages[score.stage_id].title if score.stage_id in stages else "",
            "value": score.value,
            "at": _when(score.updated_at),
        }
        for score in scores
    ]


def _kept(meeting: Meeting, person: Participant, names: dict[int, str]) -> list[dict[str, Any]]:
    items = db.session.scalars(
        select(ConsentItem).where(ConsentItem.meeting_id == meeting.id).order_by(ConsentItem.id)
    )
    return [
        {
            "kind": item.kind.value,
            "text": item.text,
            "sharing": item.sharing.value,
            "shared_text": item.shared_text,
            "passed_to": [names[person_id] for person_id in item.receivers if person_id in names],
            # A rephrasing the mediator suggested, waiting for the author's answer.
            "suggested_words": item.suggestion if item.author_id == person.id else None,
            "for_child": names.get(item.author_id) if item.author_id != person.id else None,
            "session": item.session_number,
            "at": _when(item.created_at),
        }
        for item in items
        if access.in_subject_access(item, person)
    ]


def _term_answers(meeting: Meeting, person: Participant) -> list[dict[str, Any]]:
    answers = db.session.execute(
        select(Term.text, TermAnswer)
        .join(TermAnswer, TermAnswer.term_id == Term.id)
        .where(Term.meeting_id == meeting.id, TermAnswer.participant_id == person.id)
        .order_by(Term.id)
    )
    return [
        {"term": text, "accepted": answer.accepted, "change_asked": answer.change, "at": _when(answer.at)}
        for text, answer in answers
    ]


def _responses(meeting: Meeting, person: Participant) -> list[dict[str, Any]]:
    responses = db.session.scalars(
        select(AgreementResponse)
        .where(AgreementResponse.meeting_id == meeting.id, AgreementResponse.participant_id == person.id)
        .order_by(AgreementResponse.id)
    )
    return [
        {
            "agreed": response.agreed,
            "reasons": response.reasons,
            "plan_revision": response.plan_revision,
            "recorded_by_a_chair": bool(response.recorded_by),
            "at": _when(response.at),
        }
        for response in responses
    ]


def _actions(meeting: Meeting, column, person: Participant) -> list[PlanAction]:
    return list(
        db.session.scalars(
            select(PlanAction).where(PlanAction.meeting_id == meeting.id, column == person.id).order_by(PlanAction.id)
        )
    )


def _action(action: PlanAction) -> dict[str, Any]:
    return {
        "what": action.what,
        "by_when": action.by_when,
        "how_we_know": action.how_we_know,
        "status": action.status.value,
        "progress": action.progress.value if action.progress else None,
        "progress_note": action.progress_note,
    }


def _core_group(meeting: Meeting, person: Participant) -> dict[str, Any] | None:
    terms = plan.terms_of(meeting)
    if not any(member.participant_id == person.id for member in terms.core_group):
        return None
    return {
        "member": True,
        "meets_on": _when(terms.core_group_meets_on),
        "every_weeks": terms.core_group_every_weeks,
    }


def _signed(meeting: Meeting, person: Participant) -> list[dict[str, Any]]:
    """The plan's outcomes and notes last changed under their name (an edit is signed with the
    editor's name, not their id: a name shared with someone else matches theirs too)."""
    found: list[dict[str, Any]] = []
    for outcome in db.session.scalars(
        select(Outcome).where(Outcome.meeting_id == meeting.id, Outcome.edited_by == person.name).order_by(Outcome.id)
    ):
        found.append({"item": "outcome", "text": outcome.text})
    for note in db.session.scalars(
        select(PlanNote).where(PlanNote.meeting_id == meeting.id, PlanNote.edited_by == person.name).order_by(PlanNote.id)
    ):
        if access.note_in_subject_access(note.family_only, person):
            found.append({"item": "note", "text": note.text, "family_only": note.family_only})
    return found


def _history(meeting: Meeting, person: Participant) -> list[dict[str, Any]]:
    """The meeting's log entries about them (let in or turned away, what they may see changed),
    and its history entries made under their name (ending private family time)."""
    events = db.session.scalars(
        select(MeetingEvent)
        .where(MeetingEvent.meeting_id == meeting.id, MeetingEvent.kind.in_(ABOUT_A_PERSON))
        .order_by(MeetingEvent.id)
    )
    found = [
        {"what": event.kind, "at": _when(event.created_at)}
        for event in events
        if (event.payload or {}).get("participant_id") == person.id
    ]
    entries = db.session.scalars(
        select(HistoryEntry)
        .where(HistoryEntry.meeting_id == meeting.id, HistoryEntry.by == person.name)
        .order_by(HistoryEntry.id)
    )
    found += [{"what": entry.kind.value, "at": _when(entry.at)} for entry in entries]
    return sorted(found, key=lambda entry: entry["at"] or "")


def filename(meeting: Meeting, person: Participant, extension: str) -> str:
    """Safe in a header: ids and the day, never a name."""
    return f"meeting-{meeting.id}-person-{person.id}-data.{extension}"
