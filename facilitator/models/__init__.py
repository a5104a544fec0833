"""The typed models, one module per entity family."""

from facilitator.models.account import Chair
from facilitator.models.agenda import Stage, StageKind
from facilitator.models.contribution import Contribution
from facilitator.models.meeting import Meeting, MeetingMember, MeetingStatus, MemberRole
from facilitator.models.people import Admission, Participant, Side
from facilitator.models.throttle import ThrottleEvent

__all__ = [
    "Admission",
    "Chair",
    "Contribution",
    "Meeting",
    "MeetingMember",
    "MeetingStatus",
    "MemberRole",
    "Participant",
    "Side",
    "Stage",
    "StageKind",
    "ThrottleEvent",
]
