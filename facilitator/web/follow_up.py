"""After the meeting: a chair's amendments to the plan, and setting up its review.

A closed meeting's plan changes only here, by a chair who runs it, and every
change is recorded in the meeting's history with who made it and when.
"""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from facilitator import access
from facilitator.models import Admission, HistoryKind, Meeting, PlanAction
from facilitator.services import closing, plan, private_time, reviews
from facilitator.services.errors import ServiceError
from facilitator.web.auth import chair_required, meeting_for_chair
from facilitator.web.display import zone
from facilitator.web.forms import show_error

bp = Blueprint("follow_up", __name__, url_prefix="/meetings/<int:meeting_id>")


class ActionForm(FlaskForm):
    revision = HiddenField()
    what = TextAreaField(_l("What will be done"))
    who = SelectField(_l("Who will do it"), choices=[], validate_choice=False)
    who_text = StringField(_l("Who, in words"), description=_l("When it is someone not in the list."))
    by_when = StringField(_l("By when"))
    how_we_know = TextAreaField(_l("How we will know it is done"))

    def __init__(self, meeting: Meeting, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = [p for p in meeting.participants if p.admission is Admission.ADMITTED]
        self.who.choices = [("", _("Someone else (write who)"))] + [(str(p.id), p.name) for p in people]

    def fill(self, action: PlanAction) -> None:
        self.revision.data = str(action.revision)
        self.what.data, self.by_when.data, self.how_we_know.data = (
            action.what,
            action.by_when,
            action.how_we_know,
        )
        self.who.data = str(action.who_participant_id) if action.who_participant_id else ""
        self.who_text.data = action.who_text

    def details(self) -> plan.ActionDetails:
        who = self.who.data or ""
        return plan.ActionDetails(
            what=self.what.data,
            who_participant_id=int(who) if who.isdigit() else None,
            who_text=self.who_text.data,
            by_when=self.by_when.data,
            how_we_know=self.how_we_know.data,
        )


class TermsForm(FlaskForm):
    revision = HiddenField()
    contingency = TextAreaField(_l("If the plan is not working"), description=_l("What will happen then."))
    monitor = StringField(_l("Who checks the plan is happening"))
    review_on = DateField(_l("Review date"), validators=[Optional()])

    def fill(self, terms) -> None:
        self.revision.data = str(terms.revision)
        self.contingency.data, self.monitor.data, self.review_on.data = (
            terms.contingency,
            terms.monitor,
            terms.review_on,
        )

    def changes(self) -> dict:
        review_on = self.review_on.data.isoformat() if self.review_on.data else None
        return {"contingency": self.contingency.data, "monitor": self.monitor.data, "review_on": review_on}


def _revision(form) -> int | None:
    value = form.revision.data or ""
    return int(value) if value.isdigit() else None


def _closed(meeting_id: int) -> Meeting:
    meeting = meeting_for_chair(meeting_id, access.may_run)
    if meeting.is_open:
        abort(404)
    return meeting


def _page(meeting: Meeting, forms: dict[str, FlaskForm], status: int = 200):
    actions = plan.actions_of(meeting)
    for action in actions:
        key = f"a{action.id}"
        if key not in forms:
            forms[key] = ActionForm(meeting, prefix=key, formdata=None)
            forms[key].fill(action)
    if "terms" not in forms:
        forms["terms"] = TermsForm(prefix="terms", formdata=None)
        forms["terms"].fill(plan.terms_of(meeting))
    forms.setdefault("new", ActionForm(meeting, prefix="new", formdata=None))
    return render_template(
        "meetings/amend.html",
        meeting=meeting,
        actions=actions,
        forms=forms,
        client_id=secrets.token_hex(16),  # sending the new action twice adds it once
        history=[e for e in private_time.history_of(meeting) if e.kind is HistoryKind.PLAN_AMENDED],
    ), status


@bp.get("/amend")
@chair_required
def amend(meeting_id: int):
    """The plan of a closed meeting, each part a form; every saved change is recorded."""
    return _page(_closed(meeting_id), {})


def _saved(meeting: Meeting):
    flash(_("The plan is changed, and the change is recorded in the meeting's history."))
    return redirect(url_for("follow_up.amend", meeting_id=meeting.id))


@bp.post("/amend/actions/<int:action_id>")
@chair_required
def amend_action(meeting_id: int, action_id: int):
    meeting = _closed(meeting_id)
    key = f"a{action_id}"
    form = ActionForm(meeting, prefix=key)
    if form.validate():
        try:
            if request.form.get("remove") == "yes":
                closing.amend_remove_action(
                    meeting, action_id, _revision(form), access.name_of(access.current_viewer())
                )
            else:
                closing.amend_action(
                    meeting,
                    action_id,
                    _revision(form),
                    form.details(),
                    access.name_of(access.current_viewer()),
                )
        except ServiceError as error:
            show_error(form, error)
        else:
            return _saved(meeting)
    return _page(meeting, {key: form}, 400)


@bp.post("/amend/actions")
@chair_required
def add_action(meeting_id: int):
    meeting = _closed(meeting_id)
    form = ActionForm(meeting, prefix="new")
    if form.validate():
        try:
            closing.amend_add_action(
                meeting,
                request.form.get("client_id"),
                form.details(),
                access.name_of(access.current_viewer()),
            )
        except ServiceError as error:
            show_error(form, error)
        else:
            return _saved(meeting)
    return _page(meeting, {"new": form}, 400)


@bp.post("/amend/terms")
@chair_required
def amend_terms(meeting_id: int):
    meeting = _closed(meeting_id)
    form = TermsForm(prefix="terms")
    if form.validate():
        try:
            closing.amend_terms(
                meeting, _revision(form), form.changes(), access.name_of(access.current_viewer())
            )
        except ServiceError as error:
            show_error(form, error)
        else:
            return _saved(meeting)
    return _page(meeting, {"terms": form}, 400)


@bp.post("/review")
@chair_required
def review(meeting_id: int):
    """Set up the review conference or core group, starting from this meeting's plan."""
    meeting = meeting_for_chair(meeting_id, access.may_run)
    try:
        review_meeting, created = reviews.create_review(meeting, zone())
    except ServiceError as error:
        flash(error.message)
        return redirect(url_for("meetings.console", meeting_id=meeting.id))
    if created:
        flash(
            _(
                "The review is set up with the plan from %(title)s. Check its date and people.",
                title=meeting.title,
            )
        )
    else:
        flash(_("This meeting's review is already set up."))
    return redirect(url_for("meetings.console", meeting_id=review_meeting.id))
