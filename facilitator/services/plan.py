"""The family's plan, written live: outcomes, and actions under them.

Who may do what is decided in `access.py`; here `proposer` is the
professional whose action waits for the family or the chair to accept it
(None when the family or a chair writes). An offer is in the plan as it is made
(`add_offered`, part of the offer's own change), offered until the family or a
chair accepts or changes it. Every edit names the revision it
started from: if someone else changed the item in between, the edit is
refused with the item as it is now, and the person decides.

The plan is written while the meeting is live. Once it has closed, only a
chair changes it, as an amendment (`amending=True`, recorded by `closing.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import flag_modified, set_committed_value

from facilitator import formats
from facilitator.extensions import db
from facilitator.models import (
    AgreementResponse,
    ActionProgress,
    ActionStatus,
    Admission,
    Contribution,
    CoreGroupMember,
    Meeting,
    MeetingStatus,
    Outcome,
    Participant,
    PlanAction,
    PlanNote,
    PlanTerms,
    ReviewDecision,
)
from facilitator.models.types import is_row_id, utcnow
from facilitator.services import changes, contributions, dates
from facilitator.services.errors import ServiceError, ValidationError

MAX_OUTCOME = 500
MAX_WHAT = 1000
MAX_SHORT = 120
MAX_HOW = 500
MAX_ITEMS = 500


class Forbidden(ServiceError):
    """The person is in the meeting, but may not change this item."""

    code = "forbidden"


class Conflict(ServiceError):
    """Someone else changed the item first; `current` is how it is now."""

    code = "conflict"

    def __init__(self, message: str, current: Outcome | PlanAction | None) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class ActionDetails:
    what: object = None
    who_participant_id: object = None
    who_text: object = ""
    by_when: object = ""
    how_we_know: object = ""
    outcome_id: object = None

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ActionDetails:
        fields = ("what", "who_participant_id", "who_text", "by_when", "how_we_know", "outcome_id")
        return cls(**{name: payload[name] for name in fields if name in payload})


def _text(value: object, field: str, limit: int, *, required: bool, missing: str = "") -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(field, _("This needs to be text."))
    value = value.strip()
    if required and not value:
        raise ValidationError(field, missing)
    if len(value) > limit:
        raise ValidationError(field, _("Use at most %(count)d characters.", count=limit))
    return value


def _open(meeting: Meeting, *, amending: bool = False) -> None:
    if amending:
        if meeting.status is not MeetingStatus.CLOSED:
            raise ValidationError("meeting", _("Change the plan in the meeting while it is on."))
    elif meeting.status is not MeetingStatus.LIVE:
        raise ValidationError("meeting", _("The plan is written while the meeting is on."))


def _room_for_more(meeting: Meeting, model: type[Outcome | PlanAction]) -> None:
    count = db.session.scalar(
        select(db.func.count()).select_from(model).where(model.meeting_id == meeting.id)
    )
    if count >= MAX_ITEMS:
        raise ValidationError("plan", _("This plan is full (%(count)d items).", count=MAX_ITEMS))


def _plan_changed(meeting: Meeting, item: object) -> None:
    """The outcomes, actions and terms are what the referrer agrees: a change asks them again."""
    if not isinstance(item, PlanNote):
        meeting.plan_revision += 1


def _changed(
    meeting: Meeting, item: Outcome | PlanAction | PlanNote | PlanTerms, revision: object, editor: str
) -> None:
    if type(revision) is not int:
        raise ValidationError(
            "revision", _("This edit does not say which version it changes; reload the page.")
        )
    if revision != item.revision:
        raise Conflict(
            _(
                "%(name)s changed this while you were editing. Look at their version, then decide.",
                name=item.edited_by,
            )
            if item.edited_by
            else _("Someone changed this while you were editing. Look at their version, then decide."),
            item,
        )
    item.revision += 1
    item.edited_by = editor
    _plan_changed(meeting, item)


_NAMES = {Outcome: "outcome", PlanAction: "action", PlanNote: "note", PlanTerms: "terms"}


def _record(meeting: Meeting, item: Outcome | PlanAction | PlanNote | PlanTerms, *, removed: bool = False) -> None:
    """The edit, as the change records it: a note kept within the family is the family's alone
    (its removal reaches everyone who may have had it), and once the referrer has answered, a
    change to the outcomes, actions or terms asks them again."""
    audience = "family" if isinstance(item, PlanNote) and item.family_only and not removed else ""
    changes.record(meeting, f"{_NAMES[type(item)]}_{'removed' if removed else 'saved'}", audience=audience, subject=item, id=item.id)
    if not isinstance(item, PlanNote) and _was_asked(meeting):
        changes.record(meeting, "agreement_changed")


def _was_asked(meeting: Meeting) -> bool:
    """Whether the referrer has answered yet."""
    return db.session.scalar(
        select(AgreementResponse.id).where(AgreementResponse.meeting_id == meeting.id).limit(1)
    ) is not None


def _commit_new(meeting: Meeting, item: Outcome | PlanAction) -> tuple[Outcome | PlanAction, bool]:
    """Store a new item once per client id, even when two resends race."""
    db.session.add(item)
    _plan_changed(meeting, item)
    try:
        db.session.flush()
        _record(meeting, item)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        stored = _by_client_id(meeting, type(item), item.client_id)
        if stored is None:
            raise
        return stored, False
    return item, True


def _by_client_id(meeting: Meeting, model, client_id: str):
    return db.session.scalar(
        select(model).where(model.meeting_id == meeting.id, model.client_id == client_id)
    )


def _outcome(meeting: Meeting, outcome_id: object) -> Outcome:
    item = db.session.get(Outcome, outcome_id) if is_row_id(outcome_id) else None
    if item is None or item.meeting_id != meeting.id:
        raise ValidationError("outcome_id", _("This outcome is no longer in the plan."))
    return item


def find_action(meeting: Meeting, action_id: object) -> PlanAction:
    item = db.session.get(PlanAction, action_id) if is_row_id(action_id) else None
    if item is None or item.meeting_id != meeting.id:
        raise ValidationError("action_id", _("This action is no longer in the plan."))
    return item


def outcomes_of(meeting: Meeting) -> list[Outcome]:
    return list(
        db.session.scalars(select(Outcome).where(Outcome.meeting_id == meeting.id).order_by(Outcome.id))
    )


def actions_of(meeting: Meeting) -> list[PlanAction]:
    return list(
        db.session.scalars(
            select(PlanAction).where(PlanAction.meeting_id == meeting.id).order_by(PlanAction.id)
        )
    )


def add_outcome(meeting: Meeting, client_id: object, text: object, editor: str) -> tuple[Outcome, bool]:
    client_id = contributions.valid_client_id(client_id)
    stored = _by_client_id(meeting, Outcome, client_id)
    if stored is not None:
        return stored, False
    _open(meeting)
    text = _text(
        text, "text", MAX_OUTCOME, required=True, missing=_("Write what the family want to achieve.")
    )
    _room_for_more(meeting, Outcome)
    return _commit_new(
        meeting, Outcome(meeting_id=meeting.id, client_id=client_id, text=text, edited_by=editor)
    )


def edit_outcome(
    meeting: Meeting, outcome_id: object, revision: object, text: object, editor: str
) -> Outcome:
    _open(meeting)
    item = _outcome(meeting, outcome_id)
    text = _text(
        text, "text", MAX_OUTCOME, required=True, missing=_("Write what the family want to achieve.")
    )
    _changed(meeting, item, revision, editor)
    item.text = text
    _record(meeting, item)
    db.session.commit()
    return item


def remove_outcome(meeting: Meeting, outcome_id: object, revision: object) -> int:
    """Remove an outcome; its actions stay in the plan, not yet under an outcome."""
    _open(meeting)
    item = _outcome(meeting, outcome_id)
    _changed(meeting, item, revision, "")
    for action in actions_of(meeting):
        if action.outcome_id == item.id:
            action.outcome_id = None
    db.session.delete(item)
    _record(meeting, item, removed=True)
    db.session.commit()
    return item.id


def _who(meeting: Meeting, details: ActionDetails, keep: int | None = None) -> tuple[Participant | None, str]:
    """Someone let in, or words. The person an action already names stays valid (a review's
    people are listed from the meeting before, and need not have joined yet)."""
    who_id = details.who_participant_id
    if who_id is not None:
        person = db.session.get(Participant, who_id) if is_row_id(who_id) else None
        if (
            person is None
            or person.meeting_id != meeting.id
            or person.admission is not Admission.ADMITTED
            and person.id != keep
        ):
            person = None
        if person is None:
            raise ValidationError("who_participant_id", _("Choose someone in the meeting, or write who."))
        return person, ""
    who_text = _text(details.who_text, "who_text", MAX_SHORT, required=True, missing=_("Say who will do it."))
    return None, who_text


def _apply(meeting: Meeting, action: PlanAction, details: ActionDetails, keep_who: int | None = None) -> None:
    action.what = _text(details.what, "what", MAX_WHAT, required=True, missing=_("Say what will be done."))
    # The person, not their id: the action's broadcast names them without reading them again.
    action.who, action.who_text = _who(meeting, details, keep_who)
    action.by_when = _text(details.by_when, "by_when", MAX_SHORT, required=False)
    action.how_we_know = _text(details.how_we_know, "how_we_know", MAX_HOW, required=False)
    action.outcome_id = None if details.outcome_id is None else _outcome(meeting, details.outcome_id).id


def add_action(
    meeting: Meeting,
    client_id: object,
    details: ActionDetails,
    editor: str,
    *,
    proposer: Participant | None = None,
    amending: bool = False,
) -> tuple[PlanAction, bool]:
    """Add an action: agreed when the family or a chair writes it, proposed when a professional does."""
    client_id = contributions.valid_client_id(client_id)
    stored = _by_client_id(meeting, PlanAction, client_id)
    if stored is not None:
        return stored, False
    return _new_action(meeting, client_id, details, editor, proposer, amending=amending)


def _new_action(
    meeting: Meeting,
    client_id: str,
    details: ActionDetails,
    editor: str,
    proposer: Participant | None,
    *,
    amending: bool = False,
) -> tuple[PlanAction, bool]:
    _open(meeting, amending=amending)
    _room_for_more(meeting, PlanAction)
    action = PlanAction(
        meeting_id=meeting.id,
        client_id=client_id,
        status=ActionStatus.PROPOSED if proposer is not None else ActionStatus.AGREED,
        proposed_by_id=proposer.id if proposer is not None else None,
        edited_by=editor,
    )
    _apply(meeting, action, details)
    return _commit_new(meeting, action)


def check_room_for_offer(meeting: Meeting) -> None:
    """Before an offer is stored: the action it becomes must fit in the plan."""
    _room_for_more(meeting, PlanAction)


def add_offered(meeting: Meeting, offer: Contribution, person: Participant) -> PlanAction:
    """A "This is what I can do to help..." offer, in the plan as it is made: its offerer's (who is
    the person who offered, what is what they said), offered until the family (or a chair)
    accepts or changes it. Part of the change that stores the offer; the caller commits."""
    _open(meeting)
    action = PlanAction(
        meeting_id=meeting.id,
        # Not a client's id (those have no colon): the offer's own id already makes it once.
        client_id=f"offer:{offer.id}",
        offer_id=offer.id,
        status=ActionStatus.OFFERED,
        who=person,
        who_text="",
        proposed_by=person,
        what=offer.text[:MAX_WHAT],
        by_when="",
        how_we_know="",
        edited_by=person.name,
    )
    db.session.add(action)
    _plan_changed(meeting, action)
    db.session.flush()
    _record(meeting, action)
    return action


def withdraw_offers_of(meeting: Meeting, person: Participant) -> None:
    """The person's offers are going with them: their actions the family has not accepted go too
    (an accepted one stays in the plan). Part of the caller's change."""
    offered = db.session.scalars(
        select(PlanAction)
        .join(Contribution, PlanAction.offer_id == Contribution.id)
        .where(
            PlanAction.meeting_id == meeting.id,
            PlanAction.status == ActionStatus.OFFERED,
            Contribution.participant_id == person.id,
        )
    )
    for action in list(offered):
        db.session.delete(action)
        _plan_changed(meeting, action)
        _record(meeting, action, removed=True)


def _offerer(action: PlanAction, person: Participant | None) -> bool:
    """Whether this is the person who offered the action, while it waits for the family."""
    return (
        person is not None
        and action.status is ActionStatus.OFFERED
        and action.proposed_by_id == person.id
    )


def _may_change(action: PlanAction, proposer: Participant | None) -> None:
    """A professional changes only their own proposals and offers, and only until they are accepted."""
    if proposer is None:
        return
    if not action.status.waiting or action.proposed_by_id != proposer.id:
        raise Forbidden(_("Only the family or the chair can change this action."))


def edit_action(
    meeting: Meeting,
    action_id: object,
    revision: object,
    details: ActionDetails,
    editor: str,
    *,
    proposer: Participant | None = None,
    person: Participant | None = None,
    amending: bool = False,
) -> PlanAction:
    """Change an action. `person`: who edits, when a person (not a chair) does. An offer the family
    (or a chair) changes is accepted by it; its offerer may change their own words and details
    while it waits, and it stays theirs, and offered."""
    _open(meeting, amending=amending)
    action = find_action(meeting, action_id)
    _may_change(action, proposer)
    offerer = _offerer(action, proposer or person)
    checked = PlanAction()
    _apply(meeting, checked, details, action.who_participant_id)  # all checked before anything changes
    if offerer and checked.who is not action.who:
        raise Forbidden(_("Your offer stays yours: the family or the chair can give it to someone else."))
    _changed(meeting, action, revision, editor)
    for field in ("what", "who", "who_text", "by_when", "how_we_know", "outcome_id"):
        setattr(action, field, getattr(checked, field))
    if action.status is ActionStatus.OFFERED and proposer is None and not offerer:
        action.status = ActionStatus.AGREED
    _record(meeting, action)
    db.session.commit()
    return action


def accept_action(meeting: Meeting, action_id: object, revision: object, editor: str) -> PlanAction:
    """The family or the chair take a professional's proposal, or an offer, into the plan."""
    _open(meeting)
    action = find_action(meeting, action_id)
    if action.status is ActionStatus.AGREED and type(revision) is int:
        return action  # accepted already, by someone else at the same moment
    _changed(meeting, action, revision, editor)
    action.status = ActionStatus.AGREED
    _record(meeting, action)
    db.session.commit()
    return action


def remove_action(
    meeting: Meeting,
    action_id: object,
    revision: object,
    *,
    proposer: Participant | None = None,
    amending: bool = False,
) -> int:
    _open(meeting, amending=amending)
    action = find_action(meeting, action_id)
    _may_change(action, proposer)
    _changed(meeting, action, revision, "")
    db.session.delete(action)
    _record(meeting, action, removed=True)
    db.session.commit()
    return action.id


MAX_NOTE = 1000


def notes_of(meeting: Meeting) -> list[PlanNote]:
    return list(
        db.session.scalars(select(PlanNote).where(PlanNote.meeting_id == meeting.id).order_by(PlanNote.id))
    )


def _note(meeting: Meeting, note_id: object) -> PlanNote:
    item = db.session.get(PlanNote, note_id) if is_row_id(note_id) else None
    if item is None or item.meeting_id != meeting.id:
        raise ValidationError("note_id", _("This note is no longer in the plan."))
    return item


def _family_only(value: object) -> bool:
    if type(value) is not bool:
        raise ValidationError("family_only", _("Say whether to keep the note within the family."))
    return value


def add_note(
    meeting: Meeting, client_id: object, text: object, family_only: object, editor: str
) -> tuple[PlanNote, bool]:
    """A note on the family's plan, kept within the family if they say so."""
    client_id = contributions.valid_client_id(client_id)
    stored = _by_client_id(meeting, PlanNote, client_id)
    if stored is not None:
        return stored, False
    _open(meeting)
    text = _text(text, "text", MAX_NOTE, required=True, missing=_("Write the note first."))
    family_only = _family_only(family_only)
    _room_for_more(meeting, PlanNote)
    note = PlanNote(
        meeting_id=meeting.id, client_id=client_id, text=text, family_only=family_only, edited_by=editor
    )
    return _commit_new(meeting, note)


def edit_note(
    meeting: Meeting, note_id: object, revision: object, text: object, family_only: object, editor: str
) -> PlanNote:
    _open(meeting)
    note = _note(meeting, note_id)
    text = _text(text, "text", MAX_NOTE, required=True, missing=_("Write the note first."))
    family_only = _family_only(family_only)
    _changed(meeting, note, revision, editor)
    note.text, note.family_only = text, family_only
    _record(meeting, note)
    db.session.commit()
    return note


def remove_note(meeting: Meeting, note_id: object, revision: object) -> PlanNote:
    _open(meeting)
    note = _note(meeting, note_id)
    _changed(meeting, note, revision, "")
    db.session.delete(note)
    _record(meeting, note, removed=True)
    db.session.commit()
    return note


MAX_CONTINGENCY = 2000
MAX_PROGRESS_NOTE = 500
TERMS_FIELDS = (
    "contingency",
    "monitor",
    "review_on",
    "core_group",
    "core_group_meets_on",
    "core_group_every_weeks",
    "decision",
    "decision_on",
    "decision_why",
)
CORE_GROUP_FIELDS = ("core_group", "core_group_meets_on", "core_group_every_weeks")
# Practice: the core group meets every six weeks unless the conference agrees otherwise.
CORE_GROUP_EVERY_WEEKS = 6
MAX_WEEKS = 52


def is_review(meeting: Meeting) -> bool:
    """A review conference or core group: it looks at how the plan before it went."""
    meeting_format = formats.get(meeting.format_key)
    return meeting.review_of_id is not None or (meeting_format is not None and meeting_format.review)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def default_review_date(meeting: Meeting) -> date | None:
    """Practice sets the first review for some formats (three months after a child protection
    conference); at a Family Group Conference the family chooses."""
    meeting_format = formats.get(meeting.format_key)
    if meeting_format is None or meeting_format.review_after_months is None:
        return None
    held = meeting.started_at or meeting.scheduled_at or utcnow()
    return _add_months(dates.local_day(held), meeting_format.review_after_months)


def has_core_group(meeting: Meeting) -> bool:
    """Whether the meeting's format names a core group in its plan (`Format.core_group`)."""
    meeting_format = formats.get(meeting.format_key)
    return meeting_format is not None and meeting_format.core_group


def review_date_follows_start(meeting: Meeting) -> bool:
    """Whether the review date shown is still the format's default, counted from the start."""
    if formats.get(meeting.format_key) is None or default_review_date(meeting) is None:
        return False
    revision = db.session.scalar(select(PlanTerms.revision).where(PlanTerms.meeting_id == meeting.id))
    return not revision


def terms_of(meeting: Meeting) -> PlanTerms:
    """The plan's terms; until someone writes them, the defaults (not stored). A review's terms
    are stored as carried from the meeting before but not yet agreed in it (`revision` 0):
    their review date is the format's default until someone sets it, as at a first meeting."""
    terms = db.session.scalar(select(PlanTerms).where(PlanTerms.meeting_id == meeting.id))
    if terms is None:
        terms = PlanTerms(
            meeting_id=meeting.id,
            contingency="",
            monitor="",
            review_on=default_review_date(meeting),
            core_group_meets_on=None,
            core_group_every_weeks=CORE_GROUP_EVERY_WEEKS if has_core_group(meeting) else None,
            decision=None,
            decision_on=None,
            decision_why="",
            revision=0,
            edited_by="",
        )
    elif terms.revision == 0 and terms.review_on is None:
        # Shown, not written: reading the terms changes nothing (`save_terms` stores it).
        set_committed_value(terms, "review_on", default_review_date(meeting))
    return terms


def _review_date(value: object, stored: date | None) -> date | None:
    """A new review date must be ahead; the one already set stays valid once it has passed
    (an amendment to the contingency weeks later must not need a new date)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValidationError("review_on", _("Choose a date for the review."))
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValidationError("review_on", _("Choose a date for the review.")) from None
    if day == stored:
        return day
    today = utcnow().date()
    if not today - timedelta(days=1) <= day <= today + timedelta(days=3 * 366):
        raise ValidationError("review_on", _("Choose a review date from today to three years ahead."))
    return day


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(value: object, stored: date | None, field: str, missing: str, ahead: int, too_far: str) -> date | None:
    """A date as `YYYY-MM-DD`, from yesterday (the council's day may be behind the server's) to
    `ahead` days on; the one already stored stays valid once it has passed."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        raise ValidationError(field, missing)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValidationError(field, missing) from None
    if day == stored:
        return day
    today = utcnow().date()
    if not today - timedelta(days=1) <= day <= today + timedelta(days=ahead):
        raise ValidationError(field, too_far)
    return day


def _core_group(meeting: Meeting, value: object, terms: PlanTerms) -> list[Participant]:
    """People of this meeting, in the order they were listed: anyone let in, and anyone already
    in the core group (a review's people are listed from the meeting before, and need not have
    joined yet). An id from another meeting, or of someone never let in, is refused."""
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise ValidationError("core_group", _("Choose the people in the core group."))
    kept = {member.participant_id for member in terms.core_group}
    chosen: dict[int, Participant] = {}
    for person_id in value:
        person = db.session.get(Participant, person_id) if is_row_id(person_id) else None
        if (
            person is None
            or person.meeting_id != meeting.id
            or (person.admission is not Admission.ADMITTED and person.id not in kept)
        ):
            raise ValidationError("core_group", _("Choose the core group from the people in the meeting."))
        chosen[person.id] = person
    return [chosen[key] for key in sorted(chosen)]


def _weeks(value: object) -> int | None:
    if value is None or value == "":
        return None
    if type(value) is not int or not 1 <= value <= MAX_WEEKS:
        raise ValidationError(
            "core_group_every_weeks",
            _("Say how many weeks apart the core group meets: from 1 to %(most)d.", most=MAX_WEEKS),
        )
    return value


def _set_core_group(terms: PlanTerms, people: list[Participant]) -> None:
    """Members who stay keep their rows; only those who leave or join are written."""
    wanted = {person.id: person for person in people}
    for member in list(terms.core_group):
        if member.participant_id not in wanted:
            terms.core_group.remove(member)
    present = {member.participant_id for member in terms.core_group}
    for person_id, person in wanted.items():
        if person_id not in present:
            terms.core_group.append(CoreGroupMember(participant=person))


def _core_group_values(meeting: Meeting, wanted: dict[str, Any], terms: PlanTerms) -> dict[str, Any]:
    """The core group's fields as they will be; only where the format has a core group."""
    named = [field for field in CORE_GROUP_FIELDS if field in wanted]
    if not has_core_group(meeting):
        if any(wanted[field] not in (None, "", []) for field in named):
            raise ValidationError(named[0], _("This meeting's plan has no core group."))
        return {}
    values: dict[str, Any] = {}
    if "core_group" in wanted:
        values["core_group"] = _core_group(meeting, wanted["core_group"], terms)
    if "core_group_meets_on" in wanted:
        values["core_group_meets_on"] = _day(
            wanted["core_group_meets_on"],
            terms.core_group_meets_on,
            "core_group_meets_on",
            _("Choose a date for the core group to meet."),
            366,
            _("Choose a date for the core group from today to a year ahead."),
        )
    if "core_group_every_weeks" in wanted:
        values["core_group_every_weeks"] = _weeks(wanted["core_group_every_weeks"])
    return values


def _decision_on(decision: ReviewDecision | None, value: object, stored: date | None) -> date | None:
    """The day a step-down or an end takes effect: the day it is decided unless another is
    given; nothing for keeping or changing the plan."""
    if decision not in (ReviewDecision.STEP_DOWN, ReviewDecision.END):
        if value not in (None, ""):
            raise ValidationError(
                "decision_on", _("A date is only given when the plan is stepped down or ended.")
            )
        return None
    day = _day(
        value,
        stored,
        "decision_on",
        _("Choose the date the decision takes effect."),
        366,
        _("Choose a date from today to a year ahead for the decision to take effect."),
    )
    return day or stored or dates.local_day(utcnow())


def _decision(meeting: Meeting, value: object) -> ReviewDecision | None:
    if value is None or value == "":
        return None
    if not is_review(meeting):
        raise ValidationError("decision", _("A decision on the plan is made at a review."))
    try:
        return ReviewDecision(value) if isinstance(value, str) else ReviewDecision("")
    except ValueError:
        raise ValidationError(
            "decision", _("Choose to keep the plan, change it, step it down, or end it.")
        ) from None


def save_terms(
    meeting: Meeting, revision: object, wanted: dict[str, Any], editor: str, *, amending: bool = False
) -> PlanTerms:
    """Set the contingency plan, the monitor, the review date, the core group (where the format
    has one: who, when it first meets, how many weeks apart) and, at a review, the decision (with
    the day a step-down or an end takes effect; a plan that ends has no review date). Fields not
    named keep their value; every named field is checked first, so a refusal changes nothing."""
    _open(meeting, amending=amending)
    terms = terms_of(meeting)
    carried = terms.revision == 0 and terms.id is not None
    values = {
        "contingency": _text(
            wanted.get("contingency", terms.contingency), "contingency", MAX_CONTINGENCY, required=False
        ),
        "monitor": _text(wanted.get("monitor", terms.monitor), "monitor", MAX_SHORT, required=False),
        "review_on": _review_date(wanted["review_on"], terms.review_on)
        if "review_on" in wanted
        else terms.review_on,
        "decision": _decision(meeting, wanted["decision"]) if "decision" in wanted else terms.decision,
        "decision_why": _text(
            wanted.get("decision_why", terms.decision_why), "decision_why", MAX_WHAT, required=False
        ),
    }
    values["decision_on"] = _decision_on(values["decision"], wanted.get("decision_on"), terms.decision_on)
    if values["decision"] is ReviewDecision.END:  # a plan that ends has no other meeting to plan
        values["review_on"] = None
    values |= _core_group_values(meeting, wanted, terms)
    members = values.pop("core_group", None)
    _changed(meeting, terms, revision, editor)
    for field, value in values.items():
        setattr(terms, field, value)
    if carried:  # the default review date it showed is now agreed: written, even if unchanged
        flag_modified(terms, "review_on")
    if members is not None:
        _set_core_group(terms, members)
    db.session.add(terms)
    try:
        db.session.flush()
        _record(meeting, terms)
        db.session.commit()
    except IntegrityError:  # two first saves at once: the second is told, as for any edit
        db.session.rollback()
        raise Conflict(
            _("Someone changed this while you were editing. Look at their version, then decide."),
            terms_of(meeting),
        ) from None
    return terms


def set_progress(
    meeting: Meeting, action_id: object, revision: object, progress: object, note: object, editor: str
) -> PlanAction:
    """At a review: how an action from the last meeting is going, with a note (why it is stuck)."""
    _open(meeting)
    action = find_action(meeting, action_id)
    if action.carried_from_id is None:
        raise ValidationError("action_id", _("Only actions from the last meeting are reviewed."))
    try:
        value = ActionProgress(progress) if isinstance(progress, str) else ActionProgress("")
    except ValueError:
        raise ValidationError("progress", _("Choose done, in progress, not started or stuck.")) from None
    note = _text(note, "note", MAX_PROGRESS_NOTE, required=False)
    _changed(meeting, action, revision, editor)
    action.progress, action.progress_note = value, note
    _record(meeting, action)
    db.session.commit()
    return action
