"""The people list the family asked for, and each person's personal join link and card."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField
from wtforms.widgets import CheckboxInput, ListWidget

from facilitator import access
from facilitator.models import Meeting, Participant, Side
from facilitator.services import people
from facilitator.services.errors import ValidationError
from facilitator.web.auth import chair_required, meeting_for_chair
from facilitator.web.display import FLAG_LABELS, SIDE_LABELS
from facilitator.web.forms import show_error, status_of
from facilitator.web.qr import qr_svg
from facilitator.web.urls import external_url

bp = Blueprint("people", __name__, url_prefix="/meetings/<int:meeting_id>/people")


class PersonForm(FlaskForm):
    name = StringField(_l("Name"), description=_l("As they like to be called, for example \u201cLinda\u201d."))
    relation = StringField(
        _l("Relationship"),
        description=_l("In the family's words, for example \u201cNan\u201d, \u201cDad's partner\u201d or \u201cClass teacher\u201d."),
    )
    side = RadioField(_l("Here as"), choices=[], validate_choice=False)
    flags = SelectMultipleField(
        _l("Also"),
        choices=[],
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )

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
    return render_template("people/list.html", meeting=meeting, form=form), status_of(form)


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
    _person_or_404(meeting, person_id)
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
