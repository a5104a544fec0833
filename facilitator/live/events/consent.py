"""Words passed on only with consent: a party's own space and the agreement's terms in a
shuttle mediation, its sessions, and the child's three houses. Who may give each command is
`access.py`'s to say; who receives what follows is `access.item_audience`'s."""

from __future__ import annotations

from flask_babel import gettext as _

from facilitator import access
from facilitator.extensions import socketio
from facilitator.live import audit
from facilitator.live.acks import ok
from facilitator.live.commands import Refused, command, payload_of, present
from facilitator.services import consent, shuttle


def _party():
    viewer, meeting = present()
    if not access.may_keep_space(viewer, meeting):
        raise Refused("forbidden", _("Only the parties to this mediation can do that."))
    return viewer.participant, meeting


def _keeper():
    """A party, or the child or their advocate: whoever keeps items of their own."""
    viewer, meeting = present()
    if not (access.may_keep_space(viewer, meeting) or access.may_fill_houses(viewer, meeting)):
        raise Refused("forbidden", _("You cannot keep words here."))
    return viewer.participant, meeting


def _mediator():
    viewer, meeting = present()
    if not access.may_mediate(viewer, meeting):
        raise Refused("forbidden", _("Only the mediator can do that."))
    audit.note(viewer, meeting)  # the agreement's terms and the sessions
    return viewer, meeting


@socketio.on("keep")
@command
def keep(payload=None):
    """A party or the child (or their advocate) -> `{"client_id", "kind", "text", "child_id"?}`:
    an item kept in their own space or a house. Only they (and the mediator, or the advocates)
    receive `item_saved`."""
    details = payload_of(payload, "client_id", "kind", "text", "child_id")
    viewer, meeting = present()
    kind = details.get("kind")
    is_house = isinstance(kind, str) and kind.startswith("house_")
    allowed = access.may_fill_houses if is_house else access.may_keep_space
    if not allowed(viewer, meeting):
        raise Refused("forbidden", _("You cannot keep words here."))
    item, _new = consent.write(
        meeting, viewer.participant, details.get("client_id"), kind, details.get("text"), details.get("child_id")
    )
    return ok(version=meeting.version, item_id=item.id)


@socketio.on("take_back")
@command
def take_back(payload=None):
    """Its keeper -> `{"item_id"}`: an item nobody else has read is deleted."""
    details = payload_of(payload, "item_id")
    person, meeting = _keeper()
    consent.remove(meeting, person, details.get("item_id"))
    return ok(version=meeting.version)


@socketio.on("share")
@command
def share(payload=None):
    """The child or their advocate -> `{"item_id", "sharing": "nobody" | "family" | "everyone"}`."""
    details = payload_of(payload, "item_id", "sharing")
    viewer, meeting = present()
    if not access.may_fill_houses(viewer, meeting):
        raise Refused("forbidden", _("Only the child, or their advocate, decides who hears this."))
    consent.share(meeting, viewer.participant, details.get("item_id"), details.get("sharing"))
    return ok(version=meeting.version)


@socketio.on("pass_on")
@command
def pass_on(payload=None):
    """A party -> `{"item_id", "to": participant id | "all", "wording": "mine" | "suggested",
    "revision"}`: passed on in exactly those words; the receivers get `item_saved`."""
    details = payload_of(payload, "item_id", "to", "wording", "revision")
    person, meeting = _party()
    consent.pass_on(
        meeting, person, details.get("item_id"), details.get("to"), details.get("wording"), details.get("revision")
    )
    return ok(version=meeting.version)


@socketio.on("keep_my_words")
@command
def keep_my_words(payload=None):
    """A party -> `{"item_id"}`: the mediator's suggested words are turned down."""
    details = payload_of(payload, "item_id")
    person, meeting = _party()
    consent.decline_suggestion(meeting, person, details.get("item_id"))
    return ok(version=meeting.version)


@socketio.on("suggest")
@command
def suggest(payload=None):
    """The mediator -> `{"item_id", "words": str | null}`: other words for a party's item, for
    its author alone to approve or turn down."""
    details = payload_of(payload, "item_id", "words")
    viewer, meeting = _mediator()
    consent.suggest(meeting, details.get("item_id"), details.get("words"), access.name_of(viewer))
    return ok(version=meeting.version)


@socketio.on("propose_term")
@command
def propose_term(payload=None):
    """The mediator -> `{"client_id", "text", "from_item_id"?}`: a term of the agreement."""
    details = payload_of(payload, "client_id", "text", "from_item_id")
    _viewer, meeting = _mediator()
    term = shuttle.propose_term(meeting, details.get("client_id"), details.get("text"), details.get("from_item_id"))
    return ok(version=meeting.version, term_id=term.id)


@socketio.on("reword_term")
@command
def reword_term(payload=None):
    """The mediator -> `{"term_id", "revision", "text"}`: every party is asked again."""
    details = payload_of(payload, "term_id", "revision", "text")
    _viewer, meeting = _mediator()
    term = shuttle.reword_term(meeting, details.get("term_id"), details.get("revision"), details.get("text"))
    return ok(version=meeting.version, revision=term.revision)


@socketio.on("remove_term")
@command
def remove_term(payload=None):
    """The mediator -> `{"term_id"}`."""
    details = payload_of(payload, "term_id")
    _viewer, meeting = _mediator()
    shuttle.remove_term(meeting, details.get("term_id"))
    return ok(version=meeting.version)


@socketio.on("answer_term")
@command
def answer_term(payload=None):
    """A party -> `{"term_id", "revision", "accepted": bool, "change"?}`: the change asked for
    reaches the mediator alone."""
    details = payload_of(payload, "term_id", "revision", "accepted", "change")
    person, meeting = _party()
    shuttle.answer_term(
        meeting, person, details.get("term_id"), details.get("revision"), details.get("accepted"), details.get("change", "")
    )
    return ok(version=meeting.version)


@socketio.on("end_session")
@command
def end_session(payload=None):
    """The mediator -> `{"next_on"?: "YYYY-MM-DD"}`: this session ends; everything is kept."""
    details = payload_of(payload, "next_on")
    viewer, meeting = _mediator()
    shuttle.end_session(meeting, details.get("next_on"), access.name_of(viewer))
    return ok(version=meeting.version)


@socketio.on("start_session")
@command
def start_session(payload=None):
    """The mediator -> the next session, where the last one ended."""
    payload_of(payload)
    viewer, meeting = _mediator()
    shuttle.start_session(meeting, access.name_of(viewer))
    return ok(version=meeting.version)


@socketio.on("meet_together")
@command
def meet_together(payload=None):
    """The mediator -> the parties meet in one room from now on; everyone's phone re-syncs."""
    payload_of(payload)
    viewer, meeting = _mediator()
    shuttle.meet_together(meeting, access.name_of(viewer))
    return ok(version=meeting.version)
