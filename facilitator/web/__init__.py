"""The HTML pages and the health check, one blueprint per room of the product."""

from flask import Flask, redirect, url_for

from facilitator import access
from facilitator.web import auth, display, errors, headers, health, join, meetings


def init_app(app: Flask) -> None:
    for module in (health, auth, meetings, join):
        app.register_blueprint(module.bp)
    errors.init_app(app)
    display.init_app(app)
    headers.init_app(app)
    app.add_url_rule("/", "index", lambda: redirect(url_for("meetings.index")))
    # A function, not a value: pages that never show the header never query for it.
    app.jinja_env.globals["current_viewer"] = access.current_viewer
