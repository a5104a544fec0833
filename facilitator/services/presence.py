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
from datetime import timedelta

from sqlalchemy import bindparam, delete, insert, select, update

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


_NODE = select(LiveNode.id).where(LiveNode.id == bindparam("node"))
_HOLD = insert(LiveConnection).values(node_id=bindparam("node"), sid=bindparam("sid"), participant_id=bindparam("person"))
_LET_GO = (
    delete(LiveConnection)
    .where(LiveConnection.node_id == bindparam("node"), LiveConnection.sid == bindparam("sid"))
    .returning(LiveConnection.participant_id)
)


def connected(person: Participant, sid: str) -> None:
    """One more of this person's phones is connected, to this process. Written as plain
    statements (four, with the commit): a reconnect storm brings every phone back at once."""
    if db.session.execute(_NODE, {"node": NODE}).first() is None:  # taken for dead and reaped
        db.session.add(LiveNode(id=NODE, seen_at=utcnow()))
        db.session.flush()
    db.session.execute(_HOLD, {"node": NODE, "sid": sid, "person": person.id})
    db.session.execute(_counted(person.id, +1).values(left_at=None))
    db.session.commit()


def disconnected(sid: str) -> None:
    """A phone's connection to this process has gone."""
    held = db.session.execute(_LET_GO, {"node": NODE, "sid": sid}).scalar_one_or_none()
    if held is not None:
        db.session.execute(_counted(held, -1))
    db.session.commit()


def _counted(participant_id: int, change: int):
    return (
        update(Participant)
        .where(Participant.id == participant_id, Participant.connections + change >= 0)
        .values(connections=Participant.connections + change)
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
