"""The state of a meeting as one viewer may see it, for `sync` and for events.

Built from the database on every call and filtered through `access.py`, so
what a socket receives never depends on what it received before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row

from facilitator import access
from facilitator.access import Recipient, View, Viewer
from facilitator.extensions import db
from facilitator.formats import behaviour
from facilitator.models import (
    Admission,
    ConsentItem,
    Contribution,
    Meeting,
    Outcome,
    Participant,
    PlanAction,
    PlanNote,
    PlanTerms,
    RoundDisplay,
    Stage,
    StageKind,
    Term,
)
from facilitator.services import agreement, consent, contributions, people, plan, rounds, shuttle


def _ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


@dataclass(frozen=True)
class Known:
    """The meeting's people and stages a snapshot has loaded already, by id. Hundreds of
    contributions and actions name a person and a stage: looking them up here instead of
    through each item's relationship (an ORM lazy load apiece, even when answered from the
    session) was a third of the time of a big meeting's `sync`."""

    names: Mapping[int, str] = field(default_factory=dict)
    displays: Mapping[int, RoundDisplay] = field(default_factory=dict)

    @classmethod
    def of(cls, meeting: Meeting) -> Known:
        return cls({p.id: p.name for p in meeting.participants}, {s.id: s.display for s in meeting.stages})


NOTHING_KNOWN = Known()


def person(participant: Participant) -> dict[str, Any]:
    return {
        "id": participant.id,
        "name": participant.name,
        "relation": participant.relation,
        "side": participant.side.value,
        "flags": sorted(people.flags_of(participant)),
        "admission": participant.admission.value,
        "waits_for_family": participant.waits_for_family,
        "presence": presence(participant),
    }


def presence(participant: Participant) -> str:
    """online, connection lost (was here, no phone connected now), left, or not yet arrived."""
    if participant.left_at is not None:
        return "left"
    if participant.connections > 0:
        return "online"
    return "lost" if participant.joined_at is not None else "absent"


def scale(item: Stage) -> dict[str, Any]:
    """Who has given a score; the numbers themselves only once the chair has revealed them."""
    scores = rounds.scores_of(item)
    revealed = item.revealed_at is not None
    return {
        "scored": sorted(score.participant_id for score in scores),
        "revealed": revealed,
        "values": [score.value for score in scores] if revealed else None,
    }


def stage(item: Stage) -> dict[str, Any]:
    return {
        "id": item.id,
        "position": item.position,
        "kind": item.kind.value,
        "does": behaviour.of(item.kind).as_dict(),
        "collects": behaviour.collected(item.kind),
        "title": item.title,
        "questions": item.questions,
        # Set when the words that are still the format's are shown in each viewer's language.
        "template": item.template,
        "minutes": item.minutes,
        "takes_answers": contributions.takes_answers(item),
        "display": item.display.value,
        "talking_piece": item.talking_piece,
        "turn": item.turn_participant_id,
        "scale": scale(item) if item.kind is StageKind.SCALING else None,
    }


def private_time(meeting: Meeting) -> dict[str, Any] | None:
    return {"since": _ms(meeting.private_since)} if meeting.in_private_time else None


def meeting_state(meeting: Meeting) -> dict[str, Any]:
    """Where the meeting is: the same for everyone who may see it."""
    return {
        "id": meeting.id,
        "title": meeting.title,
        "purpose": meeting.purpose,
        "status": meeting.status.value,
        "current_position": meeting.current_position,
        "lobby_open": meeting.lobby_open,
        "timer": {"ends_at": _ms(meeting.timer_ends_at), "remaining": meeting.timer_remaining},
        "private_time": private_time(meeting),
        "is_review": plan.is_review(meeting),
        "core_group": plan.has_core_group(meeting),
        "apart": meeting.apart,
        # The room screen's languages: a screen drawn in others draws itself again.
        "languages": [meeting.language, meeting.second_language],
        "session": {
            "number": meeting.session_number,
            "ended": meeting.between_sessions,
            "next_on": meeting.next_session_on.isoformat() if meeting.next_session_on else None,
        },
        "stages": [stage(item) for item in meeting.stages],
    }


def contribution(item: Contribution | Row, *, full: bool, known: Known = NOTHING_KNOWN) -> dict[str, Any]:
    """Chairs see everything; the room sees a round as the chair shows it: without names
    (nothing that leads back to the person), or only who has answered. `item` is a
    contribution or a row of its columns."""
    name = known.names.get(item.participant_id)
    if name is None:
        name = db.session.get(Participant, item.participant_id).name
    display = known.displays.get(item.stage_id)
    if display is None:
        display = db.session.get(Stage, item.stage_id).display
    data = {
        "id": item.id,
        "client_id": item.client_id,
        "stage_id": item.stage_id,
        "kind": item.kind.value,
        "participant_id": item.participant_id,
        "name": name,
        "text": item.text,
        "feeling": item.feeling,
        "recorded": item.recorded_by_id is not None,
        "at": _ms(item.created_at),
    }
    if not full and display is RoundDisplay.UNNAMED:
        data.update(participant_id=None, name=None)
    if not full and display is RoundDisplay.NAMES_ONLY:
        data.update(text=None, feeling=None)
    return data


def item(kept: ConsentItem, *, whole: bool) -> dict[str, Any]:
    """A kept item: whole for those `access.reads_whole` names (the author's own words, who it
    went to, a suggestion waiting); for everyone else only the words passed on, and whose."""
    data = {
        "id": kept.id,
        "kind": kept.kind.value,
        "author": {"id": kept.author_id, "name": kept.author.name},
        "own_words": kept.kind.is_house,  # a child's words, shown as they wrote them
        "text": kept.shared_text,
        "sharing": kept.sharing.value,
        "session": kept.session_number,
        "at": _ms(kept.shared_at),
    }
    if whole:
        data.update(
            client_id=kept.client_id,
            text=kept.text,
            shared_text=kept.shared_text,
            passed_to=kept.receivers,
            written_by=kept.written_by.name if kept.written_by is not None else None,
            suggestion=kept.suggestion,
            suggested_by=kept.suggested_by or None,
            revision=kept.revision,
            at=_ms(kept.created_at),
        )
    return data


def term(item: Term, parties: list[Participant], reader: Recipient) -> dict[str, Any]:
    """A term of the agreement, and each party's answer; the change a party asked for only for
    the mediator and that party."""
    answers = {answer.participant_id: answer for answer in item.answers}
    return {
        "id": item.id,
        "text": item.text,
        "revision": item.revision,
        "from_item_id": item.from_item_id,
        "agreed": shuttle.is_agreed(item, parties),
        "answers": [
            {
                "participant_id": party.id,
                "name": party.name,
                "accepted": answer.accepted if answer.revision == item.revision else None,
                "change": answer.change
                if answer.revision == item.revision and (reader.view is View.CHAIRS or reader.person_id == party.id)
                else None,
            }
            for party in parties
            if (answer := answers.get(party.id)) is not None
        ],
    }


@dataclass(frozen=True)
class Kept:
    """A meeting's kept items and terms, read once for everyone a change is sent to."""

    items: list[ConsentItem] | None
    terms: list[Term] | None
    parties: list[Participant]

    @classmethod
    def of(cls, meeting: Meeting) -> Kept:
        spaces = access.has_part(meeting, StageKind.OWN_SPACE)
        houses = spaces or access.has_part(meeting, StageKind.CHILDS_VOICE)
        return cls(
            consent.items_of(meeting) if houses else None,
            shuttle.terms_of(meeting) if spaces else None,
            consent.parties_of(meeting) if spaces else [],
        )


def consent_for(reader: Recipient, kept: Kept) -> dict[str, Any]:
    """The kept items and the agreement's terms this reader may see now, decided item by item
    by the same rules as the events (`access.receives` with `access.item_audience`)."""
    found: dict[str, Any] = {}
    if kept.items is not None:
        found["items"] = [
            item(each, whole=access.reads_whole(each, reader))
            for each in kept.items
            if access.receives("item_saved", access.item_audience(each), reader)
        ]
    if kept.terms is not None and reader.view in access.EVENT_VIEWS["term_saved"]:
        found["terms"] = [term(each, kept.parties, reader) for each in kept.terms]
    return found


def outcome(item: Outcome) -> dict[str, Any]:
    return {"id": item.id, "text": item.text, "revision": item.revision, "edited_by": item.edited_by}


def _who(item: PlanAction, known: Known) -> str:
    """`PlanAction.who_name`, without a lazy load when the person is known or there is none."""
    if item.who_participant_id is None:
        return item.who_text
    name = known.names.get(item.who_participant_id)
    return item.who_name if name is None else name


def _proposer(item: PlanAction, known: Known) -> dict[str, Any] | None:
    if item.proposed_by_id is None:
        return None
    name = known.names.get(item.proposed_by_id)
    if name is not None:
        return {"id": item.proposed_by_id, "name": name}
    return None if item.proposed_by is None else {"id": item.proposed_by.id, "name": item.proposed_by.name}


def action(item: PlanAction, known: Known = NOTHING_KNOWN) -> dict[str, Any]:
    return {
        "id": item.id,
        "outcome_id": item.outcome_id,
        "who": {"participant_id": item.who_participant_id, "name": _who(item, known)},
        "what": item.what,
        "by_when": item.by_when,
        "how_we_know": item.how_we_know,
        "status": item.status.value,
        "proposed_by": _proposer(item, known),
        "offer_id": item.offer_id,
        "carried": item.carried_from_id is not None,
        "progress": item.progress.value if item.progress else None,
        "progress_note": item.progress_note,
        "revision": item.revision,
        "edited_by": item.edited_by,
    }


def note(item: PlanNote) -> dict[str, Any]:
    return {
        "id": item.id,
        "text": item.text,
        "family_only": item.family_only,
        "revision": item.revision,
        "edited_by": item.edited_by,
    }


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def terms(item: PlanTerms) -> dict[str, Any]:
    return {
        "contingency": item.contingency,
        "monitor": item.monitor,
        "review_on": _day(item.review_on),
        "core_group": [
            {"participant_id": member.participant_id, "name": member.participant.name}
            for member in item.core_group
        ],
        "core_group_meets_on": _day(item.core_group_meets_on),
        "core_group_every_weeks": item.core_group_every_weeks,
        "decision": item.decision.value if item.decision else None,
        "decision_on": _day(item.decision_on),
        "decision_why": item.decision_why,
        "revision": item.revision,
        "edited_by": item.edited_by,
    }


def agreement_of(meeting: Meeting) -> dict[str, Any]:
    """Every answer the referrer gave, and whether one agrees the plan as it is now."""
    state = agreement.state_of(meeting)
    return {
        "agreed": None if state.agreed is None else {"name": state.agreed.name, "at": _ms(state.agreed.at)},
        "responses": [
            {
                "id": response.id,
                "participant_id": response.participant_id,
                "name": response.name,
                "agreed": response.agreed,
                "reasons": response.reasons,
                "current": response.plan_revision == state.plan_revision,
                "recorded_by": response.recorded_by,
                "at": _ms(response.at),
            }
            for response in state.responses
        ],
    }


def plan_item(item: Outcome | PlanAction | PlanNote | PlanTerms) -> dict[str, Any]:
    if isinstance(item, PlanNote):
        return note(item)
    if isinstance(item, PlanTerms):
        return terms(item)
    return outcome(item) if isinstance(item, Outcome) else action(item)


def plan_of(meeting: Meeting, family_notes: bool, known: Known = NOTHING_KNOWN) -> dict[str, Any]:
    """The plan; notes kept within the family only for those who may see them."""
    return {
        "outcomes": [outcome(item) for item in plan.outcomes_of(meeting)],
        "actions": [action(item, known) for item in plan.actions_of(meeting)],
        "notes": [note(item) for item in plan.notes_of(meeting) if family_notes or not item.family_only],
        "terms": terms(plan.terms_of(meeting)),
        "agreement": agreement_of(meeting),
    }


def people_in(view: View, people: list[Participant]) -> list[dict[str, Any]]:
    """Chairs see everyone, lobby included; everyone else sees who has been let in."""
    if view in (View.CHAIRS, View.WAITING_CHAIR):
        return [person(p) for p in people]
    return [person(p) for p in people if p.admission is Admission.ADMITTED]


def of_view(view: View, meeting: Meeting) -> dict[str, Any]:
    """What everyone with this view of the meeting sees: the same for all of them."""
    if view is View.NOTHING:
        # Whether the meeting is still on, so that a lobby page that connected after it closed
        # does not wait for a chair who has gone.
        return {"version": meeting.version, "meeting": {"id": meeting.id, "status": meeting.status.value}}
    if view in (View.WAITING, View.WAITING_CHAIR):
        # Only that private family time is on: the waiting page, nothing of the meeting.
        waiting = {"id": meeting.id, "title": meeting.title, "private_time": private_time(meeting)}
        snapshot: dict[str, Any] = {"version": meeting.version, "meeting": waiting}
        if view is View.WAITING_CHAIR:
            snapshot["people"] = people_in(view, meeting.participants)  # the chairs keep the lobby
        return snapshot
    known = Known.of(meeting)
    full = view is View.CHAIRS
    return {
        "version": meeting.version,
        "meeting": meeting_state(meeting),
        "people": people_in(view, meeting.participants),
        "contributions": [
            contribution(item, full=full, known=known) for item in contributions.rows_of_meeting(meeting)
        ],
        "plan": plan_of(meeting, view is View.FAMILY, known),
    }


def for_viewer(viewer: Viewer, meeting: Meeting) -> dict[str, Any]:
    """The viewer's view of the meeting, and who they are in it."""
    view = access.view_of(viewer, meeting)
    snapshot = of_view(view, meeting)
    snapshot["can"] = access.capabilities(viewer, meeting)  # what the page offers
    snapshot.update(consent_for(access.recipient_for(viewer, meeting), Kept.of(meeting)))
    if viewer.is_participant and viewer.participant is not None:
        snapshot["you"] = person(viewer.participant)
        if "plan" in snapshot:
            # Their own scores, so the phone shows what they chose after a reload.
            snapshot["you"]["scores"] = {
                str(s.stage_id): s.value for s in rounds.scores_by(viewer.participant)
            }
    return snapshot
