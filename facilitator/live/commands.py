"""What every command handler shares: who the socket is, what it sent, and refusals.

Identity comes from the cookies the socket connected with (a chair's session,
a phone's device token) and the database, never from a payload; the meeting a
socket follows is named once, on connect, and checked against that identity.
A handler that fails answers an error ack instead of dropping the connection.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from flask import g, request
from flask_babel import gettext as _
from flask_socketio import join_room, leave_room
from sqlalchemy import and_, bindparam, select

from facilitator import access
from facilitator.access import Viewer
from facilitator.extensions import db
from facilitator.live import broadcast, connections, snapshot
from facilitator.live import rooms as room_names
from facilitator.live.acks import refused
from facilitator.models import Meeting, Participant
from facilitator.services import joining
from facilitator.services.errors import ServiceError


class Refused(Exception):
    """A command that cannot be carried out; becomes an error ack."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def payload_of(payload: Any, *allowed: str) -> dict[str, Any]:
    """The command's details: an object with only the fields this command knows."""
    if payload is None:
        payload = {}
    if not isinstance(payload, dict) or not set(payload) <= set(allowed):
        raise Refused("invalid", _("These details do not fit this command."))
    return payload


# The meeting and the person on this phone, in one statement (no person for a chair's or the
# screen's socket). Built once: SQLAlchemy keeps a statement's cache key, instead of working it
# out again for every command (a third of the time of loading the meeting).
_READ = (
    select(Meeting, Participant)
    .outerjoin(
        Participant,
        and_(Participant.meeting_id == Meeting.id, Participant.device_token_hash == bindparam("token_hash")),
    )
    .where(Meeting.id == bindparam("id"))
    .execution_options(populate_existing=True)
)
_LOCK = _READ.with_for_update(of=Meeting)


def meeting_and_person(meeting_id: int, *, lock: bool = False) -> tuple[Meeting, Participant | None] | None:
    """The meeting and the person this socket's phone joined it as, in one statement; None
    for no such meeting. With `lock`, the meeting's row is locked (on PostgreSQL)."""
    return db.session.execute(
        _LOCK if lock else _READ,
        {"id": meeting_id, "token_hash": joining.device_hash(request.cookies.get(access.DEVICE_COOKIE))},
    ).one_or_none()


# One command of a meeting at a time in this process. On PostgreSQL the meeting's row lock
# already orders them; but thirty phones answering at once would each hold a pooled connection
# while waiting for it, and leave none for the other meetings. Here they wait holding nothing.
_turns: dict[int, threading.RLock] = {}


def _take_turn(meeting_id: int) -> None:
    """Wait for this meeting's turn in this process; `command` gives it up once it has published."""
    turn = _turns.get(meeting_id) or _turns.setdefault(meeting_id, threading.RLock())
    turn.acquire()
    g.setdefault("turns", []).append(turn)


def _give_up_turns() -> None:
    for turn in reversed(g.pop("turns", [])):
        turn.release()


def identify(*, reading: bool = False) -> tuple[Viewer, Meeting]:
    """Who this socket is in the meeting it follows, worked out again from the database.

    A command about to change the meeting takes the meeting's turn in this process, then locks
    its row (on PostgreSQL), so what it checks (private family time, closing) cannot change in
    another process before it writes. A closed meeting is read-only: only `sync` (`reading`)
    still answers."""
    following = connections.of(request.sid)
    if following is not None and not reading:
        _take_turn(following.meeting_id)
    found = meeting_and_person(following.meeting_id, lock=not reading) if following is not None else None
    if found is None:
        raise Refused("unauthorised", _("This connection is not following a meeting."))
    meeting, on_device = found
    if not meeting.is_open and not reading:
        raise Refused("closed", _("This meeting has closed. Its summary is on the page."))
    viewer = access.viewer_in(meeting, on_device, following.screen_token)
    if not access.may_connect(viewer):
        raise Refused("unauthorised", _("You are no longer part of this meeting."))
    return viewer, meeting


def present() -> tuple[Viewer, Meeting]:
    """A socket that may give this command now: during private family time, one it shuts out
    only for what `access.may_while_shut_out` allows (the chairs keep the lobby and end it)."""
    viewer, meeting = identify()
    if access.shut_out(viewer, meeting) and not access.may_while_shut_out(viewer, request.event["message"]):
        raise Refused("private_time", _("The family is having private time. You will be invited back."))
    return viewer, meeting


def running_chair() -> tuple[Viewer, Meeting]:
    """The socket of a chair who runs the meeting (owner or co-chair)."""
    viewer, meeting = present()
    if not access.may_run(viewer, meeting):
        raise Refused("forbidden", _("Only the meeting's chairs can do that."))
    return viewer, meeting


def running() -> Meeting:
    """The meeting, when the socket is a chair who runs it."""
    return running_chair()[1]


def place(viewer: Viewer, meeting: Meeting) -> None:
    """Put the socket in the room of its identity (`rooms.for_viewer`)."""
    wanted = frozenset(room_names.for_viewer(viewer, meeting))
    held = connections.rooms_of(request.sid)
    for room in held - wanted:
        leave_room(room)
    for room in wanted - held:
        join_room(room)
    connections.placed(request.sid, wanted)


def command(handler):
    """Turn refusals into error acks (a command never drops its connection), and publish
    whatever the command committed."""

    @functools.wraps(handler)
    def wrapped(payload=None):
        try:
            return handler(payload)
        except Refused as refusal:
            return refused(refusal.code, refusal.message)
        except ServiceError as error:
            db.session.rollback()
            current = getattr(error, "current", None)  # a conflict says how the item is now
            extra = {} if current is None else {"current": snapshot.plan_item(current)}
            return refused(error.code, error.message, **extra)
        finally:
            try:
                broadcast.publish()  # in the meeting's turn: this process sends its changes in order
            finally:
                _give_up_turns()

    return wrapped
