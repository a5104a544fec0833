"""Every server -> client emit, each with its audience.

Nothing else in the app calls ``socketio.emit``: this file is the whole
outgoing protocol, so who receives what can be checked in one place.
"""

import time

from facilitator import __version__
from facilitator.access import Viewer
from facilitator.extensions import socketio


def server_time_ms() -> int:
    return int(time.time() * 1000)


def hello(sid: str, viewer: Viewer) -> None:
    """To the one socket that has just connected: who the server takes it for, and its clock."""
    socketio.emit(
        "hello",
        {"viewer": viewer.kind.value, "server_time": server_time_ms(), "app_version": __version__},
        to=sid,
    )
