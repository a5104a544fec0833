"""Alembic's environment, run by `flask --app facilitator init-db` and `flask db ...`.

It leaves logging as the app set it up, and writes the app's own column
types as plain SQLAlchemy ones so that each migration stands alone.
"""

import logging

from alembic import context
from flask import current_app

from facilitator.models.types import UTCDateTime

log = logging.getLogger("alembic.env")
db = current_app.extensions["migrate"].db


def render_item(type_, obj, autogen_context):
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def skip_empty_revisions(context_, revision, directives):
    """`flask db migrate` with no model change writes no empty migration."""
    if getattr(context.config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        log.info("No changes in schema detected.")


def run_migrations_online() -> None:
    options = dict(current_app.extensions["migrate"].configure_args)
    options.setdefault("process_revision_directives", skip_empty_revisions)
    options.setdefault("compare_type", True)
    with db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            render_item=render_item,
            **options,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported: run them against the database.")
run_migrations_online()
