"""Rounds, live: check-ins with feelings, how the room sees the answers, the talking piece,
answers the chair records, information sharing, offers, and private 0-10 scores."""

import json
import re

import pytest
from sqlalchemy import event, select

from facilitator.extensions import db
from facilitator.models import Admission, Contribution, Meeting, Participant, Score
from facilitator.services import contributions, joining, plan, rounds, running
from tests.live.conftest import ack, everything_stored, received, sync
from tests.web.test_joining import join

on_a_safety_scale = pytest.mark.parametrize("format_key", ["signs_of_safety"])


def answer(phone, client_id, text, **extra):
    return ack(phone.socket, "contribute", {"client_id": client_id, "text": text, **extra})


def stored(app, model=Contribution):
    with app.app_context():
        return db.session.scalars(select(model).order_by(model.id)).all()


def said(app):
    """Everything stored as said: who, what, which kind, which feeling."""
    with app.app_context():
        return [
            (c.participant.name, c.text, c.kind.value, c.feeling)
            for c in db.session.scalars(select(Contribution).order_by(Contribution.id))
        ]


def stage_in(snapshot, stage_id):
    return next(s for s in snapshot["meeting"]["stages"] if s["id"] == stage_id)


def contributions_of(snapshot, stage_id):
    return [c for c in snapshot["contributions"] if c["stage_id"] == stage_id]


# Check-in: answers, feelings, and how the room sees them


def test_check_in_answers_reach_everyone_with_their_feeling(app, room):
    kerry, nan, dan = room.phone("Kerry"), room.phone("Nan"), room.phone("Dan", side="professional")
    screen = room.screen()
    stage_id = room.go_to("check_in")

    first = answer(kerry, "kerry-check-in-01", "  Nervous, but hopeful  ", feeling="hopeful")
    second = answer(dan, "dan-check-in-0001", "Glad to be here")

    assert first["ok"] and second["ok"], (first, second)
    assert second["version"] == first["version"] + 1
    expected = [
        (first["version"], first["contribution_id"], kerry.id, "Kerry", "Nervous, but hopeful", "hopeful"),
        (second["version"], second["contribution_id"], dan.id, "Dan", "Glad to be here", None),
    ]
    for socket in (room.chair, screen, kerry.socket, nan.socket, dan.socket):
        added = received(socket, "contribution_added")
        assert [
            (
                a["version"],
                a["contribution"]["id"],
                a["contribution"]["participant_id"],
                a["contribution"]["name"],
                a["contribution"]["text"],
                a["contribution"]["feeling"],
            )
            for a in added
        ] == expected
        assert {
            (a["contribution"]["kind"], a["contribution"]["stage_id"], a["stage"]["id"]) for a in added
        } == {("answer", stage_id, stage_id)}
        assert not any(a["contribution"]["recorded"] for a in added)
    assert said(app) == [
        ("Kerry", "Nervous, but hopeful", "answer", "hopeful"),
        ("Dan", "Glad to be here", "answer", None),
    ]


def test_an_answer_is_told_to_the_room_reading_only_who_follows_the_meeting(app, room):
    """Every answer is checked, stored and sent to everyone in one command. Once stored, what it
    was said in is already at hand; what is read after the write is only what decides who
    receives it (the meeting as it is now, its chairs and its people), never the answer again."""
    kerry, nan = room.phone("Kerry"), room.phone("Nan")
    room.go_to("check_in")
    with app.app_context():
        engine = db.engine
    statements = []

    def note(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", note)
    try:
        answered = answer(kerry, "kerry-check-in-01", "Hopeful", feeling="hopeful")
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert answered["ok"], answered
    verbs = [statement.split()[0].upper() for statement in statements]
    # The meeting with the person on this phone, an answer with this id, the stage; the change
    # (the meeting's version, the answer, its event); then who receives it.
    assert verbs == ["SELECT"] * 3 + ["INSERT", "UPDATE", "INSERT"] + ["SELECT"] * 3, statements
    assert "meeting_event" in statements[5]
    read_after = statements[6:]
    assert [s.split(" FROM ")[1].split()[0] for s in read_after] == ["meeting", "meeting_member", "participant"]
    assert received(nan.socket, "contribution_added")[0]["stage"]["kind"] == "check_in"


def test_names_only_shows_the_room_who_answered_but_not_what_they_said(app, room):
    kerry, dan = room.phone("Kerry"), room.phone("Dan", side="professional")
    screen = room.screen()
    stage_id = room.go_to("check_in")
    assert answer(kerry, "kerry-check-in-01", "Scared of losing the kids", feeling="angry")["ok"]
    room.drain()

    changed = ack(room.chair, "round", {"display": "names_only"})
    assert changed["ok"], changed
    assert answer(dan, "dan-check-in-0001", "Worried about the school run")["ok"]

    (for_chair,) = received(room.chair, "round_changed")
    assert for_chair["version"] == changed["version"]
    assert for_chair["stage"]["display"] == "names_only"
    assert [(c["name"], c["text"], c["feeling"]) for c in for_chair["contributions"]] == [
        ("Kerry", "Scared of losing the kids", "angry")
    ]
    assert sync(room.chair)["contributions"][-1]["text"] == "Worried about the school run"
    for socket in (screen, kerry.socket, dan.socket):
        events = socket.get_received()
        (shown,) = [e["args"][0] for e in events if e["name"] == "round_changed"]
        assert shown["stage"]["display"] == "names_only"
        assert [
            (c["participant_id"], c["name"], c["text"], c["feeling"]) for c in shown["contributions"]
        ] == [(kerry.id, "Kerry", None, None)]
        (added,) = [e["args"][0] for e in events if e["name"] == "contribution_added"]
        assert (added["contribution"]["name"], added["contribution"]["text"]) == ("Dan", None)
        snapshot = sync(socket)
        assert [(c["name"], c["text"], c["feeling"]) for c in contributions_of(snapshot, stage_id)] == [
            ("Kerry", None, None),
            ("Dan", None, None),
        ]
        seen = json.dumps([events, snapshot])
        assert "Scared" not in seen and "school run" not in seen and "angry" not in seen


def test_unnamed_hides_who_said_what_from_everyone_but_the_chair(app, room):
    kerry, dan = room.phone("Kerry"), room.phone("Dan", side="professional")
    screen = room.screen()
    stage_id = room.go_to("check_in")
    assert answer(kerry, "kerry-check-in-01", "I want to be heard", feeling="sad")["ok"]
    room.drain()

    assert ack(room.chair, "round", {"display": "unnamed"})["ok"]
    assert answer(dan, "dan-check-in-0001", "Hoping for a plan")["ok"]

    (for_chair,) = received(room.chair, "round_changed")
    assert [(c["participant_id"], c["name"]) for c in for_chair["contributions"]] == [(kerry.id, "Kerry")]
    assert [(c["participant_id"], c["name"]) for c in contributions_of(sync(room.chair), stage_id)] == [
        (kerry.id, "Kerry"),
        (dan.id, "Dan"),
    ]
    for socket in (screen, kerry.socket, dan.socket):
        events = socket.get_received()
        (shown,) = [e["args"][0] for e in events if e["name"] == "round_changed"]
        (added,) = [e["args"][0] for e in events if e["name"] == "contribution_added"]
        snapshot = sync(socket)
        room_sees = [*shown["contributions"], added["contribution"], *snapshot["contributions"]]
        assert [(c["participant_id"], c["name"], c["text"], c["feeling"]) for c in room_sees] == [
            (None, None, "I want to be heard", "sad"),
            (None, None, "Hoping for a plan", None),
            (None, None, "I want to be heard", "sad"),
            (None, None, "Hoping for a plan", None),
        ]


def test_showing_names_again_sends_the_round_with_names(room):
    kerry = room.phone("Kerry")
    screen = room.screen()
    room.go_to("check_in")
    assert ack(room.chair, "round", {"display": "unnamed"})["ok"]
    assert answer(kerry, "kerry-check-in-01", "Ready")["ok"]
    room.drain()

    again = ack(room.chair, "round", {"display": "named"})

    assert again["ok"]
    for socket in (screen, kerry.socket):
        (shown,) = received(socket, "round_changed")
        assert shown["version"] == again["version"] and shown["stage"]["display"] == "named"
        assert [(c["participant_id"], c["name"], c["text"]) for c in shown["contributions"]] == [
            (kerry.id, "Kerry", "Ready")
        ]


def test_a_round_setting_belongs_to_its_stage_and_resends_only_that_stage(app, room):
    kerry = room.phone("Kerry")
    screen = room.screen()
    welcome_id = room.go_to("welcome")
    assert answer(kerry, "kerry-welcome-001", "Kerry, the children's mum")["ok"]
    check_in_id = room.go_to("check_in")
    assert answer(kerry, "kerry-check-in-01", "Tired")["ok"]
    room.drain()

    assert ack(room.chair, "round", {"display": "unnamed"})["ok"]

    (shown,) = received(screen, "round_changed")
    assert [(c["stage_id"], c["text"]) for c in shown["contributions"]] == [(check_in_id, "Tired")]
    snapshot = sync(screen)
    assert [(c["name"], c["text"]) for c in contributions_of(snapshot, welcome_id)] == [
        ("Kerry", "Kerry, the children's mum")
    ]
    assert [(c["name"], c["text"]) for c in contributions_of(snapshot, check_in_id)] == [(None, "Tired")]
    assert stage_in(snapshot, welcome_id)["display"] == "named"


@pytest.mark.parametrize("display", ["hidden", "", None, 1, ["named"], {"named": True}, "NAMED"])
def test_an_unknown_display_is_refused_and_changes_nothing(app, room, display):
    kerry = room.phone("Kerry")
    room.go_to("check_in")
    before = everything_stored(app, room.meeting.id)

    refused = ack(room.chair, "round", {"display": display})

    assert refused["ok"] is False and refused["error"]["code"] == "invalid" and refused["error"]["message"]
    assert everything_stored(app, room.meeting.id) == before
    assert received(kerry.socket) == []


@pytest.mark.parametrize(
    ("kind", "feeling"),
    [
        ("welcome", "happy"),
        ("information_sharing", "worried"),
        ("offers", "hopeful"),
        ("check_in", "ecstatic"),
        ("check_in", "HAPPY"),
        ("check_in", ""),
        ("check_in", 3),
        ("check_in", ["happy"]),
        ("check_in", {"feeling": "happy"}),
        ("check_in", True),
    ],
)
def test_a_feeling_outside_check_in_or_out_or_unknown_is_refused(app, room, kind, feeling):
    kerry = room.phone("Kerry", side="professional")
    room.go_to(kind)
    payload = {"feeling": feeling}
    if kind == "information_sharing":
        payload["kind"] = "worry"

    refused = answer(kerry, "kerry-feeling-001", "Some words", **payload)

    assert refused["ok"] is False and refused["error"]["code"] == "invalid", refused
    assert stored(app) == []
    assert received(room.chair) == [] and received(kerry.socket) == []


def test_check_out_takes_a_feeling_too(app, room):
    kerry = room.phone("Kerry")
    room.go_to("check_out")
    assert answer(kerry, "kerry-check-out1", "Relieved", feeling="calm")["ok"]
    assert said(app) == [("Kerry", "Relieved", "answer", "calm")]


def test_every_feeling_shown_is_accepted(app, room):
    kerry = room.phone("Kerry")
    room.go_to("check_in")
    for number, feeling in enumerate(rounds.FEELINGS):
        assert answer(kerry, f"kerry-feeling-{number:03}", feeling.title(), feeling=feeling)["ok"]
    assert [row[3] for row in said(app)] == list(rounds.FEELINGS)


# The talking piece


def test_the_talking_piece_goes_first_to_whoever_in_the_circle_has_not_answered(app, room):
    gone = room.phone("Ann")
    kerry = room.phone("Kerry")
    waiting = room.phone("Lee", admit=False)
    nan = room.phone("Nan")
    dan = room.phone("Dan", side="professional")
    screen = room.screen()
    assert ack(gone.socket, "leave")["ok"]
    stage_id = room.go_to("check_in")
    assert answer(kerry, "kerry-check-in-01", "Here")["ok"]
    room.drain()

    turned_on = ack(room.chair, "round", {"talking_piece": True})

    assert turned_on["ok"], turned_on
    for socket in (room.chair, screen, kerry.socket, nan.socket, dan.socket):
        (changed,) = received(socket, "round_changed")
        assert changed["version"] == turned_on["version"]
        assert (changed["stage"]["talking_piece"], changed["stage"]["turn"]) == (True, nan.id)
    assert received(waiting.socket) == []
    assert stage_in(sync(room.chair), stage_id)["turn"] == nan.id


def test_an_answer_out_of_turn_is_refused_and_goes_nowhere(app, room):
    kerry, nan = room.phone("Kerry"), room.phone("Nan")
    dan = room.phone("Dan", side="professional")
    room.go_to("check_in")
    assert ack(room.chair, "round", {"talking_piece": True})["ok"]
    version = sync(room.chair)["version"]
    room.drain()

    refused = answer(dan, "dan-check-in-0001", "Can I go first?")

    assert refused["ok"] is False and refused["error"]["code"] == "not_your_turn"
    assert "Kerry" in refused["error"]["message"]
    assert stored(app) == []
    assert sync(room.chair)["version"] == version
    for socket in (room.chair, kerry.socket, nan.socket, dan.socket):
        assert received(socket) == []


def test_answering_passes_the_piece_round_the_circle_until_everyone_has(app, room):
    kerry, nan = room.phone("Kerry"), room.phone("Nan")
    dan = room.phone("Dan", side="professional")
    stage_id = room.go_to("check_in")
    assert ack(room.chair, "round", {"talking_piece": True})["ok"]
    room.drain()

    turns = []
    for phone in (kerry, nan, dan):
        assert answer(phone, f"{phone.name.lower()}-check-in-01", f"{phone.name} is here")["ok"]
        (added,) = received(room.chair, "contribution_added")
        turns.append(added["stage"]["turn"])

    assert turns == [nan.id, dan.id, None]
    stage = stage_in(sync(kerry.socket), stage_id)
    assert (stage["talking_piece"], stage["turn"]) == (True, None)
    assert [row[:2] for row in said(app)] == [
        ("Kerry", "Kerry is here"),
        ("Nan", "Nan is here"),
        ("Dan", "Dan is here"),
    ]


def test_a_refused_answer_is_taken_when_the_piece_reaches_its_sender(app, room):
    kerry = room.phone("Kerry")
    dan = room.phone("Dan", side="professional")
    room.go_to("check_in")
    assert ack(room.chair, "round", {"talking_piece": True})["ok"]
    waiting = {"client_id": "dan-outbox-00001", "text": "My turn now"}
    assert ack(dan.socket, "contribute", waiting)["error"]["code"] == "not_your_turn"

    assert answer(kerry, "kerry-check-in-01", "Done")["ok"]
    sent = ack(dan.socket, "contribute", waiting)

    assert sent["ok"], sent
    assert [row[:2] for row in said(app)] == [("Kerry", "Done"), ("Dan", "My turn now")]


def test_the_chair_passes_the_piece_on_or_hands_it_to_someone(app, room):
    kerry, nan = room.phone("Kerry"), room.phone("Nan")
    dan = room.phone("Dan", side="professional")
    stage_id = room.go_to("check_in")
    assert ack(room.chair, "round", {"talking_piece": True})["ok"]
    room.drain()

    skipped = ack(room.chair, "pass_turn", {})
    (changed,) = received(dan.socket, "round_changed")
    assert skipped["ok"] and changed["stage"]["turn"] == nan.id and changed["version"] == skipped["version"]
    assert ack(room.chair, "pass_turn", {"participant_id": dan.id})["ok"]
    assert stage_in(sync(room.chair), stage_id)["turn"] == dan.id
    assert ack(room.chair, "pass_turn", {})["ok"]  # round the circle: back to the start
    assert stage_in(sync(room.chair), stage_id)["turn"] == kerry.id
    assert answer(kerry, "kerry-check-in-01", "At last")["ok"]
    assert stage_in(sync(room.chair), stage_id)["turn"] == nan.id


def test_passing_when_only_the_holder_is_left_keeps_the_piece_with_them(app, room):
    kerry, nan = room.phone("Kerry"), room.phone("Nan")
    stage_id = room.go_to("check_in")
    assert ack(room.chair, "round", {"talking_piece": True})["ok"]
    assert answer(kerry, "kerry-check-in-01", "Here")["ok"]
    assert stage_in(sync(room.chair), stage_id)["turn"] == nan.id

    assert ack(room.chair, "pass_turn", {})["ok"]

    assert stage_in(sync(room.chair), stage_id)["turn"] == nan.id
    refused = ack(kerry.socket, "contribute", {"client_id": "kerry-check-in-02", "text": "Again"})
    assert refused["error"]["code"] == "not_your_turn"


def test_the_piece_cannot_go_to_someone_outside_the_circle(app, room, make_meeting):
    kerry = room.phone("Kerry")
    waiting = room.phone("Lee", admit=False)
    listed = room.listed("Grandad")
    elsewhere = make_meeting("FGC for the U. family")
    join(app.test_client(), elsewhere, name="Uma")
    with app.app_context():
        uma = db.session.scalar(select(Participant.id).where(Participant.name == "Uma"))
    stage_id = room.go_to("check_in")
    assert ack(room.chair, "round", {"talking_piece": True})["ok"]
    before = everything_stored(app, room.meeting.id)

    for someone in (waiting.id, listed, uma, 10**9, -1, str(kerry.id), True, [kerry.id], {"id": kerry.id}):
        refused = ack(room.chair, "pass_turn", {"participant_id": someone})
        assert refused["ok"] is False and refused["error"]["code"] == "invalid", someone
        assert "Uma" not in json.dumps(refused)

    assert everything_stored(app, room.meeting.id) == before
    assert stage_in(sync(room.chair), stage_id)["turn"] == kerry.id


def test_only_the_chair_passes_the_piece_and_only_when_it_is_on(app, room):
    kerry, nan = room.phone("Kerry"), room.phone("Nan")
    screen = room.screen()
    room.go_to("check_in")
    off = ack(room.chair, "pass_turn", {})
    assert off["ok"] is False and off["error"]["code"] == "invalid"
    assert ack(room.chair, "round", {"talking_piece": True})["ok"]
    before = everything_stored(app, room.meeting.id)

    for socket in (kerry.socket, nan.socket, screen):
        for command, payload in (
            ("pass_turn", {}),
            ("pass_turn", {"participant_id": nan.id}),
            ("round", {"talking_piece": False}),
        ):
            refused = ack(socket, command, payload)
            assert refused["ok"] is False and refused["error"]["code"] == "forbidden", (command, refused)

    assert everything_stored(app, room.meeting.id) == before


def test_the_talking_piece_is_for_rounds_not_information_sharing(app, room):
    room.phone("Kerry")
    room.go_to("information_sharing")
    before = everything_stored(app, room.meeting.id)
    refused = ack(room.chair, "round", {"talking_piece": True})
    assert refused["ok"] is False and refused["error"]["code"] == "invalid"
    assert everything_stored(app, room.meeting.id) == before


@pytest.mark.parametrize(
    ("at", "payload"),
    [
        ("check_in", {"display": "unnamed", "talking_piece": "yes"}),
        ("check_in", {"display": "names_only", "talking_piece": 1}),
        ("check_in", {"display": "nobody", "talking_piece": True}),
        ("check_in", {"display": "unnamed", "talking_piece": True, "turn": 1}),
        ("information_sharing", {"display": "unnamed", "talking_piece": True}),
    ],
)
def test_a_round_change_that_is_partly_wrong_changes_nothing(app, room, at, payload):
    kerry = room.phone("Kerry")
    room.go_to(at)
    before = everything_stored(app, room.meeting.id)

    refused = ack(room.chair, "round", payload)

    assert refused["ok"] is False and refused["error"]["code"] == "invalid", refused
    assert everything_stored(app, room.meeting.id) == before
    assert received(kerry.socket) == [] and received(room.chair) == []


def test_turning_the_piece_off_lets_anyone_answer(app, room):
    kerry = room.phone("Kerry")
    dan = room.phone("Dan", side="professional")
    stage_id = room.go_to("check_in")
    assert ack(room.chair, "round", {"talking_piece": True})["ok"]
    assert ack(room.chair, "round", {"talking_piece": False})["ok"]
    stage = stage_in(sync(kerry.socket), stage_id)
    assert (stage["talking_piece"], stage["turn"]) == (False, None)
    assert answer(dan, "dan-check-in-0001", "Me first")["ok"]


# The chair records answers for people without a phone


def test_the_chair_records_an_answer_for_someone_listed_without_a_phone(app, room, chair):
    grandad = room.listed("Grandad")
    kerry = room.phone("Kerry")
    screen = room.screen()
    stage_id = room.go_to("check_in")
    payload = {
        "participant_id": grandad,
        "client_id": "chair-for-grandad",
        "text": "Happy to be here for them",
        "feeling": "happy",
    }

    recorded = ack(room.chair, "record", payload)

    assert recorded["ok"], recorded
    for socket in (room.chair, screen, kerry.socket):
        events = socket.get_received()
        (added,) = [e["args"][0] for e in events if e["name"] == "contribution_added"]
        item = added["contribution"]
        assert (item["participant_id"], item["name"], item["text"], item["feeling"], item["recorded"]) == (
            grandad,
            "Grandad",
            "Happy to be here for them",
            "happy",
            True,
        )
        assert item["id"] == recorded["contribution_id"] and item["stage_id"] == stage_id
        (people,) = [e["args"][0] for e in events if e["name"] == "people_changed"]
        assert {p["name"]: p["admission"] for p in people["people"]}["Grandad"] == "admitted"
    with app.app_context():
        (item,) = db.session.scalars(select(Contribution)).all()
        assert (item.participant_id, item.recorded_by_id) == (grandad, chair.id)
        assert db.session.get(Participant, grandad).admission is Admission.ADMITTED

    again = ack(room.chair, "record", payload)
    assert again == recorded
    assert received(kerry.socket) == []
    assert len(stored(app)) == 1


def test_recording_for_someone_already_in_keeps_the_people_list_quiet(app, room):
    kerry = room.phone("Kerry")
    room.go_to("check_in")
    recorded = ack(
        room.chair, "record", {"participant_id": kerry.id, "client_id": "chair-for-kerry1", "text": "Okay"}
    )
    assert recorded["ok"]
    events = kerry.socket.get_received()
    assert [e["name"] for e in events] == ["contribution_added"]
    assert events[0]["args"][0]["contribution"]["recorded"] is True


def test_recording_for_the_holder_counts_as_their_turn(app, room):
    kerry, nan = room.phone("Kerry"), room.phone("Nan")
    grandad = room.listed("Grandad")
    stage_id = room.go_to("check_in")
    assert ack(room.chair, "round", {"talking_piece": True})["ok"]

    for_kerry = ack(
        room.chair, "record", {"participant_id": kerry.id, "client_id": "chair-for-kerry1", "text": "Pass"}
    )
    assert for_kerry["ok"]
    assert stage_in(sync(room.chair), stage_id)["turn"] == nan.id
    assert answer(kerry, "kerry-check-in-01", "Actually...")["error"]["code"] == "not_your_turn"

    for_grandad = ack(
        room.chair, "record", {"participant_id": grandad, "client_id": "chair-for-grandad", "text": "Hello"}
    )
    assert for_grandad["ok"]  # the chair may record anyone's answer; the piece stays where it is
    assert stage_in(sync(room.chair), stage_id)["turn"] == nan.id
    assert answer(nan, "nan-check-in-0001", "Me now")["ok"]
    assert stage_in(sync(room.chair), stage_id)["turn"] is None


def test_a_phone_or_the_screen_cannot_record_for_anyone(app, room):
    grandad = room.listed("Grandad")
    kerry = room.phone("Kerry")
    screen = room.screen()
    room.go_to("check_in")
    before = everything_stored(app, room.meeting.id)

    for socket in (kerry.socket, screen):
        for person in (grandad, kerry.id):
            refused = ack(
                socket, "record", {"participant_id": person, "client_id": "not-a-chair-0001", "text": "Fake"}
            )
            assert refused["ok"] is False and refused["error"]["code"] == "forbidden"

    assert everything_stored(app, room.meeting.id) == before
    assert received(room.chair) == []


def test_the_chair_answers_only_through_record(app, room):
    room.go_to("check_in")
    refused = ack(room.chair, "contribute", {"client_id": "chair-speaks-001", "text": "Me too"})
    assert refused["ok"] is False and refused["error"]["code"] == "forbidden"
    assert stored(app) == []


def test_the_chair_cannot_record_for_someone_waiting_turned_away_or_elsewhere(app, room, make_meeting):
    waiting = room.phone("Lee", admit=False)
    turned_away = room.phone("Rob", admit=False)
    assert ack(room.chair, "decline", {"participant_id": turned_away.id})["ok"]
    elsewhere = make_meeting("FGC for the U. family")
    join(app.test_client(), elsewhere, name="Uma")
    with app.app_context():
        uma = db.session.scalar(select(Participant.id).where(Participant.name == "Uma"))
    room.go_to("check_in")
    before = {m: everything_stored(app, m) for m in (room.meeting.id, elsewhere.id)}

    for person in (waiting.id, turned_away.id, uma, 10**9, -1, None, str(waiting.id), True, [waiting.id]):
        refused = ack(
            room.chair, "record", {"participant_id": person, "client_id": "chair-for-nobody", "text": "Hello"}
        )
        assert refused["ok"] is False and refused["error"]["code"] == "invalid", (person, refused)
        assert "Uma" not in json.dumps(refused)

    assert {m: everything_stored(app, m) for m in (room.meeting.id, elsewhere.id)} == before


# Information sharing and offers


def test_information_sharing_sorts_what_is_said_into_columns(app, room):
    kerry = room.phone("Kerry")
    dan = room.phone("Dan", side="professional")
    screen = room.screen()
    room.go_to("information_sharing")

    assert answer(kerry, "kerry-worry-0001", "Dad's drinking", kind="worry")["ok"]
    assert answer(kerry, "kerry-well-00001", "The kids love school", kind="working_well")["ok"]
    assert answer(dan, "dan-bottom-00001", "No contact with Steve", kind="bottom_line")["ok"]
    assert answer(dan, "dan-worry-000001", "Missed appointments", kind="worry")["ok"]

    assert said(app) == [
        ("Kerry", "Dad's drinking", "worry", None),
        ("Kerry", "The kids love school", "working_well", None),
        ("Dan", "No contact with Steve", "bottom_line", None),
        ("Dan", "Missed appointments", "worry", None),
    ]
    assert [a["contribution"]["kind"] for a in received(screen, "contribution_added")] == [
        "worry",
        "working_well",
        "bottom_line",
        "worry",
    ]


@pytest.mark.parametrize("kind", [None, "answer", "offer", "reason", "WORRY", "", 1, ["worry"]])
def test_information_sharing_needs_a_column(app, room, kind):
    kerry = room.phone("Kerry")
    room.go_to("information_sharing")
    payload = {"client_id": "kerry-column-001", "text": "Something"}
    if kind is not None:
        payload["kind"] = kind
    refused = ack(kerry.socket, "contribute", payload)
    assert refused["ok"] is False and refused["error"]["code"] == "invalid"
    assert stored(app) == []


def test_bottom_lines_come_from_professionals_only(app, room):
    kerry = room.phone("Kerry")
    room.go_to("information_sharing")

    from_family = answer(kerry, "kerry-bottom-001", "Steve must stay away", kind="bottom_line")
    recorded = ack(
        room.chair,
        "record",
        {"participant_id": kerry.id, "client_id": "chair-bottom-001", "text": "Steve", "kind": "bottom_line"},
    )

    assert from_family["ok"] is False and from_family["error"]["code"] == "invalid"
    assert recorded["ok"] is False and recorded["error"]["code"] == "invalid"
    assert stored(app) == []
    assert received(room.chair, "contribution_added") == []


@pytest.mark.parametrize("kind", ["worry", "offer", "answer"])
def test_a_kind_is_only_chosen_in_information_sharing(app, room, kind):
    kerry = room.phone("Kerry")
    room.go_to("check_in")
    refused = answer(kerry, "kerry-kinded-001", "Hi", kind=kind)
    assert refused["ok"] is False and refused["error"]["code"] == "invalid"
    assert stored(app) == []


def test_what_is_said_in_the_offers_round_are_offers(app, room):
    nan = room.phone("Nan")
    dan = room.phone("Dan", side="professional")
    room.go_to("offers")

    assert answer(nan, "nan-offer-000001", "I can take the children to school on Mondays")["ok"]
    assert answer(dan, "dan-offer-000001", "A parenting course in March")["ok"]
    explicit = answer(nan, "nan-offer-000002", "Also Fridays", kind="offer")

    assert explicit["ok"] is False and explicit["error"]["code"] == "invalid"
    assert said(app) == [
        ("Nan", "I can take the children to school on Mondays", "offer", None),
        ("Dan", "A parenting course in March", "offer", None),
    ]
    assert [a["contribution"]["kind"] for a in received(dan.socket, "contribution_added")] == [
        "offer",
        "offer",
    ]


@pytest.mark.parametrize("kind", ["private_time", "plan", "agreement"])
def test_stages_without_a_round_take_no_answers(app, room, kind):
    kerry = room.phone("Kerry")
    room.go_to(kind)
    refused = answer(kerry, "kerry-nothing-01", "Hello?")
    assert refused["ok"] is False and refused["error"]["code"] == "invalid"
    assert stored(app) == []


def test_a_late_answer_is_kept_in_its_stage_but_not_in_one_not_reached(app, room):
    kerry = room.phone("Kerry")
    check_in_id = room.go_to("check_in")
    (offers_id,) = [s["id"] for s in sync(room.chair)["meeting"]["stages"] if s["kind"] == "offers"]
    room.go_to("information_sharing")

    late = answer(kerry, "kerry-outbox-001", "Sent from the train", stage_id=check_in_id)
    early = answer(kerry, "kerry-future-001", "I can help", stage_id=offers_id)

    assert late["ok"] and early["ok"] is False and early["error"]["code"] == "invalid"
    with app.app_context():
        assert db.session.scalars(select(Contribution.stage_id)).all() == [check_in_id]


# Scaling: private scores, then the reveal


def score(phone, value, **extra):
    return ack(phone.socket, "score", {"value": value, **extra})


def score_fields(data, path=""):
    """Every place a score could hide in what a client received: keys about scores or values."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("value", "values", "scores", "score"):
                yield f"{path}.{key}", value
            yield from score_fields(value, f"{path}.{key}")
    elif isinstance(data, list):
        for number, value in enumerate(data):
            yield from score_fields(value, f"{path}[{number}]")


@pytest.mark.parametrize("format_key", ["signs_of_safety", "pathway_to_change"])
def test_nobody_sees_a_score_but_its_own_before_the_reveal(app, room):
    kerry, nan = room.phone("Kerry"), room.phone("Nan")
    dan = room.phone("Dan", side="professional")
    screen = room.screen()
    stage_id = room.go_to("scaling")

    first = score(kerry, 7)
    assert first["ok"] and first["value"] == 7
    assert score(nan, 9)["ok"]
    changed = score(kerry, 3)
    assert changed["ok"] and changed["value"] == 3
    assert ack(room.chair, "timer", {"action": "start"})["ok"]  # meeting_changed carries every stage too
    assert ack(room.chair, "round", {"display": "unnamed"})["ok"]

    seen = {}
    for who, socket in (("chair", room.chair), ("screen", screen), ("Kerry", kerry.socket)):
        seen[who] = [*socket.get_received(), sync(socket)]
    seen["Nan"] = [*nan.socket.get_received(), sync(nan.socket)]
    seen["Dan"] = [*dan.socket.get_received(), sync(dan.socket)]
    own = {"Kerry": {str(stage_id): 3}, "Nan": {str(stage_id): 9}, "Dan": {}}
    for who, data in seen.items():
        for path, value in score_fields(data):
            if path.endswith(".values"):
                assert value is None, (who, path)
            else:
                assert path.endswith("you.scores") and value == own[who], (who, path, value)
        scales = [
            stage["scale"]
            for stage in json_items(data, "stage")
            if isinstance(stage, dict) and stage.get("id") == stage_id
        ]
        assert scales and all(s["revealed"] is False and s["values"] is None for s in scales), who
        assert scales[-1]["scored"] == sorted([kerry.id, nan.id])
    with app.app_context():
        assert sorted(db.session.scalars(select(Score.value))) == [3, 9]


def json_items(data, key):
    """Every value under `key`, and every stage listed in a meeting, anywhere in `data`."""
    if isinstance(data, dict):
        for name, value in data.items():
            if name == key:
                yield value
            if name == "stages" and isinstance(value, list):
                yield from value
            yield from json_items(value, key)
    elif isinstance(data, list):
        for value in data:
            yield from json_items(value, key)


@on_a_safety_scale
def test_each_new_score_tells_everyone_who_has_scored_never_the_number(app, room):
    kerry = room.phone("Kerry")
    dan = room.phone("Dan", side="professional")
    screen = room.screen()
    stage_id = room.go_to("scaling")

    first = score(dan, 4)
    (told,) = received(screen, "round_changed")
    assert told["version"] == first["version"]
    assert told["stage"]["id"] == stage_id and told["stage"]["scale"] == {
        "scored": [dan.id],
        "revealed": False,
        "values": None,
    }
    assert [e["name"] for e in kerry.socket.get_received()] == ["round_changed"]
    version = sync(room.chair)["version"]
    room.drain()

    again = score(dan, 4)  # the same number again: nothing changes
    assert again["ok"] and again["version"] == version
    assert received(screen) == [] and received(room.chair) == []


@on_a_safety_scale
def test_the_reveal_shows_the_spread_and_fixes_the_scores(app, room):
    kerry, nan = room.phone("Kerry"), room.phone("Nan")
    dan = room.phone("Dan", side="professional")
    screen = room.screen()
    stage_id = room.go_to("scaling")
    for phone, value in ((kerry, 8), (nan, 2), (dan, 5)):
        assert score(phone, value)["ok"]
    too_soon = answer(kerry, "kerry-why-000001", "Because school is going well")
    assert too_soon["ok"] is False and too_soon["error"]["code"] == "invalid"
    assert stage_in(sync(kerry.socket), stage_id)["takes_answers"] is False
    assert ack(kerry.socket, "reveal")["error"]["code"] == "forbidden"
    assert ack(screen, "reveal")["error"]["code"] == "forbidden"
    room.drain()

    revealed = ack(room.chair, "reveal")

    assert revealed["ok"], revealed
    for socket in (room.chair, screen, kerry.socket, nan.socket, dan.socket):
        (shown,) = received(socket, "round_changed")
        assert shown["version"] == revealed["version"]
        assert shown["stage"]["scale"] == {
            "scored": sorted([kerry.id, nan.id, dan.id]),
            "revealed": True,
            "values": [2, 5, 8],
        }
        stage = stage_in(sync(socket), stage_id)
        assert stage["scale"]["values"] == [2, 5, 8] and stage["takes_answers"] is True
    assert sync(kerry.socket)["you"]["scores"] == {str(stage_id): 8}

    changed = score(kerry, 10)
    assert changed["ok"] is False and changed["error"]["code"] == "invalid"
    with app.app_context():
        assert sorted(db.session.scalars(select(Score.value))) == [2, 5, 8]
    late = score(room.phone("Grandad"), 6)
    assert late["ok"] is False and late["error"]["code"] == "invalid"

    why = answer(kerry, "kerry-why-000001", "Because school is going well")
    assert why["ok"], why
    assert said(app) == [("Kerry", "Because school is going well", "reason", None)]
    assert ack(room.chair, "reveal")["ok"]  # revealing again changes nothing
    assert stage_in(sync(room.chair), stage_id)["scale"]["values"] == [2, 5, 8]


@on_a_safety_scale
@pytest.mark.parametrize("value", [-1, 11, 3.5, 7.0, "5", True, False, None, [5], {"value": 5}, 10**20])
def test_a_score_is_a_whole_number_from_0_to_10(app, room, value):
    kerry = room.phone("Kerry")
    room.go_to("scaling")
    before = everything_stored(app, room.meeting.id)

    refused = score(kerry, value)

    assert refused["ok"] is False and refused["error"]["code"] == "invalid", refused
    assert everything_stored(app, room.meeting.id) == before
    assert received(room.chair) == []


@on_a_safety_scale
def test_zero_and_ten_are_both_on_the_scale(app, room):
    kerry, nan = room.phone("Kerry"), room.phone("Nan")
    room.go_to("scaling")
    assert score(kerry, 0)["value"] == 0 and score(nan, 10)["value"] == 10
    assert ack(room.chair, "reveal")["ok"]
    assert [s["scale"]["values"] for s in sync(nan.socket)["meeting"]["stages"] if s["scale"]] == [[0, 10]]


@on_a_safety_scale
def test_only_people_let_in_score_and_only_in_a_scaling_stage(app, room):
    kerry = room.phone("Kerry")
    waiting = room.phone("Lee", admit=False)
    screen = room.screen()
    room.go_to("check_in")
    wrong_stage = score(kerry, 5)
    assert wrong_stage["ok"] is False and wrong_stage["error"]["code"] == "invalid"
    assert ack(room.chair, "reveal")["error"]["code"] == "invalid"
    room.go_to("scaling")

    for socket in (room.chair, screen, waiting.socket):
        refused = ack(socket, "score", {"value": 5})
        assert refused["ok"] is False and refused["error"]["code"] == "forbidden"

    assert stored(app, Score) == []


@pytest.mark.parametrize("format_key", ["pathway_to_change"])
def test_revealing_one_scale_keeps_the_other_hidden(app, room):
    kerry = room.phone("Kerry")
    screen = room.screen()
    first = room.go_to("scaling", 0)
    second_position = stage_in(sync(room.chair), first)["position"] + 1
    second = sync(room.chair)["meeting"]["stages"][second_position]["id"]
    not_yet = score(kerry, 4, stage_id=second)
    assert not_yet["ok"] is False and not_yet["error"]["code"] == "invalid"
    assert score(kerry, 6)["ok"]
    room.go_to("scaling", 1)
    assert score(kerry, 1)["ok"]
    assert score(kerry, 2, stage_id=first)["ok"]  # sent late, for the earlier scale

    assert ack(room.chair, "reveal")["ok"]

    snapshot = sync(screen)
    assert stage_in(snapshot, second)["scale"]["values"] == [1]
    assert stage_in(snapshot, first)["scale"] == {"scored": [kerry.id], "revealed": False, "values": None}
    assert sync(kerry.socket)["you"]["scores"] == {str(first): 2, str(second): 1}


# Malformed and hostile payloads


ROUND_COMMANDS = ["contribute", "record", "round", "pass_turn", "score", "reveal"]
HOSTILE = [
    None,
    "",
    "x" * 70_000,
    12,
    True,
    [],
    ["client_id", "text"],
    {"__proto__": {"admin": True}},
    {"room": "meeting:OTHER:family"},
    {"client_id": "x", "text": "hi"},
    {"client_id": "a" * 65, "text": "hi"},
    {"client_id": "has spaces in it", "text": "hi"},
    {"client_id": "<script>x</script>", "text": "hi"},
    {"client_id": "valid-client-id-01", "text": ""},
    {"client_id": "valid-client-id-02", "text": "   "},
    {"client_id": "valid-client-id-03", "text": "y" * 1001},
    {"client_id": "valid-client-id-04", "text": {"$gt": ""}},
    {"client_id": "valid-client-id-05", "text": ["hi"]},
    {"client_id": "valid-client-id-06", "text": 42},
    {"client_id": ["valid-client-id-07"], "text": "hi"},
    {"client_id": 123456789, "text": "hi"},
    {"client_id": "valid-client-id-08", "text": "hi", "stage_id": "OTHER_STAGE"},
    {"client_id": "valid-client-id-09", "text": "hi", "stage_id": -1},
    {"client_id": "valid-client-id-10", "text": "hi", "stage_id": "1"},
    {"client_id": "valid-client-id-11", "text": "hi", "stage_id": [1]},
    {"client_id": "valid-client-id-12", "text": "hi", "stage_id": True},
    {"client_id": "valid-client-id-13", "text": "hi", "feeling": "furious"},
    {"client_id": "valid-client-id-14", "text": "hi", "kind": "bottom_line"},
    {"client_id": "valid-client-id-15", "text": "hi", "participant_id": "OTHER"},
    {"client_id": "valid-client-id-16", "text": "hi", "who": "Kerry"},
    {"participant_id": "OTHER"},
    {"participant_id": -1},
    {"participant_id": [1]},
    {"participant_id": {"id": 1}},
    {"participant_id": "1"},
    {"participant_id": 10**20},
    {"participant_id": -(2**63) - 1},
    {"client_id": "valid-client-id-17", "text": "hi", "participant_id": 10**20},
    {"client_id": "valid-client-id-18", "text": "hi", "stage_id": 10**20},
    {"display": "everyone"},
    {"display": ["named"]},
    {"display": "unnamed", "talking_piece": "yes"},
    {"talking_piece": 1},
    {"talking_piece": None},
    {"value": -1},
    {"value": 11},
    {"value": "5"},
    {"value": 5.5},
    {"value": [5]},
    {"value": 5, "stage_id": "OTHER_STAGE"},
    {"value": 5, "stage_id": -1},
    {"value": 5, "extra": 1},
    {"stage_id": "OTHER_STAGE"},
]


def test_fuzz_every_round_command_with_hostile_payloads(app, room, make_meeting):
    """Nothing malformed is stored, nothing of another meeting leaks, no connection drops."""
    other = make_meeting("Meeting for the U. family", format_key="signs_of_safety")
    join(app.test_client(), other, name="Uma")
    with app.test_request_context():
        meeting = db.session.get(Meeting, other.id)
        uma = joining.admit(
            meeting, db.session.scalar(select(Participant.id).where(Participant.name == "Uma"))
        )
        running.start(meeting)
        running.go_to(meeting, 1)
        contributions.add(meeting, uma, "uma-secret-00001", "Umbrella secret")
        plan.add_outcome(meeting, "uma-outcome-0001", "Umbrella outcome", "Uma")
        other_ids = {"OTHER": uma.id, "OTHER_STAGE": meeting.stages[1].id}
    kerry = room.phone("Kerry")
    dan = room.phone("Dan", side="professional")
    screen = room.screen()
    room.go_to("check_in")
    meetings = (room.meeting.id, other.id)
    before = {m: everything_stored(app, m) for m in meetings}

    for socket in (room.chair, kerry.socket, dan.socket, screen):
        for command in ROUND_COMMANDS:
            for payload in HOSTILE:
                payload = with_ids(payload, other_ids)
                response = socket.emit(command, payload, callback=True)
                assert isinstance(response, dict), (command, payload)
                assert response["ok"] is False, (command, payload, response)
                assert response["error"]["code"] in ("invalid", "forbidden"), (command, payload, response)
                assert response["error"]["message"]
                assert not LEAKS.search(json.dumps(response)), (command, payload, response)
        assert socket.is_connected()

    assert {m: everything_stored(app, m) for m in meetings} == before
    for socket in room.sockets:
        assert received(socket) == []
    assert answer(kerry, "still-working-01", "Still here")["ok"]


LEAKS = re.compile("Uma|Umbrella|U\\. family")


def with_ids(payload, ids):
    """The payload, with the placeholders replaced by the other meeting's real ids."""
    if not isinstance(payload, dict):
        return payload
    return {key: ids.get(value, value) if isinstance(value, str) else value for key, value in payload.items()}


def test_an_id_used_in_another_meeting_is_a_new_answer_here(app, room, make_meeting):
    other = make_meeting("Meeting for the U. family", format_key="check_in_circle")
    join(app.test_client(), other, name="Uma")
    with app.test_request_context():
        meeting = db.session.get(Meeting, other.id)
        uma = joining.admit(
            meeting, db.session.scalar(select(Participant.id).where(Participant.name == "Uma"))
        )
        running.start(meeting)
        running.go_to(meeting, 1)
        theirs = contributions.add(meeting, uma, "the-same-id-0001", "Umbrella secret")[0].id
    kerry = room.phone("Kerry")
    room.go_to("check_in")

    mine = answer(kerry, "the-same-id-0001", "Mine")

    assert mine["ok"] and mine["contribution_id"] != theirs
    assert [(c["name"], c["text"]) for c in sync(kerry.socket)["contributions"]] == [("Kerry", "Mine")]
    with app.app_context():
        assert db.session.get(Contribution, theirs).text == "Umbrella secret"
