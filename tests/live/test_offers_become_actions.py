"""Offers populate the plan live: each "This is what I can do to help..." is an action in the
plan as it is made, in the same change, the offerer's, marked as offered until the family (or
a chair) accepts or changes it. Nobody presses anything to put it there."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import Meeting, MeetingEvent, Participant, PlanAction
from facilitator.services import joining
from tests.live.conftest import ack, everything_stored, heard, received, sync
from tests.web.test_joining import join

OFFER = "I can take the children to school on Mondays"


def events(socket, *names):
    """(name, payload) of what a socket was sent since last asked, of these names."""
    return [(e["name"], e["args"][0]) for e in heard(socket) if e["name"] in names]


def offer(phone, client_id, text=OFFER, **more):
    response = ack(phone.socket, "contribute", {"client_id": client_id, "text": text, **more})
    assert response["ok"], response
    return response


def stored_actions(app, meeting_id):
    with app.app_context():
        return [
            (a.offer_id, a.who_participant_id, a.what, a.status.value, a.proposed_by_id, a.revision)
            for a in db.session.scalars(
                select(PlanAction).where(PlanAction.meeting_id == meeting_id).order_by(PlanAction.id)
            )
        ]


def action_of(snapshot, offer_id):
    (found,) = [a for a in snapshot["plan"]["actions"] if a["offer_id"] == offer_id]
    return found


def refused_as(response, code):
    return response["ok"] is False and response["error"]["code"] == code and bool(response["error"]["message"])


@pytest.fixture
def people_in(room):
    """Kerry and Nan of the family, Dan the social worker, and the room screen, at the offers round."""
    kerry, nan = room.phone("Kerry"), room.phone("Nan")
    dan = room.phone("Dan", side="professional")
    screen = room.screen()
    room.go_to("offers")
    return kerry, nan, dan, screen


def test_an_offer_is_in_the_plan_as_it_is_made_offered_and_the_offerers(app, room, people_in):
    kerry, nan, dan, screen = people_in
    before = sync(room.chair)["version"]

    made = offer(nan, "nan-offer-000001")

    assert made["version"] == before + 1  # one command, one change
    expected = None
    for socket in (room.chair, screen, kerry.socket, nan.socket, dan.socket):
        sent = events(socket, "contribution_added", "action_saved", "tick")
        assert [(name, payload["version"]) for name, payload in sent] == [
            ("contribution_added", made["version"]),
            ("action_saved", made["version"]),
        ]
        (_, added), (_, saved) = sent
        assert added["contribution"]["id"] == made["contribution_id"]
        action = saved["action"]
        assert (action["offer_id"], action["who"], action["what"], action["status"], action["proposed_by"]) == (
            made["contribution_id"],
            {"participant_id": nan.id, "name": "Nan"},
            OFFER,
            "offered",
            {"id": nan.id, "name": "Nan"},
        )
        assert (action["outcome_id"], action["by_when"], action["how_we_know"], action["revision"]) == (None, "", "", 1)
        expected = expected or action
        assert action == expected  # the same item for every view
    # A page loading now finds it too, as it was sent.
    for socket in (room.chair, screen, dan.socket):
        assert action_of(sync(socket), made["contribution_id"]) == expected
    with app.app_context():
        logged = db.session.scalars(
            select(MeetingEvent.kind)
            .where(MeetingEvent.meeting_id == room.meeting.id, MeetingEvent.version == made["version"])
            .order_by(MeetingEvent.position)
        ).all()
    assert logged == ["contribution_added", "action_saved"]


def test_the_same_offer_sent_twice_is_one_offer_and_one_action(app, room, people_in):
    kerry, nan, dan, _ = people_in
    made = offer(dan, "dan-offer-000001", "A parenting course in March")
    room.drain()

    again = offer(dan, "dan-offer-000001", "A parenting course in March")
    room.go_to("plan")
    late = offer(dan, "dan-offer-000001", "A parenting course in March")  # from an outbox, after the move

    assert again == made
    assert (late["ok"], late["contribution_id"]) == (True, made["contribution_id"])
    assert stored_actions(app, room.meeting.id) == [
        (made["contribution_id"], dan.id, "A parenting course in March", "offered", dan.id, 1)
    ]
    for socket in room.sockets:
        assert received(socket) == []
    # Someone else sending the same id is not given Dan's offer, and makes nothing.
    stolen = ack(kerry.socket, "contribute", {"client_id": "dan-offer-000001", "text": "Mine now"})
    assert refused_as(stolen, "invalid")
    assert len(stored_actions(app, room.meeting.id)) == 1


def test_only_offers_become_actions(app, room, people_in):
    kerry, nan, dan, _ = people_in
    room.go_to("check_in")
    assert ack(kerry.socket, "contribute", {"client_id": "kerry-check-in1", "text": "Tired"})["ok"]
    room.go_to("information_sharing")
    assert ack(dan.socket, "contribute", {"client_id": "dan-worry-00001", "text": "Missed school", "kind": "worry"})["ok"]

    assert stored_actions(app, room.meeting.id) == []
    assert sync(kerry.socket)["plan"]["actions"] == []


def test_the_offerer_may_change_their_words_and_it_stays_theirs_and_offered(app, room, people_in):
    kerry, nan, dan, screen = people_in
    made = offer(dan, "dan-offer-000001", "A parenting course")
    action = action_of(sync(dan.socket), made["contribution_id"])
    room.drain()

    changed = ack(
        dan.socket,
        "edit_action",
        {"action_id": action["id"], "revision": 1, "what": "A parenting course in March", "who_participant_id": dan.id, "by_when": "March"},
    )
    assert changed["ok"], changed
    for socket in (room.chair, screen, kerry.socket, dan.socket):
        ((_, saved),) = events(socket, "action_saved")
        assert (saved["action"]["what"], saved["action"]["status"], saved["action"]["by_when"]) == (
            "A parenting course in March",
            "offered",
            "March",
        )
    before = everything_stored(app, room.meeting.id)
    given_away = ack(
        dan.socket,
        "edit_action",
        {"action_id": action["id"], "revision": 2, "what": "A course", "who_participant_id": nan.id},
    )
    nans_now = ack(dan.socket, "accept_action", {"action_id": action["id"], "revision": 2})
    assert refused_as(given_away, "forbidden") and refused_as(nans_now, "forbidden")
    assert everything_stored(app, room.meeting.id) == before

    # A family member who offered changes their own words: still offered, for the family to accept.
    nans = offer(nan, "nan-offer-000001", "I can cook")
    nans_action = action_of(sync(nan.socket), nans["contribution_id"])
    own = ack(nan.socket, "edit_action", {"action_id": nans_action["id"], "revision": 1, "what": "I can cook on Sundays", "who_participant_id": nan.id})
    assert own["ok"], own
    assert action_of(sync(kerry.socket), nans["contribution_id"])["status"] == "offered"


def test_the_family_or_a_chair_accept_an_offer_or_change_it_which_accepts_it(app, room, people_in):
    kerry, nan, dan, screen = people_in
    dans = offer(dan, "dan-offer-000001", "A parenting course")
    nans = offer(nan, "nan-offer-000001", "I can cook")
    drives = offer(nan, "nan-offer-000002", "I can drive")
    plan = sync(kerry.socket)
    dans_action, nans_action, drives_action = (action_of(plan, o["contribution_id"]) for o in (dans, nans, drives))
    room.drain()

    accepted = ack(kerry.socket, "accept_action", {"action_id": dans_action["id"], "revision": 1})
    changed = ack(
        kerry.socket,
        "edit_action",
        {"action_id": nans_action["id"], "revision": 1, "what": "Nan cooks on Sundays", "who_participant_id": nan.id},
    )
    by_chair = ack(
        room.chair,
        "edit_action",
        {"action_id": drives_action["id"], "revision": 1, "what": "Nan drives on Fridays", "who_participant_id": nan.id},
    )

    assert accepted["ok"] and changed["ok"] and by_chair["ok"], (accepted, changed, by_chair)
    for socket in (room.chair, screen, nan.socket, dan.socket):
        saved = [payload["action"] for _, payload in events(socket, "action_saved")]
        assert [(a["id"], a["status"], a["what"], a["edited_by"]) for a in saved] == [
            (dans_action["id"], "agreed", "A parenting course", "Kerry"),
            (nans_action["id"], "agreed", "Nan cooks on Sundays", "Kerry"),
            (drives_action["id"], "agreed", "Nan drives on Fridays", "Sam Patel"),
        ]
        assert saved[0]["proposed_by"] == {"id": dan.id, "name": "Dan"}  # who offered it, after too
    # Accepted, it is the family's plan: Dan no longer changes or removes his offer.
    for command, payload in (
        ("edit_action", {"action_id": dans_action["id"], "revision": 2, "what": "Changed", "who_participant_id": dan.id}),
        ("remove_action", {"action_id": dans_action["id"], "revision": 2}),
    ):
        assert refused_as(ack(dan.socket, command, payload), "forbidden")
    # Accepting again is no change.
    room.drain()
    assert ack(kerry.socket, "accept_action", {"action_id": dans_action["id"], "revision": 2})["ok"]
    for socket in room.sockets:
        assert events(socket, "action_saved", "tick") == []


def test_a_forged_or_malformed_accept_is_refused_and_changes_nothing(app, room, people_in):
    kerry, nan, dan, screen = people_in
    made = offer(nan, "nan-offer-000001")
    action = action_of(sync(kerry.socket), made["contribution_id"])
    assert ack(nan.socket, "edit_action", {"action_id": action["id"], "revision": 1, "what": OFFER + "!", "who_participant_id": nan.id})["ok"]
    room.drain()
    before = everything_stored(app, room.meeting.id)

    attempts = [
        (dan.socket, {"action_id": action["id"], "revision": 2}, "forbidden"),  # a professional
        (screen, {"action_id": action["id"], "revision": 2}, "forbidden"),  # the room screen
        (kerry.socket, {"action_id": action["id"]}, "invalid"),
        (kerry.socket, {"action_id": action["id"], "revision": "2"}, "invalid"),
        (kerry.socket, {"action_id": action["id"], "revision": None}, "invalid"),
        (kerry.socket, {"action_id": action["id"], "revision": 2, "status": "agreed"}, "invalid"),
        (kerry.socket, {"action_id": str(action["id"]), "revision": 2}, "invalid"),
        (kerry.socket, {"action_id": made["contribution_id"] + 1000, "revision": 2}, "invalid"),
        (kerry.socket, {"action_id": None, "revision": 2}, "invalid"),
        (kerry.socket, {"offer_id": made["contribution_id"], "revision": 2}, "invalid"),
        (kerry.socket, ["action_id", action["id"]], "invalid"),
        (kerry.socket, {"action_id": action["id"], "revision": 1}, "conflict"),  # Nan changed it since
    ]
    for socket, payload, code in attempts:
        response = ack(socket, "accept_action", payload)
        assert refused_as(response, code), (payload, response)
        if code == "conflict":
            assert response["error"]["current"]["id"] == action["id"]
            assert response["error"]["current"]["status"] == "offered"
    # The old way of putting an offer in the plan is gone: it is there already.
    old_way = ack(kerry.socket, "add_action", {"client_id": "kerry-from-offer", "offer_id": made["contribution_id"]})
    assert refused_as(old_way, "invalid")

    assert everything_stored(app, room.meeting.id) == before
    for socket in room.sockets:
        assert received(socket) == []
    assert ack(kerry.socket, "accept_action", {"action_id": action["id"], "revision": 2})["ok"]


def test_someone_from_another_meeting_cannot_accept_or_see_an_offer(app, room, people_in, live, make_meeting):
    kerry, nan, dan, _ = people_in
    made = offer(dan, "dan-offer-000001", "A parenting course")
    action = action_of(sync(kerry.socket), made["contribution_id"])
    other = make_meeting("Meeting for the U. family")
    uma_phone = app.test_client()
    join(uma_phone, other, name="Uma")
    with app.test_request_context():
        uma = db.session.scalar(select(Participant).where(Participant.meeting_id == other.id))
        joining.admit(db.session.get(Meeting, other.id), uma.id)
    uma_socket = live(http_client=uma_phone, auth={"meeting": other.id})
    assert uma_socket.is_connected()
    heard(uma_socket)
    room.drain()
    before = everything_stored(app, room.meeting.id)

    for command, payload in (
        ("accept_action", {"action_id": action["id"], "revision": 1}),
        ("edit_action", {"action_id": action["id"], "revision": 1, "what": "Hijacked", "who_text": "Uma"}),
        ("remove_action", {"action_id": action["id"], "revision": 1}),
    ):
        response = ack(uma_socket, command, payload)
        assert response["ok"] is False and response["error"]["code"] in ("invalid", "forbidden"), response
        assert "parenting" not in json.dumps(response)
    # Nor can this meeting's phone name its meeting to reach into the other one.
    assert refused_as(ack(uma_socket, "accept_action", {"action_id": action["id"], "revision": 1, "meeting_id": room.meeting.id}), "invalid")

    assert everything_stored(app, room.meeting.id) == before
    assert "parenting" not in json.dumps(heard(uma_socket))
    for socket in room.sockets:
        assert received(socket) == []


def test_a_page_catching_up_is_sent_the_offer_and_its_action(app, room, people_in):
    kerry, nan, dan, _ = people_in
    since = sync(dan.socket)["version"]
    made = offer(kerry, "kerry-offer-0001", "I will keep a diary")
    heard(dan.socket)

    response = ack(dan.socket, "sync", {"since": since})

    assert response == {"ok": True, "caught_up": since + 1}
    replayed = [(e["name"], e["args"][0]) for e in heard(dan.socket)]
    assert [(name, payload["version"]) for name, payload in replayed] == [
        ("contribution_added", made["version"]),
        ("action_saved", made["version"]),
    ]
    assert replayed[1][1]["action"]["status"] == "offered"
    assert replayed[1][1]["action"]["offer_id"] == made["contribution_id"]


def test_removing_an_offer_takes_its_waiting_action_but_an_accepted_one_stays(app, room, people_in, post):
    kerry, nan, dan, screen = people_in
    course = offer(dan, "dan-offer-000001", "A parenting course")
    visits = offer(dan, "dan-offer-000002", "Weekly visits")
    drive = offer(dan, "dan-offer-000003", "I can drive to contact")
    plan = sync(kerry.socket)
    course_action, visits_action, drive_action = (action_of(plan, o["contribution_id"]) for o in (course, visits, drive))
    assert ack(kerry.socket, "accept_action", {"action_id": visits_action["id"], "revision": 1})["ok"]
    # Dan withdraws one himself while it waits; the family declines nothing else.
    assert ack(dan.socket, "remove_action", {"action_id": drive_action["id"], "revision": 1})["ok"]
    said = [c["text"] for c in sync(kerry.socket)["contributions"]]
    assert "I can drive to contact" in said  # what was said stays said
    room.drain()

    removed = post(f"/meetings/{room.meeting.id}/people/{dan.id}/remove")

    assert removed.status_code == 302
    for socket in (room.chair, screen, kerry.socket, nan.socket):
        gone = [payload["id"] for name, payload in events(socket, "action_removed")]
        assert gone == [course_action["id"]]
    assert [a["what"] for a in sync(kerry.socket)["plan"]["actions"]] == ["Weekly visits"]


def test_an_offer_made_in_private_time_reaches_only_those_who_stay(app, room, people_in):
    kerry, nan, dan, screen = people_in
    offers = room.go_to("offers")
    assert ack(room.chair, "start_private_time", {"stay": []})["ok"]
    room.drain()

    made = offer(kerry, "kerry-offer-0001", "Ours: I will move in with Nan", stage_id=offers)
    action = action_of(sync(nan.socket), made["contribution_id"])

    for socket in (screen, kerry.socket, nan.socket):
        sent = [name for name, _ in events(socket, "contribution_added", "action_saved")]
        assert sent == ["contribution_added", "action_saved"]
    for socket in (room.chair, dan.socket):
        assert heard(socket) == []  # not a word, not a tick
    assert "move in" not in json.dumps(sync(dan.socket)) and "move in" not in json.dumps(sync(room.chair))
    assert refused_as(
        ack(room.chair, "accept_action", {"action_id": action["id"], "revision": 1}), "private_time"
    )

    assert ack(kerry.socket, "end_private_time")["ok"]
    (changed,) = [payload for name, payload in events(dan.socket, "private_time_changed")]
    assert action_of(changed["snapshot"], made["contribution_id"])["status"] == "offered"
