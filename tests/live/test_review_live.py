"""A review, live: the family and the chair say how each action from the last meeting is
going, and decide what happens to the plan; everyone in the room sees it as it is saved."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from facilitator.extensions import db
from facilitator.models import Meeting
from facilitator.models.types import utcnow
from facilitator.services import closing, dates, people, plan, reviews, running
from tests.live.conftest import Room, ack, everything_stored, received, sync


@pytest.fixture
def review(app, chair, make_meeting):
    """The review of a closed FGC whose plan has three agreed actions; Kerry and Priya (the
    referrer) are carried over, listed without phones."""
    made = make_meeting("FGC for the J. family")
    with app.test_request_context():
        meeting = db.session.get(Meeting, made.id)
        people.add_person(meeting, people.PersonDetails("Kerry", "Mum", "family"))
        people.add_person(
            meeting,
            people.PersonDetails("Priya", "Social worker", "professional", frozenset({"is_referrer"})),
        )
        running.start(meeting)
        for number, (what, who) in enumerate(
            (
                ("Walk J. to school", "Kerry"),
                ("Has the children on Fridays", "Nan"),
                ("Parenting course", "Kerry"),
            ),
            start=1,
        ):
            plan.add_action(
                meeting, f"action-0000000{number}", plan.ActionDetails(what=what, who_text=who), "Kerry"
            )
        review_on = (utcnow().date() + timedelta(days=60)).isoformat()
        plan.save_terms(meeting, 0, {"contingency": "Nan steps in", "review_on": review_on}, "Kerry")
        closing.close(meeting, "Sam Patel")
        made_review, _ = reviews.create_review(meeting, ZoneInfo("Europe/London"))
        db.session.refresh(made_review)
        db.session.expunge(made_review)
    return made_review


@pytest.fixture
def room(app, auth, live, review):
    """The review under way at "How the plan is going", followed from the chair's laptop
    (in place of the conftest's room, which holds an FGC)."""
    auth.login()
    chair_socket = live(auth={"meeting": review.id})
    assert chair_socket.is_connected()
    chair_socket.get_received()
    room = Room(app, live, review, chair_socket)
    room.go_to("plan_review")
    return room


@pytest.fixture
def jo(room):
    """Kerry's sister, on her phone."""
    return room.phone("Jo")


@pytest.fixture
def ravi(room):
    """A professional, on his phone."""
    return room.phone("Ravi", side="professional")


@pytest.fixture
def everyone(room, jo, ravi):
    """Every socket following the review: the chair, the room screen and both phones."""
    screen = room.screen()
    room.drain()
    return (room.chair, screen, jo.socket, ravi.socket)


def carried(room):
    """The actions from the last meeting, by what they say."""
    actions = sync(room.chair)["plan"]["actions"]
    assert all(action["carried"] for action in actions)
    return {action["what"]: action for action in actions}


def progress(socket, action, progress, note="", revision=None):
    return ack(
        socket,
        "action_progress",
        {
            "action_id": action["id"],
            "revision": action["revision"] if revision is None else revision,
            "progress": progress,
            "note": note,
        },
    )


def test_the_chair_and_the_family_say_how_each_action_is_going_and_everyone_sees_it(room, jo, everyone):
    actions = carried(room)
    assert [a["progress"] for a in actions.values()] == [None, None, None]

    done = progress(room.chair, actions["Walk J. to school"], "done")
    assert done["ok"] and done["revision"] == 2, done
    for socket in everyone:
        [event] = received(socket, "action_saved")
        action = event["action"]
        assert (action["id"], action["progress"], action["progress_note"], action["edited_by"]) == (
            actions["Walk J. to school"]["id"],
            "done",
            "",
            "Sam Patel",
        )

    stuck = progress(jo.socket, actions["Has the children on Fridays"], "stuck", "Nan is in hospital")
    assert stuck["ok"], stuck
    for socket in everyone:
        [event] = received(socket, "action_saved")
        action = event["action"]
        assert (action["what"], action["progress"], action["progress_note"], action["edited_by"]) == (
            "Has the children on Fridays",
            "stuck",
            "Nan is in hospital",
            "Jo",
        )

    assert [(a["progress"], a["progress_note"]) for a in carried(room).values()] == [
        ("done", ""),
        ("stuck", "Nan is in hospital"),
        (None, ""),
    ]


def test_a_professional_cannot_say_how_the_familys_actions_are_going(app, room, ravi, everyone):
    before = everything_stored(app, room.meeting.id)
    refused = progress(ravi.socket, carried(room)["Parenting course"], "not_started", "They never went")
    assert refused["error"]["code"] == "forbidden"
    assert everything_stored(app, room.meeting.id) == before
    assert all(not received(socket, "action_saved") for socket in everyone)


def test_a_stale_revision_is_refused_with_the_action_as_it_is_now(app, room, jo, everyone):
    """The chair and Jo answer for the same action at once: the later answer does not
    overwrite the earlier, and the chair is shown Jo's."""
    course = carried(room)["Parenting course"]
    assert progress(jo.socket, course, "in_progress", "Two sessions left")["ok"]
    room.drain()
    before = everything_stored(app, room.meeting.id)

    stale = progress(room.chair, course, "done")

    assert stale["error"]["code"] == "conflict"
    current = stale["error"]["current"]
    assert (current["id"], current["progress"], current["progress_note"], current["revision"]) == (
        course["id"],
        "in_progress",
        "Two sessions left",
        2,
    )
    assert everything_stored(app, room.meeting.id) == before
    assert all(not received(socket, "action_saved") for socket in everyone)


def test_only_actions_from_the_last_meeting_are_reviewed(app, room, jo):
    """An action written at the review itself has no progress to report yet, and the last
    meeting's own action is not part of this meeting."""
    added = ack(
        room.chair,
        "add_action",
        {"client_id": "chair-action-1", "what": "Find a childminder", "who_text": "Jo"},
    )
    assert added["ok"], added
    room.drain()
    with app.app_context():
        earlier = db.session.get(Meeting, room.meeting.id).review_of_id
        old_action_id = plan.actions_of(db.session.get(Meeting, earlier))[0].id
    before = everything_stored(app, room.meeting.id)

    for action_id in (added["action_id"], old_action_id):
        refused = progress(jo.socket, {"id": action_id, "revision": 1}, "done")
        assert refused["error"]["code"] == "invalid", action_id

    assert everything_stored(app, room.meeting.id) == before
    new = next(a for a in sync(room.chair)["plan"]["actions"] if a["id"] == added["action_id"])
    assert (new["carried"], new["progress"]) == (False, None)


@pytest.mark.parametrize(
    ("value", "note"),
    [
        ("finished", ""),
        ("DONE", ""),
        ("", ""),
        (None, ""),
        (2, ""),
        (["done"], ""),
        ("stuck", "x" * 501),
        ("stuck", 5),
    ],
)
def test_progress_must_be_one_of_four_answers_with_a_short_note(app, room, jo, value, note):
    before = everything_stored(app, room.meeting.id)
    refused = progress(jo.socket, carried(room)["Walk J. to school"], value, note)
    assert refused["error"]["code"] == "invalid"
    assert everything_stored(app, room.meeting.id) == before


def test_the_reviews_decision_reaches_everyone_and_is_in_the_summary(app, client, room, jo, ravi, everyone):
    actions = carried(room)
    assert progress(jo.socket, actions["Has the children on Fridays"], "stuck", "Nan is in hospital")["ok"]
    terms = sync(room.chair)["plan"]["terms"]
    with app.app_context():
        started = db.session.get(Meeting, room.meeting.id).started_at
        # The review's own next review: its format's default, six months after it met.
        six_months_on = plan._add_months(dates.local_day(started), 6)
    assert (terms["contingency"], terms["review_on"], terms["decision"], terms["revision"]) == (
        "Nan steps in",
        six_months_on.isoformat(),
        None,
        0,
    )
    room.drain()

    refused = ack(ravi.socket, "save_terms", {"revision": terms["revision"], "decision": "end"})
    assert refused["error"]["code"] == "forbidden"
    saved = ack(
        jo.socket,
        "save_terms",
        {"revision": terms["revision"], "decision": "revise", "decision_why": "Nan needs help on Fridays"},
    )
    assert saved["ok"], saved
    for socket in everyone:
        [event] = received(socket, "terms_saved")
        assert (event["terms"]["decision"], event["terms"]["decision_why"], event["terms"]["edited_by"]) == (
            "revise",
            "Nan needs help on Fridays",
            "Jo",
        )

    assert ack(room.chair, "close_meeting")["ok"]
    page = client.get(f"/meetings/{room.meeting.id}/summary")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "What the review decided" in text
    assert f"{six_months_on:%A} {six_months_on.day} {six_months_on:%B %Y}" in text  # the review date, agreed
    assert "Change the plan: Nan needs help on Fridays" in text
    assert "Stuck: Nan is in hospital" in text
    assert "This meeting reviewed:" in text and "FGC for the J. family" in text
