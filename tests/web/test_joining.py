"""Joining from a phone over HTTP: the join form, the device cookie, personal links."""

import re

import pytest
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import Admission, Meeting, MeetingStatus, Participant
from facilitator.services import joining, people
from tests.conftest import csrf_token
from tests.web.test_qr import read_qr_svg


@pytest.fixture
def meeting(make_meeting):
    return make_meeting("FGC for the N. family", purpose="A plan for N. to be safe", venue="Family Centre")


@pytest.fixture
def phone(app):
    """A phone of its own: its own cookies, nobody signed in."""
    return app.test_client()


def join(phone, meeting, name="Kerry", relation="Mum", side="family", **kwargs):
    page = phone.get(f"/join/{meeting.join_code}", **kwargs).get_data(as_text=True)
    data = {"name": name, "relation": relation, "side": side, "csrf_token": csrf_token(page)}
    return phone.post(f"/join/{meeting.join_code}", data=data, **kwargs)


def everyone(app, meeting_id):
    with app.app_context():
        return [
            (p.name, p.relation, p.side.value, p.admission)
            for p in db.session.get(Meeting, meeting_id).participants
        ]


def test_the_room_screen_qr_code_decodes_to_the_join_address(client, auth, post, meeting):
    auth.login()
    opened = post(f"/meetings/{meeting.id}/screen")
    html = client.get(opened.headers["Location"]).get_data(as_text=True)
    svg = re.search(r'<svg class="qr".*?</svg>', html, re.DOTALL).group(0)
    assert read_qr_svg(svg) == [f"http://localhost/join/{meeting.join_code}"]
    code = meeting.join_code
    assert f"{code[:3]} {code[3:]}" in html and "localhost/join/" in html


def test_a_phone_joins_into_the_lobby_and_is_remembered(app, phone, meeting):
    form = phone.get(f"/join/{meeting.join_code}").get_data(as_text=True)
    assert "Your name" in form and "How are you connected?" in form and "Family or a friend" in form
    response = join(phone, meeting)
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("facilitator_device=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    token = cookie.split("=", 1)[1].split(";", 1)[0]
    with app.app_context():
        stored = db.session.scalar(select(Participant))
        assert stored.device_token_hash == people.hash_token(token) and token not in stored.device_token_hash
    page = phone.get(f"/join/{meeting.join_code}").get_data(as_text=True)
    assert "Waiting for the chair to let you in" in page
    join(phone, meeting)  # scanning again, or pressing back and joining again
    assert everyone(app, meeting.id) == [("Kerry", "Mum", "family", Admission.LOBBY)]


def test_the_lobby_shows_nothing_of_the_meeting(app, phone, meeting):
    join(phone, meeting)
    for address in (f"/join/{meeting.join_code}", f"/join/{meeting.join_code}/state"):
        html = phone.get(address).get_data(as_text=True)
        assert "A plan for N. to be safe" not in html and "Family Centre" not in html


def test_once_let_in_the_phone_sees_the_meeting(app, phone, meeting):
    join(phone, meeting)
    with app.test_request_context():
        person_id = db.session.scalar(select(Participant.id))
        joining.admit(db.session.get(Meeting, meeting.id), person_id)
    html = phone.get(f"/join/{meeting.join_code}/state").get_data(as_text=True)
    assert "You are in" in html and "A plan for N. to be safe" in html and "Family Centre" in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Enter the person&#39;s name"),
        ({"name": "K" * 81}, "at most 80 characters"),
        ({"relation": "R" * 81}, "at most 80 characters"),
        ({"side": "chair"}, "Choose family and friends, or professional"),
        ({"side": ""}, "Choose family and friends, or professional"),
    ],
)
def test_a_bad_join_says_why_and_nobody_is_added(app, phone, meeting, fields, message):
    response = join(phone, meeting, **{"name": "Kerry", "relation": "Mum", "side": "family", **fields})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers or "facilitator_device" not in response.headers["Set-Cookie"]
    assert everyone(app, meeting.id) == []


def test_names_are_shown_escaped(app, client, auth, phone, meeting):
    join(phone, meeting, name="<script>alert(1)</script>")
    html = phone.get(f"/join/{meeting.join_code}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_joining_without_the_csrf_token_is_refused(app, phone, meeting):
    response = phone.post(f"/join/{meeting.join_code}", data={"name": "Kerry", "side": "family"})
    assert response.status_code == 400
    assert everyone(app, meeting.id) == []


def test_joins_from_one_address_are_limited(app, meeting):
    for n in range(joining.JOINS_PER_ADDRESS):
        assert join(app.test_client(), meeting, name=f"Person {n}").status_code == 302
    refused = join(app.test_client(), meeting, name="One too many")
    assert refused.status_code == 429
    assert "Too many attempts" in refused.get_data(as_text=True)
    elsewhere = join(
        app.test_client(), meeting, name="From the 4G network", environ_base={"REMOTE_ADDR": "203.0.113.9"}
    )
    assert elsewhere.status_code == 302
    assert len(everyone(app, meeting.id)) == joining.JOINS_PER_ADDRESS + 1


def test_a_closed_meeting_cannot_be_joined(app, phone, meeting):
    join(phone, meeting)
    with app.app_context():
        db.session.get(Meeting, meeting.id).status = MeetingStatus.CLOSED
        db.session.commit()
    for response in (
        phone.get(f"/join/{meeting.join_code}"),
        app.test_client().get(f"/join/{meeting.join_code}"),
    ):
        # Someone never let in sees neither the summary nor the meeting's title.
        assert response.status_code == 410
        html = response.get_data(as_text=True)
        assert "This meeting has finished" in html and "N. family" not in html
    assert app.test_client().post(f"/join/{meeting.join_code}", data={"name": "Late"}).status_code in (
        400,
        410,
    )


def test_a_forged_or_foreign_device_token_is_a_new_phone(app, phone, meeting, make_meeting):
    other = make_meeting("FGC for the O. family")
    join(phone, other, name="Olu")  # this phone is someone in another meeting
    html = phone.get(f"/join/{meeting.join_code}").get_data(as_text=True)
    assert "Your name" in html  # not Olu here
    forged = app.test_client()
    forged.set_cookie("facilitator_device", "forged-token-that-nobody-was-given")
    assert "Your name" in forged.get(f"/join/{meeting.join_code}").get_data(as_text=True)
    assert forged.get(f"/join/{meeting.join_code}/state").status_code == 404


@pytest.fixture
def invited(app, meeting):
    """Pat, on the people list, and her personal link."""
    with app.test_request_context():
        loaded = db.session.get(Meeting, meeting.id)
        person = people.add_person(loaded, people.PersonDetails("Pat", "Nan", "family"))
        _, token = people.issue_invite(loaded, person.id)
    return f"/join/invite/{token}"


def tap_join(phone, link):
    page = phone.get(link).get_data(as_text=True)
    return phone.post(link, data={"csrf_token": csrf_token(page)})


def test_a_personal_link_joins_straight_in_with_one_tap(app, phone, meeting, invited):
    page = phone.get(invited)
    assert "Join as Pat" in page.get_data(as_text=True)
    assert everyone(app, meeting.id) == [
        ("Pat", "Nan", "family", Admission.EXPECTED)
    ]  # opening it changes nothing
    response = tap_join(phone, invited)
    assert response.status_code == 302 and response.headers["Location"] == f"/join/{meeting.join_code}"
    assert everyone(app, meeting.id) == [("Pat", "Nan", "family", Admission.ADMITTED)]
    assert "You are in" in phone.get(f"/join/{meeting.join_code}").get_data(as_text=True)
    tap_join(phone, invited)  # again, from the same phone
    assert len(everyone(app, meeting.id)) == 1


def test_a_second_phone_on_someones_link_waits_in_the_lobby(app, phone, meeting, invited):
    tap_join(phone, invited)
    tap_join(app.test_client(), invited)
    assert everyone(app, meeting.id) == [
        ("Pat", "Nan", "family", Admission.ADMITTED),
        ("Pat", "Nan", "family", Admission.LOBBY),
    ]


def test_a_phone_that_joined_by_code_then_uses_its_link_becomes_that_person(app, phone, meeting, invited):
    join(phone, meeting, name="Pat")
    tap_join(phone, invited)
    assert everyone(app, meeting.id) == [("Pat", "Nan", "family", Admission.ADMITTED)]


def test_phone_pages_have_a_quick_exit_and_no_account_links(phone, meeting, invited):
    for address in (f"/join/{meeting.join_code}", invited):
        html = phone.get(address).get_data(as_text=True)
        assert 'href="https://www.bbc.co.uk/weather"' in html and "data-quick-exit" in html
        assert re.search(r'src="/static/js/quick-exit\.[0-9a-f]{12}\.js"', html)
        assert "/login" not in html and "Sign out" not in html


def test_the_room_screen_opens_only_with_its_current_token(app, client, auth, post, meeting):
    auth.login()
    first = post(f"/meetings/{meeting.id}/screen").headers["Location"]
    assert app.test_client().get(first).status_code == 200  # no sign-in needed: the token is the key
    second = post(f"/meetings/{meeting.id}/screen").headers["Location"]
    old = app.test_client().get(first)
    assert old.status_code == 404 and "N. family" not in old.get_data(as_text=True)
    assert app.test_client().get(second).status_code == 200
    assert app.test_client().get("/screen/not-a-real-token-at-all-123").status_code == 404
