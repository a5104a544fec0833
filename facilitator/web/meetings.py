"""The chair's meetings: the dashboard, setting one up, and the console for running it."""

from __future__ import annotations

from datetime import date, datetime, time

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Optional

from facilitator import access, formats, i18n
from facilitator.models import Meeting, MeetingStatus
from facilitator.services import meetings, private_time, reviews
from facilitator.services.errors import ValidationError
from facilitator.web.auth import chair_required, meeting_for_chair
from facilitator.web.display import zone
from facilitator.web.forms import show_error, status_of
from facilitator.web.summary import chair_link, summary_for
from facilitator.web.urls import join_url

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


class DetailsForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[InputRequired(message=meetings.TITLE_MISSING)],
        description=_l(
            "Use initials, for example \u201cFamily Group Conference for the J. family\u201d, not a child's full name: the title is shown on the room screen."
        ),
    )
    date = DateField(_l("Date"), validators=[Optional()])
    time = TimeField(_l("Start time"), validators=[Optional()])
    venue = StringField(
        _l("Venue"),
        description=_l("Where people meet, for example \u201cRiverside Family Centre, room 2\u201d."),
    )
    purpose = TextAreaField(_l("Purpose"), description=_l("In one sentence, in words the family would use."))
    language = SelectField(
        _l("Language of the room screen"),
        description=_l("Each person's phone shows the language they choose."),
        choices=[],
        validate_choice=False,
    )
    second_language = SelectField(
        _l("Second language on the room screen"),
        description=_l("Shown beside the first, for a room that needs both (Welsh and English, say)."),
        choices=[],
        validate_choice=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = i18n.choices()
        self.second_language.choices = [("", _l("None")), *i18n.choices()]
        if self.language.data is None:
            self.language.data = i18n.current_language()

    def details(self) -> meetings.Details:
        return meetings.Details(
            title=self.title.data or "",
            purpose=self.purpose.data or "",
            venue=self.venue.data or "",
            scheduled_at=_scheduled_at(self.date.data, self.time.data),
            language=self.language.data or "",
            second_language=self.second_language.data or None,
        )

    def fill(self, meeting: Meeting) -> None:
        self.title.data, self.purpose.data, self.venue.data = meeting.title, meeting.purpose, meeting.venue
        self.language.data, self.second_language.data = meeting.language, meeting.second_language or ""
        if meeting.scheduled_at is not None:
            local = meeting.scheduled_at.astimezone(zone())
            self.date.data, self.time.data = local.date(), local.time().replace(second=0, microsecond=0)


class NewMeetingForm(DetailsForm):
    format_key = RadioField(
        _l("Format"),
        choices=[],
        validate_choice=False,
        validators=[InputRequired(message=meetings.FORMAT_MISSING)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.format_key.choices = [(f.key, f.name) for f in formats.all_formats()]


def _scheduled_at(day: date | None, start: time | None) -> datetime | None:
    """The date and time as the chair means them, in the council's time zone."""
    if day is None:
        if start is not None:
            raise ValidationError("date", _("Enter the date as well as the time."))
        return None
    return datetime.combine(day, start or time(0, 0), tzinfo=zone())


@bp.get("/")
@chair_required
def index():
    """The dashboard: live, upcoming and closed meetings this chair has a part in."""
    grouped: dict[MeetingStatus, list[Meeting]] = {status: [] for status in MeetingStatus}
    for meeting in meetings.meetings_of(g.chair):
        grouped[meeting.status].append(meeting)
    grouped[MeetingStatus.CLOSED].reverse()  # the most recent first
    viewer = access.current_viewer()
    return render_template(
        "meetings/index.html",
        grouped=grouped,
        roles={
            meeting.id: access.role_in(viewer, meeting) for group in grouped.values() for meeting in group
        },
    )


@bp.route("/new", methods=["GET", "POST"])
@chair_required
def new():
    """Set up a meeting from one of the formats."""
    form = NewMeetingForm()
    if form.validate_on_submit():
        try:
            meeting = meetings.create_meeting(g.chair, form.details(), form.format_key.data or "")
        except ValidationError as error:
            show_error(form, error)
        else:
            flash(_("The meeting is set up. Check its agenda and add the people the family asked for."))
            return redirect(url_for("agenda.edit", meeting_id=meeting.id))
    descriptions = {
        f.key: f"{f.description} {ngettext('%(num)d stage.', '%(num)d stages.', len(f.stages))}"
        for f in formats.all_formats()
    }
    return render_template("meetings/new.html", form=form, descriptions=descriptions), status_of(form)


@bp.route("/<int:meeting_id>/details", methods=["GET", "POST"])
@chair_required
def details(meeting_id: int):
    """Change the meeting's title, date, venue or purpose."""
    meeting = meeting_for_chair(meeting_id, access.may_run)
    form = DetailsForm()
    if not form.is_submitted():
        form.fill(meeting)
    if form.validate_on_submit():
        try:
            meetings.update_details(meeting, form.details())
        except ValidationError as error:
            show_error(form, error)
        else:
            flash(_("The meeting's details are saved."))
            return redirect(url_for("meetings.console", meeting_id=meeting.id))
    return render_template("meetings/details.html", form=form, meeting=meeting), status_of(form)


@bp.post("/<int:meeting_id>/duplicate")
@chair_required
def duplicate(meeting_id: int):
    """Start a new meeting from this one's details, agenda and people list."""
    meeting = meeting_for_chair(meeting_id, access.may_run)
    copy = meetings.duplicate_meeting(meeting, g.chair)
    flash(_("This is a copy of \u201c%(title)s\u201d. Change its title and date.", title=meeting.title))
    return redirect(url_for("meetings.details", meeting_id=copy.id))


@bp.route("/<int:meeting_id>/delete", methods=["GET", "POST"])
@chair_required
def delete(meeting_id: int):
    """Ask, then delete the meeting and everything recorded in it."""
    meeting = meeting_for_chair(meeting_id, access.may_manage)
    form = FlaskForm()
    if form.validate_on_submit():
        title = meeting.title
        meetings.delete_meeting(meeting)
        flash(_("\u201c%(title)s\u201d and everything recorded in it are deleted.", title=title))
        return redirect(url_for("meetings.index"))
    return render_template("meetings/delete.html", form=form, meeting=meeting), status_of(form)


@bp.get("/<int:meeting_id>")
@chair_required
def console(meeting_id: int):
    """The chair's console for one meeting."""
    meeting = meeting_for_chair(meeting_id)
    closed = {}
    if not meeting.is_open:
        closed = {
            "s": summary_for(access.current_viewer(), meeting),
            "chair_link": chair_link,
            "reviewed_at": reviews.review_of(meeting),
        }
    return render_template(
        "meetings/console.html",
        meeting=meeting,
        join_url=join_url(meeting),
        history=private_time.history_of(meeting),
        family_history=reviews.history_of_family(meeting),
        **closed,
    )
