"""Which meeting each socket of this process is following.

Per-connection state, kept by the process that holds the connection (nginx
keeps a client on one process). Who the socket is, is worked out again from
its cookies and the database on every command, never kept here.
"""

from __future__ import annotations

_meeting_of_sid: dict[str, int] = {}


def follow(sid: str, meeting_id: int) -> None:
    _meeting_of_sid[sid] = meeting_id


def meeting_id(sid: str) -> int | None:
    return _meeting_of_sid.get(sid)


def forget(sid: str) -> None:
    _meeting_of_sid.pop(sid, None)
