"""Chair sign-in and sign-out."""

import re

import pytest

from facilitator.extensions import db
from facilitator.models import Chair
from facilitator.services import accounts
from tests.conftest import CHAIR_PASSWORD

WRONG = "That e-mail address and password do not match an account."


def test_sign_in_opens_the_chairs_meetings(client, auth, chair):
    response = auth.login()
    assert response.status_code == 302
    assert response.headers["Location"] == "/meetings/"
    page = client.get("/meetings/").get_data(as_text=True)
    assert "Your meetings" in page
    assert "Sam Patel" in page


def test_email_is_matched_whatever_its_case(auth, chair):
    assert auth.login(email="  Sam.Patel@Council.EXAMPLE ").status_code == 302


@pytest.mark.parametrize(
    ("email", "password"),
    [("sam.patel@council.example", "not the password"), ("nobody@council.example", CHAIR_PASSWORD)],
    ids=["wrong-password", "unknown-email"],
)
def test_wrong_credentials_get_one_message_that_does_not_say_which(client, auth, chair, email, password):
    response = auth.login(email=email, password=password)
    assert response.status_code == 400
    assert WRONG in response.get_data(as_text=True)
    assert client.get("/meetings/").status_code == 302


def test_empty_form_names_each_missing_field(auth, chair):
    response = auth.login(email="", password="")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter your e-mail address." in html
    assert "Enter your password." in html
    assert 'aria-invalid="true"' in html


def test_sign_in_without_csrf_token_is_refused(client, chair):
    client.get("/login")
    response = client.post("/login", data={"email": "sam.patel@council.example", "password": CHAIR_PASSWORD})
    assert response.status_code == 400
    assert client.get("/meetings/").status_code == 302


def test_sign_in_returns_to_the_page_asked_for(auth, chair):
    assert auth.login(next_path="/meetings/").headers["Location"] == "/meetings/"


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
def test_sign_in_never_redirects_to_another_site(auth, chair, target):
    assert auth.login(next_path=target).headers["Location"] == "/meetings/"


def test_sign_out_ends_the_session(client, auth, chair):
    auth.login()
    response = auth.logout()
    assert response.headers["Location"] == "/login"
    assert client.get("/meetings/").status_code == 302


def test_sign_out_needs_a_post_with_csrf_token(client, auth, chair):
    auth.login()
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/meetings/").status_code == 200


def test_a_deleted_account_is_signed_out(app, client, auth, chair):
    auth.login()
    with app.app_context():
        db.session.delete(db.session.get(Chair, chair.id))
        db.session.commit()
    assert client.get("/meetings/").status_code == 302


def test_a_chair_sees_only_their_own_meetings(app, client, auth, chair, make_meeting):
    with app.app_context():
        other_id = accounts.create_chair("other@council.example", "another long password").id
    theirs_id = make_meeting("Meeting for the K. family", owner_id=other_id).id
    mine_id = make_meeting("Meeting for the J. family").id
    auth.login()
    listing = client.get("/meetings/").get_data(as_text=True)
    assert "J. family" in listing
    assert "K. family" not in listing
    assert client.get(f"/meetings/{mine_id}").status_code == 200
    response = client.get(f"/meetings/{theirs_id}")
    assert response.status_code == 404
    assert "K. family" not in response.get_data(as_text=True)
    assert client.get("/meetings/999999").status_code == 404


def test_console_shows_the_join_code_and_address(client, auth, make_meeting):
    meeting = make_meeting("Meeting for the J. family")
    meeting_id, code = meeting.id, meeting.join_code
    auth.login()
    html = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert f"{code[:3]} {code[3:]}" in html
    assert f"http://localhost/join/{code}" in html
    assert re.search(r'<script type="module" src="/static/js/console\.[0-9a-f]{12}\.js">', html)
