"""How stored values read on a page: translated labels, grouped codes."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from facilitator.models import MeetingStatus

STATUS_LABELS = {
    MeetingStatus.SCHEDULED: _l("Scheduled"),
    MeetingStatus.LIVE: _l("Live"),
    MeetingStatus.CLOSED: _l("Closed"),
}


def status_label(status: MeetingStatus) -> str:
    return str(STATUS_LABELS[status])


def group_join_code(code: str) -> str:
    """K7MQTRA reads aloud more easily as K7M QTRA."""
    return f"{code[:3]} {code[3:]}"


def init_app(app: Flask) -> None:
    app.jinja_env.globals["status_label"] = status_label
    app.jinja_env.filters["join_code"] = group_join_code
