"""The database: settings per backend, the schema upgrade and the health probe."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url

from facilitator.extensions import db, migrate

MIGRATIONS = str(Path(__file__).parent / "migrations")


def normalise_url(database_url: str) -> str:
    """Pin PostgreSQL to psycopg2, which run.py makes cooperative under eventlet or gevent (psycogreen)."""
    url = make_url(database_url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg2")
    return url.render_as_string(hide_password=False)


def engine_options(database_url: str, options: dict) -> dict:
    """Per-backend connection settings: a health check must fail fast, not hang."""
    backend = make_url(database_url).get_backend_name()
    options = dict(options)
    connect_args = dict(options.get("connect_args", {}))
    if backend == "postgresql":
        connect_args.setdefault("connect_timeout", 5)
    elif backend == "sqlite":
        connect_args.setdefault("timeout", 15)
        # A file does not drop connections: no ping before every event's first query.
        options["pool_pre_ping"] = False
    options["connect_args"] = connect_args
    return options


def init_app(app: Flask) -> None:
    """Bind the database and the migrations to the app, with per-backend settings."""
    url = normalise_url(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(url, app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets the room screen and phones read while a contribution is written.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def upgrade_schema() -> None:
    """Bring the schema to the newest migration; harmless when it is already there."""
    upgrade(directory=MIGRATIONS)


def probe(engine: Engine) -> None:
    """Raise if the database cannot answer a trivial query."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
