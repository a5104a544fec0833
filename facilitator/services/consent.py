"""Words that leave their author only with consent: a party's own space in a shuttle
mediation, and the child's three houses.

An item is its author's until they agree to more: a party passes it on to another party, in
their own words or in a rephrasing the mediator suggested that they approve; a child shares
it with the family or with everyone. Who can read an item follows from what is stored here,
and is decided in `access.py` (`item_audience`, `reads_whole`, `in_copy`). Once shared, an
item never changes: nobody can take back what others have read, or alter it under them.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from facilitator import access
from facilitator.extensions import db
from facilitator.models import (
    Admission,
    ConsentItem,
    ItemKind,
    Meeting,
    Participant,
    Sharing,
    Side,
    StageKind,
)
from facilitator.models.consent import HOUSES, SPACE_KINDS
from facilitator.models.types import is_row_id, utcnow
from facilitator.services import changes
from facilitator.services.contributions import valid_client_id
from facilitator.services.errors import ValidationError

MAX_TEXT = 1000
# More than anyone writes in a meeting; a phone sending more is refused, not stored.
MAX_ITEMS_EACH = 200
# Everyone a child may share with, in the order a phone offers them.
CHILD_CHOICES = (Sharing.NOBODY, Sharing.FAMILY, Sharing.EVERYONE)
_WIDER = {Sharing.NOBODY: 0, Sharing.FAMILY: 1, Sharing.EVERYONE: 2}
EVERY_OTHER_PARTY = "all"


def words_of(value: object, field: str = "text") -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(field, _("Write something first."))
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise ValidationError(field, _("Use at most %(count)d characters.", count=MAX_TEXT))
    return value


def in_session(meeting: Meeting) -> None:
    if meeting.between_sessions:
        raise ValidationError(
            "meeting", _("This session has ended. What you wrote is kept for the next one.")
        )


def parties_of(meeting: Meeting) -> list[Participant]:
    """The parties to a mediation: the family's side, let in."""
    return [p for p in meeting.participants if p.side is Side.FAMILY and p.admission is Admission.ADMITTED]


def children_of(meeting: Meeting) -> list[Participant]:
    return [p for p in meeting.participants if p.is_child and p.admission is not Admission.DECLINED]


def items_of(meeting: Meeting) -> list[ConsentItem]:
    return list(
        db.session.scalars(
            select(ConsentItem).where(ConsentItem.meeting_id == meeting.id).order_by(ConsentItem.id)
        )
    )


def item_in(meeting: Meeting, item_id: object) -> ConsentItem:
    item = db.session.get(ConsentItem, item_id) if is_row_id(item_id) else None
    if item is None or item.meeting_id != meeting.id:
        raise ValidationError("item_id", _("There is no such item."))
    return item


def _author(meeting: Meeting, writer: Participant, kind: ItemKind, child_id: object) -> Participant:
    """Whose words these are: the writer's own, or a child's when an advocate writes for them."""
    if not kind.is_house or writer.is_child:
        if child_id is not None and child_id != writer.id:
            raise ValidationError("child_id", _("You can only write in your own houses."))
        return writer
    children = children_of(meeting)
    if child_id is None and len(children) == 1:
        return children[0]
    child = next((c for c in children if c.id == child_id), None) if is_row_id(child_id) else None
    if child is None:
        raise ValidationError("child_id", _("Choose the child whose words these are."))
    return child


def write(
    meeting: Meeting, writer: Participant, client_id: object, kind: object, text: object, child_id: object = None
) -> tuple[ConsentItem, bool]:
    """Keep an item in the writer's own space or in a child's house, once per client id. It
    reaches nobody but those `access.item_audience` names for an unshared item."""
    client_id = valid_client_id(client_id)
    stored = db.session.scalar(
        select(ConsentItem).where(ConsentItem.meeting_id == meeting.id, ConsentItem.client_id == client_id)
    )
    if stored is not None:
        if writer.id not in (stored.author_id, stored.written_by_id):
            raise ValidationError("client_id", _("This has no valid id; reload the page and try again."))
        return stored, False
    allowed = HOUSES if access.has_part(meeting, StageKind.CHILDS_VOICE) and _fills_houses(writer) else ()
    if access.has_part(meeting, StageKind.OWN_SPACE) and writer.side is Side.FAMILY:
        allowed = (*allowed, *SPACE_KINDS)
    if not isinstance(kind, str) or kind not in {k.value for k in allowed}:
        raise ValidationError("kind", _("Choose where this goes."))
    kind = ItemKind(kind)
    if not kind.is_house:
        in_session(meeting)
    author = _author(meeting, writer, kind, child_id)
    held = db.session.scalar(
        select(func.count()).select_from(ConsentItem).where(ConsentItem.meeting_id == meeting.id, ConsentItem.author_id == author.id)
    )
    if held >= MAX_ITEMS_EACH:
        raise ValidationError("text", _("There is no room for more here. Talk to the chair."))
    item = ConsentItem(
        meeting_id=meeting.id,
        client_id=client_id,
        author_id=author.id,
        written_by_id=writer.id if writer.id != author.id else None,
        kind=kind,
        text=words_of(text),
        session_number=meeting.session_number,
    )
    db.session.add(item)
    try:
        db.session.flush()
    except IntegrityError:  # the same resend, arriving twice at once
        db.session.rollback()
        raise ValidationError("client_id", _("This was sent twice; reload the page to see it."))
    changes.record(meeting, "item_saved", audience=access.item_audience(item), subject=item, item_id=item.id)
    db.session.commit()
    return item, True


def _fills_houses(person: Participant) -> bool:
    return person.is_child or person.is_advocate


def _keeper(item: ConsentItem, person: Participant) -> None:
    """The author, or for a child's item their advocate: who decides about it."""
    if item.author_id == person.id or (item.kind.is_house and person.is_advocate):
        return
    raise ValidationError("item_id", _("Only its author decides about this."))


def remove(meeting: Meeting, person: Participant, item_id: object) -> None:
    """Take back an item nobody else has read yet."""
    item = item_in(meeting, item_id)
    _keeper(item, person)
    if item.is_shared:
        raise ValidationError("item_id", _("This has been passed on already, so it stays."))
    changes.record(meeting, "item_removed", audience=access.item_audience(item), item_id=item.id)
    db.session.delete(item)
    db.session.commit()


def share(meeting: Meeting, person: Participant, item_id: object, sharing: object) -> ConsentItem:
    """The child (or their advocate) decides who hears a house item: nobody yet, the family, or
    everyone. They may change their mind until it is shared; after that it can only reach more
    people, never fewer, because those who heard it cannot unhear it."""
    item = item_in(meeting, item_id)
    _keeper(item, person)
    if not item.kind.is_house:
        raise ValidationError("item_id", _("Choose who to pass this on to."))
    if not isinstance(sharing, str) or sharing not in {choice.value for choice in CHILD_CHOICES}:
        raise ValidationError("sharing", _("Choose: nobody yet, the family, or everyone."))
    sharing = Sharing(sharing)
    if _WIDER[sharing] < _WIDER[item.sharing]:
        raise ValidationError("sharing", _("This has been shared already, so it cannot be taken back."))
    if sharing is item.sharing:
        return item
    item.sharing = sharing
    item.shared_text, item.shared_at = item.text, utcnow()  # the child's own words, unedited
    item.revision += 1
    changes.record(meeting, "item_saved", audience=access.item_audience(item), subject=item, item_id=item.id)
    db.session.commit()
    return item


def suggest(meeting: Meeting, item_id: object, words: object, by: str) -> ConsentItem:
    """The mediator suggests other words for a party's item not yet passed on (None withdraws
    the suggestion). Only its author sees the suggestion; it is passed on only if they approve."""
    item = item_in(meeting, item_id)
    if item.kind.is_house:
        raise ValidationError("item_id", _("A child's words are passed on as they wrote them."))
    if item.is_shared:
        raise ValidationError("item_id", _("This has been passed on already, so it stays as it was."))
    item.suggestion = None if words is None else words_of(words, "words")
    item.suggested_by = by if words is not None else ""
    item.revision += 1
    changes.record(meeting, "item_saved", audience=access.item_audience(item), subject=item, item_id=item.id)
    db.session.commit()
    return item


def pass_on(
    meeting: Meeting, person: Participant, item_id: object, to: object, wording: object, revision: object
) -> ConsentItem:
    """A party passes an item on to another party (`to`: their id) or to every other party
    ("all"), in their own words (`wording` "mine") or in the mediator's suggestion ("suggested"),
    which is their approval of exactly the suggestion they saw (`revision`)."""
    item = item_in(meeting, item_id)
    if item.author_id != person.id or item.kind.is_house:
        raise ValidationError("item_id", _("Only its author decides about this."))
    in_session(meeting)
    if item.is_shared:
        raise ValidationError("item_id", _("This has been passed on already."))
    if type(revision) is not int or revision != item.revision:
        raise ValidationError("revision", _("This has changed since you read it. Read it again, then decide."))
    if wording == "suggested":
        if item.suggestion is None:
            raise ValidationError("wording", _("There are no suggested words to approve."))
        words = item.suggestion
    elif wording == "mine":
        words = item.text
    else:
        raise ValidationError("wording", _("Choose your words or the suggested words."))
    others = [p for p in parties_of(meeting) if p.id != person.id]
    if to == EVERY_OTHER_PARTY and others:
        item.sharing, item.passed_to_ids = Sharing.PARTIES, " ".join(str(p.id) for p in others)
    elif is_row_id(to) and any(p.id == to for p in others):
        item.sharing, item.passed_to_id = Sharing.PARTY, to
    else:
        raise ValidationError("to", _("Choose who to pass this on to."))
    item.shared_text, item.shared_at = words, utcnow()
    item.suggestion, item.revision = None, item.revision + 1
    changes.record(meeting, "item_saved", audience=access.item_audience(item), subject=item, item_id=item.id)
    db.session.commit()
    return item


def decline_suggestion(meeting: Meeting, person: Participant, item_id: object) -> ConsentItem:
    """The author keeps their own words: the mediator's suggestion is dropped."""
    item = item_in(meeting, item_id)
    if item.author_id != person.id or item.suggestion is None:
        raise ValidationError("item_id", _("There are no suggested words to turn down."))
    item.suggestion, item.suggested_by, item.revision = None, "", item.revision + 1
    changes.record(meeting, "item_saved", audience=access.item_audience(item), subject=item, item_id=item.id)
    db.session.commit()
    return item
