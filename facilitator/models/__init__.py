"""The typed models, one module per entity family."""

from facilitator.models.account import Chair
from facilitator.models.agenda import RoundDisplay, Stage, StageKind
from facilitator.models.contribution import Contribution, ContributionKind, Score
from facilitator.models.history import HistoryEntry, HistoryKind
from facilitator.models.meeting import Meeting, MeetingMember, MeetingStatus, MemberRole
from facilitator.models.people import Admission, Participant, Side
from facilitator.models.plan import ActionStatus, Outcome, PlanAction, PlanNote
from facilitator.models.throttle import ThrottleEvent

__all__ = [
    "ActionStatus",
    "Admission",
    "Chair",
    "Contribution",
    "ContributionKind",
    "HistoryEntry",
    "HistoryKind",
    "Meeting",
    "MeetingMember",
    "MeetingStatus",
    "MemberRole",
    "Outcome",
    "Participant",
    "PlanAction",
    "PlanNote",
    "RoundDisplay",
    "Score",
    "Side",
    "Stage",
    "StageKind",
    "ThrottleEvent",
]
