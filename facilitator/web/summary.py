"""The summary of a closed meeting: the printable page, the PDF, and the actions as CSV.

Which copy a viewer may have is decided in `access.summary_copy`; a note kept
within the family goes only into a family member's own copy, and words passed on only with
consent only where `access.in_summary` allows.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for

from facilitator import access
from facilitator.access import Viewer
from facilitator.models import Meeting
from facilitator.services import audit, joining, meetings, summary
from facilitator.services.summary import Copy
from facilitator.web.auth import chair_required, meeting_for_chair
from facilitator.web.pdf import render_pdf

bp = Blueprint("summary", __name__)


def summary_for(viewer: Viewer, meeting: Meeting, wanted: Copy | None = None) -> summary.Summary:
    """The copy this viewer may have (a chair may also print the family's copy, without the
    family's own notes or the child's words shared with the family only, which no chair sees)."""
    allowed = access.summary_copy(viewer, meeting)
    if allowed is None:
        abort(404)
    copy = wanted if wanted is not None and viewer.is_chair else allowed
    return summary.build(
        meeting,
        copy,
        family_notes=access.may_see_family_notes(viewer, meeting),
        reader_id=access.summary_reader(viewer, meeting),
        mediators=access.is_mediators_copy(viewer, copy),
        holds=lambda item: access.in_summary(item, viewer, meeting, copy),
    )


def chair_link(other: Meeting) -> str | None:
    viewer = access.current_viewer()
    return url_for("meetings.console", meeting_id=other.id) if access.may_view(viewer, other) else None


def _closed_for_chair(meeting_id: int) -> tuple[Viewer, Meeting]:
    meeting = meeting_for_chair(meeting_id)
    if meeting.is_open:
        abort(404)
    return access.current_viewer(), meeting


def _wanted_copy() -> Copy:
    try:
        return Copy(request.args.get("copy", Copy.PROFESSIONALS.value))
    except ValueError:
        abort(400)


def _print_page(
    s: summary.Summary, back: str, *, pdf: bool = False, link=None, quick_exit: bool = False
) -> str:
    """`quick_exit`: a participant's copy, opened from their phone, has "Exit this page"."""
    return render_template("summary/print.html", s=s, back=back, pdf=pdf, link=link, quick_exit=quick_exit)


def _filename(meeting: Meeting, copy: Copy, extension: str) -> str:
    """Safe in a header: letters, digits and dashes, never the title's own characters."""
    day = summary.held_on(meeting).isoformat()
    return f"meeting-{meeting.id}-{day}-{copy.value}.{extension}"


def _pdf(s: summary.Summary) -> Response:
    html = _print_page(s, back="", pdf=True)
    return Response(
        render_pdf(html, fit=s.copy is Copy.FAMILY),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{_filename(s.meeting, s.copy, "pdf")}"'},
    )


@bp.get("/meetings/<int:meeting_id>/summary")
@chair_required
def printable(meeting_id: int):
    """The summary as a page to print: the professionals' copy, or `?copy=family`."""
    viewer, meeting = _closed_for_chair(meeting_id)
    s = summary_for(viewer, meeting, _wanted_copy())
    audit.record(audit.SUMMARY_VIEWED, meeting, subject=f"copy={s.copy.value}")
    back = url_for("meetings.console", meeting_id=meeting.id)
    return _print_page(s, back, link=chair_link)


@bp.get("/meetings/<int:meeting_id>/summary.pdf")
@chair_required
def pdf(meeting_id: int):
    viewer, meeting = _closed_for_chair(meeting_id)
    s = summary_for(viewer, meeting, _wanted_copy())
    audit.record(audit.SUMMARY_PDF, meeting, subject=f"copy={s.copy.value}")
    return _pdf(s)


@bp.get("/meetings/<int:meeting_id>/actions.csv")
@chair_required
def actions_csv(meeting_id: int):
    """Every action, for case-management systems."""
    _viewer, meeting = _closed_for_chair(meeting_id)
    audit.record(audit.ACTIONS_CSV, meeting)
    return Response(
        "\ufeff" + summary.actions_csv(meeting),  # the mark tells spreadsheets it is UTF-8
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{_filename(meeting, Copy.PROFESSIONALS, "csv")}"'
        },
    )


def _phone_viewer(code: str) -> tuple[Viewer, Meeting]:
    meeting = meetings.find_meeting(code)
    person = joining.person_on_device(meeting, request.cookies.get(access.DEVICE_COOKIE)) if meeting else None
    if meeting is None or person is None or meeting.is_open:
        abort(404)
    return Viewer(access.ViewerKind.PARTICIPANT, participant=person), meeting


@bp.get("/join/<code>/summary.pdf")
def phone_pdf(code: str):
    """A person's own copy, from the phone they took part on."""
    viewer, meeting = _phone_viewer(code)
    s = summary_for(viewer, meeting)
    audit.record(audit.SUMMARY_PDF, meeting, subject=f"copy={s.copy.value}", viewer=viewer)
    return _pdf(s)


@bp.get("/join/<code>/summary")
def phone_printable(code: str):
    viewer, meeting = _phone_viewer(code)
    back = url_for("join.meeting", code=meeting.join_code)
    s = summary_for(viewer, meeting)
    audit.record(audit.SUMMARY_VIEWED, meeting, subject=f"copy={s.copy.value}", viewer=viewer)
    return _print_page(s, back, quick_exit=True)
