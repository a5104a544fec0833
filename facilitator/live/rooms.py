"""Room names, computed from who a socket is; never taken from a message."""

from __future__ import annotations

from facilitator import access
from facilitator.access import Viewer
from facilitator.models import Meeting, Side


def chairs(meeting_id: int) -> str:
    return f"meeting:{meeting_id}:chairs"


def screen(meeting_id: int) -> str:
    return f"meeting:{meeting_id}:screen"


def side(meeting_id: int, which: Side) -> str:
    return f"meeting:{meeting_id}:{which.value}"


def person(participant_id: int) -> str:
    """One person's phones, wherever they are in the meeting (lobby included)."""
    return f"participant:{participant_id}"


def everyone_in(meeting_id: int) -> list[str]:
    """Every room whose sockets may see the meeting's content."""
    return [chairs(meeting_id), screen(meeting_id), *(side(meeting_id, which) for which in Side)]


def for_viewer(viewer: Viewer, meeting: Meeting) -> set[str]:
    """The rooms a socket belongs in now. A person in the lobby is in their own room only.

    Private family time does not move anyone: it is kept by the broadcasts, which address
    nobody's side room while it is on. So when it ends, nobody has to be put back."""
    if viewer.is_chair:
        return {chairs(meeting.id)}
    if viewer.is_screen:
        return {screen(meeting.id)} if access.in_the_room(viewer, meeting) else set()
    if viewer.is_participant and viewer.participant is not None:
        rooms = {person(viewer.participant.id)}
        if access.in_the_room(viewer, meeting):
            rooms.add(side(meeting.id, viewer.participant.side))
        return rooms
    return set()
