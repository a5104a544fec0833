"""The agenda editor: add, remove, reorder, rename stages and edit their questions.

Every change is a small form with buttons, so the editor works with a
keyboard and without scripts; dragging a stage is an extra on top.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField

from facilitator import access
from facilitator.formats import words
from facilitator.models import Meeting, Stage, StageKind
from facilitator.services import agenda
from facilitator.services.errors import ValidationError
from facilitator.web.auth import chair_required, meeting_for_chair
from facilitator.web.display import STAGE_KIND_LABELS
from facilitator.web.forms import show_error, status_of

bp = Blueprint("agenda", __name__, url_prefix="/meetings/<int:meeting_id>/agenda")


class StageForm(FlaskForm):
    title = StringField(_l("Title"))
    prompt = TextAreaField(
        _l("Questions"), description=_l("One question per line, in plain words. They are shown on every screen.")
    )
    # Text, not a number field: whatever is typed reaches the service, which
    # answers anything but a whole number of minutes with one clear message.
    minutes = StringField(_l("Suggested time, in minutes"))

    def text(self) -> agenda.StageText:
        return agenda.StageText(self.title.data or "", self.prompt.data or "", _int_or_none(self.minutes.data))


class NewStageForm(StageForm):
    kind = SelectField(
        _l("Kind of stage"),
        choices=[],
        validate_choice=False,
        description=_l(
            "The child's voice adds three houses (worries, good things, dreams) that the child, or their "
            "advocate, fills on their phone before or during the meeting; each item is shared only as the child decides."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(kind.value, STAGE_KIND_LABELS[kind]) for kind in StageKind]


def _page(meeting: Meeting, new_form: NewStageForm):
    return render_template(
        "agenda/edit.html",
        meeting=meeting,
        form=new_form,
        first_movable=0 if meeting.current_position is None else meeting.current_position + 1,
    ), status_of(new_form)


def _back(meeting: Meeting, stage: Stage | None = None):
    anchor = f"stage-{stage.id}" if stage is not None else None
    return redirect(url_for("agenda.edit", meeting_id=meeting.id, _anchor=anchor))


@bp.get("/")
@chair_required
def edit(meeting_id: int):
    """The agenda, with a form to add a stage at the end."""
    meeting = meeting_for_chair(meeting_id)
    return _page(meeting, NewStageForm(formdata=None, minutes="10"))


@bp.post("/")
@chair_required
def add(meeting_id: int):
    """Add a stage at the end of the agenda."""
    meeting = meeting_for_chair(meeting_id, access.may_run)
    form = NewStageForm()
    if form.validate():
        try:
            stage = agenda.add_stage(meeting, form.kind.data or "", form.text())
        except ValidationError as error:
            show_error(form, error)
        else:
            flash(_("Added \u201c%(title)s\u201d to the agenda.", title=stage.title))
            return _back(meeting, stage)
    return _page(meeting, form)


@bp.route("/<int:stage_id>", methods=["GET", "POST"])
@chair_required
def stage(meeting_id: int, stage_id: int):
    """Rename a stage, or change its questions or time."""
    meeting = meeting_for_chair(meeting_id, access.may_run)
    current = _stage_or_404(meeting, stage_id)
    form = StageForm(obj=current if request.method == "GET" else None)
    if request.method == "GET":  # in the chair's language where the words are still the format's
        form.title.data, form.prompt.data = words.title(current), "\n".join(words.questions(current))
    if form.validate_on_submit():
        try:
            agenda.update_stage(meeting, stage_id, form.text())
        except ValidationError as error:
            show_error(form, error)
        else:
            flash(_("Saved \u201c%(title)s\u201d.", title=words.title(current)))
            return _back(meeting, current)
    return render_template("agenda/stage.html", meeting=meeting, stage=current, form=form), status_of(form)


@bp.post("/<int:stage_id>/move")
@chair_required
def move(meeting_id: int, stage_id: int):
    """Move a stage up or down one place, or to a given position (when dragged)."""
    meeting = meeting_for_chair(meeting_id, access.may_run)
    current = _stage_or_404(meeting, stage_id)
    direction = request.form.get("direction")
    target = {"up": current.position - 1, "down": current.position + 1}.get(direction or "")
    if target is None:
        target = _int_or_none(request.form.get("position"))
    try:
        if target is None:
            raise ValidationError("position", _("Say where the stage should move to."))
        agenda.move_stage(meeting, stage_id, target)
    except ValidationError as error:
        flash(error.message, "error")
    return _back(meeting, current)


@bp.post("/<int:stage_id>/remove")
@chair_required
def remove(meeting_id: int, stage_id: int):
    """Take a stage off the agenda."""
    meeting = meeting_for_chair(meeting_id, access.may_run)
    current = _stage_or_404(meeting, stage_id)
    title = current.title
    try:
        agenda.remove_stage(meeting, stage_id)
    except ValidationError as error:
        flash(error.message, "error")
        return _back(meeting, current)
    flash(_("Removed \u201c%(title)s\u201d from the agenda.", title=title))
    return _back(meeting)


def _stage_or_404(meeting: Meeting, stage_id: int) -> Stage:
    stage = next((stage for stage in meeting.stages if stage.id == stage_id), None)
    if stage is None:
        abort(404)
    return stage


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value.strip()) if value is not None else None
    except ValueError:
        return None
