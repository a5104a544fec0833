"""The HTML pages and the health check, one blueprint per room of the product."""

from flask import Flask, redirect, url_for

from facilitator import access
from facilitator.web import (
    account,
    agenda,
    audit,
    auth,
    display,
    errors,
    follow_up,
    headers,
    health,
    join,
    language,
    meetings,
    people,
    screen,
    sharing,
    summary,
)


def init_app(app: Flask) -> None:
    for module in (health, auth, account, meetings, agenda, people, sharing, screen, join, summary, follow_up, language):
        app.register_blueprint(module.bp)
    app.register_blueprint(audit.bp)
    audit.init_app(app)  # notes each change a page makes
    errors.init_app(app)
    display.init_app(app)
    headers.init_app(app)
    # Whatever a page committed reaches the live views through the one path the commands use.
    app.after_request(_publish)
    app.add_url_rule("/", "index", lambda: redirect(url_for("meetings.index")))
    # A function, not a value: pages that never show the header never query for it.
    app.jinja_env.globals.update(
        current_viewer=access.current_viewer,
        # What to offer on a page; the views check the same rules again on submit.
        may_view=lambda meeting: access.may_view(access.current_viewer(), meeting),
        may_run=lambda meeting: access.may_run(access.current_viewer(), meeting),
        may_manage=lambda meeting: access.may_manage(access.current_viewer(), meeting),
        may_administer=lambda: access.may_administer(access.current_viewer()),
    )


def _publish(response):
    from facilitator.live import broadcast

    broadcast.publish()
    return response
