"""The bilingual room screen, the norm in Wales: the stage's words in the meeting's language and,
beside them, in its second language; it fits the projector, and read aloud it says both, each in
its own voice, never one language in the other's."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, PROJECTOR
from tests.browser.test_read_aloud_live import recorder, spoken

pytestmark = pytest.mark.browser

WELSH_AND_ENGLISH = [{"lang": "cy-GB", "name": "Gwyn"}, {"lang": "en-GB", "name": "Daniel"}]


def test_a_welsh_and_english_room_screen_shows_and_reads_both(views, sign_in, room_screen, shots, accessible):
    chair = sign_in(views.open("chair", LAPTOP))
    chair.get_by_role("link", name="Set up a meeting").click()
    chair.get_by_label("Title").fill("Cyfarfod teulu P.")
    chair.get_by_label("Family Group Conference").check()
    chair.get_by_label("Language of the room screen").select_option("cy")
    chair.get_by_label("Second language on the room screen").select_option("en")
    chair.get_by_role("button", name="Set up the meeting").click()
    chair.get_by_role("link", name="Console").click()
    expect(chair.locator("[data-connection]")).to_have_attribute("data-state", "connected")
    chair.get_by_role("button", name="Start the meeting").click()
    chair.get_by_role("button", name="Next stage").click()
    expect(chair.locator("[data-stage-title]")).to_have_text("Check-in")  # the chair's own language

    screen = room_screen(chair)
    screen.context.add_init_script(recorder(WELSH_AND_ENGLISH))
    screen.reload()
    expect(screen.locator("[data-connection]")).to_have_attribute("data-state", "connected")
    assert screen.evaluate("document.documentElement.lang") == "cy"
    expect(screen.locator("[data-stage-title]")).to_have_text("Rownd agoriadol")
    expect(screen.locator("[data-questions] li").first).to_have_text("Sut ydych chi'n teimlo wrth i ni ddechrau?")
    second = screen.locator("[data-second]")
    expect(second).to_have_attribute("lang", "en")
    expect(second.locator("[data-stage-title-2]")).to_have_text("Check-in")
    expect(second.locator("[data-questions-2] li").first).to_have_text("How are you feeling as we start?")

    # Side by side, on the projector and on a smaller one: nothing scrolls, neither is cut.
    for size in (PROJECTOR, {"width": 1280, "height": 720}):
        screen.set_viewport_size(size)
        assert screen.evaluate("document.scrollingElement.scrollHeight <= window.innerHeight"), size
        first, beside = screen.locator(".room__first").bounding_box(), second.bounding_box()
        assert beside["x"] >= first["x"] + first["width"] - 1, size  # beside, not under
        assert beside["x"] + beside["width"] <= size["width"], size
    screen.set_viewport_size(PROJECTOR)
    shots(screen, "room-screen-welsh-and-english")
    accessible(screen, "bilingual room screen")

    # Read aloud: the Welsh first in a Welsh voice, then the English in an English one.
    screen.locator("[data-speak=now]").click()
    said = [(u["text"], u["lang"], u["voice"]) for u in spoken(screen)]
    welsh = [piece for piece in said if piece[1] == "cy"]
    english = [piece for piece in said if piece[1] == "en"]
    assert welsh and all(voice == "cy-GB" for _text, _lang, voice in welsh)
    assert ("Rownd agoriadol", "cy", "cy-GB") in welsh
    assert english == [
        ("Check-in", "en", "en-GB"),
        ("How are you feeling as we start?", "en", "en-GB"),
        ("What do you hope we can do together today?", "en", "en-GB"),
    ]
    assert said == welsh + english  # the meeting's language first

    # A browser with a Welsh voice alone reads the Welsh, and no English in a Welsh voice.
    screen.locator("[data-speak=now]").click()  # stop
    screen.evaluate(f"window.__speech.setVoices({json.dumps(WELSH_AND_ENGLISH[:1])})")
    screen.evaluate("window.__speech.spoken.length = 0")
    screen.locator("[data-speak=now]").click()
    again = spoken(screen)
    assert again and {u["lang"] for u in again} == {"cy"}
    assert "Check-in" not in [u["text"] for u in again]


def test_the_room_screen_follows_the_languages_the_chair_chooses_mid_meeting(views, console, room_screen):
    chair, _address = console
    chair.get_by_role("button", name="Start the meeting").click()
    chair.get_by_role("button", name="Next stage").click()
    screen = room_screen(chair)
    expect(screen.locator("[data-stage-title]")).to_have_text("Check-in")
    expect(screen.locator("[data-second]")).to_have_count(0)

    details = chair.context.new_page()
    details.goto(chair.url.rstrip("/") + "/details")
    details.get_by_label("Language of the room screen").select_option("cy")
    details.get_by_label("Second language on the room screen").select_option("en")
    details.get_by_role("button", name="Save details").click()
    expect(details.get_by_text("The meeting's details are saved.")).to_be_visible()
    details.close()

    # The projector's laptop is not touched: the screen draws itself again in the new languages.
    expect(screen.locator("html")).to_have_attribute("lang", "cy")
    expect(screen.locator("[data-stage-title]")).to_have_text("Rownd agoriadol")
    expect(screen.locator("[data-second] [data-stage-title-2]")).to_have_text("Check-in")
    expect(screen.locator("[data-connection]")).to_have_attribute("data-state", "connected")
