"""Which meeting each socket of this process follows, as which person, and in which rooms.

Per-connection state, kept by the process that holds the connection (nginx
keeps a client on one process). Who the socket is, is worked out again from
its cookies and the database on every command; this only says where to look,
and whose presence to count down when the socket goes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Following:
    meeting_id: int
    participant_id: int | None = None
    screen_token: str | None = None


_following: dict[str, Following] = {}
# The rooms each socket was put in. Asking the Socket.IO server instead walks every room of the
# process (thousands, with a few hundred meetings), on every `sync`.
_rooms: dict[str, frozenset[str]] = {}


def follow(sid: str, following: Following) -> None:
    _following[sid] = following


def of(sid: str) -> Following | None:
    return _following.get(sid)


def forget(sid: str) -> Following | None:
    _rooms.pop(sid, None)
    return _following.pop(sid, None)


def rooms_of(sid: str) -> frozenset[str]:
    return _rooms.get(sid, frozenset())


def placed(sid: str, rooms: frozenset[str]) -> None:
    _rooms[sid] = rooms
