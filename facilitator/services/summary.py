"""The summary everyone takes away: what the meeting was for, who came, what was done, and
the plan (outcomes, every action, bottom lines, contingency, monitor, review date).

There are two copies. The family's copy holds what the family was party to:
bottom lines named as the room saw them, and the notes they kept within the
family (only for a family member's own copy). The professionals' copy, for
the case record, adds the meeting's record: when private family time began
and ended, who was listed but did not come, who was turned away. A note kept
within the family is never in it. Which copy a viewer gets is decided in
`access.summary_copy`.
"""

from __future__ import annotations

import csv
import enum
import io
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from facilitator import formats
from facilitator.models import (
    Admission,
    ContributionKind,
    HistoryEntry,
    Meeting,
    Outcome,
    Participant,
    PlanAction,
    PlanNote,
    PlanTerms,
    RoundDisplay,
    Stage,
)
from facilitator.services import agreement, contributions, dates, plan, private_time, reviews, rounds


class Copy(enum.StrEnum):
    FAMILY = "family"
    PROFESSIONALS = "professionals"


@dataclass(frozen=True)
class BottomLine:
    text: str
    name: str | None  # None where the room saw the stage's answers without names


@dataclass(frozen=True)
class Spread:
    stage: Stage
    low: int
    middle: float
    high: int
    count: int


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
    proposals: list[PlanAction]  # proposed by a professional, never accepted
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

    @property
    def actions(self) -> list[PlanAction]:
        """Every action of the plan, in order: under each outcome, then the others."""
        return [action for _outcome, actions in self.outcomes for action in actions] + self.other_actions


def _bottom_lines(meeting: Meeting, copy: Copy) -> list[BottomLine]:
    lines = []
    for item in contributions.of_meeting(meeting):
        if item.kind is not ContributionKind.BOTTOM_LINE:
            continue
        named = copy is Copy.PROFESSIONALS or item.stage.display is RoundDisplay.NAMED
        lines.append(BottomLine(item.text, item.participant.name if named else None))
    return lines


def _spreads(meeting: Meeting) -> list[Spread]:
    """A scale's spread once revealed; nobody's own number."""
    spreads = []
    for stage in meeting.stages:
        values = sorted(score.value for score in rounds.scores_of(stage)) if stage.revealed_at else []
        if values:
            middle = (values[(len(values) - 1) // 2] + values[len(values) // 2]) / 2
            spreads.append(Spread(stage, values[0], middle, values[-1], len(values)))
    return spreads


def build(meeting: Meeting, copy: Copy, *, family_notes: bool = False) -> Summary:
    """The summary as `copy`; `family_notes` adds the notes kept within the family (for a
    family member's own copy only: `access.may_see_family_notes`)."""
    outcomes = plan.outcomes_of(meeting)
    actions = plan.actions_of(meeting)
    agreed = [action for action in actions if action.status.value == "agreed"]
    history = private_time.history_of(meeting)
    meeting_format = formats.get(meeting.format_key)
    reached = [stage for stage in meeting.stages if meeting.has_reached(stage)]
    return Summary(
        meeting=meeting,
        copy=copy,
        format_name=str(meeting_format.name) if meeting_format else "",
        held_at=meeting.started_at or meeting.scheduled_at,
        took_part=[p for p in meeting.participants if p.admission is Admission.ADMITTED],
        stages=reached,
        outcomes=[(outcome, [a for a in agreed if a.outcome_id == outcome.id]) for outcome in outcomes],
        other_actions=[a for a in agreed if a.outcome_id is None],
        proposals=[action for action in actions if action.status.value == "proposed"],
        bottom_lines=_bottom_lines(meeting, copy),
        spreads=_spreads(meeting),
        terms=plan.terms_of(meeting),
        agreement=agreement.state_of(meeting),
        notes=[note for note in plan.notes_of(meeting) if family_notes or not note.family_only],
        amendments=[entry for entry in history if entry.kind.value == "plan_amended"],
        review_of=meeting.review_of,
        reviewed_at=reviews.review_of(meeting),
        record=history if copy is Copy.PROFESSIONALS else [],
        not_there=[p for p in meeting.participants if p.admission is not Admission.ADMITTED]
        if copy is Copy.PROFESSIONALS
        else [],
    )


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
    middle = int(spread.middle) if spread.middle == int(spread.middle) else spread.middle
    return _(
        "Lowest %(low)s, middle %(middle)s, highest %(high)s",
        low=spread.low,
        middle=middle,
        high=spread.high,
    )
