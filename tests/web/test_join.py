"""Where phones arrive: the join page, by code."""

import pytest

from facilitator.extensions import db
from facilitator.models import MeetingStatus


@pytest.fixture
def meeting(make_meeting):
    return make_meeting("FGC for <b>J.</b>", purpose="A plan for J.")


def test_join_page_names_the_meeting(client, meeting):
    response = client.get(f"/join/{meeting.join_code}")
    assert response.status_code == 200
    assert "FGC for &lt;b&gt;J.&lt;/b&gt;" in response.get_data(as_text=True)


def test_code_is_accepted_as_people_type_it(client, meeting):
    typed = f" {meeting.join_code[:3].lower()} - {meeting.join_code[3:].lower()} "
    response = client.get("/join/", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/join/{meeting.join_code}"


def test_enter_code_page_asks_for_the_code(client):
    response = client.get("/join/")
    assert response.status_code == 200
    assert 'autocapitalize="characters"' in response.get_data(as_text=True)


def test_empty_code_is_explained(client):
    response = client.get("/join/", query_string={"code": ""})
    assert response.status_code == 400
    assert "Enter the join code." in response.get_data(as_text=True)


@pytest.mark.parametrize("typed", ["- - -", "x" * 21, "ÉÉÉ", "<script>alert(1)</script>"])
def test_odd_codes_are_answered_plainly(client, typed):
    response = client.get("/join/", query_string={"code": typed}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code in (400, 404)
    assert "<script>alert" not in html
    assert "Something went wrong" not in html


@pytest.mark.parametrize("code", ["AAAAAAA", "0OIL1ZS", "x" * 300, "<script>", "%00"])
def test_unknown_code_gets_a_plain_message_and_nothing_else(client, meeting, code):
    response = client.get(f"/join/{code}")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "That code does not open a meeting" in html
    assert "J." not in html
    assert "<script>" not in html


def test_closed_meeting_code_stops_working(app, client, meeting):
    with app.app_context():
        db.session.merge(meeting).status = MeetingStatus.CLOSED
        db.session.commit()
    response = client.get(f"/join/{meeting.join_code}")
    assert response.status_code == 410
    html = response.get_data(as_text=True)
    assert "This meeting has finished" in html
    assert 'name="name"' not in html  # no join form
