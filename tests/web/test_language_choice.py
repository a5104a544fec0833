"""Choosing a language: each device its own, the room screen its meeting's, and the format's
words following whoever reads them while a chair's own words stay as written."""

from __future__ import annotations

import html
import re

import pytest
from babel.support import Translations
from markupsafe import escape

from facilitator.extensions import db
from facilitator.i18n import LANGUAGE_COOKIE
from facilitator.models import Meeting, Stage
from facilitator.services import running
from tests.conftest import csrf_token
from tests.browser.test_languages_in_browsers import CATALOGUES

def in_page(code: str):
    """A string of the language's catalogue as a page writes it (escaped: "chi'n" is "chi&#39;n")."""
    gettext = Translations.load(str(CATALOGUES), [code]).gettext
    return lambda text: str(escape(gettext(text)))


cy, ur, pl = in_page("cy"), in_page("ur"), in_page("pl")


@pytest.fixture
def meeting(make_meeting):
    return make_meeting("FGC for the N. family")


@pytest.fixture
def phone(app):
    return app.test_client()


def html_lang(page: str) -> tuple[str, str]:
    found = re.search(r'<html lang="([^"]+)" dir="([^"]+)"', page)
    assert found
    return found.group(1), found.group(2)


def choose(client, language, next_path="/join/"):
    token = csrf_token(client.get("/join/").get_data(as_text=True))
    return client.post("/language", data={"language": language, "next": next_path, "csrf_token": token})


def cookie(client):
    found = client.get_cookie(LANGUAGE_COOKIE)
    return found.value if found else None


def test_a_page_is_in_the_browsers_language_until_the_device_chooses(phone):
    assert html_lang(phone.get("/join/", headers={"Accept-Language": "pl,en;q=0.5"}).get_data(as_text=True)) == ("pl", "ltr")
    assert html_lang(phone.get("/join/", headers={"Accept-Language": "de"}).get_data(as_text=True)) == ("en", "ltr")
    answer = choose(phone, "ur", "/join/?code=ABC")
    assert answer.status_code == 303 and answer.headers["Location"] == "/join/?code=ABC"
    assert cookie(phone) == "ur"
    assert "HttpOnly" in answer.headers["Set-Cookie"] and "SameSite=Lax" in answer.headers["Set-Cookie"]
    page = phone.get("/join/", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert html_lang(page) == ("ur", "rtl")
    assert ur("Join a meeting") in page


@pytest.mark.parametrize("language", ["xx", "", "en;q=1", "../../etc", "UR", "cy\r\nSet-Cookie: a=b"])
def test_a_language_we_do_not_offer_is_refused_and_changes_nothing(phone, language):
    answer = choose(phone, language)
    assert answer.status_code == 400
    assert cookie(phone) is None


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\t/evil.example", "javascript:alert(1)"])
def test_the_way_back_stays_on_this_site(phone, target):
    answer = choose(phone, "cy", target)
    assert answer.status_code == 303 and answer.headers["Location"] == "/join/"


def test_choosing_without_the_csrf_token_is_refused(phone):
    assert phone.post("/language", data={"language": "cy", "next": "/join/"}).status_code == 400
    assert cookie(phone) is None


def join(phone, meeting, language=None, **kwargs):
    page = phone.get(f"/join/{meeting.join_code}", **kwargs).get_data(as_text=True)
    data = {"name": "Kerry", "relation": "Mum", "side": "family", "csrf_token": csrf_token(page)}
    if language is not None:
        data["language"] = language
    return page, phone.post(f"/join/{meeting.join_code}", data=data, **kwargs)


def test_the_join_form_offers_the_browsers_language_and_remembers_the_choice(phone, meeting):
    page, answer = join(phone, meeting, "ur", headers={"Accept-Language": "cy"})
    assert '<option lang="cy" selected value="cy">Cymraeg</option>' in page
    assert '<option lang="ur" value="ur">اردو</option>' in page
    assert answer.status_code == 302 and cookie(phone) == "ur"
    lobby = phone.get(f"/join/{meeting.join_code}", headers={"Accept-Language": "cy"}).get_data(as_text=True)
    assert html_lang(lobby) == ("ur", "rtl")
    assert ur("Waiting for the chair to let you in") in lobby


def test_a_hostile_language_on_the_join_form_keeps_the_pages_language(phone, meeting):
    _, answer = join(phone, meeting, "xx<script>", headers={"Accept-Language": "pl"})
    assert answer.status_code == 302 and cookie(phone) == "pl"


def test_the_chairs_pages_follow_the_chairs_choice(client, auth, meeting):
    auth.login()
    choose(client, "cy", f"/meetings/{meeting.id}")
    console = client.get(f"/meetings/{meeting.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert html_lang(console) == ("cy", "ltr")
    assert cy("Private family time") in console


def test_a_meeting_stores_the_formats_words_and_where_they_came_from(app, make_meeting, client, auth):
    """Set up by a chair reading Welsh, the agenda still holds the format's English and its keys."""
    auth.login()
    choose(client, "cy", "/meetings/")
    with app.app_context():
        stages = db.session.get(Meeting, make_meeting().id).stages
        assert [stage.template for stage in stages[:2]] == ["family_group_conference/0", "family_group_conference/1"]
        assert stages[1].title == "Check-in"
        assert stages[1].questions[0] == "How are you feeling as we start?"


def test_the_agenda_shows_the_formats_words_in_the_chairs_language_and_a_chairs_own_as_written(app, client, auth, meeting):
    auth.login()
    choose(client, "cy", f"/meetings/{meeting.id}/agenda/")
    with app.app_context():
        check_in = db.session.get(Meeting, meeting.id).stages[1].id
    form_url = f"/meetings/{meeting.id}/agenda/{check_in}"
    form = client.get(form_url).get_data(as_text=True)
    assert cy("Check-in") in form and cy("How are you feeling as we start?") in form

    # Saved unchanged (in Welsh), the words stay the format's: they still follow each reader.
    typed = [html.unescape(cy("How are you feeling as we start?")), "Beth yw eich hoff fwyd?"]
    fields = {"title": html.unescape(cy("Check-in")), "prompt": "\n".join(typed), "minutes": "10"}
    assert client.post(form_url, data={**fields, "csrf_token": csrf_token(form)}).status_code == 302
    with app.app_context():
        stage = db.session.get(Stage, check_in)
        assert stage.title == "Check-in"
        assert stage.questions == ["How are you feeling as we start?", "Beth yw eich hoff fwyd?"]
    english = app.test_client().get(f"/meetings/{meeting.id}/agenda/")  # signed out: no agenda
    assert english.status_code in (302, 401, 403)
    client.post("/language", data={"language": "pl", "next": "/", "csrf_token": csrf_token(form)})
    agenda = client.get(f"/meetings/{meeting.id}/agenda/").get_data(as_text=True)
    assert pl("Check-in") in agenda and pl("How are you feeling as we start?") in agenda
    assert "Beth yw eich hoff fwyd?" in agenda  # the chair's own question, as written

    # Renamed, the title is the chair's from then on, in every language.
    client.post(form_url, data={**fields, "title": "Sut mae pawb?", "csrf_token": csrf_token(form)})
    with app.app_context():
        assert db.session.get(Stage, check_in).title == "Sut mae pawb?"
    assert "Sut mae pawb?" in client.get(f"/meetings/{meeting.id}/agenda/").get_data(as_text=True)


def test_the_room_screen_shows_its_meetings_languages_whatever_the_laptop_chose(app, client, auth, make_meeting):
    meeting = make_meeting("Cyfarfod teulu", language="cy", second_language="en")
    with app.app_context():
        token = running.issue_screen_token(db.session.get(Meeting, meeting.id))
    laptop = app.test_client()
    choose(laptop, "ur")
    page = laptop.get(f"/screen/{token}", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert html_lang(page) == ("cy", "ltr")
    assert cy("Join on your phone") in page
    # The second language's words beside the first: the stage words in English, marked as such.
    assert '<div class="room__second" lang="en" dir="ltr" data-second>' in page
    assert '<template id="stage-words-2"><span data-source="Agreeing the plan">Agreeing the plan</span>' in page
    assert f'<span data-source="Check-in">{cy("Check-in")}</span>' in page


def test_a_meeting_refuses_a_language_it_does_not_offer(client, auth, meeting):
    auth.login()
    page = client.get(f"/meetings/{meeting.id}/details").get_data(as_text=True)
    data = {"title": "FGC", "language": "xx", "second_language": "", "csrf_token": csrf_token(page)}
    answer = client.post(f"/meetings/{meeting.id}/details", data=data)
    assert answer.status_code == 400
    same = {**data, "language": "cy", "second_language": "cy"}
    assert client.post(f"/meetings/{meeting.id}/details", data=same).status_code == 400
    fine = {**data, "language": "cy", "second_language": "en"}
    assert client.post(f"/meetings/{meeting.id}/details", data=fine).status_code == 302


def test_an_error_page_a_phone_reaches_offers_the_languages_too(phone):
    gone = phone.get("/no-such-page", headers={"Accept-Language": "pl"})
    page = gone.get_data(as_text=True)
    assert gone.status_code == 404
    assert html_lang(page) == ("pl", "ltr") and pl("Sorry") in page
    assert 'action="/language"' in page and 'name="next" value="/no-such-page"' in page

    token = csrf_token(page)
    chosen = phone.post("/language", data={"language": "cy", "next": "/no-such-page", "csrf_token": token})
    assert chosen.status_code == 303 and chosen.headers["Location"].endswith("/no-such-page")
    again = phone.get("/no-such-page", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert html_lang(again) == ("cy", "ltr") and html.unescape(cy("Sorry")) in again
