"""Choosing a language: one tap in any page's header, remembered on this device."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for

from facilitator import i18n
from facilitator.web.auth import safe_next

bp = Blueprint("language", __name__)


@bp.post("/language")
def choose():
    """Set this device's language and go back to the page it was chosen on, now in that language."""
    code = i18n.known(request.form.get("language"))
    if code is None:
        abort(400)
    back = safe_next(request.form.get("next"), fallback=url_for("join.enter_code"))
    return i18n.remember_language(redirect(back, 303), code)
