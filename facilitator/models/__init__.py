"""The typed models, one module per entity family."""

from facilitator.models.account import Chair
from facilitator.models.meeting import Meeting, MeetingStatus

__all__ = ["Chair", "Meeting", "MeetingStatus"]
