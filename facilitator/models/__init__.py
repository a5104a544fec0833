"""The typed models, one module per entity family."""

from facilitator.models.account import Chair, LoginFailure
from facilitator.models.agenda import Stage, StageKind
from facilitator.models.meeting import Meeting, MeetingMember, MeetingStatus, MemberRole
from facilitator.models.people import Admission, Participant, Side

__all__ = [
    "Admission",
    "Chair",
    "LoginFailure",
    "Meeting",
    "MeetingMember",
    "MeetingStatus",
    "MemberRole",
    "Participant",
    "Side",
    "Stage",
    "StageKind",
]
