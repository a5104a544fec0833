"""Chair sign-in and sign-out, and the check every chair page starts with."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired, Length

from facilitator import access
from facilitator.access import Viewer
from facilitator.extensions import db
from facilitator.models import Meeting
from facilitator.services import accounts, audit, changes, throttle

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            InputRequired(message=_l("Enter your e-mail address.")),
            Length(max=254, message=_l("An e-mail address is at most 254 characters.")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            InputRequired(message=_l("Enter your password.")),
            Length(max=accounts.MAX_PASSWORD_LENGTH, message=_l("That password is too long.")),
        ],
    )


def chair_required(view):
    """Send anyone who is not a signed-in chair to the sign-in page, then back."""

    @wraps(view)
    def wrapped(**kwargs):
        viewer = access.current_viewer()
        if not viewer.is_chair:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        g.chair = viewer.chair
        return view(**kwargs)

    return wrapped


def safe_next(target: str | None, fallback: str | None = None) -> str:
    """Only a path on this site: a sign-in link must not bounce people elsewhere.

    Refused, for the meetings page: anything not starting with one "/", a backslash or any
    control character anywhere (browsers drop tabs and newlines, so "/\t/evil.example" would
    become "//evil.example"), and anything that parses with a scheme or a host.
    """
    if (
        target
        and len(target) <= 2000
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not any(unicodedata.category(c) == "Cc" for c in target)
        and not urlsplit(target).scheme
        and not urlsplit(target).netloc
    ):
        return target
    return fallback or url_for("meetings.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign a chair in with e-mail and password."""
    form = LoginForm()
    if form.validate_on_submit():
        try:
            chair = accounts.sign_in(form.email.data, form.password.data, request.remote_addr or "")
        except throttle.TooManyAttempts as refusal:
            audit.record(audit.SIGN_IN_REFUSED, actor_name=audit.email_given(form.email.data))
            form.form_errors.append(refusal.message)
            return render_template("auth/login.html", form=form), 429
        if chair is not None:
            access.sign_in(chair)
            audit.record(audit.SIGN_IN)
            return redirect(safe_next(request.args.get("next")))
        audit.record(audit.SIGN_IN_FAILED, actor_name=audit.email_given(form.email.data))
        # One message for both cases: it must not reveal which accounts exist.
        form.form_errors.append(_("That e-mail address and password do not match an account."))
    return render_template("auth/login.html", form=form), 400 if form.errors or form.form_errors else 200


@bp.post("/logout")
def logout():
    """Sign out and forget the session."""
    if access.current_viewer().is_chair:
        audit.record(audit.SIGN_OUT)
    access.sign_out()
    flash(_("You have signed out."))
    return redirect(url_for("auth.login"))


def meeting_for_chair(
    meeting_id: int, permission: Callable[[Viewer, Meeting], bool] = access.may_view
) -> Meeting:
    """The meeting, if this chair may do this with it.

    404 when they have no part in it, whether or not it exists; 403 when they
    have a part but not this one (a minute-taker editing the agenda).
    """
    meeting = db.session.get(Meeting, meeting_id)
    viewer = access.current_viewer()
    if meeting is not None and request.method == "POST":
        changes.lock(meeting)  # a page that writes checks the meeting as it is now
    if meeting is None or not access.may_view(viewer, meeting):
        abort(404)
    if not permission(viewer, meeting):
        abort(403)
    return meeting
