"""The audit trail for admins: read it, filter it, export it as CSV. Nothing here changes an
entry: there is no route that edits or deletes one.

Also notes each change a chair makes through a page (`record_page_change`)."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, Flask, Response, abort, g, render_template, request, stream_with_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, Form, IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional

from facilitator import access
from facilitator.models.types import MAX_ROW_ID, utcnow
from facilitator.services import audit

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")

ACTION_LABELS = {
    audit.SIGN_IN: _l("Signed in"),
    audit.SIGN_IN_FAILED: _l("Sign-in failed"),
    audit.SIGN_IN_REFUSED: _l("Sign-in refused after too many failures"),
    audit.SIGN_OUT: _l("Signed out"),
    audit.SUMMARY_VIEWED: _l("Summary viewed or printed"),
    audit.SUMMARY_PDF: _l("Summary downloaded as PDF"),
    audit.ACTIONS_CSV: _l("Actions downloaded as CSV"),
    audit.CHAIR_CREATED: _l("Chair account created"),
    audit.AUDIT_EXPORTED: _l("Audit trail exported"),
    audit.PERSON_EXPORTED: _l("One person's data exported (subject access)"),
    audit.LIVE: _l("Any change in a live meeting"),
    audit.PAGE: _l("Any change made through a page"),
}
ACTOR_LABELS = {
    "chair": _l("Chair"),
    "participant": _l("Participant"),
    "screen": _l("Room screen"),
    "anonymous": _l("Not signed in"),
}


def action_label(action: str) -> str:
    if action.startswith(audit.LIVE):
        return _("Live change: %(command)s", command=action.removeprefix(audit.LIVE))
    if action.startswith(audit.PAGE):
        return _("Change through a page: %(page)s", page=action.removeprefix(audit.PAGE))
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


class FilterForm(Form):
    """Read from the address (GET): no CSRF token, as it changes nothing."""

    meeting = IntegerField(
        _l("Meeting number"),
        validators=[Optional(), NumberRange(min=1, max=MAX_ROW_ID, message=_l("Enter a meeting's number."))],
    )
    actor = StringField(_l("Who"), description=_l("Part of a name or an e-mail address."))
    action = SelectField(_l("What"), choices=[], default="")
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = [(key, str(label)) for key, label in ACTION_LABELS.items()]
        self.action.choices = [("", _("Anything")), *labels]

    def wanted(self) -> audit.Filter:
        return audit.Filter(
            meeting_id=self.meeting.data,
            actor=(self.actor.data or "").strip()[:254],
            action=self.action.data or "",
            since=self.since.data,
            until=self.until.data,
        )


def audit_reader_required(view):
    """Admins only. Anyone else is told nothing is here (404), or, a chair, that it is not
    theirs to read (403)."""

    @wraps(view)
    def wrapped(**kwargs):
        viewer = access.current_viewer()
        if not viewer.is_chair:
            abort(404)
        if not access.may_read_audit(viewer):
            abort(403)
        g.chair = viewer.chair
        return view(**kwargs)

    return wrapped


def _filter_form() -> tuple[FilterForm, bool]:
    form = FilterForm(request.args)
    return form, form.validate()


def _filter_args() -> dict[str, str]:
    """The filter as it stands, for links to other pages and the export."""
    names = ("meeting", "actor", "action", "since", "until")
    return {key: value for key in names if (value := request.args.get(key))}


@bp.get("/")
@audit_reader_required
def index():
    """The entries that match the filter, newest first, a page at a time."""
    form, valid = _filter_form()
    try:
        number = max(int(request.args.get("page", "1")), 1)
    except ValueError:
        number = 1
    page = audit.page_of(form.wanted(), number) if valid else None
    return render_template(
        "audit/index.html",
        form=form,
        page=page,
        args=_filter_args(),
        action_label=action_label,
        actor_labels=ACTOR_LABELS,
    ), 200 if valid else 400


@bp.get("/export.csv")
@audit_reader_required
def export():
    """The entries that match the filter as CSV, oldest first; the export is itself noted."""
    form, valid = _filter_form()
    if not valid:
        abort(400)
    wanted = form.wanted()
    audit.record(audit.AUDIT_EXPORTED, subject=_describe(wanted))
    day = utcnow().date().isoformat()
    return Response(
        stream_with_context(_csv(wanted)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="audit-{day}.csv"'},
    )


def _csv(wanted: audit.Filter):
    """Read as it is sent, within the request: a long trail is never held whole in memory."""
    yield "\ufeff"  # the mark tells spreadsheets it is UTF-8
    yield from audit.csv_lines(audit.entries(wanted))


def _describe(wanted: audit.Filter) -> str:
    """The filter, for the export's own entry."""
    parts = [
        f"{name}={value}"
        for name, value in (
            ("meeting", wanted.meeting_id),
            ("actor", wanted.actor),
            ("action", wanted.action),
            ("since", wanted.since),
            ("until", wanted.until),
        )
        if value not in (None, "")
    ]
    return " ".join(parts)


def record_page_change(response: Response) -> Response:
    """A chair's change made through a page, noted once it has succeeded: the page, the meeting
    and what else the address names (`stage_id=4`). Pages that note what they did themselves
    (signing in, creating an account) are not noted twice."""
    if request.method != "POST" or response.status_code >= 400 or request.endpoint is None:
        return response
    if g.get("audited") or not access.current_viewer().is_chair:
        return response
    named = dict(request.view_args or {})
    meeting_id = named.pop("meeting_id", None)
    subject = " ".join(f"{key}={value}" for key, value in sorted(named.items()))
    audit.record(audit.PAGE + request.endpoint, meeting_id, subject=subject)
    return response


def init_app(app: Flask) -> None:
    app.after_request(record_page_change)
    app.jinja_env.globals.update(may_read_audit=lambda: access.may_read_audit(access.current_viewer()))
