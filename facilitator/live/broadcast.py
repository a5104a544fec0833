"""Every server -> client emit, each with its audience.

Nothing else in the app calls ``socketio.emit``: this file is the whole
outgoing protocol, so who receives what can be checked in one place. Every
event about a meeting carries the meeting's version, and every change reaches
every room that may see the meeting, so a client that sees a gap in versions
knows it missed something and calls `sync`.

During private family time the audiences are worked out from the database at
the moment of sending (`_everyone`, `_room`): the room screen and the phones
of each person who may stay, one by one. The chairs and the other
professionals are addressed by nothing but `private_time_changed`, whatever
rooms their sockets happen to be in.
"""

from __future__ import annotations

import time

from sqlalchemy import bindparam, select

from facilitator import __version__, access
from facilitator.access import View, Viewer, ViewerKind
from facilitator.extensions import db, socketio
from facilitator.live import rooms, snapshot
from facilitator.models import (
    Admission,
    Contribution,
    Meeting,
    Outcome,
    Participant,
    PlanAction,
    PlanNote,
    PlanTerms,
    Side,
    Stage,
)
from facilitator.services import agreement, contributions

# What `access.stays_in_private_time` reads of each person in the meeting.
_WHO_STAYS = select(
    Participant.id, Participant.admission, Participant.side, Participant.may_stay_in_private_time
).where(Participant.meeting_id == bindparam("meeting"))


def server_time_ms() -> int:
    return int(time.time() * 1000)


def _stayers(meeting: Meeting) -> list[str]:
    """The screen and the phones of everyone who stays in private family time, from the database
    now: only the columns that decide it, not a whole person apiece for every plan edit."""
    people = db.session.execute(_WHO_STAYS, {"meeting": meeting.id})
    return [
        rooms.screen(meeting.id),
        *(rooms.person(p.id) for p in people if access.stays_in_private_time(p)),
    ]


def _room(meeting: Meeting) -> list[str]:
    """Everyone but the chairs: the room screen and the people let in (in private time, those who stay)."""
    if meeting.in_private_time:
        return _stayers(meeting)
    return [rooms.screen(meeting.id), *(rooms.side(meeting.id, which) for which in Side)]


def _chairs(meeting: Meeting) -> list[str]:
    """The chairs, except during private family time."""
    return [] if meeting.in_private_time else [rooms.chairs(meeting.id)]


def _everyone(meeting: Meeting) -> list[str]:
    """Every room that may see the meeting's content now."""
    return [*_chairs(meeting), *_room(meeting)]


def _emit(event: str, data: dict, to: list[str]) -> None:
    if to:
        socketio.emit(event, data, to=to)


def hello(sid: str, viewer: Viewer) -> None:
    """To the one socket that has just connected: who the server takes it for, and its clock."""
    socketio.emit(
        "hello",
        {"viewer": viewer.kind.value, "server_time": server_time_ms(), "app_version": __version__},
        to=sid,
    )


def meeting_changed(meeting: Meeting) -> None:
    """To everyone who may see the meeting: where it is (stage, timer, lobby, agenda)."""
    _emit(
        "meeting_changed",
        {"version": meeting.version, "meeting": snapshot.meeting_state(meeting)},
        _everyone(meeting),
    )


def people_changed(meeting: Meeting) -> None:
    """To the chairs: everyone, lobby included (they keep the lobby in private time too). To
    the screen and the people let in: who is here."""
    everyone = [snapshot.person(p) for p in meeting.participants]
    admitted = [p for p in everyone if p["admission"] == Admission.ADMITTED.value]
    _emit("people_changed", {"version": meeting.version, "people": everyone}, [rooms.chairs(meeting.id)])
    _emit("people_changed", {"version": meeting.version, "people": admitted}, _room(meeting))


def private_time_changed(meeting: Meeting) -> None:
    """To everyone in the meeting, shut out or not: private family time started or ended.

    Everyone whose view of the meeting changes with it (the chairs, the room screen, the
    professionals) receives the new view with the news, as `sync` would answer it but for
    `you`, so no page has to ask; one snapshot is built per view, not per socket. The
    family's view is the same either way: they receive the news alone."""
    news = {"version": meeting.version, "private_time": snapshot.private_time(meeting)}
    views: dict[View, list[str]] = {access.chairs_view(meeting): [rooms.chairs(meeting.id)]}
    views.setdefault(access.view_of(access.room_screen(meeting), meeting), []).append(
        rooms.screen(meeting.id)
    )
    family = []
    for p in meeting.participants:
        if p.admission is not Admission.ADMITTED:
            continue
        if p.is_family:
            family.append(rooms.person(p.id))
        else:
            view = access.view_of(Viewer(ViewerKind.PARTICIPANT, participant=p), meeting)
            views.setdefault(view, []).append(rooms.person(p.id))
    _emit("private_time_changed", news, family)
    for view, to in views.items():
        _emit("private_time_changed", {**news, "snapshot": snapshot.of_view(view, meeting)}, to)


def contribution_added(meeting: Meeting, item: Contribution) -> None:
    """What someone has just said, and the round it was said in (the talking piece may have
    moved on). The chairs see it whole; the room sees it as the chair shows the round, which
    is often the same: then it is sent once to both."""
    known = snapshot.Known({item.participant_id: item.participant.name}, {item.stage_id: item.stage.display})
    stage = snapshot.stage(item.stage)
    whole, shown = (snapshot.contribution(item, full=full, known=known) for full in (True, False))
    chairs, room = _chairs(meeting), _room(meeting)
    audiences = [(chairs + room, whole)] if whole == shown else [(chairs, whole), (room, shown)]
    for audience, contribution in audiences:
        _emit(
            "contribution_added",
            {"version": meeting.version, "contribution": contribution, "stage": stage},
            audience,
        )


def round_changed(meeting: Meeting, stage: Stage) -> None:
    """A round's settings, turn or scores changed: the stage, and everything said in it as
    each audience may now see it (showing names again, for instance)."""
    said = contributions.of_stage(stage)
    state = snapshot.stage(stage)
    for audience, full in ((_chairs(meeting), True), (_room(meeting), False)):
        items = [snapshot.contribution(item, full=full) for item in said]
        _emit("round_changed", {"version": meeting.version, "stage": state, "contributions": items}, audience)


def _plan_changed(meeting: Meeting) -> None:
    """Once the referrer has answered, a change to the plan asks them again."""
    if agreement.was_asked(meeting):
        agreement_changed(meeting)


def outcome_saved(meeting: Meeting, item: Outcome) -> None:
    """To everyone who may see the meeting: an outcome added or changed."""
    _emit(
        "outcome_saved", {"version": meeting.version, "outcome": snapshot.outcome(item)}, _everyone(meeting)
    )
    _plan_changed(meeting)


def outcome_removed(meeting: Meeting, outcome_id: int) -> None:
    """To everyone who may see the meeting: an outcome removed; its actions stay, under no outcome."""
    _emit("outcome_removed", {"version": meeting.version, "id": outcome_id}, _everyone(meeting))
    _plan_changed(meeting)


def action_saved(meeting: Meeting, item: PlanAction) -> None:
    """To everyone who may see the meeting: an action added, changed, accepted or reviewed."""
    _emit("action_saved", {"version": meeting.version, "action": snapshot.action(item)}, _everyone(meeting))
    _plan_changed(meeting)


def action_removed(meeting: Meeting, action_id: int) -> None:
    _emit("action_removed", {"version": meeting.version, "id": action_id}, _everyone(meeting))
    _plan_changed(meeting)


def terms_saved(meeting: Meeting, terms: PlanTerms) -> None:
    """To everyone who may see the meeting: the contingency, monitor, review date or decision."""
    _emit("terms_saved", {"version": meeting.version, "terms": snapshot.terms(terms)}, _everyone(meeting))
    _plan_changed(meeting)


def agreement_changed(meeting: Meeting) -> None:
    """To everyone who may see the meeting: the referrer answered, or the plan they answered
    about has changed since."""
    _emit(
        "agreement_changed",
        {"version": meeting.version, "agreement": snapshot.agreement_of(meeting)},
        _everyone(meeting),
    )


def meeting_closed(meeting: Meeting) -> None:
    """To everyone following the meeting, lobby included: it has closed. Pages show the
    summary (or, for someone never let in, that it has finished)."""
    people = [rooms.person(p.id) for p in meeting.participants]
    _emit(
        "meeting_closed",
        {"version": meeting.version},
        [rooms.chairs(meeting.id), rooms.screen(meeting.id), *people],
    )


def _family(meeting: Meeting) -> list[str]:
    """Who may see a note kept within the family: the family's phones; while private time is
    on, also the screen and those who stay."""
    if meeting.in_private_time:
        return _stayers(meeting)
    return [
        rooms.person(p.id) for p in meeting.participants if p.admission is Admission.ADMITTED and p.is_family
    ]


def note_saved(meeting: Meeting, item: PlanNote) -> None:
    """A note added or changed, to those who may see it. Outside private time, a note kept
    within the family reaches the others only as its removal (they may have had it before it
    was kept), which carries the version and nothing of the note."""
    if not item.family_only:
        _emit("note_saved", {"version": meeting.version, "note": snapshot.note(item)}, _everyone(meeting))
        return
    _emit("note_saved", {"version": meeting.version, "note": snapshot.note(item)}, _family(meeting))
    if not meeting.in_private_time:
        others = [
            rooms.chairs(meeting.id),
            rooms.screen(meeting.id),
            rooms.side(meeting.id, Side.PROFESSIONAL),
        ]
        _emit("note_removed", {"version": meeting.version, "id": item.id}, others)


def note_removed(meeting: Meeting, note_id: int) -> None:
    _emit("note_removed", {"version": meeting.version, "id": note_id}, _everyone(meeting))


def admission_changed(person: Participant) -> None:
    """To the person's own phones only: let in (`admitted`) or turned away (`declined`)."""
    event = {Admission.ADMITTED: "admitted", Admission.DECLINED: "declined"}.get(person.admission)
    if event is not None:
        socketio.emit(event, {"version": person.meeting.version}, to=rooms.person(person.id))
