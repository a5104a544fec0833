"""The live side: Socket.IO commands in (events.py) and facts out (broadcast.py)."""

from flask import Flask

from facilitator.extensions import socketio

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
