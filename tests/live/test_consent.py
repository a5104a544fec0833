"""Words passed on only with consent, over real sockets: a party's own space in a shuttle
mediation, and the child's three houses. What must not happen is tested beside what must."""

from __future__ import annotations

import json

import pytest

from facilitator.extensions import db
from facilitator.models import Meeting, Participant, StageKind
from facilitator.services import agenda
from tests.live.conftest import ack, heard, received, sync

SECRET = "I still cannot forgive what he said at Christmas"


def flag(app, person_id, **flags):
    with app.app_context():
        person = db.session.get(Participant, person_id)
        for name, value in flags.items():
            setattr(person, name, value)
        db.session.commit()


def everything_sent(*sockets) -> list[str]:
    return [json.dumps(packet) for socket in sockets for packet in heard(socket)]


@pytest.fixture
def format_key():
    return "shuttle_mediation"


@pytest.fixture
def parties(room):
    """Two parties on their phones, apart, in the first own-space stage."""
    mum, dad = room.phone("Mum"), room.phone("Dad")
    room.go_to("own_space")
    return mum, dad


def kept(socket, text, kind="feeling", client_id=None):
    response = ack(socket, "keep", {"client_id": client_id or f"item-{abs(hash(text))}", "kind": kind, "text": text})
    assert response["ok"], response
    return response["item_id"]


def test_a_party_starts_apart_and_cannot_speak_to_the_room(room, parties):
    mum, _dad = parties
    snapshot = sync(mum.socket)
    assert snapshot["meeting"]["apart"] is True
    assert snapshot["can"]["keep_space"] and not snapshot["can"]["contribute"] and not snapshot["can"]["edit_plan"]
    refused = ack(mum.socket, "add_outcome", {"client_id": "outcome-0001", "text": "We talk weekly"})
    assert refused["ok"] is False and refused["error"]["code"] == "forbidden"


def test_an_unshared_item_reaches_its_author_and_the_mediator_only(room, parties):
    mum, dad = parties
    screen = room.screen()
    room.drain()
    item_id = kept(mum.socket, SECRET)
    assert [e["item"]["text"] for e in received(mum.socket, "item_saved")] == [SECRET]
    assert [e["item"]["text"] for e in received(room.chair, "item_saved")] == [SECRET]
    assert not any(SECRET in packet for packet in everything_sent(dad.socket, screen))
    assert all(i["id"] != item_id for i in sync(dad.socket)["items"])
    assert not any(SECRET in json.dumps(sync(socket)) for socket in (dad.socket, screen))
    # Nobody else can pass it on, take it back or give it other words.
    for command, payload in (
        ("pass_on", {"item_id": item_id, "to": mum.id, "wording": "mine", "revision": 1}),
        ("take_back", {"item_id": item_id}),
        ("suggest", {"item_id": item_id, "words": "Let it go"}),
    ):
        assert ack(dad.socket, command, payload)["ok"] is False
    assert not any(SECRET in packet for packet in everything_sent(dad.socket, screen))


def test_passed_on_in_the_authors_words_it_reaches_the_chosen_party_with_who_it_is_from(room, parties):
    mum, dad = parties
    gran = room.phone("Gran")
    item_id = kept(mum.socket, "I want the children to see their dad every week", kind="proposal")
    room.drain()
    assert ack(mum.socket, "pass_on", {"item_id": item_id, "to": dad.id, "wording": "mine", "revision": 1})["ok"]
    (event,) = received(dad.socket, "item_saved")
    assert event["item"]["text"] == "I want the children to see their dad every week"
    assert event["item"]["author"]["name"] == "Mum"
    assert "suggestion" not in event["item"] and "shared_text" not in event["item"]
    assert not received(gran.socket, "item_saved")
    assert [i["id"] for i in sync(dad.socket)["items"]] == [item_id]
    assert sync(gran.socket)["items"] == []
    # Once passed on, it cannot be taken back from under the reader.
    assert ack(mum.socket, "take_back", {"item_id": item_id})["ok"] is False


def test_a_rephrasing_reaches_the_other_party_only_once_approved_and_in_exactly_those_words(room, parties):
    mum, dad = parties
    item_id = kept(mum.socket, "He never turns up, he is useless", kind="worry")
    heard(mum.socket)
    assert ack(room.chair, "suggest", {"item_id": item_id, "words": "I worry when visits do not happen"})["ok"]
    (suggested,) = received(mum.socket, "item_saved")
    assert suggested["item"]["suggestion"] == "I worry when visits do not happen"
    assert not any("visits" in packet or "useless" in packet for packet in everything_sent(dad.socket))
    # The mediator changes the words again: approving the older suggestion is refused.
    assert ack(room.chair, "suggest", {"item_id": item_id, "words": "I worry when visits are missed"})["ok"]
    stale = ack(mum.socket, "pass_on", {"item_id": item_id, "to": dad.id, "wording": "suggested", "revision": 2})
    assert stale["ok"] is False
    assert not any("visits" in packet for packet in everything_sent(dad.socket))
    assert ack(mum.socket, "pass_on", {"item_id": item_id, "to": dad.id, "wording": "suggested", "revision": 3})["ok"]
    (event,) = received(dad.socket, "item_saved")
    assert event["item"]["text"] == "I worry when visits are missed"
    assert "useless" not in json.dumps(sync(dad.socket))


def test_the_author_may_keep_their_own_words(room, parties):
    mum, dad = parties
    item_id = kept(mum.socket, "I felt left out", kind="feeling")
    assert ack(room.chair, "suggest", {"item_id": item_id, "words": "I felt hurt"})["ok"]
    assert ack(mum.socket, "keep_my_words", {"item_id": item_id})["ok"]
    assert ack(mum.socket, "pass_on", {"item_id": item_id, "to": "all", "wording": "suggested", "revision": 3})["ok"] is False
    assert ack(mum.socket, "pass_on", {"item_id": item_id, "to": "all", "wording": "mine", "revision": 3})["ok"]
    assert [i["text"] for i in sync(dad.socket)["items"]] == ["I felt left out"]


def test_a_term_is_agreed_when_every_party_accepts_its_current_wording(room, parties):
    mum, dad = parties
    term_id = ack(room.chair, "propose_term", {"client_id": "term-00001", "text": "Dad sees the children on Saturdays"})["term_id"]
    assert ack(mum.socket, "answer_term", {"term_id": term_id, "revision": 1, "accepted": True})["ok"]
    asked = ack(dad.socket, "answer_term", {"term_id": term_id, "revision": 1, "accepted": False, "change": "Sundays work better"})
    assert asked["ok"]
    room.drain()
    mum_terms = sync(mum.socket)["terms"]
    assert mum_terms[0]["agreed"] is False
    assert "Sundays" not in json.dumps(mum_terms)  # the change asked for is for the mediator
    assert "Sundays" in json.dumps(sync(room.chair)["terms"])
    assert ack(room.chair, "reword_term", {"term_id": term_id, "revision": 1, "text": "Dad sees the children on Sundays"})["ok"]
    for phone in (mum, dad):
        assert ack(phone.socket, "answer_term", {"term_id": term_id, "revision": 2, "accepted": True})["ok"]
    assert sync(mum.socket)["terms"][0]["agreed"] is True


def test_sessions_keep_everything_and_refuse_writing_between_them(room, parties):
    mum, _dad = parties
    kept(mum.socket, "First session thought", kind="thought")
    assert ack(room.chair, "end_session", {"next_on": "2026-12-08"})["ok"]
    state = sync(mum.socket)["meeting"]["session"]
    assert state == {"number": 1, "ended": True, "next_on": "2026-12-08"}
    refused = ack(mum.socket, "keep", {"client_id": "between-0001", "kind": "thought", "text": "Late"})
    assert refused["ok"] is False
    assert ack(room.chair, "start_session")["ok"]
    snapshot = sync(mum.socket)
    assert snapshot["meeting"]["session"]["number"] == 2
    assert [i["text"] for i in snapshot["items"]] == ["First session thought"]
    kept(mum.socket, "Second session thought", kind="thought")
    assert [i["session"] for i in sync(mum.socket)["items"]] == [1, 2]


def test_meeting_together_keeps_the_spaces_private_and_adds_the_together_stages(room, parties):
    mum, dad = parties
    kept(mum.socket, SECRET, kind="feeling")
    stages_before = len(sync(room.chair)["meeting"]["stages"])
    assert ack(room.chair, "meet_together")["ok"]
    assert received(mum.socket, "identity_changed") and received(dad.socket, "identity_changed")
    snapshot = sync(dad.socket)
    assert snapshot["meeting"]["apart"] is False and snapshot["can"]["contribute"]
    stages = snapshot["meeting"]["stages"]
    assert len(stages) > stages_before and stages[-1]["kind"] == "check_out"
    assert [s["position"] for s in stages] == list(range(len(stages)))
    assert SECRET not in json.dumps(snapshot)


# The child's voice, in a Family Group Conference.


@pytest.fixture
def houses(app, room):
    """An FGC with the child's voice on its agenda: the child, their advocate, a parent and a
    social worker on phones, and the room screen."""
    with app.test_request_context():
        meeting = db.session.get(Meeting, room.meeting.id)
        agenda.add_stage(meeting, StageKind.CHILDS_VOICE.value, agenda.StageText("Jay's three houses", "", 10))
    child, advocate = room.phone("Jay"), room.phone("Sam the advocate", side="professional")
    flag(app, child.id, is_child=True)
    flag(app, advocate.id, is_advocate=True)
    mum, worker = room.phone("Mum"), room.phone("Social worker", side="professional")
    return child, advocate, mum, worker, room.screen()


@pytest.mark.parametrize("format_key", ["family_group_conference"])
def test_a_childs_unshared_item_reaches_the_child_and_their_advocate_only(room, houses):
    child, advocate, mum, worker, screen = houses
    room.drain()
    item_id = kept(child.socket, "I am scared when they shout", kind="house_of_worries")
    assert received(child.socket, "item_saved") and received(advocate.socket, "item_saved")
    for socket in (mum.socket, worker.socket, screen, room.chair):
        assert not any("scared" in packet for packet in everything_sent(socket))
        assert "scared" not in json.dumps(sync(socket))
    # The mediator or chair cannot share it, nor can a parent.
    for socket in (room.chair, mum.socket):
        assert ack(socket, "share", {"item_id": item_id, "sharing": "everyone"})["ok"] is False


@pytest.mark.parametrize("format_key", ["family_group_conference"])
def test_the_child_decides_who_hears_each_item_and_cannot_take_back_what_was_heard(room, houses):
    child, advocate, mum, worker, screen = houses
    item_id = kept(child.socket, "Football with Grandad", kind="house_of_good_things")
    room.drain()
    assert ack(child.socket, "share", {"item_id": item_id, "sharing": "family"})["ok"]
    assert [e["item"]["text"] for e in received(mum.socket, "item_saved")] == ["Football with Grandad"]
    assert all(e["item"]["own_words"] for e in received(child.socket, "item_saved"))
    for socket in (worker.socket, screen, room.chair):
        assert "Grandad" not in json.dumps(sync(socket)) and not received(socket, "item_saved")
    assert ack(child.socket, "share", {"item_id": item_id, "sharing": "nobody"})["ok"] is False
    assert ack(advocate.socket, "share", {"item_id": item_id, "sharing": "everyone"})["ok"]
    for socket in (worker.socket, screen, room.chair):
        assert [e["item"]["text"] for e in received(socket, "item_saved")] == ["Football with Grandad"]


HOSTILE = [None, "", "x" * 5000, -1, 0, 2**63, 1.5, True, [], {}, {"$gt": 1}, "<script>", "../../etc"]


def test_malformed_commands_get_a_clear_error_and_change_nothing(app, room, parties):
    mum, dad = parties
    item_id = kept(mum.socket, "Kept safe", kind="thought")
    commands = {
        "keep": ("client_id", "kind", "text", "child_id"),
        "take_back": ("item_id",),
        "share": ("item_id", "sharing"),
        "pass_on": ("item_id", "to", "wording", "revision"),
        "keep_my_words": ("item_id",),
        "suggest": ("item_id", "words"),
        "propose_term": ("client_id", "text", "from_item_id"),
        "reword_term": ("term_id", "revision", "text"),
        "remove_term": ("term_id",),
        "answer_term": ("term_id", "revision", "accepted", "change"),
    }
    before = sync(room.chair)["items"], sync(room.chair)["terms"], sync(room.chair)["meeting"]["session"]
    for command, fields in commands.items():
        for socket in (dad.socket, room.chair):
            for value in HOSTILE:
                response = ack(socket, command, {field: value for field in fields})
                assert response["ok"] is False, (command, value, response)
                assert response["error"]["message"], (command, value)
            assert ack(socket, command, "not an object")["ok"] is False
            assert ack(socket, command, {"unknown": 1})["ok"] is False
    for value in ("next week", "2026-13-01", 20261208, ["2026-12-08"], {"day": 8}):
        response = ack(room.chair, "end_session", {"next_on": value})
        assert response["ok"] is False and response["error"]["message"]
    assert (sync(room.chair)["items"], sync(room.chair)["terms"], sync(room.chair)["meeting"]["session"]) == before
    assert [i["id"] for i in sync(mum.socket)["items"]] == [item_id]


def test_an_item_of_another_meeting_cannot_be_reached_by_its_id(room, parties, make_meeting, live, auth):
    mum, dad = parties
    item_id = kept(mum.socket, SECRET, kind="worry")
    other = make_meeting("Another family", format_key="shuttle_mediation")
    other_chair = live(auth={"meeting": other.id})
    for command, payload in (
        ("suggest", {"item_id": item_id, "words": "Softer"}),
        ("propose_term", {"client_id": "forged-0001", "text": "x", "from_item_id": item_id}),
    ):
        response = ack(other_chair, command, payload)
        assert response["ok"] is False and SECRET not in json.dumps(response)
    assert not any(SECRET in json.dumps(packet) for packet in heard(other_chair))


@pytest.mark.parametrize("format_key", ["family_group_conference"])
def test_a_family_share_reaches_the_screen_only_while_it_is_the_familys_and_never_the_chair(room, houses):
    child, advocate, mum, worker, screen = houses
    item_id = kept(child.socket, "A dog of my own", kind="house_of_dreams")
    assert ack(child.socket, "share", {"item_id": item_id, "sharing": "family"})["ok"]
    room.go_to("private_time")
    assert ack(room.chair, "start_private_time", {"stay": [advocate.id]})["ok"]
    (started,) = received(screen, "private_time_changed")
    assert [i["text"] for i in started["snapshot"]["items"]] == ["A dog of my own"]
    assert [i["text"] for i in sync(screen)["items"]] == ["A dog of my own"]
    for socket in (room.chair, worker.socket):
        assert "dog" not in json.dumps(heard(socket)) and "dog" not in json.dumps(sync(socket))
    assert ack(mum.socket, "end_private_time")["ok"]
    (ended,) = received(screen, "private_time_changed")
    assert ended["snapshot"]["items"] == [] and sync(screen)["items"] == []
    assert "dog" not in json.dumps(heard(room.chair)) and "dog" not in json.dumps(sync(room.chair))


def test_everyone_else_hears_only_the_version_of_a_change_that_was_not_for_them(room, parties):
    """A page that skipped a version would ask for the whole meeting again: each private word
    written would make every other phone in the meeting `sync`."""
    mum, dad = parties
    screen = room.screen()
    room.drain()
    kept(mum.socket, SECRET, kind="feeling")
    version = sync(room.chair)["version"]
    for socket in (dad.socket, screen):
        assert [(e["name"], e["args"][0]) for e in heard(socket)] == [("tick", {"version": version})]
    assert [e["name"] for e in heard(mum.socket)] == ["item_saved"]


def test_catching_up_after_a_dropped_connection_passes_on_nothing_more(room, parties):
    mum, dad = parties
    since = sync(dad.socket)["version"]
    private = kept(mum.socket, SECRET, kind="feeling")
    passed = kept(mum.socket, "I want us to stop arguing", kind="proposal")
    assert ack(mum.socket, "pass_on", {"item_id": passed, "to": dad.id, "wording": "mine", "revision": 1})["ok"]
    heard(dad.socket)
    assert ack(dad.socket, "sync", {"since": since})["caught_up"] == since + 3
    replayed = heard(dad.socket)
    assert SECRET not in json.dumps(replayed)
    assert [e["name"] for e in replayed] == ["tick", "tick", "item_saved"]
    assert replayed[-1]["args"][0]["item"]["text"] == "I want us to stop arguing"
    assert private not in [i["id"] for i in sync(dad.socket)["items"]]


@pytest.mark.parametrize("format_key", ["family_group_conference"])
def test_a_professional_catching_up_during_private_time_gets_only_the_waiting_page(room, houses):
    child, advocate, mum, worker, screen = houses
    since = sync(worker.socket)["version"]
    room.go_to("private_time")
    assert ack(room.chair, "start_private_time", {"stay": [advocate.id]})["ok"]
    item_id = kept(child.socket, "A dog of my own", kind="house_of_dreams")
    assert ack(child.socket, "share", {"item_id": item_id, "sharing": "everyone"})["ok"]
    heard(worker.socket)
    response = ack(worker.socket, "sync", {"since": since})
    assert "caught_up" not in response and "stages" not in response["snapshot"]["meeting"]
    assert "dog" not in json.dumps(response) and "dog" not in json.dumps(heard(worker.socket))
