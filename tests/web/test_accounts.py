"""Chair accounts: throttled sign-in, changing a password, the admin's accounts page."""

import time

import pytest
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import Chair
from facilitator.services import accounts, throttle
from tests.conftest import CHAIR_EMAIL, CHAIR_PASSWORD, AuthActions

THROTTLED = "Too many attempts"


def fail(auth, times, email=CHAIR_EMAIL, **kwargs):
    for _ in range(times):
        assert auth.login(email=email, password="not the password", **kwargs).status_code == 400


def test_repeated_failures_for_one_account_are_slowed_down(auth, chair):
    fail(auth, accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ADDRESS)
    refused = auth.login()  # even the right password waits
    assert refused.status_code == 429
    assert THROTTLED in refused.get_data(as_text=True)
    assert "Wait 15 minutes" in refused.get_data(as_text=True)


def test_the_account_limit_does_not_lock_out_other_accounts(app, auth, chair, other_chair):
    fail(auth, accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ADDRESS)
    assert auth.login(email=other_chair.email, password="another long password").status_code == 302


def test_the_refusal_lifts_as_the_failures_age(app, auth, chair, monkeypatch):
    fail(auth, accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ADDRESS)
    later = time.time() + accounts.FAILURE_WINDOW.total_seconds() + 1
    monkeypatch.setattr(throttle, "now", lambda: later)
    assert auth.login().status_code == 302


def test_a_success_clears_the_account_count(auth, chair):
    fail(auth, accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ADDRESS - 1)
    assert auth.login().status_code == 302
    auth.logout()
    fail(auth, accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ADDRESS - 1)
    assert auth.login().status_code == 302


def test_many_accounts_tried_from_one_address_are_slowed_down(app, auth, chair):
    remaining, n = accounts.MAX_FAILURES_PER_ADDRESS, 0
    while remaining:
        tries = min(accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ADDRESS - 1, remaining)
        fail(auth, tries, email=f"guess{n}@council.example")
        remaining, n = remaining - tries, n + 1
    assert auth.login().status_code == 429
    # The chair, signing in from another address, is not locked out by it.
    assert AuthActions(app.test_client(), address="198.51.100.7").login().status_code == 302


def test_failures_are_kept_without_addresses_or_emails(app, auth, chair):
    fail(auth, 2)
    keys = list(throttle.store_for(app)._events)
    assert len(keys) == 3  # the account, the address, the account from the address
    assert all(len(key) == 64 and "@" not in key and "127.0.0.1" not in key for key in keys)


def test_session_cookie_is_httponly_and_lax(auth, chair):
    cookie = auth.login().headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_changing_the_password_signs_out_every_other_session(app, client, auth, post, chair):
    auth.login()
    laptop = app.test_client()
    AuthActions(laptop).login()
    assert laptop.get("/meetings/").status_code == 200
    changed = post(
        "/account/password",
        {
            "current_password": CHAIR_PASSWORD,
            "password": "a brand new long password",
            "confirmation": "a brand new long password",
        },
    )
    assert changed.status_code == 302
    assert client.get("/meetings/").status_code == 200  # this session carries on
    assert laptop.get("/meetings/").status_code == 302  # the other is signed out
    auth.logout()
    assert auth.login(password="a brand new long password").status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "again", "message"),
    [
        (
            "wrong password here",
            "a brand new long password",
            "a brand new long password",
            "not your current password",
        ),
        (CHAIR_PASSWORD, "short", "short", "at least 12 characters"),
        (CHAIR_PASSWORD, "a brand new long password", "a different long password", "are different"),
        (CHAIR_PASSWORD, CHAIR_PASSWORD, CHAIR_PASSWORD, "different from the current one"),
    ],
)
def test_a_refused_password_change_says_why_and_keeps_the_old_password(
    auth, post, chair, current, new, again, message
):
    auth.login()
    response = post(
        "/account/password", {"current_password": current, "password": new, "confirmation": again}
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    auth.logout()
    assert auth.login().status_code == 302


def test_only_admins_reach_the_accounts_page(client, auth, chair):
    auth.login()
    assert client.get("/admin/chairs").status_code == 403


@pytest.fixture
def admin(app):
    with app.app_context():
        accounts.create_chair(
            "admin@council.example", "the admin's long password", display_name="Ada Admin", is_admin=True
        )


def test_an_admin_creates_an_account_with_a_temporary_password(app, client, auth, post, admin):
    auth.login(email="admin@council.example", password="the admin's long password")
    response = post("/admin/chairs", {"email": "New.Chair@Council.example", "display_name": "Nia Chair"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    temporary = html.split("<code>")[1].split("</code>")[0]
    assert len(temporary) >= accounts.MIN_PASSWORD_LENGTH
    auth.logout()
    assert auth.login(email="new.chair@council.example", password=temporary).status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(select(Chair.is_admin).where(Chair.email == "new.chair@council.example"))
            is False
        )


@pytest.mark.parametrize(
    ("email", "message"),
    [("not-an-address", "like name@council.gov.uk"), ("admin@council.example", "already an account")],
)
def test_an_admin_gets_a_reason_when_an_account_cannot_be_made(app, auth, post, admin, email, message):
    auth.login(email="admin@council.example", password="the admin's long password")
    response = post("/admin/chairs", {"email": email, "display_name": "Someone"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and "<code>" not in html
    with app.app_context():
        assert db.session.query(Chair).count() == 1
