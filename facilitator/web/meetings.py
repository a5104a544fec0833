"""The chair's meetings: the list, and the console for running one."""

from flask import Blueprint, abort, g, render_template

from facilitator import access
from facilitator.extensions import db
from facilitator.models import Meeting
from facilitator.services import meetings
from facilitator.web.auth import chair_required
from facilitator.web.urls import join_url

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


def meeting_for_chair(meeting_id: int) -> Meeting:
    """The meeting, if this chair runs it; otherwise 404, whether or not it exists."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or not access.may_run(access.current_viewer(), meeting):
        abort(404)
    return meeting


@bp.get("/")
@chair_required
def index():
    """List the meetings this chair runs."""
    return render_template("meetings/index.html", meetings=meetings.meetings_of(g.chair))


@bp.get("/<int:meeting_id>")
@chair_required
def console(meeting_id: int):
    """The chair's console for one meeting."""
    meeting = meeting_for_chair(meeting_id)
    return render_template("meetings/console.html", meeting=meeting, join_url=join_url(meeting))
