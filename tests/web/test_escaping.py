"""What people type is shown as text on every view, never run as a page's code."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import Meeting, Participant
from facilitator.services import joining, rounds
from facilitator.web import display
from tests.web.test_joining import join

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SCRIPTS = Path(__file__).parents[2] / "facilitator" / "static" / "js"


@pytest.fixture
def meeting(make_meeting):
    return make_meeting(title="FGC <b>for</b> the J. family", purpose=HOSTILE)


@pytest.fixture
def hostile_phone(app, meeting):
    """A phone let in under a name made of markup."""
    phone = app.test_client()
    join(phone, meeting, name=HOSTILE[:80], relation="<i>Mum</i>")
    with app.app_context():
        person = db.session.scalar(select(Participant).where(Participant.meeting_id == meeting.id))
        joining.admit(db.session.get(Meeting, meeting.id), person.id)
    return phone


def assert_shown_as_text(html):
    assert "<script>alert" not in html
    assert "onerror=alert" not in html or "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x" not in html
    assert "<b>for</b>" not in html and "<i>Mum</i>" not in html


def test_markup_in_names_titles_and_purposes_is_escaped_on_every_page(client, auth, post, meeting, hostile_phone):
    auth.login()
    screen = client.get(post(f"/meetings/{meeting.id}/screen").headers["Location"]).get_data(as_text=True)
    pages = {
        "console": client.get(f"/meetings/{meeting.id}").get_data(as_text=True),
        "people": client.get(f"/meetings/{meeting.id}/people/").get_data(as_text=True),
        "screen": screen,
        "phone": hostile_phone.get(f"/join/{meeting.join_code}").get_data(as_text=True),
        "phone state": hostile_phone.get(f"/join/{meeting.join_code}/state").get_data(as_text=True),
    }
    for name, html in pages.items():
        assert "FGC &lt;b&gt;for&lt;/b&gt; the J. family" in html, name
        assert_shown_as_text(html)
    assert "&lt;script&gt;alert" in pages["people"]
    assert "&lt;script&gt;alert" in pages["phone state"]


def test_the_live_views_never_turn_text_into_markup():
    """Everything the live views draw from the server is set as text; the one exception is
    the phone's own page fragment, which the server renders (and escapes) itself."""
    uses = []
    for script in sorted(SCRIPTS.rglob("*.js")):
        for number, line in enumerate(script.read_text().splitlines(), 1):
            if re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function", line):
                uses.append((script.relative_to(SCRIPTS).as_posix(), line.strip()))
    assert uses == [("phone.js", "holder.innerHTML = await response.text();")]


def test_every_feeling_has_a_picture_and_a_word():
    sprite = (SCRIPTS.parent / "img" / "feelings.svg").read_text()
    assert set(display.FEELING_LABELS) == set(rounds.FEELINGS)
    for feeling in rounds.FEELINGS:
        assert f'<symbol id="{feeling}"' in sprite
