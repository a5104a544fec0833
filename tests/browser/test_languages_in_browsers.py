"""Two family members in one meeting, each in their own language: one phone set to Welsh, one
choosing Urdu as it joins. Each sees the format's words and the labels in their language while
what people wrote stays as written; the Urdu pages read right to left; the chair's stay English."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.support import Translations
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE
from tests.browser.test_read_aloud_live import recorder

pytestmark = pytest.mark.browser

CATALOGUES = Path(__file__).resolve().parents[2] / "facilitator" / "translations"
OFFER = "Dw i'n gallu casglu J. o'r ysgol bob dydd Gwener"  # Gwen's own words, in Welsh


def in_language(code: str):
    """The catalogue the server reads (compiled by `make translations`)."""
    translations = Translations.load(str(CATALOGUES), [code])
    assert isinstance(translations, Translations), f"{code}: no compiled catalogue: run `make translations`"
    return translations.gettext


cy, ur, pl = in_language("cy"), in_language("ur"), in_language("pl")


def join_in(page: Page, address: str, name: str, language: str | None = None) -> None:
    """Join as family with the form as the phone shows it, in whatever language that is."""
    page.goto(address)
    form = page.locator("main form")
    if language:
        form.locator("select[name=language]").select_option(language)
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=side][value=family]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator("main select[name=language]")).to_have_count(0)  # in the lobby


def next_stage(chair: Page, title: str) -> None:
    chair.get_by_role("button", name="Next stage").click()
    expect(chair.locator("[data-stage-title]")).to_have_text(title)


def test_each_phone_follows_its_own_language_in_one_meeting(views, console, shots, accessible):
    chair, address = console
    gwen = views.open("gwen", PHONE, locale="cy-GB")  # a phone set to Welsh
    gwen.goto(address)
    # The join form is in Welsh already, and offers Welsh as the language to keep.
    expect(gwen.locator("html")).to_have_attribute("lang", "cy")
    expect(gwen.locator("h1")).to_have_text("FGC for the M. family")  # the chair's words, as written
    expect(gwen.locator("main form select[name=language]")).to_have_value("cy")
    expect(gwen.get_by_label(cy("Your name"))).to_be_visible()
    shots(gwen, "phone-join-cy")
    accessible(gwen, "join form in Welsh")
    join_in(gwen, address, "Gwen")

    asad = views.open("asad", PHONE)  # an English phone; Asad chooses Urdu on the join form
    join_in(asad, address, "Asad", language="ur")
    expect(asad.locator("html")).to_have_attribute("lang", "ur")
    expect(asad.locator("html")).to_have_attribute("dir", "rtl")
    expect(asad.get_by_role("heading", name=ur("Waiting for the chair to let you in"))).to_be_visible()
    shots(asad, "phone-lobby-ur")
    accessible(asad, "lobby in Urdu")

    chair.get_by_role("button", name="Let Gwen in").click()
    chair.get_by_role("button", name="Let Asad in").click()
    chair.get_by_role("button", name="Start the meeting").click()
    next_stage(chair, "Check-in")  # the chair's console stays in English

    # The format's words, each in the phone's language.
    for phone, say in ((gwen, cy), (asad, ur)):
        expect(phone.locator("[data-stage-title]")).to_have_text(say("Check-in"))
        expect(phone.locator("[data-questions]")).to_contain_text(say("How are you feeling as we start?"))
        expect(phone.locator("[data-questions]")).not_to_contain_text("How are you feeling as we start?")
    assert cy("Check-in") != "Check-in" and ur("Check-in") != "Check-in"
    shots(asad, "phone-check-in-ur")
    accessible(asad, "check-in in Urdu")
    accessible(gwen, "check-in in Welsh")

    next_stage(chair, "Information sharing")
    next_stage(chair, "What I can do to help")
    expect(gwen.locator("[data-stage-title]")).to_have_text(cy("What I can do to help"))
    gwen.get_by_label(cy("This is what I can do to help...")).fill(OFFER)
    gwen.get_by_role("button", name=cy("Send"), exact=True).click()

    # The plan keeps Gwen's words as she wrote them; the labels around them follow each phone.
    expect(asad.locator("[data-plan]")).to_contain_text(OFFER)
    expect(asad.locator("[data-plan]")).to_contain_text(
        ur("Offered by {name}: waiting for the family to accept").replace("{name}", "Gwen")
    )
    expect(gwen.locator("[data-plan]")).to_contain_text(
        cy("Offered by {name}: waiting for the family to accept").replace("{name}", "Gwen")
    )
    expect(chair.locator("[data-plan]")).to_contain_text("Offered by Gwen: waiting for the family to accept")
    expect(chair.locator("[data-plan]")).to_contain_text(OFFER)
    shots(asad, "phone-plan-ur")
    accessible(asad, "plan in Urdu")

    # Gwen changes her mind from the header: the same meeting, now in Polish, left to right.
    gwen.locator(".language__current").click()
    gwen.get_by_role("button", name="Polski").click()
    expect(gwen.locator("html")).to_have_attribute("lang", "pl")
    expect(gwen.locator("html")).to_have_attribute("dir", "ltr")
    expect(gwen.locator("[data-stage-title]")).to_have_text(pl("What I can do to help"))
    expect(gwen.locator("[data-plan]")).to_contain_text(OFFER)
    accessible(gwen, "offers in Polish")
    # Remembered on her phone: a reload stays Polish; Asad's phone is still Urdu.
    gwen.reload()
    expect(gwen.locator("html")).to_have_attribute("lang", "pl")
    asad.reload()
    expect(asad.locator("html")).to_have_attribute("lang", "ur")
    expect(chair.locator("html")).to_have_attribute("lang", "en")


def test_a_welsh_phone_reads_aloud_in_welsh_with_a_welsh_voice(views, console):
    """Read aloud speaks the words the phone shows, in its language, with a voice for it; a
    phone whose browser has no voice for its language offers nothing to press."""
    chair, address = console
    voices = [{"lang": "en-GB", "name": "Daniel"}, {"lang": "cy-GB", "name": "Gwyneth"}]
    gwen = views.open("gwen", PHONE, locale="cy-GB")
    gwen.add_init_script(recorder(voices))
    asad = views.open("asad", PHONE)
    asad.add_init_script(recorder(voices))  # English and Welsh voices, but no Urdu one
    join_in(gwen, address, "Gwen")
    join_in(asad, address, "Asad", language="ur")
    chair.get_by_role("button", name="Let Gwen in").click()
    chair.get_by_role("button", name="Let Asad in").click()
    chair.get_by_role("button", name="Start the meeting").click()
    next_stage(chair, "Check-in")
    expect(gwen.locator("[data-stage-title]")).to_have_text(cy("Check-in"))

    read = gwen.locator("[data-speak=now]")
    expect(read).to_have_accessible_name(cy("Read aloud"))
    read.click()
    spoken = gwen.evaluate("window.__speech.spoken")
    assert [u["text"] for u in spoken][1:3] == [cy("Check-in"), cy("How are you feeling as we start?")]
    assert {(u["lang"], u["voice"]) for u in spoken} == {("cy", "cy-GB")}
    read.click()
    expect(read).to_have_attribute("aria-pressed", "false")
    assert gwen.evaluate("window.__speech.cancels") >= 1

    expect(asad.locator("[data-stage-title]")).to_have_text(ur("Check-in"))
    expect(asad.locator("[data-speak=now]")).to_be_hidden()
    assert asad.evaluate("window.__speech.spoken") == []
