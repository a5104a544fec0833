"""The summary everyone takes away: what the meeting was for, who came, what was done, what was
said in each stage, and the plan (outcomes, every action, bottom lines, contingency, monitor,
review date).

There are two copies. The family's copy holds what the family was party to: what
was said and the bottom lines as the room saw them (`access.said_in_copy`), and the
notes they kept within the family (only for a family member's own copy). The
professionals' copy, for the case record, holds every word said, named, and adds the
meeting's record: when private family time began and ended, who was listed but did not
come, who was turned away. A note kept
within the family is never in it. Which copy a viewer gets is decided in
`access.summary_copy`.

The family's copy is written for the family: what they agreed (the outcomes, in their own
words), who will do what soonest first (`due.soonest_first`: the day each action's words name,
those without one last), when they meet again, and who to contact (the chair who ran the
meeting). It holds nothing the access rules above do not already give it.

Words passed on only with consent are in a copy only as `access.in_summary` allows for its
reader: the child's words they shared, unedited, grouped by house; in a shuttle mediation, a
party's own copy holds what they wrote and what was passed on to them, the mediator's copy what
passed between the parties and the sessions held, and every copy the agreement's terms. A copy
carries only the words its reader may read, never an item's unshared words.
"""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import format_decimal
from flask_babel import gettext as _

from facilitator import formats
from facilitator.formats import behaviour
from facilitator.models import (
    Admission,
    ConsentItem,
    Contribution,
    ContributionKind,
    HistoryEntry,
    HistoryKind,
    ItemKind,
    Meeting,
    Outcome,
    Participant,
    PlanAction,
    PlanNote,
    PlanTerms,
    Sharing,
    Stage,
    StageKind,
)
from facilitator.models.consent import HOUSES
from facilitator.services import agreement, contributions, dates, due, plan, private_time, reviews, rounds


class Copy(enum.StrEnum):
    FAMILY = "family"
    PROFESSIONALS = "professionals"


@dataclass(frozen=True)
class BottomLine:
    text: str
    name: str | None  # None where the room saw the stage's answers without names


@dataclass(frozen=True)
class Said:
    """One thing said in a round, as a copy holds it."""

    text: str
    name: str | None  # None where the copy holds the round's answers without names
    feeling: str | None  # one of the check-in feelings, or None


@dataclass(frozen=True)
class StageSaid:
    """What was said in one stage, sorted as the stage sorts it (worries, what is working well,
    why a score); bottom lines and offers have their own places (the bottom lines, the plan)."""

    stage: Stage
    said: list[tuple[ContributionKind, list[Said]]]
    answered_by: list[str]  # where the copy holds only who answered


@dataclass(frozen=True)
class Spread:
    stage: Stage
    low: int
    middle: float
    high: int
    count: int


@dataclass(frozen=True)
class ScaleOnMap:
    """A scale on the Signs of Safety map: its spread once revealed, and why people chose their
    numbers."""

    stage: Stage
    spread: Spread | None
    reasons: list[Said]


@dataclass(frozen=True)
class SafetyMap:
    """Signs of Safety mapping, as one map: what this copy holds of it, in the people's own words."""

    pairs: list[tuple[Said | None, Said | None]]  # each danger statement beside its safety goal, in order
    worries: list[Said]
    working_well: list[Said]
    needs_to_happen: list[Said]
    scales: list[ScaleOnMap]
    answered_by: list[str]  # where the copy holds only who said something, not their words
    stage_ids: frozenset[int]  # the stages it holds, told nowhere else in the summary


@dataclass(frozen=True)
class ChildsWord:
    """One thing a child shared, in their own words, unedited."""

    words: str
    family_only: bool  # shared with the family, not with everyone


@dataclass(frozen=True)
class ChildsWords:
    """What one child shared from their three houses, house by house (empty houses left out)."""

    name: str
    houses: list[tuple[ItemKind, list[ChildsWord]]]


@dataclass(frozen=True)
class Written:
    """An item in its author's own copy: their own words, and whether, to whom and in which
    words it was passed on."""

    kind: ItemKind
    own_words: str
    passed_to: list[str]  # empty: kept in their own space
    passed_words: str | None  # the words passed on, when they were not the author's own
    session: int


@dataclass(frozen=True)
class Passed:
    """An item as someone other than its author reads it: only the words passed on."""

    kind: ItemKind
    words: str
    author: str
    passed_to: list[str]
    session: int


@dataclass(frozen=True)
class AgreedTerm:
    text: str
    agreed: bool
    accepted_by: list[str]  # the parties who accepted it as it is worded now


@dataclass
class Session:
    number: int
    began: datetime | None
    ended: datetime | None = None
    met_together: datetime | None = None


@dataclass(frozen=True)
class Mediation:
    """A shuttle mediation's part of a summary, as one copy holds it."""

    terms: list[AgreedTerm]
    own_copy: bool = False  # a party's own copy: `written` and `received`
    written: list[Written] = field(default_factory=list)  # a party's own copy
    received: list[Passed] = field(default_factory=list)  # a party's own copy
    passed_on: list[Passed] | None = None  # the mediator's copy
    sessions: list[Session] = field(default_factory=list)  # the professionals' copy
    several_sessions: bool = False


@dataclass(frozen=True)
class Contact:
    """Who the family can ask about the plan: the chair who ran the meeting, from their account."""

    name: str
    email: str


@dataclass(frozen=True)
class Summary:
    meeting: Meeting
    copy: Copy
    format_name: str
    held_at: datetime | None
    took_part: list[Participant]
    stages: list[Stage]
    outcomes: list[tuple[Outcome, list[PlanAction]]]
    other_actions: list[PlanAction]  # agreed actions not under an outcome
    proposals: list[PlanAction]  # proposed by a professional, or offered, never accepted
    bottom_lines: list[BottomLine]
    spreads: list[Spread]
    terms: PlanTerms
    agreement: agreement.Agreement
    notes: list[PlanNote]
    amendments: list[HistoryEntry]
    review_of: Meeting | None
    reviewed_at: Meeting | None
    # The professionals' copy only:
    record: list[HistoryEntry]
    not_there: list[Participant]
    # Words passed on only with consent, as this copy's reader may read them.
    childs_words: list[ChildsWords] = field(default_factory=list)
    mediation: Mediation | None = None
    # What was said in each stage, as this copy holds it.
    said: list[StageSaid] = field(default_factory=list)
    # Signs of Safety mapping: the whole map (None where the agenda has no part of it).
    safety_map: SafetyMap | None = None
    # Whether the plan's sections belong in it: not in a meeting that never used the plan nor had
    # a part for it (a mediation held apart, a check-in circle).
    shows_plan: bool = True
    # Whether the referrer's agreement does: where the agenda asked for it, or it was given.
    shows_agreement: bool = True
    # Whether the plan names a core group (`Format.core_group`): its people and dates, in the terms.
    core_group: bool = False
    # The family's copy only: the agreed actions soonest first, and who to contact.
    soonest_first: list[PlanAction] = field(default_factory=list)
    contact: Contact | None = None

    @property
    def actions(self) -> list[PlanAction]:
        """Every action of the plan, in order: under each outcome, then the others."""
        return [action for _outcome, actions in self.outcomes for action in actions] + self.other_actions


def _bottom_lines(said: list[Contribution], copy: Copy) -> list[BottomLine]:
    from facilitator import access  # it imports this module

    lines = []
    for item in said:
        if item.kind is not ContributionKind.BOTTOM_LINE:
            continue
        _words, named = access.said_in_copy(item.stage.display, item.kind, copy)
        lines.append(BottomLine(item.text, item.participant.name if named else None))
    return lines


# In their own places: the bottom lines in theirs, and each offer in the plan, as an action.
SAID_ELSEWHERE = (ContributionKind.BOTTOM_LINE, ContributionKind.OFFER)


def _said(meeting: Meeting, said: list[Contribution], copy: Copy) -> list[StageSaid]:
    """Every answer, worry, thing working well and reason for a score, stage by stage, as
    `access.said_in_copy` says this copy holds each round."""
    from facilitator import access  # it imports this module

    by_stage: dict[int, list[Contribution]] = {}
    for item in said:
        if item.kind not in SAID_ELSEWHERE:
            by_stage.setdefault(item.stage_id, []).append(item)
    found = []
    for stage in meeting.stages:
        items = by_stage.get(stage.id)
        if not items:
            continue
        words, named = access.said_in_copy(stage.display, ContributionKind.ANSWER, copy)
        if not words:
            names = [item.participant.name for item in items]
            found.append(StageSaid(stage, [], list(dict.fromkeys(names))))
            continue
        sorted_said: dict[ContributionKind, list[Said]] = {}
        for item in items:
            sorted_said.setdefault(item.kind, []).append(
                Said(item.text, item.participant.name if named else None, item.feeling)
            )
        found.append(StageSaid(stage, list(sorted_said.items()), []))
    return found


def _safety_map(
    meeting: Meeting, said: list[Contribution], copy: Copy, spreads: list[Spread]
) -> SafetyMap | None:
    """The map's parts, each in the words of those who said them, as `access.said_in_copy` says
    this copy holds each round; the scales reached with it, their spreads and reasons."""
    if not any(behaviour.of(stage.kind).map for stage in meeting.stages):
        return None
    from facilitator import access  # it imports this module

    mapped = {stage.id for stage in meeting.stages if behaviour.of(stage.kind).map}
    scales = [s for s in meeting.stages if s.kind is StageKind.SCALING and meeting.has_reached(s)]
    parts: dict[ContributionKind, list[Said]] = {}
    reasons: dict[int, list[Said]] = {}
    answered_by: list[str] = []
    for item in said:
        reason = item.kind is ContributionKind.REASON and item.stage in scales
        if item.stage_id not in mapped and not reason:
            continue
        words, named = access.said_in_copy(item.stage.display, item.kind, copy)
        if not words:
            answered_by.append(item.participant.name)
            continue
        said_here = Said(item.text, item.participant.name if named else None, None)
        if reason:
            reasons.setdefault(item.stage_id, []).append(said_here)
        else:
            parts.setdefault(item.kind, []).append(said_here)
    dangers = parts.get(ContributionKind.DANGER_STATEMENT, [])
    goals = parts.get(ContributionKind.SAFETY_GOAL, [])
    spread_of = {spread.stage.id: spread for spread in spreads}
    return SafetyMap(
        pairs=[
            (dangers[n] if n < len(dangers) else None, goals[n] if n < len(goals) else None)
            for n in range(max(len(dangers), len(goals)))
        ],
        worries=parts.get(ContributionKind.WORRY, []),
        working_well=parts.get(ContributionKind.WORKING_WELL, []),
        needs_to_happen=parts.get(ContributionKind.NEEDS_TO_HAPPEN, []),
        scales=[ScaleOnMap(stage, spread_of.get(stage.id), reasons.get(stage.id, [])) for stage in scales],
        answered_by=list(dict.fromkeys(answered_by)),
        stage_ids=frozenset(mapped | {stage.id for stage in scales}),
    )


def _spreads(meeting: Meeting) -> list[Spread]:
    """A scale's spread once revealed; nobody's own number."""
    spreads = []
    for stage in meeting.stages:
        values = sorted(score.value for score in rounds.scores_of(stage)) if stage.revealed_at else []
        if values:
            middle = (values[(len(values) - 1) // 2] + values[len(values) // 2]) / 2
            spreads.append(Spread(stage, values[0], middle, values[-1], len(values)))
    return spreads


# Which kept items a copy holds: `access.in_summary` for the copy's reader.
Holds = Callable[[ConsentItem], bool]


def _holds_none(_item: ConsentItem) -> bool:
    return False


def _childs_words(items: list[ConsentItem]) -> list[ChildsWords]:
    """The child's shared words, child by child, house by house, as they wrote them."""
    by_child: dict[int, list[ConsentItem]] = {}
    for item in items:
        if item.kind.is_house and item.is_shared and item.shared_text:
            by_child.setdefault(item.author_id, []).append(item)
    found = []
    for said in by_child.values():
        houses = []
        for house in HOUSES:
            words = [ChildsWord(i.shared_text, i.sharing is Sharing.FAMILY) for i in said if i.kind is house]
            if words:
                houses.append((house, words))
        found.append(ChildsWords(said[0].author.name, houses))
    return found


def _sessions(meeting: Meeting, history: list[HistoryEntry]) -> list[Session]:
    """Each session held, from the history: when it began and ended, and when the parties met."""
    sessions = [Session(1, meeting.started_at)]
    for entry in history:
        current = sessions[-1]
        if entry.kind is HistoryKind.SESSION_ENDED:
            current.ended = entry.at
        elif entry.kind is HistoryKind.SESSION_STARTED:
            sessions.append(Session(current.number + 1, entry.at))
        elif entry.kind is HistoryKind.MET_TOGETHER:
            current.met_together = entry.at
        elif entry.kind is HistoryKind.MEETING_CLOSED and current.ended is None:
            current.ended = entry.at
    return sessions


def _mediation(
    meeting: Meeting,
    copy: Copy,
    items: list[ConsentItem],
    reader_id: int | None,
    mediators: bool,
    history: list[HistoryEntry],
) -> Mediation | None:
    """A shuttle mediation's terms, and the parties' items as this copy may hold them."""
    if not any(stage.kind is StageKind.OWN_SPACE for stage in meeting.stages):
        return None
    from facilitator.services import consent, shuttle  # they ask `access`, which imports this module

    names = {person.id: person.name for person in meeting.participants}
    parties = consent.parties_of(meeting)
    terms = [
        AgreedTerm(
            term.text,
            shuttle.is_agreed(term, parties),
            [
                names[answer.participant_id]
                for answer in term.answers
                if answer.accepted and answer.revision == term.revision and answer.participant_id in names
            ],
        )
        for term in shuttle.terms_of(meeting)
    ]
    kept = [item for item in items if not item.kind.is_house]

    def to(item: ConsentItem) -> list[str]:
        return [names[person_id] for person_id in item.receivers if person_id in names]

    def passed(item: ConsentItem) -> Passed:
        return Passed(item.kind, item.shared_text or "", item.author.name, to(item), item.session_number)

    if reader_id is not None:
        return Mediation(
            terms=terms,
            own_copy=True,
            written=[
                Written(
                    item.kind,
                    item.text,
                    to(item),
                    item.shared_text if item.is_shared and item.shared_text != item.text else None,
                    item.session_number,
                )
                for item in kept
                if item.author_id == reader_id
            ],
            received=[passed(item) for item in kept if item.is_shared and reader_id in item.receivers],
            several_sessions=meeting.session_number > 1,
        )
    between = [passed(item) for item in kept if item.is_shared and item.shared_text]
    return Mediation(
        terms=terms,
        passed_on=between if mediators else None,
        sessions=_sessions(meeting, history) if copy is Copy.PROFESSIONALS else [],
        several_sessions=meeting.session_number > 1,
    )


def build(
    meeting: Meeting,
    copy: Copy,
    *,
    family_notes: bool = False,
    reader_id: int | None = None,
    mediators: bool = False,
    holds: Holds = _holds_none,
) -> Summary:
    """The summary as `copy`; `family_notes` adds the notes kept within the family (for a
    family member's own copy only: `access.may_see_family_notes`). `holds` says which kept items
    the copy holds (`access.in_summary`: none unless given), `reader_id` whose own copy it is
    (`access.summary_reader`: a party's, in a shuttle mediation), and `mediators` whether it is
    the mediator's (`access.is_mediators_copy`), with what passed between the parties."""
    outcomes = plan.outcomes_of(meeting)
    actions = plan.actions_of(meeting)
    agreed = [action for action in actions if action.status.value == "agreed"]
    history = private_time.history_of(meeting)
    meeting_format = formats.get(meeting.format_key)
    reached = [stage for stage in meeting.stages if meeting.has_reached(stage)]
    items = _kept_items(meeting, holds)
    mediation = _mediation(meeting, copy, items, reader_id, mediators, history)
    notes = [note for note in plan.notes_of(meeting) if family_notes or not note.family_only]
    terms = plan.terms_of(meeting)
    state = agreement.state_of(meeting)
    plan_used = bool(outcomes or actions or notes or terms.revision or state.responses)
    does = [behaviour.of(stage.kind) for stage in meeting.stages]
    said = contributions.of_meeting(meeting)
    spreads = _spreads(meeting)
    safety_map = _safety_map(meeting, said, copy, spreads)
    by_outcome = [(outcome, [a for a in agreed if a.outcome_id == outcome.id]) for outcome in outcomes]
    other_actions = [a for a in agreed if a.outcome_id is None]
    for_family = copy is Copy.FAMILY
    return Summary(
        meeting=meeting,
        copy=copy,
        format_name=str(meeting_format.name) if meeting_format else "",
        held_at=meeting.started_at or meeting.scheduled_at,
        took_part=[p for p in meeting.participants if p.admission is Admission.ADMITTED],
        stages=reached,
        outcomes=by_outcome,
        other_actions=other_actions,
        proposals=[action for action in actions if action.status.waiting],
        bottom_lines=_bottom_lines(said, copy),
        spreads=spreads,
        terms=terms,
        agreement=state,
        notes=notes,
        amendments=[entry for entry in history if entry.kind.value == "plan_amended"],
        review_of=meeting.review_of,
        reviewed_at=reviews.review_of(meeting),
        record=history if copy is Copy.PROFESSIONALS else [],
        not_there=[p for p in meeting.participants if p.admission is not Admission.ADMITTED]
        if copy is Copy.PROFESSIONALS
        else [],
        childs_words=_childs_words(items),
        mediation=mediation,
        # The map's stages are in the map, told once.
        said=[
            part
            for part in _said(meeting, said, copy)
            if safety_map is None or part.stage.id not in safety_map.stage_ids
        ],
        safety_map=safety_map,
        shows_plan=plan_used or (mediation is None and any(stage.plan for stage in does)),
        shows_agreement=bool(state.responses) or any(stage.agreement for stage in does),
        core_group=plan.has_core_group(meeting),
        soonest_first=_soonest_first(meeting, by_outcome, other_actions) if for_family else [],
        contact=_contact(meeting) if for_family else None,
    )


def _soonest_first(
    meeting: Meeting, by_outcome: list[tuple[Outcome, list[PlanAction]]], others: list[PlanAction]
) -> list[PlanAction]:
    """Every agreed action, the one due soonest first, as its words say against the day the meeting
    was held; those without a day last, in the plan's order."""
    in_order = [action for _outcome, actions in by_outcome for action in actions] + others
    return due.soonest_first(in_order, [action.by_when for action in in_order], held_on(meeting))


def _contact(meeting: Meeting) -> Contact:
    """The chair who ran the meeting, as their account names them."""
    owner = meeting.owner
    return Contact(owner.display_name or owner.email, owner.email)


def _kept_items(meeting: Meeting, holds: Holds) -> list[ConsentItem]:
    """The kept items this copy holds; none where the agenda has neither part."""
    if not any(stage.kind in (StageKind.OWN_SPACE, StageKind.CHILDS_VOICE) for stage in meeting.stages):
        return []
    from facilitator.services import consent  # it asks `access`, which imports this module

    return [item for item in consent.items_of(meeting) if holds(item)]


CSV_COLUMNS = (
    "meeting",
    "meeting_date",
    "outcome",
    "who",
    "what",
    "by_when",
    "how_we_know",
    "status",
    "proposed_by",
    "progress",
    "progress_note",
)


def _cell(value: object) -> str:
    """A spreadsheet must not run what someone typed: text that starts like a formula is quoted."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def held_on(meeting: Meeting) -> date:
    """The day the meeting was held (or set up), as pages show it."""
    return dates.local_day(meeting.started_at or meeting.scheduled_at or meeting.created_at)


def actions_csv(meeting: Meeting) -> str:
    """Every action of the plan, one row each, for case-management systems."""
    outcomes = {outcome.id: outcome.text for outcome in plan.outcomes_of(meeting)}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for action in plan.actions_of(meeting):
        writer.writerow(
            _cell(value)
            for value in (
                meeting.title,
                held_on(meeting).isoformat(),
                outcomes.get(action.outcome_id, ""),
                action.who_name,
                action.what,
                action.by_when,
                action.how_we_know,
                action.status.value,
                action.proposed_by.name if action.proposed_by else "",
                action.progress.value if action.progress else "",
                action.progress_note,
            )
        )
    return out.getvalue()


def describe_spread(spread: Spread) -> str:
    return _(
        "Lowest %(low)s, middle %(middle)s, highest %(high)s",
        low=spread.low,
        middle=format_decimal(spread.middle),  # 5.5 in English, 5,5 in Polish
        high=spread.high,
    )
