"""The health check a load balancer or a monitoring system polls."""

import logging

from flask import Blueprint, current_app, jsonify
from sqlalchemy.exc import SQLAlchemyError

from facilitator import __version__, database
from facilitator.extensions import db, socketio

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz():
    """Say whether this process can serve a meeting: 200 when it can, 503 and why when not."""
    body = {
        "status": "ok",
        "database": "ok",
        "async_mode": socketio.async_mode,
        "message_queue": "on" if current_app.config["SOCKETIO_MESSAGE_QUEUE"] else "off",
        "version": __version__,
    }
    try:
        database.probe(db.engine)
    except SQLAlchemyError as error:
        # The full error can name hosts and users: it goes to the log, not the answer.
        log.error("health check: database unreachable: %s", error)
        body.update(status="error", database="unreachable", reason="the database cannot be reached")
        return jsonify(body), 503
    return jsonify(body)
