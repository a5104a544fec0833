"""Days as the council means them: stored moments are UTC, days are in the council's time zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def council_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def local_day(moment: datetime) -> date:
    """The day a stored (UTC) moment falls on for the people in the room."""
    return moment.astimezone(council_zone()).date()
