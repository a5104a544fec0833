"""Which meeting each socket of this process follows, and as which person.

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


def follow(sid: str, following: Following) -> None:
    _following[sid] = following


def of(sid: str) -> Following | None:
    return _following.get(sid)


def forget(sid: str) -> Following | None:
    return _following.pop(sid, None)
