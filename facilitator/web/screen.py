"""The room screen: what the projector shows, readable from the back of the room.

It opens with its own read-only token, not the chair's session, so the
laptop showing it can do nothing but show it.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from facilitator import access, i18n
from facilitator.services import running
from facilitator.services.errors import ValidationError
from facilitator.web.auth import chair_required, meeting_for_chair
from facilitator.web.qr import qr_svg
from facilitator.web.summary import summary_for
from facilitator.web.urls import external_url, join_url

bp = Blueprint("screen", __name__)


@bp.post("/meetings/<int:meeting_id>/screen")
@chair_required
def open_screen(meeting_id: int):
    """A chair opens the room screen: a new read-only link; an older screen stops following."""
    meeting = meeting_for_chair(meeting_id, access.may_run)
    try:
        token = running.issue_screen_token(meeting)
    except ValidationError as error:  # closed, or private family time is on
        flash(error.message, "error")
        return redirect(url_for("meetings.console", meeting_id=meeting.id))
    return redirect(url_for("screen.room", token=token))


@bp.get("/screen/<token>")
def room(token: str):
    """The room screen: the stage and its questions, the agenda, who is here, the timer,
    what people say, and the join QR code while the lobby is open; at the end, the summary."""
    meeting = running.meeting_for_screen(token)
    if meeting is None:
        return render_template("screen/gone.html"), 404
    i18n.use_language(meeting.language)  # the room's language, whatever this laptop chose
    if not meeting.is_open:
        viewer = access.Viewer(access.ViewerKind.SCREEN, screen_of=meeting.id)
        return render_template("screen/summary.html", meeting=meeting, s=summary_for(viewer, meeting))
    link = join_url(meeting)
    return render_template(
        "screen/room.html",
        meeting=meeting,
        token=token,
        qr=qr_svg(link, label=_("QR code to join the meeting")),
        join_address=external_url("join.enter_code").split("://", 1)[1],
    )
