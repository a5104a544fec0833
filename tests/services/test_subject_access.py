"""Subject access and erasure at the service level: one person's export holds what they wrote,
what they were given to do and what is recorded about them, and nothing they could not see
(private family time, another family's meeting, another party's words, a child's unshared
houses); erasing their details replaces their name everywhere, and their words as the council's
policy says, once and for good."""

import json
import uuid

import pytest
from sqlalchemy import select

from facilitator import access
from facilitator.extensions import db
from facilitator.models import (
    ActionStatus,
    AgreementResponse,
    ConsentItem,
    Contribution,
    ContributionKind,
    HistoryEntry,
    HistoryKind,
    ItemKind,
    LiveConnection,
    LiveNode,
    Meeting,
    MeetingEvent,
    Participant,
    PlanAction,
    PlanNote,
    Score,
    Sharing,
    StageKind,
)
from facilitator.models.types import utcnow
from facilitator.services import erasure, joining, people, running, subject_access, summary
from facilitator.services.errors import ValidationError


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


def joined(meeting, name, side="family", relation="", *, flags=()):
    person = joining.join(meeting, name, relation, side, joining.new_device_token(), "192.0.2.10")
    joining.admit(meeting, person.id)
    for flag in flags:
        setattr(person, flag, True)
    db.session.commit()
    return person


def stage_of(meeting, kind):
    return next(stage for stage in meeting.stages if stage.kind is kind)


def say(meeting, person, text, kind=StageKind.CHECK_IN, said_as=ContributionKind.ANSWER, feeling=None):
    item = Contribution(
        meeting_id=meeting.id,
        stage_id=stage_of(meeting, kind).id,
        participant_id=person.id,
        client_id=str(uuid.uuid4()),
        text=text,
        kind=said_as,
        feeling=feeling,
    )
    db.session.add(item)
    db.session.commit()
    return item


def keep(meeting, author, text, kind=ItemKind.THOUGHT, sharing=Sharing.NOBODY, written_by=None, **more):
    item = ConsentItem(
        meeting_id=meeting.id,
        client_id=str(uuid.uuid4()),
        author_id=author.id,
        written_by_id=written_by.id if written_by else None,
        kind=kind,
        text=text,
        sharing=sharing,
        **more,
    )
    db.session.add(item)
    db.session.commit()
    return item


def action(meeting, what, who=None, proposed_by=None, status=ActionStatus.AGREED, edited_by=""):
    item = PlanAction(
        meeting_id=meeting.id,
        client_id=str(uuid.uuid4()),
        what=what,
        who=who,
        proposed_by=proposed_by,
        status=status,
        edited_by=edited_by,
    )
    db.session.add(item)
    db.session.commit()
    return item


def text_of(data):
    return json.dumps(data, ensure_ascii=False)


@pytest.fixture
def conference(make_meeting, request_context):
    """A family group conference under way: Kerry (Mum), Nan, and Dan (the social worker)."""
    made = make_meeting("FGC for the D. family")
    meeting = db.session.get(Meeting, made.id)
    meeting.kerry = joined(meeting, "Kerry", relation="Mum")
    meeting.nan = joined(meeting, "Maureen", relation="Nan")
    meeting.dan = joined(meeting, "Dan", "professional", "Social worker")
    running.start(meeting)
    return meeting


def test_the_export_holds_what_they_wrote_were_given_and_what_is_recorded(conference):
    meeting, kerry = conference, conference.kerry
    say(meeting, kerry, "I want the boys home", feeling="hopeful")
    say(meeting, kerry, "I can do the school run", StageKind.CHECK_IN, ContributionKind.OFFER)
    db.session.add(Score(meeting_id=meeting.id, stage_id=meeting.stages[0].id, participant_id=kerry.id, value=7))
    action(meeting, "Take the boys to football", who=kerry)
    action(meeting, "I will ring the school", proposed_by=kerry, status=ActionStatus.OFFERED)
    db.session.add(
        AgreementResponse(meeting_id=meeting.id, participant_id=kerry.id, name="Kerry", agreed=False, reasons="Not yet", plan_revision=1)
    )
    db.session.commit()

    data = subject_access.export(meeting, kerry)

    assert json.loads(json.dumps(data)) == data  # plain data, all of it JSON
    assert data["format"] == subject_access.FORMAT
    assert (data["person"]["name"], data["person"]["relation"], data["person"]["side"]) == ("Kerry", "Mum", "family")
    assert data["person"]["admission"] == "admitted" and data["person"]["joined_at"]
    assert data["person"]["joined_from_a_phone"] is True and "hash" not in text_of(data["person"])
    said = {(item["text"], item["kind"], item["feeling"]) for item in data["said"]}
    assert said == {("I want the boys home", "answer", "hopeful"), ("I can do the school run", "offer", None)}
    assert [score["value"] for score in data["scores"]] == [7]
    assert [a["what"] for a in data["assigned_actions"]] == ["Take the boys to football"]
    assert [a["what"] for a in data["proposed_actions"]] == ["I will ring the school"]
    assert data["agreement_responses"][0]["reasons"] == "Not yet"
    assert {entry["what"] for entry in data["history"]} == {"admission_changed"}
    # Nobody else's words.
    say(meeting, conference.nan, "Nan's own words")
    assert "Nan's own words" not in text_of(subject_access.export(meeting, kerry))


def test_a_professional_shut_out_of_private_time_gets_none_of_it(conference):
    meeting, dan = conference, conference.dan
    action(meeting, "Dan to book the review", who=dan)
    meeting.private_since = utcnow()
    db.session.commit()
    say(meeting, conference.kerry, "What we said in private")
    db.session.add(PlanNote(meeting_id=meeting.id, client_id="n1", text="Kept within the family", family_only=True, edited_by="Dan"))
    action(meeting, "Dan to visit weekly", who=dan)  # the family's plan, still private
    db.session.commit()

    assert access.shut_out(access.Viewer(access.ViewerKind.PARTICIPANT, participant=dan), meeting)
    data = text_of(subject_access.export(meeting, dan))
    assert "What we said in private" not in data and "Kept within the family" not in data
    assert "Dan to visit weekly" not in data and "Dan to book the review" not in data
    assert subject_access.export(meeting, dan)["plan_shown"] is False

    meeting.private_since = None
    db.session.commit()
    after = subject_access.export(meeting, dan)
    assert {a["what"] for a in after["assigned_actions"]} == {"Dan to book the review", "Dan to visit weekly"}
    # A note kept within the family, even signed with their name, never reaches a professional.
    assert "Kept within the family" not in text_of(after) and "What we said in private" not in text_of(after)
    # The family reads their own note.
    db.session.add(PlanNote(meeting_id=meeting.id, client_id="n2", text="Our note", family_only=True, edited_by="Kerry"))
    db.session.commit()
    assert "Our note" in text_of(subject_access.export(meeting, conference.kerry))


def test_another_familys_meeting_is_never_in_it(conference, make_meeting):
    other = db.session.get(Meeting, make_meeting("FGC for the W. family").id)
    other_dan = joined(other, "Dan", "professional", "Social worker")
    running.start(other)
    say(other, other_dan, "About the W. children")
    action(other, "W. family action", who=other_dan, edited_by="Dan")
    data = text_of(subject_access.export(conference, conference.dan))
    assert "W. family" not in data and "About the W. children" not in data
    with pytest.raises(ValueError):
        subject_access.export(conference, other_dan)


def test_another_partys_words_are_not_in_a_partys_export(make_meeting, request_context):
    meeting = db.session.get(Meeting, make_meeting("Mediation for A and B", format_key="shuttle_mediation").id)
    ann, bob = joined(meeting, "Ann"), joined(meeting, "Bob")
    keep(meeting, ann, "Ann's private thought")
    keep(meeting, ann, "Ann passed this on", sharing=Sharing.PARTY, passed_to_id=bob.id, shared_text="Ann passed this on")
    keep(meeting, bob, "Bob's own worry", ItemKind.WORRY, suggestion="Bob worries about weekends")

    bobs = text_of(subject_access.export(meeting, bob))
    assert "Bob's own worry" in bobs and "Bob worries about weekends" in bobs
    assert "Ann's private thought" not in bobs and "Ann passed this on" not in bobs
    anns = subject_access.export(meeting, ann)
    assert {item["text"] for item in anns["kept_items"]} == {"Ann's private thought", "Ann passed this on"}
    assert [item["passed_to"] for item in anns["kept_items"] if item["sharing"] == "party"] == [["Bob"]]


def test_a_childs_unshared_houses_only_for_the_child_and_their_advocate(conference):
    meeting = conference
    child = joined(meeting, "Jay", flags=("is_child",))
    advocate = joined(meeting, "Amira", "professional", "Advocate", flags=("is_advocate",))
    keep(meeting, child, "I worry about shouting", ItemKind.HOUSE_OF_WORRIES)
    keep(meeting, child, "Typed by Amira for Jay", ItemKind.HOUSE_OF_DREAMS, written_by=advocate)
    keep(meeting, child, "Shared with everyone", ItemKind.HOUSE_OF_GOOD_THINGS, sharing=Sharing.EVERYONE, shared_text="Shared with everyone")

    assert {i["text"] for i in subject_access.export(meeting, child)["kept_items"]} == {
        "I worry about shouting", "Typed by Amira for Jay", "Shared with everyone"
    }
    advocates = subject_access.export(meeting, advocate)["kept_items"]
    assert [(i["text"], i["for_child"]) for i in advocates] == [("Typed by Amira for Jay", "Jay")]
    for other in (conference.kerry, conference.dan):
        data = text_of(subject_access.export(meeting, other))
        assert "shouting" not in data and "Typed by Amira" not in data and "Shared with everyone" not in data


def erase(meeting, person, marker=None):
    erasure.erase(meeting, person.id, by="Sam Patel", words_marker=marker)
    db.session.expire_all()
    return db.session.get(Participant, person.id)


def test_erasure_replaces_name_and_words_and_keeps_the_record_whole(app, conference):
    meeting, kerry = conference, conference.kerry
    say(meeting, kerry, "I want the boys home", feeling="hopeful")
    offer = action(meeting, "Kerry offers lifts", who=kerry, proposed_by=kerry, status=ActionStatus.OFFERED, edited_by="Kerry")
    agreed = action(meeting, "Family lunch on Sundays", who=kerry, edited_by="Kerry")
    mine = keep(meeting, kerry, "Kerry's thought")
    db.session.add(LiveNode(id="node-a"))
    db.session.flush()
    db.session.add(LiveConnection(node_id="node-a", sid="sid-kerry", participant_id=kerry.id))
    kerry.invite_token_hash = "f" * 64
    db.session.commit()
    before = db.session.get(Meeting, meeting.id).version

    preview = erasure.preview(meeting, kerry.id)
    assert (preview.marker, preview.policy, preview.said, preview.kept) == ("Erased person 1", "replace", 1, 1)
    person = erase(meeting, kerry, "Removed on request")

    assert (person.name, person.relation) == ("Erased person 1", "")
    assert person.device_token_hash is None and person.invite_token_hash is None and person.connections == 0
    assert db.session.scalars(select(LiveConnection).where(LiveConnection.participant_id == kerry.id)).all() == []
    said = db.session.scalars(select(Contribution).where(Contribution.participant_id == kerry.id)).one()
    assert (said.text, said.feeling) == ("Removed on request", None)
    assert db.session.get(ConsentItem, mine.id).text == "Removed on request"
    assert db.session.get(PlanAction, offer.id).what == "Removed on request"  # their offer, still waiting
    kept = db.session.get(PlanAction, agreed.id)
    assert (kept.what, kept.edited_by, kept.who_name) == ("Family lunch on Sundays", "Erased person 1", "Erased person 1")
    # Recorded, without what was erased; the phones are told and disconnected by the change path.
    entry = db.session.scalars(select(HistoryEntry).where(HistoryEntry.kind == HistoryKind.PERSON_ERASED)).one()
    assert (entry.by, entry.detail) == ("Sam Patel", str(kerry.id))
    removed = db.session.scalars(
        select(MeetingEvent).where(MeetingEvent.meeting_id == meeting.id, MeetingEvent.kind == "person_removed")
    ).one()
    assert removed.payload["connections"] == ["sid-kerry"] and removed.version > before
    # Nowhere in the summary, either copy.
    for copy in summary.Copy:
        s = summary.build(db.session.get(Meeting, meeting.id), copy)
        names = [p.name for p in s.took_part] + [a.who_name for a in s.actions] + [a.edited_by for a in s.actions]
        assert "Kerry" not in names and "Erased person 1" in names
    # Final: once only, and nothing about them is exported by their old name.
    with pytest.raises(ValidationError):
        erasure.erase(meeting, kerry.id, by="Sam Patel")
    db.session.rollback()
    data = subject_access.export(db.session.get(Meeting, meeting.id), db.session.get(Participant, kerry.id))
    assert "Kerry" not in text_of(data) and data["person"]["erased"] is True


def test_keep_unnamed_keeps_their_words_under_the_marker(app, conference):
    app.config["ERASURE_WORDS"] = "keep-unnamed"
    say(conference, conference.kerry, "I want the boys home")
    keep(conference, conference.kerry, "Kerry's thought")
    person = erase(conference, conference.kerry)
    said = db.session.scalars(select(Contribution).where(Contribution.participant_id == person.id)).one()
    assert said.text == "I want the boys home" and said.participant.name == "Erased person 1"
    assert db.session.scalars(select(ConsentItem.text)).all() == ["Kerry's thought"]
    # A second erasure in the same meeting is told apart.
    assert erase(conference, conference.nan).name == "Erased person 2"


def test_the_chairs_marker_is_checked(conference):
    with pytest.raises(ValidationError) as refused:
        erasure.erase(conference, conference.kerry.id, by="Sam", words_marker="  ")
    assert refused.value.field == "marker"
    db.session.rollback()
    assert db.session.get(Participant, conference.kerry.id).name == "Kerry"


def test_a_person_listed_but_not_here_and_the_people_list(conference):
    gp = people.add_person(conference, people.PersonDetails("Dr Shah", "GP", "professional"))
    action(conference, "GP letter", who=gp)
    data = subject_access.export(conference, gp)
    assert data["person"]["admission"] == "expected" and data["person"]["joined_at"] is None
    assert [a["what"] for a in data["assigned_actions"]] == ["GP letter"]
    assert erasure.erased_ids(conference) == frozenset()
    erase(conference, gp)
    assert erasure.erased_ids(conference) == frozenset({gp.id})


def test_an_unknown_erasure_policy_stops_the_server(tmp_path, monkeypatch):
    from facilitator.config import ConfigError, load_config

    monkeypatch.setenv("ERASURE_WORDS", "shred")
    with pytest.raises(ConfigError, match="ERASURE_WORDS"):
        load_config({"ENV_NAME": "development"}, tmp_path)
    monkeypatch.setenv("ERASURE_WORDS", "keep-unnamed")
    assert load_config({"ENV_NAME": "development"}, tmp_path)["ERASURE_WORDS"] == "keep-unnamed"
