"""Joining from a phone: the join form, personal links, the lobby and admission.

A phone is known by a random device token kept in its cookie; only the
token's hash is stored, bound to one person in one meeting, so re-scanning,
reloading or reconnecting brings the same person back.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from facilitator.extensions import db
from facilitator.models import Admission, Meeting, Participant, Side
from facilitator.models.types import is_row_id, utcnow
from facilitator import access
from facilitator.services import changes, people, throttle
from facilitator.services.errors import ValidationError

# A room of phones often shares one address (the venue's Wi-Fi): the limit
# allows a full room, and stops a script filling a lobby.
JOIN_WINDOW = timedelta(minutes=10)
JOINS_PER_ADDRESS = 60
# Looking up a join code or a personal link that opens nothing: a room's phones mistype a code
# now and then; a script guessing codes misses every time. Past the limit, every lookup from
# that address is refused, found or not, so the refusal says nothing about which codes exist.
LOOKUP_WINDOW = timedelta(minutes=10)
MISSED_LOOKUPS_PER_ADDRESS = 30
# Every command from a phone asks this: built once, so SQLAlchemy keeps its cache key.
_ON_DEVICE = select(Participant).where(
    Participant.meeting_id == bindparam("meeting"), Participant.device_token_hash == bindparam("token_hash")
)


def new_device_token() -> str:
    return secrets.token_urlsafe(24)


def device_hash(device_token: str | None) -> str | None:
    """What a phone's device token is stored as; None for no token, or one no phone was given."""
    if not device_token or len(device_token) > 64:
        return None
    return people.hash_token(device_token)


def person_on_device(meeting: Meeting, device_token: str | None) -> Participant | None:
    """The person this phone joined the meeting as, if it has."""
    token_hash = device_hash(device_token)
    if token_hash is None:
        return None
    return db.session.scalar(_ON_DEVICE, {"meeting": meeting.id, "token_hash": token_hash})


def _check_open(meeting: Meeting) -> None:
    if not meeting.is_open:
        raise ValidationError("code", _("This meeting has finished, so it cannot be joined."))


def _count_join(address: str) -> str:
    address_key = throttle.key("join address", address)
    throttle.check(address_key, JOINS_PER_ADDRESS, JOIN_WINDOW)
    return address_key


def check_lookups(address: str) -> None:
    """Raise TooManyAttempts while this address has missed too many join codes or links."""
    throttle.check(throttle.key("join lookup address", address), MISSED_LOOKUPS_PER_ADDRESS, LOOKUP_WINDOW)


def missed_lookup(address: str) -> None:
    """Count a join code or personal link that opened nothing."""
    throttle.record(throttle.key("join lookup address", address))


def join(
    meeting: Meeting, name: str, relation: str, side: str, device_token: str, address: str
) -> Participant:
    """Put a new person in the lobby, or return the person this phone already is."""
    changes.lock(meeting)
    _check_open(meeting)
    existing = person_on_device(meeting, device_token)
    if existing is not None:
        return existing
    address_key = _count_join(address)
    details = people.PersonDetails(name, relation, side).validated()
    person = Participant(
        meeting=meeting,
        name=details.name,
        relation=details.relation,
        side=Side(details.side),
        admission=Admission.LOBBY,
        device_token_hash=people.hash_token(device_token),
        joined_at=utcnow(),
    )
    db.session.add(person)
    changes.record(meeting, "people_changed")
    throttle.record(address_key)
    db.session.commit()
    return person


def claim_invite(person: Participant, device_token: str, address: str) -> Participant:
    """Join as the person a personal link was made for.

    The first phone to use the link is that person, straight into the meeting.
    Another phone goes to the lobby under the same name, for the chair to decide.
    """
    meeting = changes.lock(person.meeting)
    _check_open(meeting)
    token_hash = people.hash_token(device_token)
    if person.device_token_hash == token_hash:
        return person
    already = person_on_device(meeting, device_token)
    if already is not None and already.admission is not Admission.LOBBY:
        return already  # this phone is already someone in the meeting
    address_key = _count_join(address)
    if already is not None:
        db.session.delete(already)  # the same person, who first joined by code
        db.session.flush()
    if person.device_token_hash is None:
        person.device_token_hash, person.joined_at = token_hash, utcnow()
        _let_in(meeting, person)
        claimed = person
    else:
        claimed = Participant(
            meeting=meeting,
            name=person.name,
            relation=person.relation,
            side=person.side,
            admission=Admission.LOBBY,
            device_token_hash=token_hash,
            joined_at=utcnow(),
        )
        db.session.add(claimed)
    changes.record(meeting, "people_changed")
    throttle.record(address_key)
    db.session.commit()
    return claimed


def _in_lobby(meeting: Meeting, person_id: object) -> Participant:
    if not is_row_id(person_id):
        raise ValidationError("participant_id", _("Say who, by their number."))
    person = db.session.get(Participant, person_id)
    if person is None or person.meeting_id != meeting.id:
        raise ValidationError("participant_id", _("That person is not in this meeting."))
    if person.admission not in (Admission.LOBBY, Admission.DECLINED):
        raise ValidationError("participant_id", _("%(name)s is not waiting to be let in.", name=person.name))
    return person


def _let_in(meeting: Meeting, person: Participant) -> None:
    """In from the lobby or by a personal link. During private family time, someone who would
    stay in it waits for the family to welcome them: being let in never opens the family's view."""
    person.admission = Admission.ADMITTED
    person.waits_for_family = meeting.in_private_time and access.would_stay(person)


def correct(meeting: Meeting, person_id: object, side: object = None, flags: object = None) -> Participant:
    """The chair corrects a waiting person's side or flags, stored when made: what the chairs'
    consoles show, and what admitting them lets in."""
    _check_open(meeting)
    person = _in_lobby(meeting, person_id)
    if side is not None and not isinstance(side, str):
        raise ValidationError("side", _("Choose family and friends, or professional."))
    if flags is not None and (not isinstance(flags, list) or not all(isinstance(f, str) for f in flags)):
        raise ValidationError("flags", _("Choose from the flags listed."))
    details = people.PersonDetails(
        person.name,
        person.relation,
        person.side.value if side is None else side,
        people.flags_of(person) if flags is None else frozenset(flags),
    ).validated()
    person.side = Side(details.side)
    for flag in people.FLAGS:
        setattr(person, flag, flag in details.flags)
    changes.record(meeting, "people_changed")
    db.session.commit()
    return person


def admit(meeting: Meeting, person_id: object) -> Participant:
    """Let someone in from the lobby, as the chairs have corrected them."""
    _check_open(meeting)
    person = _in_lobby(meeting, person_id)
    _let_in(meeting, person)
    changes.record_for(meeting, "admission_changed", person.id)
    changes.record(meeting, "people_changed")
    db.session.commit()
    return person


def admit_all(meeting: Meeting) -> list[Participant]:
    """Let in everyone waiting in the lobby, as the chairs have corrected them."""
    _check_open(meeting)
    waiting = [person for person in meeting.participants if person.admission is Admission.LOBBY]
    for person in waiting:
        _let_in(meeting, person)
        changes.record_for(meeting, "admission_changed", person.id)
    if waiting:
        changes.record(meeting, "people_changed")
    db.session.commit()
    return waiting


def decline(meeting: Meeting, person_id: object) -> Participant:
    """Turn someone away from the lobby; their phone is told kindly, sees nothing, and is
    disconnected."""
    person = _in_lobby(meeting, person_id)
    person.admission = Admission.DECLINED
    changes.record_for(meeting, "admission_changed", person.id)
    changes.record(meeting, "people_changed")
    db.session.commit()
    return person
