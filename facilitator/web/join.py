"""Where phones arrive: by a scanned QR code, or a join code typed by hand."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length, ValidationError

from facilitator.services import meetings, people

bp = Blueprint("join", __name__, url_prefix="/join")


class JoinCodeForm(FlaskForm):
    # A GET form: it changes nothing, and the code lands in the address bar.
    class Meta:
        csrf = False

    code = StringField(
        _l("Join code"),
        description=_l("The code shown on the room screen, for example K7M QTRA."),
        validators=[
            InputRequired(message=_l("Enter the join code.")),
            Length(max=20, message=_l("A join code is 7 letters and numbers.")),
        ],
    )

    def validate_code(self, field):
        if not meetings.normalise_join_code(field.data):
            raise ValidationError(_l("Enter the join code."))


@bp.get("/")
def enter_code():
    """Ask for the join code, for phones that cannot scan the QR code."""
    form = JoinCodeForm(request.args)
    if request.args and form.validate():
        return redirect(url_for("join.meeting", code=meetings.normalise_join_code(form.code.data)))
    status = 400 if form.errors else 200
    return render_template("join/enter_code.html", form=form), status


@bp.get("/<code>")
def meeting(code: str):
    """The join page of an open meeting; a plain message for any other code."""
    found = meetings.find_open_meeting(code)
    if found is None:
        return render_template("join/unknown_code.html", form=JoinCodeForm()), 404
    return render_template("join/meeting.html", meeting=found)


@bp.get("/invite/<token>")
def invited(token: str):
    """A personal join link: the meeting, greeting the person it was made for."""
    person = people.find_invited(token)
    if person is None:
        return render_template("join/unknown_invite.html", form=JoinCodeForm()), 404
    return render_template("join/meeting.html", meeting=person.meeting, person=person)
