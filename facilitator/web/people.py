"""The people list the family asked for, and each person's personal join link and card."""

from __future__ import annotations

import json
from datetime import datetime

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField
from wtforms.widgets import CheckboxInput, ListWidget

from facilitator import access
from facilitator.models import Meeting, Participant, Side
from facilitator.extensions import db
from facilitator.services import audit, changes, erasure, people, subject_access
from facilitator.services.errors import ValidationError
from facilitator.web.auth import chair_required, meeting_for_chair
from facilitator.web.display import FLAG_LABELS, SHARED_AS_LABELS, SIDE_LABELS
from facilitator.web.pdf import render_pdf
from facilitator.web.forms import show_error, status_of
from facilitator.web.qr import qr_svg
from facilitator.web.urls import external_url

bp = Blueprint("people", __name__, url_prefix="/meetings/<int:meeting_id>/people")


def checkboxes(label) -> SelectMultipleField:
    """Boxes to tick, their choices set when the form is made."""
    return SelectMultipleField(
        label, choices=[], validate_choice=False, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput()
    )


class PersonForm(FlaskForm):
    name = StringField(_l("Name"), description=_l("As they like to be called, for example \u201cLinda\u201d."))
    relation = StringField(
        _l("Relationship"),
        description=_l("In the family's words, for example \u201cNan\u201d, \u201cDad's partner\u201d or \u201cClass teacher\u201d."),
    )
    side = RadioField(_l("Here as"), choices=[], validate_choice=False)
    flags = checkboxes(_l("Also"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.side.choices = [(side.value, SIDE_LABELS[side]) for side in Side]
        self.flags.choices = list(FLAG_LABELS.items())

    def details(self) -> people.PersonDetails:
        return people.PersonDetails(
            name=self.name.data or "",
            relation=self.relation.data or "",
            side=self.side.data or "",
            flags=frozenset(self.flags.data or ()),
        )

    def fill(self, person: Participant) -> None:
        self.name.data, self.relation.data, self.side.data = person.name, person.relation, person.side.value
        self.flags.data = sorted(people.flags_of(person))


def _person_or_404(meeting: Meeting, person_id: int) -> Participant:
    person = next((person for person in meeting.participants if person.id == person_id), None)
    if person is None:
        abort(404)
    return person


def _list_page(meeting: Meeting, form: PersonForm):
    erased = erasure.erased_ids(meeting)
    return render_template("people/list.html", meeting=meeting, form=form, erased=erased), status_of(form)


@bp.get("/")
@chair_required
def index(meeting_id: int):
    """The people list, with a form to add someone."""
    meeting = meeting_for_chair(meeting_id)
    return _list_page(meeting, PersonForm(formdata=None, side=Side.FAMILY.value))


@bp.post("/")
@chair_required
def add(meeting_id: int):
    """Add someone the family asked for."""
    meeting = meeting_for_chair(meeting_id, access.may_run)
    form = PersonForm()
    if form.validate():
        try:
            person = people.add_person(meeting, form.details())
        except ValidationError as error:
            show_error(form, error)
        else:
            flash(_("Added %(name)s.", name=person.name))
            return redirect(url_for("people.index", meeting_id=meeting.id, _anchor=f"person-{person.id}"))
    return _list_page(meeting, form)


@bp.route("/<int:person_id>", methods=["GET", "POST"])
@chair_required
def edit(meeting_id: int, person_id: int):
    """Change a person's name, relationship, side or flags."""
    meeting = meeting_for_chair(meeting_id, access.may_run)
    person = _person_or_404(meeting, person_id)
    if erasure.is_erased(meeting, person):
        flash(_("This person's details have been erased; they cannot be edited."), "error")
        return redirect(url_for("people.index", meeting_id=meeting.id))
    form = PersonForm()
    if request.method == "GET":
        form.fill(person)
    elif form.validate():
        try:
            people.update_person(meeting, person.id, form.details())
        except ValidationError as error:
            show_error(form, error)
        else:
            flash(_("Saved %(name)s.", name=person.name))
            return redirect(url_for("people.index", meeting_id=meeting.id, _anchor=f"person-{person.id}"))
    return render_template("people/edit.html", meeting=meeting, person=person, form=form), status_of(form)


@bp.post("/<int:person_id>/remove")
@chair_required
def remove(meeting_id: int, person_id: int):
    """Take someone off the list; their personal link stops working."""
    meeting = meeting_for_chair(meeting_id, access.may_run)
    person = _person_or_404(meeting, person_id)
    name = person.name
    try:
        people.remove_person(meeting, person.id)
    except ValidationError as error:
        flash(error.message, "error")
    else:
        flash(_("Removed %(name)s from the list.", name=name))
    return redirect(url_for("people.index", meeting_id=meeting.id))


@bp.post("/<int:person_id>/invite")
@chair_required
def invite(meeting_id: int, person_id: int):
    """A new personal join link and a printable card with its QR code.

    Only the link's hash is stored, so this page is the one chance to copy or
    print it; asking again makes a new link and the old one stops working.
    """
    meeting = meeting_for_chair(meeting_id, access.may_run)
    if erasure.is_erased(meeting, _person_or_404(meeting, person_id)):
        flash(_("This person's details have been erased; they cannot be given a link."), "error")
        return redirect(url_for("people.index", meeting_id=meeting.id))
    try:
        person, token = people.issue_invite(meeting, person_id)
    except ValidationError as error:
        flash(error.message, "error")
        return redirect(url_for("people.index", meeting_id=meeting.id))
    link = external_url("join.invited", token=token)
    join_address = external_url("join.enter_code").split("://", 1)[1]
    return render_template(
        "people/card.html", meeting=meeting, person=person, link=link, qr=qr_svg(link), join_address=join_address
    )


# Subject access and erasure: everything held about one person, and erasing their details at
# their request (`services/subject_access.py`, `services/erasure.py`). A chair who runs the
# meeting, or an admin (`access.may_handle_personal_data`); nobody else.

SAID_KIND_LABELS = {
    **SHARED_AS_LABELS,
    "answer": _l("An answer"),
    "offer": _l("\u201cThis is what I can do to help\u2026\u201d"),
    "reason": _l("Why that number"),
}
EXPORT_HISTORY_LABELS = {
    "admission_changed": _l("Let in, or turned away"),
    "identity_changed": _l("What they may see changed"),
    "person_removed": _l("Their phone was disconnected"),
    "private_time_ended": _l("Ended private family time"),
    "private_time_started": _l("Started private family time"),
}


def _for_personal_data(meeting_id: int) -> Meeting:
    """The meeting, for one who may export or erase a person's data: 404 for a chair with no
    part in it (an admin aside), 403 for one who may view it but not run it."""
    meeting = db.session.get(Meeting, meeting_id)
    viewer = access.current_viewer()
    if meeting is not None and request.method == "POST":
        changes.lock(meeting)
    if meeting is None or not (access.may_view(viewer, meeting) or access.may_administer(viewer)):
        abort(404)
    if not access.may_handle_personal_data(viewer, meeting):
        abort(403)
    return meeting


def _when(value: str | None) -> str:
    return format_datetime(datetime.fromisoformat(value), "d MMMM yyyy, HH:mm") if value else _("Not recorded")


def _people_page(meeting: Meeting) -> str:
    if access.may_view(access.current_viewer(), meeting):
        return url_for("people.index", meeting_id=meeting.id)
    return url_for("meetings.index")


def _export_page(meeting: Meeting, data: dict, *, pdf: bool = False) -> str:
    return render_template(
        "people/export.html",
        d=data,
        pdf=pdf,
        back=_people_page(meeting),
        link=None,
        when=_when,
        said_kind_labels=SAID_KIND_LABELS,
        export_history_labels=EXPORT_HISTORY_LABELS,
    )


def _exported(meeting_id: int, person_id: int, form: str):
    """The meeting, the person and everything held about them, for one who may export it; each
    export noted in the audit trail with its form."""
    meeting = _for_personal_data(meeting_id)
    person = _person_or_404(meeting, person_id)
    audit.record(audit.PERSON_EXPORTED, meeting, subject=f"person={person.id}", detail=form)
    return meeting, person, subject_access.export(meeting, person)


@bp.get("/<int:person_id>/export")
@chair_required
def export(meeting_id: int, person_id: int):
    """Everything held about one person that they may see, as a page to read or print."""
    meeting, _person, held = _exported(meeting_id, person_id, "page")
    return _export_page(meeting, held)


@bp.get("/<int:person_id>/export.pdf")
@chair_required
def export_pdf(meeting_id: int, person_id: int):
    meeting, person, held = _exported(meeting_id, person_id, "pdf")
    html = _export_page(meeting, held, pdf=True)
    name = subject_access.filename(meeting, person, "pdf")
    return Response(
        render_pdf(html),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@bp.get("/<int:person_id>/export.json")
@chair_required
def export_json(meeting_id: int, person_id: int):
    """The same, machine-readable."""
    meeting, person, held = _exported(meeting_id, person_id, "json")
    body = json.dumps(held, ensure_ascii=False, indent=2)
    name = subject_access.filename(meeting, person, "json")
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


class EraseForm(FlaskForm):
    marker = StringField(
        _l("Put in place of their words"),
        description=_l("Shown wherever they said or wrote something, for example \u201cRemoved at the person's request.\u201d"),
    )
    confirm = checkboxes(_l("Confirm"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.confirm.choices = [("yes", _("I understand that this is final and cannot be undone."))]


@bp.route("/<int:person_id>/erase", methods=["GET", "POST"])
@chair_required
def erase(meeting_id: int, person_id: int):
    """Erase one person's details at their request: a page that says what will happen, then
    does it once confirmed."""
    meeting = _for_personal_data(meeting_id)
    person = _person_or_404(meeting, person_id)
    try:
        preview = erasure.preview(meeting, person.id)
    except ValidationError as error:
        flash(error.message, "error")
        return redirect(_people_page(meeting))
    form = EraseForm()
    if request.method == "GET":
        form.marker.data = erasure.default_words_marker()
    elif form.validate():
        if "yes" not in (form.confirm.data or ()):
            form.confirm.errors = [_("Tick the box to confirm that this is final.")]
        else:
            try:
                erased = erasure.erase(
                    meeting,
                    person.id,
                    by=access.name_of(access.current_viewer()),
                    words_marker=form.marker.data,
                )
            except ValidationError as error:
                show_error(form, error)
            else:
                flash(_("Their details are erased. They are now \u201c%(marker)s\u201d.", marker=erased.name))
                return redirect(_people_page(meeting))
    return render_template(
        "people/erase.html", meeting=meeting, person=person, form=form, preview=preview, back=_people_page(meeting)
    ), status_of(form)
