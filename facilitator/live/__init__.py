"""The live side: Socket.IO commands in (events.py) and facts out (broadcast.py)."""

import gc
import logging
from datetime import timedelta
from typing import NoReturn

from flask import Flask, abort
from socketio.packet import Packet

from facilitator.extensions import db, socketio
from facilitator.live import guard

# Imported before any server exists: Flask-SocketIO copies the handlers it has
# collected into each app's server, but binds later ones to the current one only.
from facilitator.live import events  # noqa: F401

# A young collection every 20,000 new objects; a middle one every 10 of those, so that what
# thousands of sockets hold moves to the old generation in pieces of about 100 ms, not in one
# pause of 400 ms; a full one only after 1,000 middle ones, and once the old objects have
# grown by a quarter (docs/performance.md).
GC_THRESHOLDS = (20_000, 10, 1_000)


class JsonPacket(Packet):
    """The protocol is JSON only: no payload carries bytes. Otherwise every emit and every ack
    walks its whole payload looking for some (a fifth of the time of a big `sync`)."""

    uses_binary_events = False


def init_app(app: Flask) -> None:
    # One Socket.IO object serves the process. An app made without a message queue never
    # inherits the queue of an app made before it (Flask-SocketIO keeps it in its options).
    if not app.config["SOCKETIO_MESSAGE_QUEUE"]:
        socketio.server_options.pop("client_manager", None)
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        channel=app.config["SOCKETIO_CHANNEL"],
        # Identity is read from the signed cookie at connect; sockets never write it.
        manage_session=False,
        max_http_buffer_size=app.config["SOCKETIO_MAX_MESSAGE_BYTES"],
        serializer=JsonPacket,
    )
    guard.install(socketio.server)
    # Every event runs in a request context made from its socket's handshake, and Flask looks
    # up that path's view. With none, each event raised a NotFound (over WebSocket, a
    # WebsocketMismatch) and kept it, traceback and all: a reference cycle of some sixty objects
    # an event, most of what the garbage collector stopped the process for. The Socket.IO server
    # answers this path before Flask sees it, for long-polling and WebSocket alike.
    for websocket, methods in ((False, ["GET", "POST"]), (True, ["GET"])):
        app.add_url_rule(
            "/socket.io/",
            "socketio_websocket" if websocket else "socketio",
            _answered_by_socketio,
            methods=methods,
            strict_slashes=False,
            websocket=websocket,
        )


def _answered_by_socketio() -> NoReturn:
    abort(404)


def keep_presence(app: Flask) -> None:
    """In the background of a server process: say it is alive, and take the phones of
    processes that died off "who is here" (run.py starts it; so a restart cleans up too)."""
    log = logging.getLogger(__name__)
    stale = timedelta(seconds=app.config["PRESENCE_STALE_SECONDS"])

    def beat_and_reap() -> None:
        from facilitator.live import broadcast
        from facilitator.models import Meeting
        from facilitator.services import changes, presence

        while True:
            with app.app_context():
                try:
                    presence.beat()
                    for meeting_id in presence.reap(stale):
                        meeting = db.session.get(Meeting, meeting_id)
                        if meeting is not None:
                            changes.tell(meeting, "people_changed")
                    broadcast.publish()
                except Exception:  # the database is away for a moment: try again next beat
                    db.session.rollback()
                    log.exception("presence heartbeat failed")
            socketio.sleep(app.config["PRESENCE_BEAT_SECONDS"])

    socketio.start_background_task(beat_and_reap)


def collect_garbage_seldom() -> None:
    """Python's garbage collector stops every connection while it runs (one green thread runs at
    a time). At its default pace (a young collection every 700 new objects, a full one whenever
    the old objects grow by a quarter), a process with thousands of phones spent a third of its
    time collecting, in pauses of up to half a second. What start-up made lives as long as the
    process: freeze it out of every collection. Then collect less often, so that the objects of
    each message die before a collection sees them and a full collection is rare."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
