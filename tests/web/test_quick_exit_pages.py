"""The quick exit on every page a phone can reach without a meeting to show: typing the code in,
a code or a link that opens nothing, too many tries, and the error pages, which must draw it
from settings alone, even with the database down."""

from __future__ import annotations

import re

import pytest

from facilitator import create_app
from facilitator.services import joining

EXIT = "https://www.example.org/weather"


@pytest.fixture
def phone(app):
    app.config["QUICK_EXIT_URL"] = EXIT
    return app.test_client()


def has_quick_exit(html: str) -> bool:
    return (
        f'href="{EXIT}"' in html
        and "data-quick-exit" in html
        and "Exit this page" in html
        and re.search(r'src="/static/js/quick-exit\.[0-9a-f]{12}\.js"', html) is not None
    )


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("/join/", 200),
        ("/join/?code=%3F", 400),
        ("/join/ZZZZZZZ", 404),
        ("/join/invite/not-a-link-anyone-was-given", 404),
        ("/no-such-page", 404),
        ("/join/ZZZZZZZ/summary", 404),
    ],
)
def test_pages_without_a_meeting_have_the_quick_exit(phone, address, status):
    response = phone.get(address)
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert has_quick_exit(html)
    assert "Sign out" not in html


def test_too_many_tries_has_the_quick_exit(phone):
    for _ in range(joining.MISSED_LOOKUPS_PER_ADDRESS):
        phone.get("/join/ZZZZZZZ")
    response = phone.get("/join/QQQQQQQ")
    assert response.status_code == 429
    assert has_quick_exit(response.get_data(as_text=True))


def test_the_error_page_has_the_quick_exit_with_the_database_down(tmp_path):
    """The database cannot be opened at all: a phone's request fails, and the page that says so
    still has its way out."""
    app = create_app(
        {"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'nowhere.sqlite3'}"}
    )
    app.config.update(PROPAGATE_EXCEPTIONS=False, QUICK_EXIT_URL=EXIT)
    response = app.test_client().get("/join/K7MQTRA")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert has_quick_exit(html)


def test_json_errors_stay_json(phone):
    response = phone.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.is_json
