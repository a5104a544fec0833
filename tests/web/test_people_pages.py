"""The people list, and the personal link and card each person can be given."""

import html
import re

import pytest

from facilitator.extensions import db
from facilitator.models import Meeting, Participant
from tests.web.test_qr import read_qr_svg


@pytest.fixture
def meeting(auth, make_meeting):
    made = make_meeting("FGC for the M. family")
    auth.login()
    return made


def listed(app, meeting_id):
    with app.app_context():
        return [
            (p.name, p.relation, p.side.value, p.may_stay_in_private_time)
            for p in db.session.get(Meeting, meeting_id).participants
        ]


def test_people_are_added_with_their_side_and_flags(app, client, post, meeting):
    response = post(
        f"/meetings/{meeting.id}/people/",
        {
            "name": "Amira",
            "relation": "J.'s advocate",
            "side": "professional",
            "flags": ["is_advocate", "may_stay_in_private_time"],
        },
    )
    assert response.status_code == 302
    assert listed(app, meeting.id) == [("Amira", "J.'s advocate", "professional", True)]
    page = client.get(f"/meetings/{meeting.id}/people/").get_data(as_text=True)
    assert "Amira" in page and "The child's advocate" in html.unescape(page) and "May stay in private family time" in page


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": "", "side": "family"}, "Enter the person&#39;s name"),
        ({"name": "Pat", "side": ""}, "Choose family and friends, or professional"),
        ({"name": "Pat", "side": "chair"}, "Choose family and friends, or professional"),
        ({"name": "Pat", "side": "family", "flags": ["is_admin"]}, "Choose from the flags listed"),
        ({"name": "Pat", "side": "professional", "flags": ["is_child"]}, "for a child or young person"),
        ({"name": "P" * 81, "side": "family"}, "at most 80 characters"),
    ],
)
def test_a_refused_person_says_why_and_nothing_is_saved(app, post, meeting, form, message):
    response = post(f"/meetings/{meeting.id}/people/", form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert listed(app, meeting.id) == []


def test_a_person_is_edited_and_removed(app, client, post, meeting):
    post(f"/meetings/{meeting.id}/people/", {"name": "Pat", "relation": "Nan", "side": "family"})
    with app.app_context():
        person_id = db.session.query(Participant.id).scalar()
    form = client.get(f"/meetings/{meeting.id}/people/{person_id}").get_data(as_text=True)
    assert 'value="Pat"' in form and 'value="family" checked' in form
    post(
        f"/meetings/{meeting.id}/people/{person_id}",
        {"name": "Patricia", "relation": "Nan", "side": "family", "flags": ["may_stay_in_private_time"]},
    )
    assert listed(app, meeting.id) == [("Patricia", "Nan", "family", True)]
    post(f"/meetings/{meeting.id}/people/{person_id}/remove")
    assert listed(app, meeting.id) == []


def test_the_card_carries_a_readable_qr_code_of_a_link_that_greets_the_person(app, client, post, meeting):
    post(f"/meetings/{meeting.id}/people/", {"name": "Pat", "relation": "Nan", "side": "family"})
    with app.app_context():
        person_id = db.session.query(Participant.id).scalar()
    card = post(f"/meetings/{meeting.id}/people/{person_id}/invite")
    assert card.status_code == 200
    assert card.headers["Cache-Control"].startswith("no-store")
    html = card.get_data(as_text=True)
    link = re.search(r'id="personal-link" type="text" readonly value="([^"]+)"', html).group(1)
    assert re.fullmatch(r"http://localhost/join/invite/[A-Za-z0-9_-]{32}", link)
    assert read_qr_svg(re.search(r"<svg class=\"qr\".*?</svg>", html, re.DOTALL).group(0)) == [link]
    with app.app_context():
        assert link.rsplit("/", 1)[1] not in db.session.get(Participant, person_id).invite_token_hash
    greeting = client.get(link.removeprefix("http://localhost")).get_data(as_text=True)
    assert "Join as Pat" in greeting and "FGC for the M. family" in greeting
    post(f"/meetings/{meeting.id}/people/{person_id}/invite")  # a new card...
    old = client.get(link.removeprefix("http://localhost"))  # ...and the old link no longer works
    assert old.status_code == 404
    assert "FGC for the M. family" not in old.get_data(as_text=True)


def test_the_card_says_how_to_join_without_a_camera(app, post, meeting):
    post(f"/meetings/{meeting.id}/people/", {"name": "Pat", "relation": "Nan", "side": "family"})
    with app.app_context():
        person_id = db.session.query(Participant.id).scalar()
    html = post(f"/meetings/{meeting.id}/people/{person_id}/invite").get_data(as_text=True)
    code = meeting.join_code
    assert f"go to localhost/join/ and type the code {code[:3]} {code[3:]}" in html
