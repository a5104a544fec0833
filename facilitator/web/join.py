"""Where phones arrive: by a scanned QR code, a join code typed by hand, or a personal link.

One address per meeting, `/join/<code>`, shows a phone where it stands: the
join form, the lobby, the meeting, or a kind refusal. The phone is known by
its device cookie, so scanning again or reloading never makes a second person.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, ValidationError

from facilitator import access, i18n
from facilitator.models import Meeting, Participant, Side
from facilitator.services import joining, meetings, people, throttle
from facilitator.services.errors import ValidationError as Refusal
from facilitator.web.display import SIDE_LABELS
from facilitator.web.forms import show_error, status_of
from facilitator.web.summary import summary_for

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


class JoinForm(FlaskForm):
    name = StringField(_l("Your name"), description=_l("What people here call you."))
    relation = StringField(
        _l("How are you connected?"),
        description=_l("For example Mum, Grandad, Friend, School or Health visitor."),
    )
    side = RadioField(_l("I am here as"), choices=[], validate_choice=False)
    language = SelectField(
        _l("Language"),
        description=_l("The meeting is shown on your phone in this language. You can change it at any time."),
        choices=[],
        validate_choice=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = i18n.choices()
        if not i18n.known(self.language.data):
            self.language.data = i18n.current_language()
        self.side.choices = [
            (Side.FAMILY.value, _l("Family or a friend")),
            (Side.PROFESSIONAL.value, SIDE_LABELS[Side.PROFESSIONAL]),
        ]


def _device_token() -> str | None:
    return request.cookies.get(access.DEVICE_COOKIE)


def _remember_device(response, token: str):
    """The phone's token: HttpOnly, so page scripts never see it; only its hash is stored."""
    response.set_cookie(
        access.DEVICE_COOKIE,
        token,
        max_age=current_app.config["DEVICE_COOKIE_DAYS"] * 24 * 3600,
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
    )
    return response


def _unknown_code():
    joining.missed_lookup(request.remote_addr or "")
    return render_template("join/unknown_code.html", form=JoinCodeForm()), 404


def _lookups_refused() -> tuple[str, int] | None:
    """The "too many tries" page while this address has been missing codes or links, else None."""
    try:
        joining.check_lookups(request.remote_addr or "")
    except throttle.TooManyAttempts as refusal:
        return render_template("join/too_many_tries.html", minutes=refusal.minutes), 429
    return None


@bp.get("/")
def enter_code():
    """Ask for the join code, for phones that cannot scan the QR code."""
    form = JoinCodeForm(request.args)
    if request.args and form.validate():
        refused = _lookups_refused()
        if refused is not None:
            return refused
        return redirect(url_for("join.meeting", code=meetings.normalise_join_code(form.code.data)))
    status = 400 if form.errors else 200
    return render_template("join/enter_code.html", form=form), status


def _phone_page(meeting: Meeting, person: Participant, template: str = "join/phone.html"):
    viewer = access.Viewer(access.ViewerKind.PARTICIPANT, participant=person)
    return render_template(
        template,
        meeting=meeting,
        person=person,
        may_see=access.may_see_content(viewer, meeting),
        shut_out=access.shut_out(viewer, meeting),
        can=access.capabilities(viewer, meeting),
    )


def _finished(meeting: Meeting, person: Participant | None):
    """A closed meeting: its summary for someone who took part on this phone; for anyone
    else, only that it has finished (the code no longer lets anyone in)."""
    viewer = access.Viewer(access.ViewerKind.PARTICIPANT, participant=person) if person else access.ANONYMOUS
    if access.summary_copy(viewer, meeting) is None:
        return render_template("join/finished.html", meeting=meeting), 410
    return render_template("join/summary.html", meeting=meeting, s=summary_for(viewer, meeting))


@bp.route("/<code>", methods=["GET", "POST"])
def meeting(code: str):
    """The meeting's join address: the join form for a new phone, else where this phone stands;
    once the meeting has closed, its summary."""
    found = meetings.find_meeting(code)
    person = joining.person_on_device(found, _device_token()) if found is not None else None
    # A phone already in this meeting is never held up; anyone else, found or not, is.
    refused = _lookups_refused() if person is None else None
    if refused is not None:
        return refused
    if found is None:
        return _unknown_code()
    if not found.is_open:
        return _finished(found, person)
    if person is not None:
        if request.method == "POST":
            return redirect(url_for("join.meeting", code=found.join_code))
        return _phone_page(found, person)
    form = JoinForm(formdata=None, side=Side.FAMILY.value) if request.method == "GET" else JoinForm()
    if request.method == "POST" and form.validate():
        token = _device_token() or joining.new_device_token()
        try:
            joining.join(
                found,
                form.name.data or "",
                form.relation.data or "",
                form.side.data or "",
                token,
                request.remote_addr or "",
            )
        except throttle.TooManyAttempts as refusal:
            form.form_errors.append(refusal.message)
            return render_template("join/join.html", meeting=found, form=form), 429
        except Refusal as error:
            show_error(form, error)
        else:
            response = _remember_device(redirect(url_for("join.meeting", code=found.join_code)), token)
            return i18n.remember_language(response, form.language.data)
    return render_template("join/join.html", meeting=found, form=form), status_of(form)


@bp.get("/<code>/state")
def state(code: str):
    """Just the part of the phone page that changes, for the page's script after the chair decides."""
    found = meetings.find_open_meeting(code)
    person = joining.person_on_device(found, _device_token()) if found else None
    if found is None or person is None:
        return "", 404
    return _phone_page(found, person, "join/_state.html")


@bp.route("/invite/<token>", methods=["GET", "POST"])
def invited(token: str):
    """A personal link: one tap joins as the person it was made for.

    Asking first, rather than joining on opening, keeps link previews in
    messaging apps from using the link up before the person does.
    """
    refused = _lookups_refused()
    if refused is not None:
        return refused
    person = people.find_invited(token)
    if person is None:
        joining.missed_lookup(request.remote_addr or "")
        return render_template("join/unknown_invite.html", form=JoinCodeForm()), 404
    form = FlaskForm()
    if form.validate_on_submit():
        device = _device_token() or joining.new_device_token()
        try:
            joining.claim_invite(person, device, request.remote_addr or "")
        except throttle.TooManyAttempts as refusal:
            form.form_errors.append(refusal.message)
            return render_template("join/invited.html", meeting=person.meeting, person=person, form=form), 429
        return _remember_device(redirect(url_for("join.meeting", code=person.meeting.join_code)), device)
    return render_template("join/invited.html", meeting=person.meeting, person=person, form=form)
