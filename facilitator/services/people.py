"""The people list: who the family asked to come, and their personal join links."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import LiveConnection, Meeting, Participant, Side
from facilitator.services import changes, plan
from facilitator.services.errors import ValidationError

FLAGS = ("is_child", "is_advocate", "is_interpreter", "is_referrer", "may_stay_in_private_time")
MAX_PEOPLE = 100


@dataclass(frozen=True)
class PersonDetails:
    name: str
    relation: str
    side: str
    flags: frozenset[str] = frozenset()

    def validated(self) -> PersonDetails:
        name, relation = self.name.strip(), self.relation.strip()
        if not name:
            raise ValidationError("name", _("Enter the person's name, as they like to be called."))
        if len(name) > 80:
            raise ValidationError("name", _("Use a name of at most 80 characters."))
        if len(relation) > 80:
            raise ValidationError("relation", _("Describe how they are connected in at most 80 characters."))
        if self.side not in {side.value for side in Side}:
            raise ValidationError("side", _("Choose family and friends, or professional."))
        unknown = self.flags - set(FLAGS)
        if unknown:
            raise ValidationError("flags", _("Choose from the flags listed."))
        if "is_child" in self.flags and self.side != Side.FAMILY:
            raise ValidationError(
                "side",
                _(
                    "Choose \u201cFamily and friends\u201d for a child or young person, or untick \u201cChild or young person\u201d."
                ),
            )
        return PersonDetails(name, relation, self.side, self.flags)


def _apply(person: Participant, details: PersonDetails) -> None:
    person.name, person.relation, person.side = details.name, details.relation, Side(details.side)
    for flag in FLAGS:
        setattr(person, flag, flag in details.flags)


def flags_of(person: Participant) -> frozenset[str]:
    return frozenset(flag for flag in FLAGS if getattr(person, flag))


def _person_in(meeting: Meeting, person_id: int) -> Participant:
    person = next((person for person in meeting.participants if person.id == person_id), None)
    if person is None:
        raise ValidationError("person_id", _("That person is not on this meeting's list."))
    return person


def _check_open(meeting: Meeting) -> None:
    if not meeting.is_open:
        raise ValidationError("name", _("The meeting has closed; its people list cannot change."))


def listed_again(person: Participant) -> Participant:
    """The same person on another meeting's list (a copy, a review): name, side and flags,
    never their phone, link or admission."""
    return Participant(
        name=person.name,
        relation=person.relation,
        side=person.side,
        **{flag: getattr(person, flag) for flag in FLAGS},
    )


def add_person(meeting: Meeting, details: PersonDetails) -> Participant:
    """Add someone the family asked for, before they join."""
    _check_open(meeting)
    details = details.validated()
    if len(meeting.participants) >= MAX_PEOPLE:
        raise ValidationError("name", _("A meeting has at most %(count)d people.", count=MAX_PEOPLE))
    person = Participant(meeting=meeting)
    _apply(person, details)
    db.session.add(person)
    changes.record(meeting, "people_changed")
    db.session.commit()
    return person


def update_person(meeting: Meeting, person_id: int, details: PersonDetails) -> Participant:
    _check_open(meeting)
    person = _person_in(meeting, person_id)
    details = details.validated()
    keep_who_stays(meeting, person, details)
    before = (person.side, flags_of(person))
    _apply(person, details)
    changes.record(meeting, "people_changed")
    if (person.side, flags_of(person)) != before:
        # What they may see has changed: their phones ask again, and see only that.
        changes.record_for(meeting, "identity_changed", person.id)
    db.session.commit()
    return person


def keep_who_stays(meeting: Meeting, person: Participant, details: PersonDetails) -> None:
    """Who stays in private family time is chosen when it starts: while it is on, nobody is
    added to it by changing their side or flags (a late interpreter waits, or the chair
    ends private time and starts it again with them)."""
    if not meeting.in_private_time:
        return
    stays_now = person.side is Side.FAMILY or person.may_stay_in_private_time
    would_stay = details.side == Side.FAMILY.value or "may_stay_in_private_time" in details.flags
    if would_stay and not stays_now:
        raise ValidationError(
            "side",
            _("Who stays in private family time is chosen when it starts. End it first to change this."),
        )


def remove_person(meeting: Meeting, person_id: int) -> None:
    _check_open(meeting)
    person = _person_in(meeting, person_id)
    # Their phones, on every process, are told and disconnected once this is committed.
    connections = db.session.scalars(select(LiveConnection.sid).where(LiveConnection.participant_id == person.id))
    changes.record_for(meeting, "person_removed", person.id, connections=sorted(connections))
    changes.record(meeting, "people_changed")
    plan.withdraw_offers_of(meeting, person)  # their offers go with them; accepted actions stay
    meeting.participants.remove(person)
    db.session.commit()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_invite(meeting: Meeting, person_id: int) -> tuple[Participant, str]:
    """A new personal join link token for this person; any earlier link stops working.

    Only the token's hash is kept, so the link can be shown once, when issued.
    """
    _check_open(meeting)
    person = _person_in(meeting, person_id)
    token = secrets.token_urlsafe(24)
    person.invite_token_hash = hash_token(token)
    db.session.commit()
    return person, token


def find_invited(token: str) -> Participant | None:
    """The person a personal link belongs to, while their meeting is open."""
    if not 20 <= len(token) <= 64:
        return None
    person = db.session.scalar(select(Participant).where(Participant.invite_token_hash == hash_token(token)))
    return person if person is not None and person.meeting.is_open else None
