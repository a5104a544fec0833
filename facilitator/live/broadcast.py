"""Every server -> client emit, each with its audience.

Nothing else in the app calls ``socketio.emit``: this file is the whole
outgoing protocol, so who receives what can be checked in one place. Every
event about a meeting carries the meeting's version, and every change reaches
every room that may see the meeting, so a client that sees a gap in versions
knows it missed something and calls `sync`.
"""

from __future__ import annotations

import time

from facilitator import __version__
from facilitator.access import Viewer
from facilitator.extensions import socketio
from facilitator.live import rooms, snapshot
from facilitator.models import Admission, Contribution, Meeting, Participant, Side


def server_time_ms() -> int:
    return int(time.time() * 1000)


def hello(sid: str, viewer: Viewer) -> None:
    """To the one socket that has just connected: who the server takes it for, and its clock."""
    socketio.emit(
        "hello",
        {"viewer": viewer.kind.value, "server_time": server_time_ms(), "app_version": __version__},
        to=sid,
    )


def meeting_changed(meeting: Meeting) -> None:
    """To everyone who may see the meeting: where it is (stage, timer, lobby, agenda)."""
    socketio.emit(
        "meeting_changed",
        {"version": meeting.version, "meeting": snapshot.meeting_state(meeting)},
        to=rooms.everyone_in(meeting.id),
    )


def people_changed(meeting: Meeting) -> None:
    """To the chairs: everyone, lobby included. To the screen and the people let in: who is here."""
    everyone = [snapshot.person(p) for p in meeting.participants]
    admitted = [p for p in everyone if p["admission"] == Admission.ADMITTED.value]
    socketio.emit("people_changed", {"version": meeting.version, "people": everyone}, to=rooms.chairs(meeting.id))
    socketio.emit(
        "people_changed",
        {"version": meeting.version, "people": admitted},
        to=[rooms.screen(meeting.id), *(rooms.side(meeting.id, which) for which in Side)],
    )


def contribution_added(meeting: Meeting, item: Contribution) -> None:
    """To everyone who may see the meeting: what someone has just said."""
    socketio.emit(
        "contribution_added",
        {"version": meeting.version, "contribution": snapshot.contribution(item)},
        to=rooms.everyone_in(meeting.id),
    )


def admission_changed(person: Participant) -> None:
    """To the person's own phones only: let in (`admitted`) or turned away (`declined`)."""
    event = {Admission.ADMITTED: "admitted", Admission.DECLINED: "declined"}.get(person.admission)
    if event is not None:
        socketio.emit(event, {"version": person.meeting.version}, to=rooms.person(person.id))
