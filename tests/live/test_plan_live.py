"""The family's plan, written live: outcomes and actions, professionals' proposals, and edits
that never overwrite anyone."""

import json
import re

import pytest
from sqlalchemy import event, select

from facilitator.extensions import db
from facilitator.models import Meeting, MeetingMember, Outcome, Participant, PlanAction
from facilitator.services import contributions, joining, plan, running
from tests.conftest import AuthActions
from tests.live.conftest import ack, everything_stored, received, sync
from tests.web.test_joining import join

PLAN_EVENTS = ("outcome_saved", "outcome_removed", "action_saved", "action_removed")


@pytest.fixture
def family(room):
    """Kerry (mum) and Nan from the family, Dan the social worker, and the room screen,
    in a live meeting."""
    kerry, nan = room.phone("Kerry"), room.phone("Nan")
    dan = room.phone("Dan", side="professional")
    screen = room.screen()
    room.go_to("plan")
    return kerry, nan, dan, screen


def add_outcome(socket, client_id, text):
    return ack(socket, "add_outcome", {"client_id": client_id, "text": text})


def add_action(socket, client_id, what, **details):
    if "who_participant_id" not in details:
        details.setdefault("who_text", "The family")
    return ack(socket, "add_action", {"client_id": client_id, "what": what, **details})


def outcomes(app):
    with app.app_context():
        return [
            (o.text, o.revision, o.edited_by)
            for o in db.session.scalars(select(Outcome).order_by(Outcome.id))
        ]


def actions(app):
    with app.app_context():
        return [
            (a.what, a.who_name, a.status.value, a.outcome_id, a.revision)
            for a in db.session.scalars(select(PlanAction).order_by(PlanAction.id))
        ]


def plan_events(socket):
    return [(e["name"], e["args"][0]) for e in socket.get_received() if e["name"] in PLAN_EVENTS]


def refused_as(response, code):
    return (
        response["ok"] is False and response["error"]["code"] == code and bool(response["error"]["message"])
    )


# Writing the plan


def test_the_family_writes_outcomes_and_actions_and_everyone_sees_them(app, room, family):
    kerry, nan, dan, screen = family

    added = add_outcome(kerry.socket, "kerry-outcome-01", "The children feel safe at home")
    assert added["ok"], added
    walk = add_action(
        kerry.socket,
        "kerry-action-001",
        "Walk the children to school",
        who_participant_id=nan.id,
        by_when="Every Monday",
        how_we_know="The school says they arrive on time",
        outcome_id=added["outcome_id"],
    )
    school = add_action(
        kerry.socket, "kerry-action-002", "Tell Kerry about any absence", who_text="The school"
    )
    assert walk["ok"] and school["ok"], (walk, school)

    for socket in (room.chair, screen, kerry.socket, nan.socket, dan.socket):
        events = plan_events(socket)
        assert [name for name, _ in events] == ["outcome_saved", "action_saved", "action_saved"]
        assert [payload["version"] for _, payload in events] == [
            added["version"],
            walk["version"],
            school["version"],
        ]
        assert events[0][1]["outcome"] == {
            "id": added["outcome_id"],
            "text": "The children feel safe at home",
            "revision": 1,
            "edited_by": "Kerry",
        }
        assert events[1][1]["action"] == {
            "id": walk["action_id"],
            "outcome_id": added["outcome_id"],
            "who": {"participant_id": nan.id, "name": "Nan"},
            "what": "Walk the children to school",
            "by_when": "Every Monday",
            "how_we_know": "The school says they arrive on time",
            "status": "agreed",
            "proposed_by": None,
            "offer_id": None,
            "carried": False,
            "progress": None,
            "progress_note": "",
            "revision": 1,
            "edited_by": "Kerry",
        }
        assert events[2][1]["action"]["who"] == {"participant_id": None, "name": "The school"}
    assert actions(app) == [
        ("Walk the children to school", "Nan", "agreed", added["outcome_id"], 1),
        ("Tell Kerry about any absence", "The school", "agreed", None, 1),
    ]


def test_a_professional_cannot_write_the_familys_outcomes(app, room, family):
    kerry, _, dan, _ = family
    added = add_outcome(kerry.socket, "kerry-outcome-01", "The children feel safe at home")
    room.drain()
    before = everything_stored(app, room.meeting.id)

    attempts = [
        ("add_outcome", {"client_id": "dan-outcome-0001", "text": "Kerry engages with services"}),
        ("edit_outcome", {"outcome_id": added["outcome_id"], "revision": 1, "text": "Kerry complies"}),
        ("remove_outcome", {"outcome_id": added["outcome_id"], "revision": 1}),
    ]
    for command, payload in attempts:
        assert refused_as(ack(dan.socket, command, payload), "forbidden"), command

    assert everything_stored(app, room.meeting.id) == before
    for socket in room.sockets:
        assert received(socket) == []


def test_a_professionals_action_waits_for_the_family(app, room, family):
    kerry, nan, dan, screen = family

    proposed = add_action(dan.socket, "dan-action-00001", "Refer Kerry to a parenting course", who_text="Dan")
    assert proposed["ok"], proposed
    (saved,) = [payload["action"] for _, payload in plan_events(nan.socket)]
    assert (saved["status"], saved["proposed_by"]) == ("proposed", {"id": dan.id, "name": "Dan"})
    assert refused_as(
        ack(dan.socket, "accept_action", {"action_id": proposed["action_id"], "revision": 1}), "forbidden"
    )
    assert actions(app)[0][2] == "proposed"
    room.drain()

    accepted = ack(kerry.socket, "accept_action", {"action_id": proposed["action_id"], "revision": 1})

    assert accepted["ok"] and accepted["revision"] == 2
    for socket in (room.chair, screen, kerry.socket, nan.socket, dan.socket):
        (event,) = plan_events(socket)
        assert event[0] == "action_saved" and event[1]["version"] == accepted["version"]
        action = event[1]["action"]
        assert (action["status"], action["revision"], action["edited_by"]) == ("agreed", 2, "Kerry")
        assert action["proposed_by"] == {"id": dan.id, "name": "Dan"}  # who proposed it is still shown
    assert actions(app) == [("Refer Kerry to a parenting course", "Dan", "agreed", None, 2)]


def test_the_chair_can_accept_a_proposal_too(app, room, family):
    _, _, dan, _ = family
    proposed = add_action(dan.socket, "dan-action-00001", "Visit every week", who_text="Dan")
    accepted = ack(room.chair, "accept_action", {"action_id": proposed["action_id"], "revision": 1})
    assert accepted["ok"], accepted
    assert sync(dan.socket)["plan"]["actions"][0]["status"] == "agreed"
    assert sync(dan.socket)["plan"]["actions"][0]["edited_by"] == "Sam Patel"


def test_a_professional_changes_only_their_own_proposals_until_accepted(app, room, family):
    kerry, nan, dan, screen = family
    priya = room.phone("Priya", side="professional")
    mine = add_action(dan.socket, "dan-action-00001", "Weekly visits", who_text="Dan")["action_id"]
    theirs = add_action(priya.socket, "priya-action-001", "School report", who_text="Priya")["action_id"]
    familys = add_action(
        kerry.socket, "kerry-action-001", "Nan has the kids on Fridays", who_participant_id=nan.id
    )["action_id"]
    room.drain()

    edited = ack(
        dan.socket,
        "edit_action",
        {"action_id": mine, "revision": 1, "what": "Visits twice a week", "who_text": "Dan"},
    )
    assert edited["ok"] and edited["revision"] == 2
    assert plan_events(kerry.socket)[0][1]["action"]["status"] == "proposed"
    before = everything_stored(app, room.meeting.id)
    for action_id in (theirs, familys):
        change = {"action_id": action_id, "revision": 1, "what": "Cancelled", "who_text": "Dan"}
        assert refused_as(ack(dan.socket, "edit_action", change), "forbidden"), action_id
        assert refused_as(
            ack(dan.socket, "remove_action", {"action_id": action_id, "revision": 1}), "forbidden"
        )
    assert everything_stored(app, room.meeting.id) == before

    assert ack(kerry.socket, "accept_action", {"action_id": mine, "revision": 2})["ok"]
    after_acceptance = {"action_id": mine, "revision": 3, "what": "Monthly visits", "who_text": "Dan"}
    assert refused_as(ack(dan.socket, "edit_action", after_acceptance), "forbidden")
    assert refused_as(ack(dan.socket, "remove_action", {"action_id": mine, "revision": 3}), "forbidden")
    assert actions(app)[0] == ("Visits twice a week", "Dan", "agreed", None, 3)

    second = add_action(dan.socket, "dan-action-00002", "Never mind", who_text="Dan")["action_id"]
    room.drain()
    removed = ack(dan.socket, "remove_action", {"action_id": second, "revision": 1})
    assert removed["ok"], removed
    assert plan_events(screen) == [("action_removed", {"version": removed["version"], "id": second})]
    assert [row[0] for row in actions(app)] == [
        "Visits twice a week",
        "School report",
        "Nan has the kids on Fridays",
    ]


def test_the_family_and_the_chair_change_any_action(app, room, family):
    kerry, nan, dan, _ = family
    proposed = add_action(dan.socket, "dan-action-00001", "Weekly visits", who_text="Dan")["action_id"]
    agreed = add_action(kerry.socket, "kerry-action-001", "Nan cooks on Sundays", who_participant_id=nan.id)[
        "action_id"
    ]

    by_family = ack(
        nan.socket,
        "edit_action",
        {"action_id": proposed, "revision": 1, "what": "Visits, phoned first", "who_text": "Dan"},
    )
    by_chair = ack(room.chair, "remove_action", {"action_id": agreed, "revision": 1})

    assert by_family["ok"] and by_chair["ok"], (by_family, by_chair)
    assert actions(app) == [("Visits, phoned first", "Dan", "proposed", None, 2)]


# Offers are in the plan as they are made: tests/live/test_offers_become_actions.py


# Nobody overwrites anybody


def test_two_people_editing_the_same_outcome_cannot_overwrite_each_other(app, room, family):
    kerry, nan, dan, screen = family
    added = add_outcome(kerry.socket, "kerry-outcome-01", "Kids safe")
    room.drain()

    first = ack(
        kerry.socket,
        "edit_outcome",
        {"outcome_id": added["outcome_id"], "revision": 1, "text": "Kids safe and happy"},
    )
    second = ack(
        room.chair,
        "edit_outcome",
        {"outcome_id": added["outcome_id"], "revision": 1, "text": "Children are safe"},
    )

    assert first["ok"] and first["revision"] == 2
    assert refused_as(second, "conflict")
    assert "Kerry" in second["error"]["message"]
    assert second["error"]["current"] == {
        "id": added["outcome_id"],
        "text": "Kids safe and happy",
        "revision": 2,
        "edited_by": "Kerry",
    }
    assert outcomes(app) == [("Kids safe and happy", 2, "Kerry")]
    for socket in (room.chair, screen, nan.socket, dan.socket):
        assert [p["outcome"]["text"] for _, p in plan_events(socket)] == ["Kids safe and happy"]

    kept = ack(
        room.chair,
        "edit_outcome",
        {"outcome_id": added["outcome_id"], "revision": 2, "text": "Children are safe"},
    )
    assert kept["ok"] and kept["revision"] == 3
    assert outcomes(app) == [("Children are safe", 3, "Sam Patel")]


def test_two_people_editing_the_same_action_cannot_overwrite_each_other(app, room, family):
    kerry, nan, _, _ = family
    added = add_action(
        kerry.socket, "kerry-action-001", "Nan has the kids on Fridays", who_participant_id=nan.id
    )
    action_id = added["action_id"]

    first = ack(
        nan.socket,
        "edit_action",
        {
            "action_id": action_id,
            "revision": 1,
            "what": "Nan has the kids on Fridays",
            "who_participant_id": nan.id,
            "by_when": "From next week",
        },
    )
    second = ack(
        kerry.socket,
        "edit_action",
        {
            "action_id": action_id,
            "revision": 1,
            "what": "Nan has the kids at weekends",
            "who_participant_id": nan.id,
        },
    )
    removal = ack(kerry.socket, "remove_action", {"action_id": action_id, "revision": 1})

    assert first["ok"] and first["revision"] == 2
    assert refused_as(second, "conflict") and refused_as(removal, "conflict")
    assert second["error"]["current"]["by_when"] == "From next week"
    assert second["error"]["current"]["edited_by"] == "Nan"
    assert actions(app) == [("Nan has the kids on Fridays", "Nan", "agreed", None, 2)]


def test_removing_an_outcome_with_a_stale_revision_keeps_it(app, room, family):
    kerry, nan, _, _ = family
    added = add_outcome(kerry.socket, "kerry-outcome-01", "Kids safe")
    assert ack(
        nan.socket, "edit_outcome", {"outcome_id": added["outcome_id"], "revision": 1, "text": "Kids safe!"}
    )["ok"]
    stale = ack(kerry.socket, "remove_outcome", {"outcome_id": added["outcome_id"], "revision": 1})
    assert refused_as(stale, "conflict") and stale["error"]["current"]["text"] == "Kids safe!"
    assert outcomes(app) == [("Kids safe!", 2, "Nan")]


def test_resending_an_outcome_or_an_action_stores_and_broadcasts_it_once(app, room, family):
    kerry, _, dan, _ = family

    outcome_acks = [add_outcome(kerry.socket, "kerry-outcome-01", "Kids safe") for _ in range(3)]
    action_acks = [
        add_action(dan.socket, "dan-action-00001", "Weekly visits", who_text="Dan") for _ in range(3)
    ]

    assert outcome_acks[0]["ok"] and outcome_acks.count(outcome_acks[0]) == 3
    assert action_acks[0]["ok"] and action_acks.count(action_acks[0]) == 3
    assert outcomes(app) == [("Kids safe", 1, "Kerry")] and len(actions(app)) == 1
    for socket in room.sockets:
        assert [name for name, _ in plan_events(socket)] == ["outcome_saved", "action_saved"]


def test_removing_an_outcome_keeps_its_actions_under_no_outcome(app, room, family):
    kerry, nan, dan, screen = family
    added = add_outcome(kerry.socket, "kerry-outcome-01", "Kids safe")
    for number, what in enumerate(("Nan cooks on Sundays", "Dad stays away")):
        assert add_action(kerry.socket, f"kerry-action-00{number}", what, outcome_id=added["outcome_id"])[
            "ok"
        ]
    room.drain()

    removed = ack(kerry.socket, "remove_outcome", {"outcome_id": added["outcome_id"], "revision": 1})

    assert removed["ok"], removed
    for socket in (room.chair, screen, nan.socket, dan.socket):
        assert plan_events(socket) == [
            ("outcome_removed", {"version": removed["version"], "id": added["outcome_id"]})
        ]
        snapshot = sync(socket)["plan"]
        assert snapshot["outcomes"] == []
        assert [(a["what"], a["outcome_id"]) for a in snapshot["actions"]] == [
            ("Nan cooks on Sundays", None),
            ("Dad stays away", None),
        ]
    assert outcomes(app) == [] and [row[3] for row in actions(app)] == [None, None]
    gone = ack(
        kerry.socket, "edit_outcome", {"outcome_id": added["outcome_id"], "revision": 2, "text": "Back"}
    )
    assert refused_as(gone, "invalid")


# Who receives the plan


def test_a_late_joiner_and_the_room_screen_receive_the_plan_in_sync(app, room, family):
    kerry, nan, dan, screen = family
    added = add_outcome(kerry.socket, "kerry-outcome-01", "Kids safe")
    add_action(
        kerry.socket,
        "kerry-action-001",
        "Nan cooks on Sundays",
        who_participant_id=nan.id,
        outcome_id=added["outcome_id"],
    )
    add_action(dan.socket, "dan-action-00001", "Weekly visits", who_text="Dan")

    late = room.phone("Grandad")

    whole = sync(room.chair)["plan"]
    assert [o["text"] for o in whole["outcomes"]] == ["Kids safe"]
    assert [(a["what"], a["status"]) for a in whole["actions"]] == [
        ("Nan cooks on Sundays", "agreed"),
        ("Weekly visits", "proposed"),
    ]
    for socket in (late.socket, screen, dan.socket):
        assert sync(socket)["plan"] == whole


def test_a_person_in_the_lobby_gets_no_plan(app, room, family):
    kerry, _, _, _ = family
    waiting = room.phone("Lee", admit=False)
    add_outcome(kerry.socket, "kerry-outcome-01", "Kids safe")
    add_action(kerry.socket, "kerry-action-001", "Nan cooks on Sundays")

    snapshot = sync(waiting.socket)

    assert "plan" not in snapshot and "contributions" not in snapshot
    assert received(waiting.socket) == []
    assert "Kids safe" not in json.dumps(snapshot)
    before = everything_stored(app, room.meeting.id)
    assert refused_as(add_outcome(waiting.socket, "lee-outcome-0001", "Let me in"), "forbidden")
    assert refused_as(add_action(waiting.socket, "lee-action-00001", "Let me in"), "forbidden")
    assert everything_stored(app, room.meeting.id) == before


def test_the_room_screen_cannot_write_the_plan(app, room, family):
    kerry, _, _, screen = family
    added = add_outcome(kerry.socket, "kerry-outcome-01", "Kids safe")
    before = everything_stored(app, room.meeting.id)
    for command, payload in (
        ("add_outcome", {"client_id": "screen-outcome-01", "text": "Hacked"}),
        ("edit_outcome", {"outcome_id": added["outcome_id"], "revision": 1, "text": "Hacked"}),
        ("add_action", {"client_id": "screen-action-001", "what": "Hacked", "who_text": "Screen"}),
    ):
        assert refused_as(ack(screen, command, payload), "forbidden"), command
    assert everything_stored(app, room.meeting.id) == before


def test_a_minute_taker_records_the_plan(app, live, room, family, other_chair):
    _, nan, _, _ = family
    with app.app_context():
        db.session.add(
            MeetingMember(meeting_id=room.meeting.id, chair_id=other_chair.id, role="minute_taker")
        )
        db.session.commit()
    laptop = app.test_client()
    AuthActions(laptop).login(email=other_chair.email, password="another long password")
    minutes = live(http_client=laptop, auth={"meeting": room.meeting.id})
    assert minutes.is_connected()

    added = add_outcome(minutes, "minutes-outcome1", "Kids safe")
    action = add_action(minutes, "minutes-action01", "Nan cooks", who_participant_id=nan.id)

    assert added["ok"] and action["ok"], (added, action)
    assert outcomes(app) == [("Kids safe", 1, "Alex Jones")]
    assert actions(app) == [("Nan cooks", "Nan", "agreed", None, 1)]
    assert refused_as(ack(minutes, "reveal"), "forbidden")


def test_the_plan_is_written_only_while_the_meeting_is_on(app, room):
    kerry = room.phone("Kerry")
    before = everything_stored(app, room.meeting.id)
    assert refused_as(add_outcome(kerry.socket, "kerry-outcome-01", "Kids safe"), "invalid")
    assert refused_as(add_action(room.chair, "chair-action-001", "Nan cooks"), "invalid")
    assert everything_stored(app, room.meeting.id) == before


HOSTILE_TEXTS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"quotes\" & 'apostrophes' &amp; &lt;b&gt;",
    "{{ 7 * 7 }} ${7*7} %(name)s",
    "Nan \u2764\ufe0f \u0627\u0644\u0639\u0627\u0626\u0644\u0629 \u4f60\u597d",
]


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_whatever_is_typed_is_kept_and_sent_back_verbatim(app, room, family, text):
    kerry, _, dan, screen = family

    added = add_outcome(kerry.socket, "kerry-outcome-01", text)
    action = add_action(
        kerry.socket,
        "kerry-action-001",
        text,
        who_text=text[:120],
        by_when=text[:120],
        how_we_know=text,
        outcome_id=added["outcome_id"],
    )

    assert added["ok"] and action["ok"], (added, action)
    (saved_outcome, saved_action) = [payload for _, payload in plan_events(screen)]
    assert saved_outcome["outcome"]["text"] == text
    assert (
        saved_action["action"]["what"],
        saved_action["action"]["who"]["name"],
        saved_action["action"]["by_when"],
        saved_action["action"]["how_we_know"],
    ) == (text, text[:120], text[:120], text)
    snapshot = sync(dan.socket)["plan"]
    assert snapshot["outcomes"][0]["text"] == text and snapshot["actions"][0]["what"] == text
    assert outcomes(app) == [(text, 1, "Kerry")]


def test_text_at_the_limits(app, room, family):
    kerry, _, _, _ = family
    assert add_outcome(kerry.socket, "kerry-outcome-01", "o" * 500)["ok"]
    assert refused_as(add_outcome(kerry.socket, "kerry-outcome-02", "o" * 501), "invalid")
    assert refused_as(add_outcome(kerry.socket, "kerry-outcome-03", "   "), "invalid")
    assert add_action(
        kerry.socket,
        "kerry-action-001",
        "w" * 1000,
        who_text="t" * 120,
        by_when="b" * 120,
        how_we_know="h" * 500,
    )["ok"]
    for field, value in (
        ("what", "w" * 1001),
        ("who_text", "t" * 121),
        ("by_when", "b" * 121),
        ("how_we_know", "h" * 501),
    ):
        details = {"what": "Something", "who_text": "Someone", field: value}
        response = ack(kerry.socket, "add_action", {"client_id": f"kerry-long-{field}", **details})
        assert refused_as(response, "invalid"), field
    assert len(outcomes(app)) == 1 and len(actions(app)) == 1


# Malformed and hostile payloads


PLAN_COMMANDS = [
    "add_outcome",
    "edit_outcome",
    "remove_outcome",
    "add_action",
    "edit_action",
    "accept_action",
    "remove_action",
]
BAD_IDS = ["OTHER", -1, 0, "1", 1.0, True, [1], {"id": 1}, 10**20, None]
# Ids an action is looked up by: the other meeting's actions (one of them an offer's), and
# values that are no id at all. (The other meeting's person's id is a number that may well be
# an action's of this meeting, so it is no bad action id.)
BAD_ACTION_IDS = [*(bad for bad in BAD_IDS if bad != "OTHER"), "OTHER_ACTION", "OTHER_OFFERED"]
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
    # add_outcome
    {"client_id": "x", "text": "Kids safe"},
    {"client_id": "a" * 65, "text": "Kids safe"},
    {"client_id": ["valid-client-id-01"], "text": "Kids safe"},
    {"client_id": "valid-client-id-02"},
    {"client_id": "valid-client-id-03", "text": ""},
    {"client_id": "valid-client-id-04", "text": "y" * 70_000},
    {"client_id": "valid-client-id-05", "text": {"$gt": ""}},
    {"client_id": "valid-client-id-06", "text": ["Kids safe"]},
    {"client_id": "valid-client-id-07", "text": 42},
    {"client_id": "valid-client-id-08", "text": "Kids safe", "meeting_id": "OTHER"},
    {"client_id": "valid-client-id-09", "text": "Kids safe", "revision": 1},
    # edit_outcome / remove_outcome
    *({"outcome_id": bad, "revision": 1, "text": "Hijacked"} for bad in BAD_IDS),
    *({"outcome_id": bad, "revision": 1} for bad in BAD_IDS),
    {"outcome_id": "MINE", "revision": "1", "text": "Hijacked"},
    {"outcome_id": "MINE", "revision": 1.0, "text": "Hijacked"},
    {"outcome_id": "MINE", "revision": True, "text": "Hijacked"},
    {"outcome_id": "MINE", "revision": [1], "text": "Hijacked"},
    {"outcome_id": "MINE", "revision": None, "text": "Hijacked"},
    {"outcome_id": "MINE", "text": "Hijacked"},
    {"outcome_id": "MINE", "revision": 2},
    {"outcome_id": "MINE", "revision": 1, "text": ""},
    {"outcome_id": "MINE", "revision": 1, "text": "z" * 501},
    {"outcome_id": "MINE", "revision": 1, "text": None},
    {"outcome_id": "MINE", "revision": 1, "text": "Hijacked", "edited_by": "Kerry"},
    {"outcome_id": "MINE", "revision": "1"},
    # add_action
    {"client_id": "valid-client-id-10", "who_text": "Nan"},
    {"client_id": "valid-client-id-11", "what": "Cook"},
    {"client_id": "valid-client-id-12", "what": "", "who_text": "Nan"},
    {"client_id": "valid-client-id-13", "what": ["Cook"], "who_text": "Nan"},
    {"client_id": "valid-client-id-14", "what": "Cook", "who_text": ""},
    {"client_id": "valid-client-id-15", "what": "Cook", "who_text": 7},
    {"client_id": "valid-client-id-16", "what": "Cook", "who_text": "Nan", "by_when": 20250101},
    {"client_id": "valid-client-id-17", "what": "Cook", "who_text": "Nan", "how_we_know": {"a": 1}},
    {"client_id": "valid-client-id-18", "what": "Cook", "who_text": "Nan", "status": "agreed"},
    {"client_id": "valid-client-id-19", "what": "Cook", "who_text": "Nan", "proposed_by": None},
    {"client_id": "valid-client-id-20", "what": "w" * 70_000, "who_text": "Nan"},
    *({"client_id": "valid-client-id-21", "what": "Cook", "who_participant_id": bad} for bad in BAD_IDS[:-1]),
    *(
        {"client_id": "valid-client-id-22", "what": "Cook", "who_text": "Nan", "outcome_id": bad}
        for bad in BAD_IDS[:-1]
    ),
    *({"client_id": "valid-client-id-23", "offer_id": bad} for bad in [*BAD_IDS, "OTHER_OFFER"]),
    {"client_id": "valid-client-id-24", "offer_id": "MY_OFFER", "what": "Changed"},
    {"client_id": "valid-client-id-25", "offer_id": "MY_OFFER", "who_text": "Someone"},
    {"client_id": "valid-client-id-26", "what": "Cook", "who_participant_id": "DECLINED"},
    # edit_action / accept_action / remove_action
    *({"action_id": bad, "revision": 1} for bad in BAD_ACTION_IDS),
    *({"action_id": bad, "revision": 1, "what": "Hijacked", "who_text": "Me"} for bad in BAD_ACTION_IDS),
    {"action_id": "AGREED", "revision": "1", "what": "Hijacked", "who_text": "Me"},
    {"action_id": "AGREED", "revision": 1, "what": "", "who_text": "Me"},
    {"action_id": "AGREED", "revision": 1, "who_text": "Me"},
    {"action_id": "AGREED", "revision": 1, "what": "Hijacked"},
    {"action_id": "AGREED", "revision": 1, "what": "Hijacked", "who_participant_id": "OTHER"},
    {
        "action_id": "AGREED",
        "revision": 1,
        "what": "Hijacked",
        "who_text": "Me",
        "outcome_id": "OTHER_OUTCOME",
    },
    {"action_id": "AGREED", "revision": 1, "what": "Hijacked", "who_text": "Me", "status": "proposed"},
    {"action_id": "AGREED", "revision": [1]},
    {"action_id": "PROPOSED", "revision": "1"},
    {"action_id": "PROPOSED", "revision": None},
    {"action_id": "PROPOSED", "revision": 1, "status": "agreed"},
    {"action_id": "PROPOSED", "revision": 1, "what": "", "who_text": "Dan"},
    {"action_id": "OFFERED", "revision": "1"},
    {"action_id": "OFFERED", "revision": None},
    {"action_id": "OFFERED", "revision": 1, "status": "agreed"},
    {"action_id": "OFFERED", "revision": 1, "what": "", "who_participant_id": "NAN"},
    {"action_id": "OFFERED", "revision": 1, "what": "Hijacked", "who_participant_id": "OTHER"},
]


@pytest.fixture
def elsewhere(app, make_meeting):
    """Another meeting of the same chair, live, with a plan of its own that nobody following
    this one may touch, not even that chair."""
    other = make_meeting("Meeting for the U. family")
    join(app.test_client(), other, name="Uma")
    with app.test_request_context():
        meeting = db.session.get(Meeting, other.id)
        uma = joining.admit(
            meeting, db.session.scalar(select(Participant.id).where(Participant.name == "Uma"))
        )
        running.start(meeting)
        running.go_to(meeting, 3)  # offers
        offer, _ = contributions.add(meeting, uma, "uma-offer-000001", "Umbrella offer")
        offered = db.session.scalar(select(PlanAction.id).where(PlanAction.offer_id == offer.id))
        outcome, _ = plan.add_outcome(meeting, "uma-outcome-0001", "Umbrella outcome", "Uma")
        action, _ = plan.add_action(
            meeting,
            "uma-action-00001",
            plan.ActionDetails(what="Umbrella action", who_participant_id=uma.id),
            "Uma",
        )
        return other.id, {
            "OTHER": uma.id,
            "OTHER_OFFER": offer.id,
            "OTHER_OUTCOME": outcome.id,
            "OTHER_ACTION": action.id,
            "OTHER_OFFERED": offered,
        }


LEAKS = re.compile(r"Uma|Umbrella|U\. family")


def test_fuzz_every_plan_command_with_hostile_payloads(app, room, family, elsewhere):
    """Nothing malformed changes the plan, nothing of another meeting leaks, no connection drops."""
    kerry, nan, dan, screen = family
    waiting = room.phone("Lee", admit=False)
    other_id, ids = elsewhere
    room.go_to("offers")
    offer = ack(nan.socket, "contribute", {"client_id": "nan-offer-000001", "text": "I will cook"})
    room.go_to("plan")
    ids["MY_OFFER"] = offer["contribution_id"]
    with app.app_context():  # in the plan as it was made, offered
        ids["OFFERED"] = db.session.scalar(
            select(PlanAction.id).where(PlanAction.offer_id == offer["contribution_id"])
        )
    ids["NAN"] = nan.id
    ids["MINE"] = add_outcome(kerry.socket, "kerry-outcome-01", "Kids safe")["outcome_id"]
    ids["AGREED"] = add_action(kerry.socket, "kerry-action-001", "Nan cooks", who_participant_id=nan.id)[
        "action_id"
    ]
    ids["PROPOSED"] = add_action(dan.socket, "dan-action-00001", "Weekly visits", who_text="Dan")["action_id"]
    turned_away = room.phone("Rob", admit=False)
    assert ack(room.chair, "decline", {"participant_id": turned_away.id})["ok"]
    ids["DECLINED"] = turned_away.id
    room.drain()
    mine = {ids["MINE"], ids["AGREED"], ids["PROPOSED"], ids["OFFERED"]}
    meetings = (room.meeting.id, other_id)
    before = {m: everything_stored(app, m) for m in meetings}

    for socket in (room.chair, kerry.socket, dan.socket, screen, waiting.socket):
        for command in PLAN_COMMANDS:
            for payload in HOSTILE:
                payload = with_ids(payload, ids)
                response = socket.emit(command, payload, callback=True)
                assert isinstance(response, dict), (command, payload)
                assert response["ok"] is False, (command, payload, response)
                error = response["error"]
                assert error["code"] in ("invalid", "forbidden", "conflict"), (command, payload, response)
                assert error["message"]
                if error["code"] == "conflict":
                    assert error["current"]["id"] in mine
                assert not LEAKS.search(json.dumps(response)), (command, payload, response)
        assert socket.is_connected()

    assert {m: everything_stored(app, m) for m in meetings} == before
    for socket in room.sockets:
        assert received(socket) == []
    assert add_outcome(kerry.socket, "still-working-01", "Still here")["ok"]


def with_ids(payload, ids):
    """The payload, with placeholders replaced by real ids (of this meeting or the other one)."""
    if not isinstance(payload, dict):
        return payload
    return {key: ids.get(value, value) if isinstance(value, str) else value for key, value in payload.items()}


def test_an_action_is_given_only_to_someone_let_in(app, room, family):
    """Naming someone still in the lobby (or only listed) would tell the room their name."""
    kerry, _, _, _ = family
    waiting = room.phone("Lee", admit=False)
    listed = room.listed("Grandad")
    before = everything_stored(app, room.meeting.id)

    for someone in (waiting.id, listed):
        refused = add_action(kerry.socket, f"kerry-action-{someone:03d}", "Visit", who_participant_id=someone)
        assert refused_as(refused, "invalid")
        assert "Lee" not in json.dumps(refused) and "Grandad" not in json.dumps(refused)

    assert everything_stored(app, room.meeting.id) == before


def test_an_action_in_private_time_is_told_to_those_who_stay_reading_who_they_are_once(app, room, family):
    """The audience in private family time is read from the database at each send: one read of
    who stays, not every person whole, and the person named is not read again."""
    kerry, nan, dan, screen = family
    assert ack(room.chair, "start_private_time", {"stay": []})["ok"]
    room.drain()
    with app.app_context():
        engine = db.engine
    statements = []

    def note(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", note)
    try:
        added = add_action(kerry.socket, "kerry-private-01", "Nan has the kids", who_participant_id=nan.id)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert added["ok"], added
    written = max(i for i, s in enumerate(statements) if s.startswith(("INSERT", "UPDATE")))
    reads_of_people = [s for s in statements[written + 1 :] if "FROM participant" in s]
    assert len(reads_of_people) == 1, statements[written:]
    for socket in (nan.socket, screen):
        (saved,) = [payload["action"] for name, payload in plan_events(socket)]
        assert saved["who"] == {"participant_id": nan.id, "name": "Nan"}
    assert plan_events(dan.socket) == [] and plan_events(room.chair) == []
