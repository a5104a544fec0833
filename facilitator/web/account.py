"""A chair's own account, and the admin's page for creating other chairs' accounts."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField

from facilitator import access
from facilitator.services import accounts, audit
from facilitator.services.errors import ValidationError
from facilitator.web.auth import chair_required
from facilitator.web.forms import show_error, status_of

bp = Blueprint("account", __name__)


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"))
    password = PasswordField(
        _l("New password"),
        description=_l("At least %(count)d characters. A few unrelated words make a strong one.", count=accounts.MIN_PASSWORD_LENGTH),
    )
    confirmation = PasswordField(_l("New password again"))


class NewChairForm(FlaskForm):
    email = EmailField(_l("E-mail address"))
    display_name = StringField(_l("Name"), description=_l("As people see it, for example \u201cSam Patel\u201d."))
    is_admin = BooleanField(_l("May create other chairs' accounts"))


def admin_required(view):
    @wraps(view)
    @chair_required
    def wrapped(**kwargs):
        if not access.may_administer(access.current_viewer()):
            abort(403)
        return view(**kwargs)

    return wrapped


@bp.route("/account/password", methods=["GET", "POST"])
@chair_required
def password():
    """Change your own password; every other session of yours ends."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(
                g.chair, form.current_password.data or "", form.password.data or "", form.confirmation.data or ""
            )
        except ValidationError as error:
            show_error(form, error)
        else:
            access.sign_in(g.chair)  # this session carries on; the others do not
            flash(_("Your password is changed. Anywhere else you were signed in, you are now signed out."))
            return redirect(url_for("meetings.index"))
    return render_template("account/password.html", form=form), status_of(form)


@bp.route("/admin/chairs", methods=["GET", "POST"])
@admin_required
def chairs():
    """Every chair account, and a form to create one with a temporary password."""
    form = NewChairForm()
    created, temporary = None, None
    if form.validate_on_submit():
        temporary = accounts.new_temporary_password()
        try:
            created = accounts.create_chair(
                form.email.data or "", temporary, display_name=form.display_name.data or "", is_admin=form.is_admin.data
            )
        except ValidationError as error:
            show_error(form, error)
            temporary = None
        else:
            role = "admin" if created.is_admin else ""
            audit.record(audit.CHAIR_CREATED, subject=f"chair {created.id} {created.email}", detail=role)
            form = NewChairForm(formdata=None)
    return render_template(
        "account/chairs.html", form=form, chairs=accounts.all_chairs(), created=created, temporary=temporary
    ), status_of(form)
