"""The core group, live, at a restorative child protection conference: chosen with the plan's
terms by the family or the chair, seen by everyone who sees the plan, refused whole when it
does not fit or is stale, and kept from those shut out of private family time."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.live.conftest import ack, everything_stored, received, sync
from tests.live.test_summary import page_text, pdf_text, squash


@pytest.fixture
def format_key():
    return "restorative_cp_conference"


@pytest.fixture
def agreeing(room):
    """The conference at "Agreeing the plan": Kerry (family) and Sam (a professional) on their
    phones, the room screen open."""
    kerry = room.phone("Kerry")
    sam = room.phone("Sam", side="professional")
    screen = room.screen()
    room.go_to("agreement")
    return room, kerry, sam, screen


def first_meeting():
    return (date.today() + timedelta(days=10)).isoformat()


def test_the_meeting_says_it_has_a_core_group_and_its_terms_start_at_every_six_weeks(agreeing):
    room, kerry, _sam, screen = agreeing
    for socket in (room.chair, kerry.socket, screen):
        snapshot = sync(socket)
        assert snapshot["meeting"]["core_group"] is True
        terms = snapshot["plan"]["terms"]
        assert (terms["core_group"], terms["core_group_meets_on"], terms["core_group_every_weeks"]) == ([], None, 6)


def test_the_chair_names_the_core_group_and_everyone_who_sees_the_plan_is_told(agreeing):
    room, kerry, sam, screen = agreeing
    saved = ack(
        room.chair,
        "save_terms",
        {
            "revision": 0,
            "core_group": [sam.id, kerry.id],
            "core_group_meets_on": first_meeting(),
            "core_group_every_weeks": 4,
        },
    )
    assert saved["ok"] and saved["revision"] == 1, saved
    for socket in (room.chair, screen, kerry.socket, sam.socket):
        [event] = received(socket, "terms_saved")
        terms = event["terms"]
        assert terms["core_group"] == [
            {"participant_id": kerry.id, "name": "Kerry"},
            {"participant_id": sam.id, "name": "Sam"},
        ]
        assert (terms["core_group_meets_on"], terms["core_group_every_weeks"]) == (first_meeting(), 4)
    assert sync(screen)["plan"]["terms"]["core_group"][1]["name"] == "Sam"


def test_the_family_changes_it_and_a_professional_cannot(app, agreeing):
    room, kerry, sam, _screen = agreeing
    assert ack(kerry.socket, "save_terms", {"revision": 0, "core_group": [kerry.id]})["ok"]
    room.drain()
    before = everything_stored(app, room.meeting.id)
    refused = ack(sam.socket, "save_terms", {"revision": 1, "core_group": [sam.id]})
    assert refused["error"]["code"] == "forbidden"
    assert everything_stored(app, room.meeting.id) == before


@pytest.mark.parametrize(
    "change",
    [
        {"core_group": "elsewhere"},
        {"core_group": "lobby"},
        {"core_group": ["1"]},
        {"core_group": 3},
        {"core_group_meets_on": "01/02/2027"},
        {"core_group_meets_on": "2027-02-30"},
        {"core_group_every_weeks": 0},
        {"core_group_every_weeks": 53},
        {"core_group_every_weeks": "six"},
        {"decision": "end"},  # not a review
        {"decision_on": "2027-02-01"},
        {"core_group_rhythm": 6},  # not a field of the command
    ],
)
def test_a_core_group_that_does_not_fit_is_refused_whole_and_nobody_is_told(app, live, make_meeting, agreeing, change):
    room, kerry, _sam, screen = agreeing
    lee = room.phone("Lee", admit=False)
    other = make_meeting("Conference for the E. family", format_key="restorative_cp_conference")
    with app.test_request_context():
        from facilitator.extensions import db
        from facilitator.models import Meeting
        from facilitator.services import people

        stranger = people.add_person(db.session.get(Meeting, other.id), people.PersonDetails("Eve", "", "family")).id
    value = change.get("core_group")
    if value == "elsewhere":
        change = {"core_group": [kerry.id, stranger]}
    elif value == "lobby":
        change = {"core_group": [lee.id]}
    room.drain()
    before = everything_stored(app, room.meeting.id)

    refused = ack(kerry.socket, "save_terms", {"revision": 0, "contingency": "Nan steps in", **change})

    assert refused["error"]["code"] == "invalid", refused
    assert refused["error"]["message"]
    assert everything_stored(app, room.meeting.id) == before
    for socket in (room.chair, screen, kerry.socket):
        assert received(socket, "terms_saved") == []


def test_a_stale_core_group_is_refused_with_the_terms_as_they_are(app, agreeing):
    room, kerry, sam, _screen = agreeing
    assert ack(kerry.socket, "save_terms", {"revision": 0, "core_group": [kerry.id]})["ok"]
    room.drain()
    before = everything_stored(app, room.meeting.id)

    stale = ack(room.chair, "save_terms", {"revision": 0, "core_group": [sam.id]})

    assert stale["error"]["code"] == "conflict"
    current = stale["error"]["current"]
    assert (current["revision"], current["core_group"]) == (1, [{"participant_id": kerry.id, "name": "Kerry"}])
    assert everything_stored(app, room.meeting.id) == before


def test_a_core_group_named_in_private_time_reaches_nobody_shut_out(agreeing):
    """The family names the core group in private: the chair and Sam (shut out) are sent no
    terms and see none of it, until everyone is invited back."""
    room, kerry, sam, screen = agreeing
    assert ack(room.chair, "start_private_time", {"stay": []})["ok"]
    room.drain()
    saved = ack(
        kerry.socket,
        "save_terms",
        {"revision": 0, "core_group": [kerry.id], "core_group_meets_on": first_meeting(), "core_group_every_weeks": 3},
    )
    assert saved["ok"], saved
    assert received(screen, "terms_saved")
    for shut_out in (room.chair, sam.socket):
        said = str(received(shut_out)) + str(sync(shut_out))
        assert "core_group_meets_on" not in said and first_meeting() not in said
    assert ack(kerry.socket, "end_private_time")["ok"]
    for socket in (room.chair, sam.socket):
        terms = sync(socket)["plan"]["terms"]
        assert (terms["core_group"][0]["name"], terms["core_group_every_weeks"]) == ("Kerry", 3)


@pytest.mark.parametrize("format_key", ["family_group_conference"])
def test_a_family_group_conference_has_no_core_group(app, room):
    kerry = room.phone("Kerry")
    room.go_to("agreement")
    assert sync(room.chair)["meeting"]["core_group"] is False
    before = everything_stored(app, room.meeting.id)
    refused = ack(kerry.socket, "save_terms", {"revision": 0, "core_group": [kerry.id]})
    assert refused["error"]["code"] == "invalid"
    assert everything_stored(app, room.meeting.id) == before


def long_day(day: date) -> str:
    """As the summary writes a day: "Tuesday 12 January 2027"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def test_the_summary_and_its_pdf_keep_the_core_group_and_the_review_keeps_its_dates(app, client, agreeing):
    """The conference's summary names the core group, when it first meets and how often; its
    review inherits it, and the review's summary has its own next review date (six months on,
    never "Not set") and the day its decision to step the plan down takes effect."""
    room, kerry, sam, _screen = agreeing
    meets_on = date.today() + timedelta(days=10)
    assert ack(
        room.chair,
        "save_terms",
        {
            "revision": 0,
            "core_group": [kerry.id, sam.id],
            "core_group_meets_on": meets_on.isoformat(),
            "core_group_every_weeks": 4,
        },
    )["ok"]
    assert ack(room.chair, "close_meeting")["ok"]

    page = page_text(client.get(f"/meetings/{room.meeting.id}/summary"))
    for words in ("Core group", "Kerry (Mum), Sam (Mum)", "The core group first meets", long_day(meets_on), "Every 4 weeks"):
        assert words in page, words
    pdf = pdf_text(client.get(f"/meetings/{room.meeting.id}/summary.pdf"))
    for words in ("Core group", "Kerry (Mum), Sam (Mum)", "The core group first meets", long_day(meets_on), "Every 4 weeks"):
        assert squash(words) in pdf, words
    assert squash("Core group") in pdf_text(kerry.http.get(f"/join/{room.meeting.join_code}/summary.pdf"))

    made = client.post(
        f"/meetings/{room.meeting.id}/review", data={"csrf_token": csrf_of(client, room.meeting.id)}
    )
    assert made.status_code == 302
    review_id = int(re.fullmatch(r".*/meetings/(\d+)", made.headers["Location"]).group(1))
    assert review_id != room.meeting.id
    chair = live_chair(app, room, review_id)
    assert ack(chair, "start")["ok"]
    terms = sync(chair)["plan"]["terms"]
    assert [member["name"] for member in terms["core_group"]] == ["Kerry", "Sam"]
    assert (terms["core_group_every_weeks"], terms["core_group_meets_on"], terms["revision"]) == (4, None, 0)
    next_review = date.fromisoformat(terms["review_on"])
    assert (next_review - date.today()).days in range(181, 185)  # six months on
    ends_on = date.today() + timedelta(days=7)
    saved = ack(chair, "save_terms", {"revision": 0, "decision": "step_down", "decision_on": ends_on.isoformat()})
    assert saved["ok"], saved
    assert ack(chair, "close_meeting")["ok"]

    page = page_text(client.get(f"/meetings/{review_id}/summary"))
    assert f"<dt>Review date</dt><dd>{long_day(next_review)}</dd>" in page  # never "Not set"
    for words in (
        long_day(next_review),
        "The core group next meets",
        "Every 4 weeks",
        "Step it down to a child in need plan",
        "The decision takes effect",
        long_day(ends_on),
    ):
        assert words in page, words
    assert squash(long_day(ends_on)) in pdf_text(client.get(f"/meetings/{review_id}/summary.pdf"))


def csrf_of(client, meeting_id: int) -> str:
    from tests.conftest import csrf_token

    return csrf_token(client.get(f"/meetings/{meeting_id}").get_data(as_text=True))


def live_chair(app, room, meeting_id: int):
    socket = room._live(auth={"meeting": meeting_id})
    assert socket.is_connected()
    socket.get_received()
    return socket


def test_starting_the_conference_sends_the_review_date_counted_from_today(room):
    """Until someone agrees a review date, it is the format's default counted from the day the
    meeting starts: starting it tells every view the terms as they now are."""
    screen = room.screen()
    ack(room.chair, "start")
    [event] = received(screen, "terms_saved")
    assert event["terms"]["review_on"] == sync(room.chair)["plan"]["terms"]["review_on"]
    assert event["terms"]["revision"] == 0
