"""Room names, computed from who a socket is; never taken from a message.

Each socket is in the one room of its identity: a chair's in that chair's room for the
meeting, the room screen's in the room of its token, a phone's in its person's room. A room
is only an address: who receives an event is decided when it is sent, from the database
(`access.recipients_of`), so a person removed, moved to the other side or shut out by private
time receives nothing more, whatever room their socket is in, and a room screen whose link
was replaced receives nothing at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from facilitator.access import Viewer
    from facilitator.models import Meeting


def chair(meeting_id: int, chair_id: int) -> str:
    return f"meeting:{meeting_id}:chair:{chair_id}"


def screen(meeting_id: int, token_hash: str) -> str:
    """The room screen opened with one token: a new token makes a new room."""
    return f"meeting:{meeting_id}:screen:{token_hash[:16]}"


def person(participant_id: int) -> str:
    """One person's phones, wherever they are in the meeting (lobby included)."""
    return f"participant:{participant_id}"


def for_viewer(viewer: Viewer, meeting: Meeting) -> set[str]:
    """The room a socket belongs in: the one of its identity."""
    if viewer.is_chair and viewer.chair is not None:
        return {chair(meeting.id, viewer.chair.id)}
    if viewer.is_screen and meeting.screen_token_hash is not None:
        return {screen(meeting.id, meeting.screen_token_hash)}
    if viewer.is_participant and viewer.participant is not None:
        return {person(viewer.participant.id)}
    return set()
