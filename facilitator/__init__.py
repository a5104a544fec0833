"""facilitator: live restorative meetings in children's social care."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

try:
    __version__ = version("facilitator")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings, extensions, pages, live handlers, commands."""
    from facilitator import assets, cli, database, i18n, live, web
    from facilitator.config import load_config
    from facilitator.extensions import csrf

    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(load_config(config, Path(app.instance_path)))

    database.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    # Static files are served before the Socket.IO middleware, which wraps outside.
    assets.init_app(app)
    live.init_app(app)
    web.init_app(app)
    cli.init_app(app)
    if hops := app.config["TRUSTED_PROXIES"]:
        # The client's address and scheme as the proxy saw them, for pages and sockets alike:
        # throttles count the phone, not nginx, and HTTPS is known (so HSTS is sent).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    return app
