"""Who may see and do what: the one place permissions are decided.

Pages and live handlers ask here, with the identity the server established
(the signed session cookie for chairs, the device cookie for phones), never
with anything a client claims in a form or a message.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from flask import g, session
from sqlalchemy import bindparam, select

from facilitator.extensions import db
from facilitator.models import (
    Admission,
    Chair,
    ConsentItem,
    ContributionKind,
    Meeting,
    MeetingMember,
    MemberRole,
    Participant,
    RoundDisplay,
    Sharing,
    Side,
    StageKind,
)
from facilitator.services import running
from facilitator.services.summary import Copy

SESSION_CHAIR_KEY = "chair_id"
SESSION_VERSION_KEY = "chair_session_version"
# The phone's random device token (HttpOnly); only its hash is stored.
DEVICE_COOKIE = "facilitator_device"


class MeetingRole(StrEnum):
    """What a chair is to one meeting."""

    OWNER = "owner"
    CO_CHAIR = MemberRole.CO_CHAIR.value
    MINUTE_TAKER = MemberRole.MINUTE_TAKER.value


class View(StrEnum):
    """How much of a meeting a viewer sees. Everyone with the same view of a meeting at the
    same version is sent the same snapshot (their own details, `you`, aside)."""

    NOTHING = "nothing"  # someone in the lobby: where they stand, nothing of the meeting
    WAITING = "waiting"  # shut out by private family time: that it is on, nothing more
    WAITING_CHAIR = "waiting_chair"  # the same, and the lobby, which the chairs keep
    CHAIRS = "chairs"  # everything said, whole; everyone, lobby included
    ROOM = "room"  # each round as the chair shows it; the people let in
    FAMILY = "family"  # the room's view and the notes kept within the family


class ViewerKind(StrEnum):
    ANONYMOUS = "anonymous"
    CHAIR = "chair"
    PARTICIPANT = "participant"
    SCREEN = "screen"  # the room screen: sees what the room sees, does nothing


@dataclass(frozen=True)
class Viewer:
    """The person behind a request or a socket, as the server knows them."""

    kind: ViewerKind
    chair: Chair | None = None
    participant: Participant | None = None
    screen_of: int | None = None  # the meeting a room screen shows

    @property
    def is_chair(self) -> bool:
        return self.kind is ViewerKind.CHAIR

    @property
    def is_participant(self) -> bool:
        return self.kind is ViewerKind.PARTICIPANT

    @property
    def is_screen(self) -> bool:
        return self.kind is ViewerKind.SCREEN


ANONYMOUS = Viewer(ViewerKind.ANONYMOUS)


def current_viewer() -> Viewer:
    """Identify the person from the session (once per request or live event).

    A deleted account counts as nobody, and so does a session from before the
    chair's last password change.
    """
    if "viewer" not in g:
        g.viewer = _viewer_from_session()
    return g.viewer


def _viewer_from_session() -> Viewer:
    chair_id = session.get(SESSION_CHAIR_KEY)
    if isinstance(chair_id, int):
        chair = db.session.get(Chair, chair_id)
        if chair is not None and session.get(SESSION_VERSION_KEY) == chair.session_version:
            return Viewer(ViewerKind.CHAIR, chair=chair)
    return ANONYMOUS


def sign_in(chair: Chair) -> None:
    """Start a fresh session for this chair (a new session defeats fixation)."""
    session.clear()
    session[SESSION_CHAIR_KEY] = chair.id
    session[SESSION_VERSION_KEY] = chair.session_version
    session.permanent = True
    g.pop("viewer", None)


def sign_out() -> None:
    session.clear()
    g.pop("viewer", None)


def role_in(viewer: Viewer, meeting: Meeting) -> MeetingRole | None:
    """The viewer's role in a meeting: owner, co-chair, minute-taker, or none."""
    if not viewer.is_chair or viewer.chair is None:
        return None
    if meeting.owner_id == viewer.chair.id:
        return MeetingRole.OWNER
    role = db.session.scalar(
        select(MeetingMember.role).where(
            MeetingMember.meeting_id == meeting.id, MeetingMember.chair_id == viewer.chair.id
        )
    )
    return None if role is None else MeetingRole(role.value)


def may_view(viewer: Viewer, meeting: Meeting) -> bool:
    """Any chair with a role in the meeting may open it."""
    return role_in(viewer, meeting) is not None


def may_run(viewer: Viewer, meeting: Meeting) -> bool:
    """The owner and co-chairs run a meeting: its agenda, people and stages."""
    return role_in(viewer, meeting) in (MeetingRole.OWNER, MeetingRole.CO_CHAIR)


def may_manage(viewer: Viewer, meeting: Meeting) -> bool:
    """Only the owner deletes a meeting or decides who else has access."""
    return role_in(viewer, meeting) is MeetingRole.OWNER


def may_administer(viewer: Viewer) -> bool:
    """Admin chairs create other chairs' accounts."""
    return viewer.is_chair and viewer.chair is not None and viewer.chair.is_admin


def may_read_audit(viewer: Viewer) -> bool:
    """Admin chairs read (and export) the audit trail; nobody changes it."""
    return may_administer(viewer)


def viewer_in(meeting: Meeting, on_device: Participant | None, screen_token: str | None = None) -> Viewer:
    """Who is looking at this meeting: its room screen (by its token), a chair with a role
    in it, else the person this phone joined it as (`joining.person_on_device`), if any."""
    if screen_token is not None:
        shown = running.meeting_for_screen(screen_token)
        return room_screen(meeting) if shown is meeting else ANONYMOUS
    viewer = current_viewer()
    if viewer.is_chair and may_view(viewer, meeting):
        return viewer
    if on_device is None or on_device.meeting_id != meeting.id:
        return ANONYMOUS
    return Viewer(ViewerKind.PARTICIPANT, participant=on_device)


def would_stay(person: Participant) -> bool:
    """Whether someone is of those who stay in private family time: the family, and the
    professionals the family chose (an advocate, an interpreter)."""
    return person.side is Side.FAMILY or person.may_stay_in_private_time


def stays_in_private_time(person: Participant) -> bool:
    """Those of the family's side let in, unless they were let in during private time and the
    family has not welcomed them yet (nobody acquires the family's view by being let in)."""
    return person.admission is Admission.ADMITTED and would_stay(person) and not person.waits_for_family


def shut_out(viewer: Viewer, meeting: Meeting) -> bool:
    """During private family time: the chairs, and every professional who may not stay. They
    receive nothing of the meeting but the fact that private time is on, and can do nothing."""
    if not meeting.in_private_time:
        return False
    if viewer.is_chair:
        return True
    if viewer.is_participant and viewer.participant is not None:
        return not stays_in_private_time(viewer.participant)
    return False  # the room screen is in the family's room


# What the chairs may still do while private family time shuts them out: keep the lobby, and
# end it. Every other command from someone shut out is refused before any service runs.
CHAIRS_WHILE_SHUT_OUT = frozenset({"admit", "admit_all", "decline", "correct", "lobby", "end_private_time"})


def may_while_shut_out(viewer: Viewer, command: str) -> bool:
    return viewer.is_chair and command in CHAIRS_WHILE_SHUT_OUT


def may_see_family_notes(viewer: Viewer, meeting: Meeting) -> bool:
    """Notes kept "within the family": the family, always; the room screen and those who stay,
    only while private time is on. Never the chairs or the other professionals."""
    if viewer.is_participant and viewer.participant is not None:
        person = viewer.participant
        if person.meeting_id != meeting.id or person.admission is not Admission.ADMITTED:
            return False
        if meeting.in_private_time:
            return stays_in_private_time(person)
        return person.side is Side.FAMILY
    return viewer.is_screen and viewer.screen_of == meeting.id and meeting.in_private_time


def may_end_private_time(viewer: Viewer, meeting: Meeting) -> bool:
    """The family ends it ("We're ready"); the chair can too, without seeing anything first."""
    if viewer.is_participant:
        return may_contribute(viewer, meeting) and viewer.participant.side is Side.FAMILY
    return may_run(viewer, meeting)


def may_welcome(viewer: Viewer, meeting: Meeting) -> bool:
    """During private family time, the family decides who joins them."""
    return (
        meeting.in_private_time
        and may_contribute(viewer, meeting)
        and viewer.participant.side is Side.FAMILY
    )


def may_contribute(viewer: Viewer, meeting: Meeting) -> bool:
    """People let in answer from their phones; chairs and the screen do not. While a shuttle
    mediation keeps the parties apart, nothing is said to the room: each writes in their own
    space (`may_keep_space`)."""
    return viewer.is_participant and may_see_content(viewer, meeting) and not meeting.apart


def has_part(meeting: Meeting, kind: StageKind) -> bool:
    """Whether the meeting's agenda includes a part of this kind (a party's own space, the
    child's voice): its tools are there from before the meeting starts to its end."""
    return any(stage.kind is kind for stage in meeting.stages)


def is_party(viewer: Viewer, meeting: Meeting) -> bool:
    """A party to a mediation held with own spaces: of the family's side, let in."""
    return (
        in_the_room(viewer, meeting)
        and viewer.is_participant
        and viewer.participant.side is Side.FAMILY
        and has_part(meeting, StageKind.OWN_SPACE)
    )


def may_keep_space(viewer: Viewer, meeting: Meeting) -> bool:
    """A party writes in their own space, passes items on, approves rephrasings and answers the
    agreement's terms."""
    return is_party(viewer, meeting) and not shut_out(viewer, meeting)


def may_mediate(viewer: Viewer, meeting: Meeting) -> bool:
    """The mediator (a chair who runs the meeting) reads every party's space, suggests words and
    proposes the agreement's terms; never a child's houses unless shared."""
    return may_run(viewer, meeting) and may_see_content(viewer, meeting) and has_part(meeting, StageKind.OWN_SPACE)


def may_fill_houses(viewer: Viewer, meeting: Meeting) -> bool:
    """The child, or an advocate on the child's behalf, fills the three houses and decides who
    hears each item."""
    person = viewer.participant
    return (
        has_part(meeting, StageKind.CHILDS_VOICE)
        and viewer.is_participant  # the room screen is in the room, and fills nothing
        and in_the_room(viewer, meeting)
        and not shut_out(viewer, meeting)
        and (person.is_child or person.is_advocate)
    )


def may_edit_plan(viewer: Viewer, meeting: Meeting) -> bool:
    """The plan is the family's: family members let in write it directly, and so do the
    meeting's chairs (minute-takers included, who record it)."""
    if viewer.is_participant:
        return may_contribute(viewer, meeting) and viewer.participant.side is Side.FAMILY
    return viewer.is_chair and may_see_content(viewer, meeting)


def may_propose_actions(viewer: Viewer, meeting: Meeting) -> bool:
    """Professionals let in propose actions, which wait for the family or the chair to accept."""
    return may_contribute(viewer, meeting) and viewer.participant.side is Side.PROFESSIONAL


def capabilities(viewer: Viewer, meeting: Meeting) -> dict[str, bool]:
    """What the viewer may do, sent with every snapshot: pages and scripts show what this says,
    and never work it out again from sides, flags or roles; each command checks again. It is
    what the viewer may do whenever private family time does not shut them out (that is state
    the page has), so it changes only when who they are changes (`identity_changed`). The same
    rules as the `may_*` functions above, which a test holds to."""
    person = viewer.participant if viewer.is_participant else None
    let_in = person is not None and in_the_room(viewer, meeting)
    together = let_in and not meeting.apart  # a shuttle mediation keeps the parties apart
    family = together and person.side is Side.FAMILY
    runs = may_run(viewer, meeting)
    return {
        "contribute": together,
        "edit_plan": family or (viewer.is_chair and may_view(viewer, meeting)),
        "propose_actions": together and not family,
        "write_notes": family,
        "respond_to_plan": (together and person.is_referrer) or runs,
        "end_private_time": family or runs,
        "welcome": family,
        "keep_space": is_party(viewer, meeting),
        "mediate": runs and has_part(meeting, StageKind.OWN_SPACE),
        "fill_houses": has_part(meeting, StageKind.CHILDS_VOICE) and let_in and (person.is_child or person.is_advocate),
        "run": runs,
        "manage": may_manage(viewer, meeting),
    }


def name_of(viewer: Viewer) -> str:
    """How an edit is signed, for the person who edits the same item next."""
    if viewer.is_chair and viewer.chair is not None:
        return viewer.chair.display_name or viewer.chair.email
    if viewer.is_participant and viewer.participant is not None:
        return viewer.participant.name
    return ""


def may_respond_to_plan(viewer: Viewer, meeting: Meeting) -> bool:
    """The referrer agrees the plan or says why not; a chair who runs the meeting records it
    for a referrer without a phone."""
    if viewer.is_participant:
        return may_contribute(viewer, meeting) and viewer.participant.is_referrer
    return may_run(viewer, meeting) and may_see_content(viewer, meeting)


def summary_copy(viewer: Viewer, meeting: Meeting) -> Copy | None:
    """Which copy of the summary a viewer gets: the family and the room screen the family's
    copy, the chairs and professionals in the meeting the professionals' copy, nobody else any."""
    if not may_see_content(viewer, meeting):
        return None
    if viewer.is_participant:
        return Copy.FAMILY if viewer.participant.side is Side.FAMILY else Copy.PROFESSIONALS
    return Copy.FAMILY if viewer.is_screen else Copy.PROFESSIONALS


def summary_reader(viewer: Viewer, meeting: Meeting) -> int | None:
    """Whose own copy of the summary this is: a party's, in a mediation held with own spaces
    (what they wrote, and what was passed on to them); None for every other copy."""
    return viewer.participant.id if is_party(viewer, meeting) else None


def in_summary(item: ConsentItem, viewer: Viewer, meeting: Meeting, copy: Copy) -> bool:
    """Whether a kept item is in the copy of the summary this viewer takes away (the page and
    its PDF): as `in_copy` says for the copy's reader, and never words the viewer could not read
    in the meeting. The room screen's copy, shown to the room, holds only a child's words shared
    with everyone. Of a party's items, a copy not a party's own is the mediator's: the chairs'.
    No chair reads a child's words shared with the family only, not even in the family's copy
    they print."""
    if viewer.is_screen:
        return item.kind.is_house and item.sharing is Sharing.EVERYONE
    reader = summary_reader(viewer, meeting)
    if not in_copy(item, copy, reader_id=reader):
        return False
    if reader is not None:
        return True
    if item.kind.is_house:
        return not viewer.is_chair or item.sharing is Sharing.EVERYONE
    return is_mediators_copy(viewer, copy)


# What the professionals say must happen (a bottom line; a danger statement and its safety goal,
# in Signs of Safety mapping): in every copy in their words.
SAID_FOR_EVERY_COPY = frozenset(
    {ContributionKind.BOTTOM_LINE, ContributionKind.DANGER_STATEMENT, ContributionKind.SAFETY_GOAL}
)


def said_in_copy(display: RoundDisplay, kind: ContributionKind, copy: Copy) -> tuple[bool, bool]:
    """What a copy of the summary (and its PDF) holds of one thing said in a round: its words
    (with the feeling it carried), and who said it. The professionals' copy, the case record,
    holds both, as the chairs saw them. The family's copy (the room screen's too) holds the round
    as the room saw it: the answers without names, or only who answered. A bottom line, what must
    happen for the children, is in every copy in words, named only where the room saw names."""
    if copy is Copy.PROFESSIONALS:
        return True, True
    if kind in SAID_FOR_EVERY_COPY:
        return True, display is RoundDisplay.NAMED
    return display is not RoundDisplay.NAMES_ONLY, display is not RoundDisplay.UNNAMED


def is_mediators_copy(viewer: Viewer, copy: Copy) -> bool:
    """The professionals' copy a chair takes away is the mediator's: of a mediation held with own
    spaces, it holds what passed between the parties (only the words passed on)."""
    return viewer.is_chair and copy is Copy.PROFESSIONALS


def may_connect(viewer: Viewer) -> bool:
    """Only people the server can name get a live connection; a declined person does not."""
    if viewer.is_participant:
        return viewer.participant is not None and viewer.participant.admission is not Admission.DECLINED
    return viewer.kind is not ViewerKind.ANONYMOUS


def view_of(viewer: Viewer, meeting: Meeting) -> View:
    """Which view of the meeting the viewer gets now."""
    if shut_out(viewer, meeting):
        return View.WAITING_CHAIR if viewer.is_chair else View.WAITING
    if not may_see_content(viewer, meeting):
        return View.NOTHING
    if viewer.is_chair:
        return View.CHAIRS
    return View.FAMILY if may_see_family_notes(viewer, meeting) else View.ROOM


def chairs_view(meeting: Meeting) -> View:
    """The view every chair with a role in the meeting gets now."""
    return View.WAITING_CHAIR if meeting.in_private_time else View.CHAIRS


def room_screen(meeting: Meeting) -> Viewer:
    """The meeting's room screen, as the server knows it once its token has been checked."""
    return Viewer(ViewerKind.SCREEN, screen_of=meeting.id)


def may_see_content(viewer: Viewer, meeting: Meeting) -> bool:
    """What is said and planned in a meeting: its chairs, its room screen, and people let in
    from the lobby; during private family time, not those it shuts out."""
    if shut_out(viewer, meeting):
        return False
    if viewer.is_screen or viewer.is_participant:
        return in_the_room(viewer, meeting)
    return may_view(viewer, meeting)


def in_the_room(viewer: Viewer, meeting: Meeting) -> bool:
    """The meeting's room screen, and the people let in from the lobby: private family time
    aside, those who see what the room sees."""
    if viewer.is_screen:
        return viewer.screen_of == meeting.id
    person = viewer.participant
    return (
        viewer.is_participant
        and person is not None
        and person.meeting_id == meeting.id
        and person.admission is Admission.ADMITTED
    )


# Who receives what. Every event the server publishes is of a kind listed here with the
# views that receive it; an item's own audience narrows that ("family": the family's notes;
# "person:<id>": that person's phones alone; "party:<id>": theirs while they are a party).
# `live/broadcast.py` asks `receives` for each event and each recipient, with the recipients
# read from the database as it sends.
CONTENT_VIEWS = frozenset({View.CHAIRS, View.ROOM, View.FAMILY})
EVERY_VIEW = frozenset(View)
EVENT_VIEWS: dict[str, frozenset[View]] = {
    "meeting_changed": CONTENT_VIEWS,
    # The chairs keep the lobby during private family time.
    "people_changed": CONTENT_VIEWS | {View.WAITING_CHAIR},
    "presence_changed": CONTENT_VIEWS | {View.WAITING_CHAIR},
    "private_time_changed": EVERY_VIEW - {View.NOTHING},
    "contribution_added": CONTENT_VIEWS,
    "round_changed": CONTENT_VIEWS,
    "outcome_saved": CONTENT_VIEWS,
    "outcome_removed": CONTENT_VIEWS,
    "action_saved": CONTENT_VIEWS,
    "action_removed": CONTENT_VIEWS,
    "note_saved": CONTENT_VIEWS,
    "note_removed": CONTENT_VIEWS,
    "terms_saved": CONTENT_VIEWS,
    "agreement_changed": CONTENT_VIEWS,
    "meeting_closed": EVERY_VIEW,
    # To one person, whatever they may see: let in or turned away, what they may see has
    # changed, taken off the list.
    "admission_changed": EVERY_VIEW,
    "identity_changed": EVERY_VIEW,
    "person_removed": EVERY_VIEW,
    # Words passed on only with consent: each item's own audience says who (`item_audience`).
    "item_saved": CONTENT_VIEWS,
    "item_removed": CONTENT_VIEWS,
    "term_saved": CONTENT_VIEWS,
    "term_removed": CONTENT_VIEWS,
}
# Those who follow the meeting version by version: one who receives nothing of a change is
# sent its version alone (`tick`). The others (the lobby, those shut out) ask for the meeting
# when anything reaches them.
TICKED = CONTENT_VIEWS
# Audiences: words naming who, within the views above, an event reaches; "" is everyone.
FAMILY_ONLY = "family"
CHAIRS = "chairs"
ADVOCATES = "advocates"


def one_person(participant_id: int) -> str:
    """The audience of an event for one person's phones alone."""
    return f"person:{participant_id}"


def one_party(participant_id: int) -> str:
    """One person's phones while they are a party (of the family's side, let in): what was passed
    on to a party is not for them once the chair has moved them to the professionals' side."""
    return f"party:{participant_id}"


@dataclass(frozen=True)
class Recipient:
    """A room that reaches someone following the meeting, and the view they have now."""

    room: str
    view: View
    person_id: int | None = None  # a person's phones; None for the chairs and the room screen
    family: bool = False  # of the family's side: their view is the same either side of private time
    advocate: bool = False  # a child's advocate: reads the child's houses before they are shared


_PEOPLE = select(
    Participant.id,
    Participant.meeting_id,
    Participant.side,
    Participant.admission,
    Participant.may_stay_in_private_time,
    Participant.waits_for_family,
    Participant.is_advocate,
).where(Participant.meeting_id == bindparam("meeting"))
_MEMBERS = select(MeetingMember.chair_id).where(MeetingMember.meeting_id == bindparam("meeting"))


def recipients_of(meeting: Meeting) -> list[Recipient]:
    """Everyone who may be following the meeting, by the room that reaches them and the view
    they have, from the database now: the chairs with a role in it, its room screen (the
    current link's only), and every person on its list (a removed person is on none)."""
    from facilitator.live import rooms  # the live side names rooms; access decides who is in them

    chairs = chairs_view(meeting)
    found = [
        Recipient(rooms.chair(meeting.id, chair_id), chairs)
        for chair_id in sorted({meeting.owner_id, *db.session.scalars(_MEMBERS, {"meeting": meeting.id})})
    ]
    if meeting.screen_token_hash is not None:
        screen = view_of(room_screen(meeting), meeting)
        found.append(Recipient(rooms.screen(meeting.id, meeting.screen_token_hash), screen))
    # A person's view turns on the few columns read here: worked out once for each combination
    # of them (a meeting of thirty has two or three), by `view_of` itself.
    views: dict[tuple, View] = {}
    for person in db.session.execute(_PEOPLE, {"meeting": meeting.id}):
        deciding = person[1:]  # every column but the id
        view = views.get(deciding)
        if view is None:
            view = views[deciding] = view_of(Viewer(ViewerKind.PARTICIPANT, participant=person), meeting)
        found.append(_person_recipient(person, view))
    return found


def _person_recipient(person, view: View) -> Recipient:
    from facilitator.live import rooms

    return Recipient(rooms.person(person.id), view, person.id, person.side is Side.FAMILY, person.is_advocate)


def recipient_for(viewer: Viewer, meeting: Meeting, *, room: str | None = None) -> Recipient:
    """The viewer as `recipients_of` would list them now: what `sync` filters with, so a snapshot
    and the events that follow it are decided by the same rules. `room`: one socket of theirs
    alone (catching it up), instead of the room of their identity."""
    from facilitator.live import rooms

    view = view_of(viewer, meeting)
    if viewer.is_participant and viewer.participant is not None:
        found = _person_recipient(viewer.participant, view)
    elif viewer.is_screen and meeting.screen_token_hash is not None:
        found = Recipient(rooms.screen(meeting.id, meeting.screen_token_hash), view)
    else:
        found = Recipient(rooms.chair(meeting.id, viewer.chair.id if viewer.chair is not None else 0), view)
    return found if room is None else replace(found, room=room)


def former_person(participant_id: int) -> Recipient:
    """Someone just taken off the meeting's list, for the one notice that they were: on no list
    `recipients_of` reads any more, they are reached by their room alone, and see nothing."""
    from facilitator.live import rooms

    return Recipient(rooms.person(participant_id), View.NOTHING, participant_id)


def receives(kind: str, audience: str, recipient: Recipient) -> bool:
    """Whether a recipient receives an event of this kind with this item audience: "" for all
    the kind's views, else any of the audience's words naming them. A kind with no views listed
    reaches nobody; a word this function does not know names nobody."""
    if recipient.view not in EVENT_VIEWS.get(kind, ()):
        return False
    return audience == "" or any(_names(word, recipient) for word in audience.split())


def _names(word: str, recipient: Recipient) -> bool:
    if word == FAMILY_ONLY:
        return recipient.view is View.FAMILY
    if word == CHAIRS:
        return recipient.view is View.CHAIRS
    if word == ADVOCATES:
        return recipient.advocate
    if recipient.person_id is None:
        return False
    if word == one_party(recipient.person_id):
        return recipient.family  # let in and not shut out: `receives` has checked the view
    return word == one_person(recipient.person_id)


def item_audience(item: ConsentItem) -> str:
    """Who may read an item now. A party's item: its author and the mediator, and the parties
    it was passed on to. A child's item: the child and their advocates, then the family or
    everyone as the child decides; never the chairs before then."""
    author = one_person(item.author_id)
    if item.kind.is_house:
        if item.sharing is Sharing.EVERYONE:
            return ""
        keepers = f"{author} {ADVOCATES}"
        return f"{keepers} {FAMILY_ONLY}" if item.sharing is Sharing.FAMILY else keepers
    return " ".join([author, CHAIRS, *(one_party(person_id) for person_id in item.receivers)])


def reads_whole(item: ConsentItem, recipient: Recipient) -> bool:
    """Who reads the author's own words and the item's state (not only the words passed on):
    the author; the mediator for a party's item; the advocates for a child's."""
    if recipient.person_id is not None and recipient.person_id == item.author_id:
        return True
    return recipient.advocate if item.kind.is_house else recipient.view is View.CHAIRS


def in_copy(item: ConsentItem, copy: Copy, reader_id: int | None = None) -> bool:
    """Whether an item is in a summary (and its PDF): only what was shared, and for a party's
    own copy (`reader_id`), what they wrote and what was passed on to them. Nothing unshared
    is in any copy but its author's own."""
    if item.kind.is_house:
        return item.sharing is Sharing.EVERYONE or (item.sharing is Sharing.FAMILY and copy is Copy.FAMILY)
    if reader_id is not None:
        return item.author_id == reader_id or reader_id in item.receivers
    return item.is_shared and copy is Copy.PROFESSIONALS


# Subject access and erasure (`services/subject_access.py`, `services/erasure.py`): what one
# person's own export holds is decided here, as for every copy.


def may_handle_personal_data(viewer: Viewer, meeting: Meeting) -> bool:
    """Who exports everything held about one person of a meeting, or erases their details at
    their request: a chair who runs the meeting, or an admin. Nobody else, no phone."""
    return may_run(viewer, meeting) or may_administer(viewer)


def subject_sees_plan(person: Participant, meeting: Meeting) -> bool:
    """Whether a person's own export holds the plan's items that name them (actions they will
    do, the core group, edits under their name): not while private family time shuts them out,
    when the plan as it stands may hold what the family decided without them."""
    return person.meeting_id == meeting.id and not shut_out(
        Viewer(ViewerKind.PARTICIPANT, participant=person), meeting
    )


def in_subject_access(item: ConsentItem, person: Participant) -> bool:
    """Whether a kept item is in a person's own export: what they wrote themselves (shared or
    not), and a child's item typed by their advocate, for that advocate. Never another party's
    words, passed on or not, and never a child's words for anyone else."""
    if item.meeting_id != person.meeting_id:
        return False
    if item.author_id == person.id:
        return True
    return item.kind.is_house and person.is_advocate and item.written_by_id == person.id


def note_in_subject_access(family_only: bool, person: Participant) -> bool:
    """A plan note signed with a person's name, in their own export: a note kept within the
    family only for someone of the family's side (no professional ever reads one)."""
    return not family_only or person.side is Side.FAMILY
