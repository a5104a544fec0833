"""A mediation held apart and over several sessions: the agreement's terms, the sessions, and
bringing the parties together.

The mediator words each term; every party accepts it or asks for a change, and a term is
agreed once every party has accepted its current wording. A change of wording asks everyone
again. Between sessions the parties' spaces are kept; the next session opens where the last
one ended.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from facilitator import formats
from facilitator.formats import words
from facilitator.extensions import db
from facilitator.models import (
    HistoryEntry,
    HistoryKind,
    Meeting,
    MeetingStatus,
    Participant,
    Stage,
    StageKind,
    Term,
    TermAnswer,
)
from facilitator.models.types import is_row_id, utcnow
from facilitator.services import changes, consent
from facilitator.services.contributions import valid_client_id
from facilitator.services.errors import ValidationError

# The stages a mediation held together continues with, once the parties are ready to meet.
TOGETHER_FORMAT = "mediation"


def terms_of(meeting: Meeting) -> list[Term]:
    return list(db.session.scalars(select(Term).where(Term.meeting_id == meeting.id).order_by(Term.id)))


def _term(meeting: Meeting, term_id: object) -> Term:
    term = db.session.get(Term, term_id) if is_row_id(term_id) else None
    if term is None or term.meeting_id != meeting.id:
        raise ValidationError("term_id", _("There is no such part of the agreement."))
    return term


def _current(term: Term, revision: object) -> None:
    if type(revision) is not int or revision != term.revision:
        raise ValidationError("revision", _("The wording has changed since you read it. Read it again, then decide."))


def is_agreed(term: Term, parties: list[Participant]) -> bool:
    """Every party has accepted the term as it is worded now."""
    accepted = {a.participant_id for a in term.answers if a.revision == term.revision and a.accepted}
    return bool(parties) and all(p.id in accepted for p in parties)


def _changed(meeting: Meeting, term: Term) -> None:
    changes.record(meeting, "term_saved", subject=term, term_id=term.id)


def propose_term(meeting: Meeting, client_id: object, text: object, from_item_id: object = None) -> Term:
    """The mediator proposes a term, in their wording, perhaps from a proposal passed on."""
    client_id = valid_client_id(client_id)
    stored = db.session.scalar(select(Term).where(Term.meeting_id == meeting.id, Term.client_id == client_id))
    if stored is not None:
        return stored
    if from_item_id is not None:
        item = consent.item_in(meeting, from_item_id)
        if item.kind.is_house or not item.is_shared:
            raise ValidationError("from_item_id", _("Only a proposal its author passed on can become a term."))
    term = Term(meeting_id=meeting.id, client_id=client_id, text=consent.words_of(text), from_item_id=from_item_id)
    db.session.add(term)
    db.session.flush()
    _changed(meeting, term)
    db.session.commit()
    return term


def reword_term(meeting: Meeting, term_id: object, revision: object, text: object) -> Term:
    """New wording: every party is asked again."""
    term = _term(meeting, term_id)
    _current(term, revision)
    term.text = consent.words_of(text)
    term.revision += 1
    _changed(meeting, term)
    db.session.commit()
    return term


def remove_term(meeting: Meeting, term_id: object) -> None:
    term = _term(meeting, term_id)
    changes.record(meeting, "term_removed", term_id=term.id)
    db.session.delete(term)
    db.session.commit()


def answer_term(
    meeting: Meeting, person: Participant, term_id: object, revision: object, accepted: object, change: object = ""
) -> Term:
    """A party accepts the term as worded, or asks for a change (said to the mediator only)."""
    consent.in_session(meeting)
    term = _term(meeting, term_id)
    _current(term, revision)
    if not isinstance(accepted, bool):
        raise ValidationError("accepted", _("Say whether you accept this."))
    if accepted:
        change = ""
    elif not isinstance(change, str) or not change.strip():
        raise ValidationError("change", _("Say what would need to change."))
    else:
        change = consent.words_of(change, "change")
    answer = next((a for a in term.answers if a.participant_id == person.id), None)
    if answer is None:
        answer = TermAnswer(participant_id=person.id, revision=term.revision, accepted=accepted)
        term.answers.append(answer)
    answer.revision, answer.accepted, answer.change, answer.at = term.revision, accepted, change, utcnow()
    _changed(meeting, term)
    db.session.commit()
    return term


def end_session(meeting: Meeting, next_on: object, by: str) -> None:
    """End this session; the spaces, what was passed on and the terms wait for the next one."""
    if meeting.status is not MeetingStatus.LIVE:
        raise ValidationError("meeting", _("Start the meeting first."))
    if meeting.between_sessions:
        raise ValidationError("meeting", _("This session has already ended."))
    if next_on in (None, ""):
        day = None
    else:
        try:
            day = date.fromisoformat(next_on) if isinstance(next_on, str) else None
        except ValueError:
            day = None
        if day is None:
            raise ValidationError("next_on", _("Give the date of the next session, or leave it empty."))
    if meeting.timer_ends_at is not None:  # the clock stops with the session
        left = (meeting.timer_ends_at - utcnow()).total_seconds()
        meeting.timer_ends_at, meeting.timer_remaining = None, max(0, round(left))
    meeting.session_ended_at, meeting.next_session_on = utcnow(), day
    db.session.add(HistoryEntry(meeting_id=meeting.id, kind=HistoryKind.SESSION_ENDED, by=by))
    changes.record(meeting, "meeting_changed")
    db.session.commit()


def start_session(meeting: Meeting, by: str) -> None:
    """The next session opens where the last one ended: the same stage, spaces and terms."""
    if not meeting.between_sessions:
        raise ValidationError("meeting", _("This session has not ended."))
    meeting.session_number += 1
    meeting.session_ended_at = meeting.next_session_on = None
    db.session.add(HistoryEntry(meeting_id=meeting.id, kind=HistoryKind.SESSION_STARTED, by=by))
    changes.record(meeting, "meeting_changed")
    db.session.commit()


def _add_together_stages(meeting: Meeting) -> None:
    """The together mediation's stages, between where the meeting is and its check-out."""
    templates = [t for t in formats.get(TOGETHER_FORMAT).stages if t.kind not in (StageKind.WELCOME, StageKind.CHECK_OUT)]
    last = meeting.stages[-1] if meeting.stages else None
    check_out = last if last is not None and last.kind is StageKind.CHECK_OUT and not meeting.has_reached(last) else None
    position = len(meeting.stages)
    if check_out is not None:  # out of the way first: positions are unique at every flush
        position = check_out.position
        check_out.position = len(meeting.stages) + len(templates) + 1
        db.session.flush()
    together = formats.get(TOGETHER_FORMAT)
    for template in templates:
        db.session.add(
            Stage(
                meeting_id=meeting.id,
                position=position,
                kind=template.kind,
                title=words.source_title(template),
                prompt=words.source_prompt(template),
                template=words.key_of(together, together.stages.index(template)),
                minutes=template.minutes,
            )
        )
        position += 1
    if check_out is not None:
        db.session.flush()
        check_out.position = position
    db.session.flush()
    db.session.expire(meeting, ["stages"])


def meet_together(meeting: Meeting, by: str) -> None:
    """The parties are ready to meet: from now on they are in one room, as in a mediation held
    together, whose stages follow on the agenda. Their spaces stay theirs: nothing kept in one
    is shown to the room by meeting together."""
    if not meeting.apart:
        raise ValidationError("meeting", _("The parties are already together."))
    consent.in_session(meeting)
    meeting.apart = False
    _add_together_stages(meeting)
    db.session.add(HistoryEntry(meeting_id=meeting.id, kind=HistoryKind.MET_TOGETHER, by=by))
    changes.record(meeting, "meeting_changed")
    for person in meeting.participants:
        changes.record_for(meeting, "identity_changed", person.id)  # what they may do has changed
    db.session.commit()
