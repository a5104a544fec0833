"""Read aloud through the meeting: on a phone, the current stage and what this person can do now,
and the plan only when asked; on the room screen, the stage's question, for the chair to play.
Always in the page's language, only where the browser has a voice for it, and only on a tap:
a phone in a room never starts speaking by itself.

The browser's speech is replaced by a recorder (`add_init_script`): what would be said, in which
language, and each time it was stopped; its voices are whatever the test says, and may arrive
late, as real ones do."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PROJECTOR

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 640}
ENGLISH = [{"lang": "en-GB", "name": "Daniel"}, {"lang": "pl-PL", "name": "Zosia"}]

# Speech as a recorder. `__speech.spoken`: what was given to speak(), with its language;
# `__speech.cancels`: how often speech was stopped; `__speech.setVoices(list)`: the browser's
# voices change (and say so, with `voiceschanged`); `__speech.finish()`: all said.
RECORDER = """
(() => {
  const record = { spoken: [], cancels: 0, voices: %(voices)s };
  class Utterance extends EventTarget {
    constructor(text) { super(); this.text = text; this.lang = ""; this.voice = null; }
  }
  class Synthesis extends EventTarget {
    constructor() { super(); this.queue = []; }
    get speaking() { return this.queue.length > 0; }
    get pending() { return false; }
    getVoices() { return record.voices.map((v) => ({ ...v, voiceURI: v.name, localService: true, default: false })); }
    speak(utterance) {
      record.spoken.push({ text: utterance.text, lang: utterance.lang, voice: utterance.voice && utterance.voice.lang });
      this.queue.push(utterance);
    }
    cancel() {
      record.cancels += 1;
      const stopped = this.queue;
      this.queue = [];
      for (const utterance of stopped) utterance.dispatchEvent(new Event("error"));
    }
    pause() {}
    resume() {}
  }
  const synthesis = new Synthesis();
  record.setVoices = (voices) => { record.voices = voices; synthesis.dispatchEvent(new Event("voiceschanged")); };
  record.finish = () => {
    const said = synthesis.queue;
    synthesis.queue = [];
    for (const utterance of said) utterance.dispatchEvent(new Event("end"));
  };
  window.__speech = record;
  %(install)s
})();
"""
INSTALL = """
  Object.defineProperty(window, "speechSynthesis", { value: synthesis, configurable: true, writable: true });
  window.SpeechSynthesisUtterance = Utterance;
"""
# A browser that cannot speak at all.
NO_SPEECH = """
  delete window.speechSynthesis;
  delete window.SpeechSynthesisUtterance;
  delete Window.prototype.speechSynthesis;
"""


def recorder(voices: list[dict], *, speech: bool = True) -> str:
    return RECORDER % {"voices": json.dumps(voices), "install": INSTALL if speech else NO_SPEECH}


def phone_with_speech(views, name: str, voices: list[dict] = ENGLISH, **options) -> Page:
    """A 360x640 phone whose speech is the recorder."""
    context = views.browser.new_context(
        base_url=views.base_url, viewport=SMALL_PHONE, is_mobile=True, has_touch=True, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    context.add_init_script(recorder(voices, **options))
    views.contexts.append(context)
    page = context.new_page()
    views.watch(page, name)
    return page


def join(page: Page, address: str, name: str) -> None:
    page.goto(address)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Family or a friend").check()
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", name="Waiting for the chair to let you in")).to_be_visible()


def spoken(page: Page) -> list[dict]:
    return page.evaluate("window.__speech.spoken")


def said(page: Page) -> list[str]:
    return [utterance["text"] for utterance in spoken(page)]


def cancels(page: Page) -> int:
    return page.evaluate("window.__speech.cancels")


def next_stage(chair: Page, phone: Page, title: str) -> None:
    chair.get_by_role("button", name="Next stage").click()
    expect(phone.locator("[data-stage-title]")).to_have_text(title)


def test_a_phone_reads_the_stage_and_what_you_can_do_only_when_tapped(console, views, shots, accessible):
    chair, address = console
    kerry = phone_with_speech(views, "kerry")
    join(kerry, address, "Kerry")
    chair.get_by_role("button", name="Let Kerry in").click()
    chair.get_by_role("button", name="Start the meeting").click()
    next_stage(chair, kerry, "Check-in")

    read = kerry.locator("[data-speak=now]")
    expect(read).to_be_visible()
    expect(read).to_have_accessible_name("Read aloud")
    expect(read).to_have_attribute("aria-pressed", "false")
    # Nothing is said without a tap: not on arriving, not as the stage changed.
    assert spoken(kerry) == []

    # The button sits beside the stage's title, on the first screen, and moves the answer box
    # down by next to nothing.
    kerry.evaluate("window.scrollTo(0, 0)")
    for part in ("[data-stage-title]", "[data-questions] li >> nth=0", "[data-speak=now]"):
        where = kerry.locator(part).bounding_box()
        assert where and where["y"] + where["height"] <= SMALL_PHONE["height"], part
    title, button = kerry.locator("[data-stage-title]").bounding_box(), read.bounding_box()
    assert button["x"] > title["x"] and abs((button["y"] + button["height"] / 2) - (title["y"] + title["height"] / 2)) < 4
    with_button = kerry.locator("#answer-text").bounding_box()["y"]
    kerry.evaluate("window.__speech.setVoices([])")
    expect(read).to_be_hidden()
    without = kerry.locator("#answer-text").bounding_box()["y"]
    assert 0 <= with_button - without <= 16, (with_button, without)
    kerry.evaluate(f"window.__speech.setVoices({json.dumps(ENGLISH)})")
    expect(read).to_be_visible()
    shots(kerry, "read-aloud-phone-check-in")
    accessible(kerry, "phone with read aloud")

    read.click()
    words = said(kerry)
    questions = ["How are you feeling as we start?", "What do you hope we can do together today?"]
    assert words[:4] == ["Stage 2 of 8", "Check-in", *questions]
    assert words[4:] == [
        "What you can do now:",
        "How are you feeling? (you can skip this)",
        "Your answer",
        "A few words are enough. Everyone in the room will see it with your name.",
    ]
    # In the page's language, with a voice for it.
    lang = kerry.evaluate("document.documentElement.lang")
    assert lang.startswith("en")
    assert {(u["lang"], u["voice"]) for u in spoken(kerry)} == {(lang, "en-GB")}
    expect(read).to_have_attribute("aria-pressed", "true")
    expect(read).to_have_accessible_name("Stop reading")
    shots(kerry, "read-aloud-phone-reading")
    assert "Nothing in the plan yet." not in words  # the plan only when asked

    # A second tap stops.
    before = cancels(kerry)
    read.click()
    assert cancels(kerry) > before
    expect(read).to_have_attribute("aria-pressed", "false")
    expect(read).to_have_accessible_name("Read aloud")

    # Once all is said, the button says so.
    read.click()
    kerry.evaluate("window.__speech.finish()")
    expect(read).to_have_attribute("aria-pressed", "false")

    # Moving to another stage stops reading, and says nothing new by itself.
    read.click()
    expect(read).to_have_attribute("aria-pressed", "true")
    count, before = len(spoken(kerry)), cancels(kerry)
    next_stage(chair, kerry, "Information sharing")
    expect(read).to_have_attribute("aria-pressed", "false")
    assert cancels(kerry) > before
    assert len(spoken(kerry)) == count

    # At the offers, an offer goes into the plan; the stage's reading leaves the plan out.
    next_stage(chair, kerry, "What I can do to help")
    kerry.get_by_label("This is what I can do to help...").fill("I can pick J. up on Fridays")
    kerry.get_by_role("button", name="Send", exact=True).click()
    expect(kerry.locator("[data-plan]")).to_contain_text("I can pick J. up on Fridays")
    count = len(spoken(kerry))
    read.click()
    words = said(kerry)[count:]
    assert "What I can do to help" in words and "This is what I can do to help..." in words
    assert not any("pick J. up" in w for w in words)
    read.click()

    # The plan, as the phone shows it, on request.
    plan = kerry.locator("[data-speak=plan]")
    expect(plan).to_be_visible()
    expect(plan).to_have_accessible_name("Read the plan aloud")
    count = len(spoken(kerry))
    plan.click()
    words = said(kerry)[count:]
    assert words[0] == "Our plan"
    assert "I can pick J. up on Fridays" in words and "Who: Kerry" in words
    assert not any(w in ("Accept", "Change", "Remove", "Add an outcome") for w in words)  # no buttons
    expect(plan).to_have_attribute("aria-pressed", "true")
    expect(read).to_have_attribute("aria-pressed", "false")
    # The other button takes over: one thing is read at a time.
    read.click()
    expect(plan).to_have_attribute("aria-pressed", "false")
    expect(read).to_have_attribute("aria-pressed", "true")
    kerry.locator("[data-plan-section]").scroll_into_view_if_needed()
    shots(kerry, "read-aloud-phone-plan")


def test_without_a_voice_for_the_page_language_there_is_no_button(console, views):
    chair, address = console
    kerry = phone_with_speech(views, "kerry", voices=[{"lang": "pl-PL", "name": "Zosia"}])
    nan = phone_with_speech(views, "nan", voices=[])
    dan = phone_with_speech(views, "dan", speech=False)
    for page, name in ((kerry, "Kerry"), (nan, "Nan"), (dan, "Dan")):
        join(page, address, name)
    chair.get_by_role("button", name="Let everyone in").click()
    chair.get_by_role("button", name="Start the meeting").click()
    for page in (kerry, nan, dan):
        expect(page.locator("[data-stage-title]")).to_have_text("Welcome, introductions and ground rules")
        expect(page.locator("[data-speak]")).to_have_count(2)
        for button in page.locator("[data-speak]").all():
            expect(button).to_be_hidden()

    # Voices arrive late, as they do: an English one shows the button (and still says nothing).
    nan.evaluate("window.__speech.setVoices([{ lang: 'en-US', name: 'Samantha' }])")
    expect(nan.locator("[data-speak=now]")).to_be_visible()
    assert spoken(nan) == []
    nan.locator("[data-speak=now]").click()
    assert {u["voice"] for u in spoken(nan)} == {"en-US"}
    # And going, they hide it again.
    nan.evaluate("window.__speech.setVoices([])")
    expect(nan.locator("[data-speak=now]")).to_be_hidden()

    # A Polish voice reads no English.
    kerry.evaluate("window.__speech.setVoices([{ lang: 'pl-PL', name: 'Zosia' }, { lang: 'cy', name: 'Gwyn' }])")
    expect(kerry.locator("[data-speak=now]")).to_be_hidden()
    assert spoken(kerry) == []


def test_the_room_screen_reads_the_question_aloud_when_the_chair_asks(console, views, shots):
    chair, _address = console
    chair.get_by_role("button", name="Start the meeting").click()
    chair.get_by_role("button", name="Next stage").click()
    with chair.context.expect_page() as popup:
        chair.get_by_role("button", name="Open the room screen").click()
    screen_address = popup.value.url
    popup.value.close()
    context = views.browser.new_context(base_url=views.base_url, viewport=PROJECTOR, locale="en-GB")
    context.add_init_script(recorder(ENGLISH))
    views.contexts.append(context)
    screen = context.new_page()
    views.watch(screen, "screen")
    screen.goto(screen_address)
    expect(screen.locator("[data-connection]")).to_have_attribute("data-state", "connected")
    expect(screen.locator("[data-stage-title]")).to_have_text("Check-in")

    read = screen.locator("[data-speak=now]")
    expect(read).to_be_visible()
    expect(read).to_have_accessible_name("Read aloud")
    assert spoken(screen) == []
    # The button changes nothing of what fits: the top bar keeps its height, nothing scrolls.
    top = screen.locator(".room__top")
    for size in (PROJECTOR, {"width": 1280, "height": 720}):
        screen.set_viewport_size(size)
        with_button = top.bounding_box()["height"]
        screen.evaluate("window.__speech.setVoices([])")
        expect(read).to_be_hidden()
        assert abs(top.bounding_box()["height"] - with_button) < 1, size
        screen.evaluate(f"window.__speech.setVoices({json.dumps(ENGLISH)})")
        expect(read).to_be_visible()
        assert screen.evaluate("document.scrollingElement.scrollHeight <= window.innerHeight"), size
    shots(screen, "read-aloud-room-screen")

    # From the keyboard: the first thing Tab reaches after the skip link.
    for _ in range(3):
        screen.keyboard.press("Tab")
        if screen.evaluate("document.activeElement.dataset.speak === 'now'"):
            break
    assert screen.evaluate("document.activeElement.dataset.speak") == "now"
    screen.keyboard.press("Enter")
    assert said(screen) == [
        "Stage 2 of 8",
        "Check-in",
        "How are you feeling as we start?",
        "What do you hope we can do together today?",
    ]
    lang = screen.evaluate("document.documentElement.lang")
    assert lang.startswith("en") and {u["lang"] for u in spoken(screen)} == {lang}
    expect(read).to_have_attribute("aria-pressed", "true")
    screen.keyboard.press("Enter")
    expect(read).to_have_attribute("aria-pressed", "false")

    # The meeting moving on stops the reading; nothing is said by itself.
    read.click()
    count = len(spoken(screen))
    chair.get_by_role("button", name="Next stage").click()
    expect(screen.locator("[data-stage-title]")).to_have_text("Information sharing")
    expect(read).to_have_attribute("aria-pressed", "false")
    assert len(spoken(screen)) == count
