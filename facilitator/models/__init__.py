"""The typed models, one module per entity family."""

from facilitator.models.account import Chair
from facilitator.models.agenda import RoundDisplay, Stage, StageKind
from facilitator.models.contribution import Contribution, ContributionKind, Score
from facilitator.models.meeting import Meeting, MeetingMember, MeetingStatus, MemberRole
from facilitator.models.people import Admission, Participant, Side
from facilitator.models.plan import ActionStatus, Outcome, PlanAction
from facilitator.models.throttle import ThrottleEvent

__all__ = [
    "ActionStatus",
    "Admission",
    "Chair",
    "Contribution",
    "ContributionKind",
    "Meeting",
    "MeetingMember",
    "MeetingStatus",
    "MemberRole",
    "Outcome",
    "Participant",
    "PlanAction",
    "RoundDisplay",
    "Score",
    "Side",
    "Stage",
    "StageKind",
    "ThrottleEvent",
]
