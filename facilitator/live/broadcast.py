"""Every server -> client emit, each with its audience.

Nothing else in the app calls ``socketio.emit``: this file is the whole
outgoing protocol, so who receives what can be checked in one place. Every
event about a meeting carries the meeting's version.
"""

from __future__ import annotations

import time

from facilitator import __version__
from facilitator.access import Viewer
from facilitator.extensions import socketio
from facilitator.live import rooms, snapshot
from facilitator.models import Admission, Meeting, Participant


def server_time_ms() -> int:
    return int(time.time() * 1000)


def hello(sid: str, viewer: Viewer) -> None:
    """To the one socket that has just connected: who the server takes it for, and its clock."""
    socketio.emit(
        "hello",
        {"viewer": viewer.kind.value, "server_time": server_time_ms(), "app_version": __version__},
        to=sid,
    )


def people_changed(meeting: Meeting) -> None:
    """To the meeting's chairs: everyone, lobby included, after anyone joins or is let in."""
    socketio.emit(
        "people_changed",
        {"version": meeting.version, "people": [snapshot.person(p) for p in meeting.participants]},
        to=rooms.chairs(meeting.id),
    )


def admission_changed(person: Participant) -> None:
    """To the person's own phones only: let in (`admitted`) or turned away (`declined`)."""
    event = {Admission.ADMITTED: "admitted", Admission.DECLINED: "declined"}.get(person.admission)
    if event is not None:
        socketio.emit(event, {"version": person.meeting.version}, to=rooms.person(person.id))
