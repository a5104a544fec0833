"""Errors answered as a calm page for people, or JSON for programs (by Accept)."""

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: _l("That request could not be understood. Please go back and try again."),
    403: _l("You do not have access to this page."),
    404: _l("We could not find that page. Check the address, or ask the chair for a new link."),
    405: _l("That action is not available here."),
    413: _l("That was too large to send."),
    429: _l("Too many attempts. Please wait a minute, then try again."),
    500: _l("Something went wrong on our side. Please try again in a moment."),
}
CSRF_MESSAGE = _l("This form had been open too long, or came from another site. Reload the page and send it again.")


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def render_error(status: int, message: str):
    if wants_json():
        return jsonify(error={"status": status, "message": str(message)}), status
    return render_template("errors/error.html", status=status, message=message), status


def handle_http_error(error: HTTPException):
    """Every HTTP error, including an unhandled exception (which Flask has already logged)."""
    status = error.code or 500
    return render_error(status, MESSAGES.get(status, MESSAGES[400 if status < 500 else 500]))


def handle_csrf_error(_error: CSRFError):
    return render_error(400, CSRF_MESSAGE)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
