"""The live side: Socket.IO commands in (events.py) and facts out (broadcast.py)."""

import logging
from datetime import timedelta

from flask import Flask

from facilitator.extensions import db, socketio

# Imported before any server exists: Flask-SocketIO copies the handlers it has
# collected into each app's server, but binds later ones to the current one only.
from facilitator.live import events  # noqa: F401


def init_app(app: Flask) -> None:
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        channel=app.config["SOCKETIO_CHANNEL"],
        # Identity is read from the signed cookie at connect; sockets never write it.
        manage_session=False,
        max_http_buffer_size=app.config["SOCKETIO_MAX_MESSAGE_BYTES"],
    )


def keep_presence(app: Flask) -> None:
    """In the background of a server process: say it is alive, and take the phones of
    processes that died off "who is here" (run.py starts it; so a restart cleans up too)."""
    log = logging.getLogger(__name__)
    stale = timedelta(seconds=app.config["PRESENCE_STALE_SECONDS"])

    def beat_and_reap() -> None:
        from facilitator.live import broadcast
        from facilitator.models import Meeting
        from facilitator.services import presence

        while True:
            with app.app_context():
                try:
                    presence.beat()
                    for meeting_id in presence.reap(stale):
                        meeting = db.session.get(Meeting, meeting_id)
                        if meeting is not None:
                            broadcast.people_changed(meeting)
                except Exception:  # the database is away for a moment: try again next beat
                    db.session.rollback()
                    log.exception("presence heartbeat failed")
            socketio.sleep(app.config["PRESENCE_BEAT_SECONDS"])

    socketio.start_background_task(beat_and_reap)
