"""Presence: who has a phone connected now, counted in the database so that any process can
answer, and kept right when a process dies.

Each process is a node. It records the connections it holds and says every few seconds that
it is alive; a node silent for longer than the stale limit has died (killed, its machine
gone), and the first other node to notice takes its connections off the counts. Its phones
reconnect to a living process and are counted again there.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, case, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from facilitator.extensions import db
from facilitator.models import LiveConnection, LiveNode, Participant
from facilitator.models.types import utcnow

# This process, for as long as it runs.
NODE = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def beat() -> None:
    """This process is alive."""
    node = db.session.get(LiveNode, NODE)
    if node is None:
        db.session.add(LiveNode(id=NODE, seen_at=utcnow()))
    else:
        node.seen_at = utcnow()
    db.session.commit()


_HOLD = insert(LiveConnection).values(node_id=bindparam("node"), sid=bindparam("sid"), participant_id=bindparam("person"))
_LET_GO = (
    delete(LiveConnection)
    .where(LiveConnection.node_id == bindparam("node"), LiveConnection.sid == bindparam("sid"))
    .returning(LiveConnection.participant_id)
)


@dataclass(frozen=True)
class Moved:
    """A phone's connection to this process came (`came`) or went."""

    sid: str
    participant_id: int
    came: bool


def hold(sid: str, participant_id: int) -> None:
    """This process holds a phone's connection from now: written at once, so that a person
    turned away or removed a moment later has this socket found and ended, on any process."""
    values = {"node": NODE, "sid": sid, "person": participant_id}
    try:
        db.session.execute(_HOLD, values)
        db.session.commit()
    except IntegrityError:  # this process is new, or was taken for dead and reaped
        db.session.rollback()
        db.session.add(LiveNode(id=NODE, seen_at=utcnow()))
        db.session.flush()
        db.session.execute(_HOLD, values)
        db.session.commit()


def record(moves: list[Moved]) -> None:
    """Count phones that came (already held) and let go of those that went, in the order they
    did, in one transaction: a reconnect storm brings every phone back within a second, and a
    meeting's are counted together (`live/broadcast.presence_changed`)."""
    counts: dict[int, int] = {}
    for move in moves:
        if move.came:
            counts[move.participant_id] = counts.get(move.participant_id, 0) + 1
        elif db.session.execute(_LET_GO, {"node": NODE, "sid": move.sid}).first() is not None:
            counts[move.participant_id] = counts.get(move.participant_id, 0) - 1
    came = {move.participant_id for move in moves if move.came}
    for participant_id, change in counts.items():
        counted = _counted(participant_id, change)
        db.session.execute(counted.values(left_at=None) if participant_id in came else counted)
    db.session.commit()


def _counted(participant_id: int, change: int):
    """Add `change` to a person's count of connected phones, never below none. (Who reads the
    count reads it afresh: nothing loaded in the session is brought up to date.)"""
    return (
        update(Participant)
        .where(Participant.id == participant_id)
        .values(connections=case((Participant.connections + change < 0, 0), else_=Participant.connections + change))
        .execution_options(synchronize_session=False)
    )


def reap(stale_after: timedelta) -> set[int]:
    """Take the connections of every node silent for `stale_after` off the counts; the
    meetings whose presence changed. Two nodes reaping at once do it once: the row locks
    (on PostgreSQL) let only one of them take each dead node."""
    dead = list(
        db.session.scalars(
            select(LiveNode)
            .where(LiveNode.seen_at < utcnow() - stale_after, LiveNode.id != NODE)
            .with_for_update(skip_locked=True)
        )
    )
    meetings: set[int] = set()
    for node in dead:
        held = db.session.scalars(select(LiveConnection).where(LiveConnection.node_id == node.id))
        for connection in held:
            db.session.execute(_counted(connection.participant_id, -1))
            meetings.add(db.session.get(Participant, connection.participant_id).meeting_id)
        db.session.execute(delete(LiveConnection).where(LiveConnection.node_id == node.id))
        db.session.delete(node)
    db.session.commit()
    return meetings
