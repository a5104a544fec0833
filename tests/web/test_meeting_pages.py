"""Setting up meetings: the dashboard, creating, duplicating, deleting and sharing them."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from facilitator import formats
from facilitator.extensions import db
from facilitator.models import Meeting, MeetingMember, MeetingStatus, Participant, Stage
from facilitator.services import people
from tests.conftest import AuthActions


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_the_dashboard_groups_meetings_by_status_with_format_and_date(app, client, auth, make_meeting):
    upcoming = make_meeting("FGC for the A. family", scheduled_at=datetime(2027, 3, 4, 9, 30, tzinfo=UTC))
    live = make_meeting("Circle for the B. family", format_key="check_in_circle")
    closed = make_meeting("Review for the C. family", format_key="review_conference")
    with app.app_context():
        db.session.get(Meeting, live.id).status = MeetingStatus.LIVE
        db.session.get(Meeting, closed.id).status = MeetingStatus.CLOSED
        db.session.commit()
    auth.login()
    html = client.get("/meetings/").get_data(as_text=True)
    live_at, upcoming_at, closed_at = (html.index(title) for title in ("B. family", "A. family", "C. family"))
    assert (
        html.index("Live now")
        < live_at
        < html.index("Upcoming")
        < upcoming_at
        < html.index("Closed")
        < closed_at
    )
    assert "Family Group Conference" in html and "Check-in circle" in html
    assert "Thu 4 Mar 2027, 09:30" in html  # shown in the council's time zone (GMT in March)
    assert upcoming.title in html


def test_a_meeting_is_set_up_from_a_format(app, client, auth, post, chair):
    auth.login()
    response = post(
        "/meetings/new",
        {
            "format_key": "restorative_cp_conference",
            "title": " Conference for the D. family ",
            "date": "2027-07-01",
            "time": "10:00",
            "venue": "Civic Centre, room 4",
            "purpose": "To agree how D. will be safe at home.",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        meeting = db.session.scalar(select(Meeting))
        assert response.headers["Location"] == f"/meetings/{meeting.id}/agenda/"
        assert meeting.title == "Conference for the D. family"
        assert meeting.scheduled_at == datetime(2027, 7, 1, 9, 0, tzinfo=UTC)  # 10:00 British Summer Time
        assert meeting.venue == "Civic Centre, room 4"
        assert len(meeting.stages) == len(formats.get("restorative_cp_conference").stages)
    agenda_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This is what I can do to help" in agenda_page


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"format_key": "family_group_conference", "title": ""}, "Give the meeting a title"),
        ({"format_key": "family_group_conference", "title": "x" * 121}, "at most 120 characters"),
        ({"format_key": "", "title": "J. family"}, "Choose one of the meeting formats"),
        ({"format_key": "../../etc", "title": "J. family"}, "Choose one of the meeting formats"),
        (
            {"format_key": "check_in_circle", "title": "J. family", "time": "10:00"},
            "Enter the date as well as the time",
        ),
        ({"format_key": "check_in_circle", "title": "J. family", "date": "2090-01-01"}, "within five years"),
        ({"format_key": "check_in_circle", "title": "J. family", "date": "tomorrow"}, "Not a valid date"),
        (
            {"format_key": "check_in_circle", "title": "J. family", "purpose": "p" * 301},
            "at most 300 characters",
        ),
    ],
)
def test_a_refused_set_up_says_why_keeps_what_was_typed_and_saves_nothing(
    app, auth, post, chair, form, message
):
    auth.login()
    response = post("/meetings/new", form)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert "There is a problem" in html
    if form["title"]:
        assert f'value="{form["title"]}"' in html
    assert count(app, Meeting) == 0


def test_forms_without_the_csrf_token_are_refused(app, client, auth, make_meeting):
    meeting = make_meeting()
    auth.login()
    for url in (
        "/meetings/new",
        f"/meetings/{meeting.id}/duplicate",
        f"/meetings/{meeting.id}/delete",
        f"/meetings/{meeting.id}/agenda/",
        f"/meetings/{meeting.id}/people/",
    ):
        response = client.post(
            url, data={"title": "Sneaky", "format_key": "check_in_circle", "name": "Sneaky"}
        )
        assert response.status_code == 400, url
        assert (
            "form has expired" in response.get_data(as_text=True).lower()
            or "csrf" in response.get_data(as_text=True).lower()
        )
    assert count(app, Meeting) == 1
    assert count(app, Participant) == 0


def test_duplicate_copies_the_details_agenda_and_people_but_no_links(app, client, auth, post, make_meeting):
    original = make_meeting("FGC for the E. family", venue="Family Centre", purpose="A plan for E.")
    with app.test_request_context():
        meeting = db.session.get(Meeting, original.id)
        person = people.add_person(
            meeting, people.PersonDetails("Pat", "Nan", "family", frozenset({"may_stay_in_private_time"}))
        )
        people.issue_invite(meeting, person.id)
    auth.login()
    response = post(f"/meetings/{original.id}/duplicate")
    assert response.status_code == 302
    with app.app_context():
        copy = db.session.scalar(select(Meeting).where(Meeting.id != original.id))
        source = db.session.get(Meeting, original.id)
        assert response.headers["Location"] == f"/meetings/{copy.id}/details"
        assert copy.title == "Copy of FGC for the E. family"
        assert (copy.venue, copy.purpose, copy.format_key) == (
            source.venue,
            source.purpose,
            source.format_key,
        )
        assert copy.join_code != source.join_code
        assert [(s.kind, s.title, s.prompt) for s in copy.stages] == [
            (s.kind, s.title, s.prompt) for s in source.stages
        ]
        (copied,) = copy.participants
        assert (copied.name, copied.relation, copied.may_stay_in_private_time) == ("Pat", "Nan", True)
        assert copied.invite_token_hash is None


def test_delete_asks_first_then_removes_everything_recorded(
    app, client, auth, post, make_meeting, other_chair
):
    meeting = make_meeting("FGC for the F. family")
    with app.test_request_context():
        loaded = db.session.get(Meeting, meeting.id)
        people.add_person(loaded, people.PersonDetails("Pat", "Nan", "family"))
        db.session.add(MeetingMember(meeting_id=meeting.id, chair_id=other_chair.id, role="co_chair"))
        db.session.commit()
    auth.login()
    confirm = client.get(f"/meetings/{meeting.id}/delete")
    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.get_data(as_text=True)
    assert count(app, Meeting) == 1
    response = post(f"/meetings/{meeting.id}/delete")
    assert response.status_code == 302
    assert "F. family" in client.get("/meetings/").get_data(as_text=True)  # named in the message...
    assert client.get(f"/meetings/{meeting.id}").status_code == 404  # ...and gone
    for model in (Meeting, Stage, Participant, MeetingMember):
        assert count(app, model) == 0, model


MEETING_PAGES = [
    ("get", "/meetings/{id}"),
    ("get", "/meetings/{id}/details"),
    ("post", "/meetings/{id}/details"),
    ("post", "/meetings/{id}/duplicate"),
    ("get", "/meetings/{id}/delete"),
    ("post", "/meetings/{id}/delete"),
    ("get", "/meetings/{id}/agenda/"),
    ("post", "/meetings/{id}/agenda/"),
    ("get", "/meetings/{id}/agenda/{stage}"),
    ("post", "/meetings/{id}/agenda/{stage}"),
    ("post", "/meetings/{id}/agenda/{stage}/move"),
    ("post", "/meetings/{id}/agenda/{stage}/remove"),
    ("get", "/meetings/{id}/people/"),
    ("post", "/meetings/{id}/people/"),
    ("get", "/meetings/{id}/people/{person}"),
    ("post", "/meetings/{id}/people/{person}"),
    ("post", "/meetings/{id}/people/{person}/invite"),
    ("post", "/meetings/{id}/people/{person}/remove"),
    ("get", "/meetings/{id}/sharing/"),
    ("post", "/meetings/{id}/sharing/"),
    ("post", "/meetings/{id}/screen"),
]


@pytest.fixture
def their_meeting(app, make_meeting, other_chair):
    """Another chair's meeting, with a stage and a person, and its URLs' ids."""
    meeting = make_meeting("Meeting for the K. family", owner_id=other_chair.id)
    with app.test_request_context():
        loaded = db.session.get(Meeting, meeting.id)
        person = people.add_person(loaded, people.PersonDetails("Kim", "Aunt", "family"))
        return {"id": meeting.id, "stage": loaded.stages[1].id, "person": person.id}


@pytest.mark.parametrize(("method", "url"), MEETING_PAGES)
def test_another_chairs_meeting_is_not_found_and_unchanged(
    app, client, auth, post, their_meeting, method, url
):
    auth.login()
    address = url.format(**their_meeting)
    data = {
        "title": "Taken over",
        "name": "Taken over",
        "kind": "welcome",
        "minutes": "5",
        "side": "family",
        "direction": "up",
    }
    response = client.get(address) if method == "get" else post(address, data)
    assert response.status_code == 404
    assert "K. family" not in response.get_data(as_text=True)
    with app.app_context():
        meeting = db.session.get(Meeting, their_meeting["id"])
        assert meeting.title == "Meeting for the K. family"
        assert [p.name for p in meeting.participants] == ["Kim"]
        assert "Taken over" not in [s.title for s in meeting.stages]
        assert meeting.version == 1  # only the person added above


def share(app, meeting_id, chair_id, role):
    with app.app_context():
        db.session.add(MeetingMember(meeting_id=meeting_id, chair_id=chair_id, role=role))
        db.session.commit()


def test_an_owner_shares_a_meeting_with_a_co_chair_who_can_then_run_it(
    app, client, auth, post, make_meeting, other_chair
):
    meeting = make_meeting("FGC for the G. family")
    auth.login()
    response = post(
        f"/meetings/{meeting.id}/sharing/", {"email": other_chair.email.upper(), "role": "co_chair"}
    )
    assert response.status_code == 302
    co_chair = AuthActions(app.test_client())
    co_chair.login(email=other_chair.email, password="another long password")
    their_client = co_chair._client
    assert "G. family" in their_client.get("/meetings/").get_data(as_text=True)
    assert their_client.get(f"/meetings/{meeting.id}/agenda/").status_code == 200
    assert their_client.get(f"/meetings/{meeting.id}/sharing/").status_code == 403
    assert their_client.get(f"/meetings/{meeting.id}/delete").status_code == 403


def test_a_minute_taker_follows_but_cannot_change_the_set_up(app, make_meeting, other_chair):
    meeting = make_meeting("FGC for the H. family")
    share(app, meeting.id, other_chair.id, "minute_taker")
    minute_taker = app.test_client()
    AuthActions(minute_taker).login(email=other_chair.email, password="another long password")
    assert minute_taker.get(f"/meetings/{meeting.id}").status_code == 200
    agenda_page = minute_taker.get(f"/meetings/{meeting.id}/agenda/").get_data(as_text=True)
    assert "Move up" not in agenda_page and "Add a stage" not in agenda_page
    token = agenda_page.split('name="csrf-token" content="')[1].split('"')[0]
    refused = minute_taker.post(
        f"/meetings/{meeting.id}/agenda/",
        data={"csrf_token": token, "kind": "welcome", "title": "Mine", "minutes": "5"},
    )
    assert refused.status_code == 403
    with app.app_context():
        assert "Mine" not in [s.title for s in db.session.get(Meeting, meeting.id).stages]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"email": "nobody@council.example", "role": "co_chair"}, "No chair has an account"),
        ({"email": "not an address", "role": "co_chair"}, "like name@council.gov.uk"),
        ({"email": "alex.jones@council.example", "role": "owner"}, "Choose co-chair or minute-taker"),
        ({"email": "sam.patel@council.example", "role": "co_chair"}, "already runs this meeting"),
    ],
)
def test_sharing_refusals_say_why(app, auth, post, make_meeting, other_chair, form, message):
    meeting = make_meeting()
    auth.login()
    response = post(f"/meetings/{meeting.id}/sharing/", form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(app, MeetingMember) == 0


def test_details_are_edited_and_a_bad_edit_changes_nothing(app, client, auth, post, make_meeting):
    meeting = make_meeting("FGC for the I. family")
    auth.login()
    form = client.get(f"/meetings/{meeting.id}/details").get_data(as_text=True)
    assert 'value="FGC for the I. family"' in form
    assert post(f"/meetings/{meeting.id}/details", {"title": "", "venue": "Somewhere"}).status_code == 400
    assert (
        post(
            f"/meetings/{meeting.id}/details", {"title": "FGC for the I. family", "venue": "Library"}
        ).status_code
        == 302
    )
    with app.app_context():
        assert db.session.get(Meeting, meeting.id).venue == "Library"


def test_an_empty_set_up_form_names_every_missing_answer_at_once(app, auth, post, chair):
    auth.login()
    html = post("/meetings/new", {}).get_data(as_text=True)
    assert "Give the meeting a title" in html and "Choose one of the meeting formats" in html
    assert count(app, Meeting) == 0
