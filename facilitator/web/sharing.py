"""Giving other chairs access to a meeting: co-chairs and minute-takers."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField

from facilitator import access
from facilitator.models import Meeting, MemberRole
from facilitator.services import meetings
from facilitator.services.errors import ValidationError
from facilitator.web.auth import chair_required, meeting_for_chair
from facilitator.web.display import ROLE_LABELS
from facilitator.web.forms import show_error, status_of

bp = Blueprint("sharing", __name__, url_prefix="/meetings/<int:meeting_id>/sharing")


class ShareForm(FlaskForm):
    email = EmailField(_l("Their e-mail address"), description=_l("They need a chair account already."))
    role = RadioField(_l("Role"), choices=[], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(role.value, ROLE_LABELS[role.value]) for role in MemberRole]


def _page(meeting: Meeting, form: ShareForm):
    return render_template("sharing/index.html", meeting=meeting, form=form), status_of(form)


@bp.get("/")
@chair_required
def index(meeting_id: int):
    """Who else has access to this meeting."""
    meeting = meeting_for_chair(meeting_id, access.may_manage)
    return _page(meeting, ShareForm(formdata=None, role=MemberRole.CO_CHAIR.value))


@bp.post("/")
@chair_required
def add(meeting_id: int):
    """Give another chair access, or change their role."""
    meeting = meeting_for_chair(meeting_id, access.may_manage)
    form = ShareForm()
    if form.validate():
        try:
            member = meetings.share_meeting(meeting, form.email.data or "", form.role.data or "")
        except ValidationError as error:
            show_error(form, error)
        else:
            flash(_("%(name)s now has access as %(role)s.", name=member.chair.display_name, role=ROLE_LABELS[member.role.value]))
            return redirect(url_for("sharing.index", meeting_id=meeting.id))
    return _page(meeting, form)


@bp.post("/<int:member_id>/remove")
@chair_required
def remove(meeting_id: int, member_id: int):
    """Take another chair's access away."""
    meeting = meeting_for_chair(meeting_id, access.may_manage)
    try:
        meetings.unshare_meeting(meeting, member_id)
    except ValidationError as error:
        flash(error.message, "error")
    else:
        flash(_("Their access is removed."))
    return redirect(url_for("sharing.index", meeting_id=meeting.id))
