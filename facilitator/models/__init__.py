"""The typed models, one module per entity family."""

from facilitator.models.account import Chair
from facilitator.models.agenda import RoundDisplay, Stage, StageKind
from facilitator.models.audit import AuditEntry
from facilitator.models.consent import ConsentItem, ItemKind, Sharing, Term, TermAnswer
from facilitator.models.contribution import Contribution, ContributionKind, Score
from facilitator.models.events import MeetingEvent
from facilitator.models.history import HistoryEntry, HistoryKind
from facilitator.models.meeting import Meeting, MeetingMember, MeetingStatus, MemberRole
from facilitator.models.people import Admission, Participant, Side
from facilitator.models.plan import (
    ActionProgress,
    ActionStatus,
    AgreementResponse,
    CoreGroupMember,
    Outcome,
    PlanAction,
    PlanNote,
    PlanTerms,
    ReviewDecision,
)
from facilitator.models.presence import LiveConnection, LiveNode

__all__ = [
    "ActionProgress",
    "ActionStatus",
    "Admission",
    "AgreementResponse",
    "AuditEntry",
    "Chair",
    "ConsentItem",
    "Contribution",
    "ContributionKind",
    "CoreGroupMember",
    "HistoryEntry",
    "HistoryKind",
    "ItemKind",
    "LiveConnection",
    "LiveNode",
    "Meeting",
    "MeetingEvent",
    "MeetingMember",
    "MeetingStatus",
    "MemberRole",
    "Outcome",
    "Participant",
    "PlanAction",
    "PlanNote",
    "PlanTerms",
    "ReviewDecision",
    "RoundDisplay",
    "Score",
    "Sharing",
    "Side",
    "Stage",
    "StageKind",
    "Term",
    "TermAnswer",
]
