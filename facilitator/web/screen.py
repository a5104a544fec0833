"""The room screen: what the projector shows, readable from the back of the room."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext as _

from facilitator.web.auth import chair_required
from facilitator.web.meetings import meeting_for_chair
from facilitator.web.qr import qr_svg
from facilitator.web.urls import external_url, join_url

bp = Blueprint("screen", __name__, url_prefix="/meetings/<int:meeting_id>/screen")


@bp.get("/")
@chair_required
def room(meeting_id: int):
    """The meeting's title, and how to join: a large QR code, the join code and the address to type it at."""
    meeting = meeting_for_chair(meeting_id)
    link = join_url(meeting)
    return render_template(
        "screen/room.html",
        meeting=meeting,
        qr=qr_svg(link, label=_("QR code to join the meeting")) if meeting.is_open else None,
        join_address=external_url("join.enter_code").split("://", 1)[1],
    )
