"""Who may see and do what: the one place permissions are decided.

Pages and live handlers ask here, with the identity the server established
(the signed session cookie), never with anything a client claims in a form
or a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask import g, session

from facilitator.extensions import db
from facilitator.models import Chair, Meeting

SESSION_CHAIR_KEY = "chair_id"


class ViewerKind(StrEnum):
    ANONYMOUS = "anonymous"
    CHAIR = "chair"


@dataclass(frozen=True)
class Viewer:
    """The person behind a request or a socket, as the server knows them."""

    kind: ViewerKind
    chair: Chair | None = None

    @property
    def is_chair(self) -> bool:
        return self.kind is ViewerKind.CHAIR


ANONYMOUS = Viewer(ViewerKind.ANONYMOUS)


def current_viewer() -> Viewer:
    """Identify the person from the session (once per request or live event).

    A deleted account counts as nobody.
    """
    if "viewer" not in g:
        g.viewer = _viewer_from_session()
    return g.viewer


def _viewer_from_session() -> Viewer:
    chair_id = session.get(SESSION_CHAIR_KEY)
    if isinstance(chair_id, int):
        chair = db.session.get(Chair, chair_id)
        if chair is not None:
            return Viewer(ViewerKind.CHAIR, chair=chair)
    return ANONYMOUS


def sign_in(chair: Chair) -> None:
    """Start a fresh session for this chair (a new session defeats fixation)."""
    session.clear()
    session[SESSION_CHAIR_KEY] = chair.id
    session.permanent = True
    g.pop("viewer", None)


def sign_out() -> None:
    session.clear()
    g.pop("viewer", None)


def may_run(viewer: Viewer, meeting: Meeting) -> bool:
    """A chair runs the meetings they own."""
    return viewer.is_chair and viewer.chair is not None and meeting.owner_id == viewer.chair.id


def may_connect(viewer: Viewer) -> bool:
    """Only people the server can name get a live connection."""
    return viewer.kind is not ViewerKind.ANONYMOUS
