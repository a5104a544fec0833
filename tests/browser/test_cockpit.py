"""The chair's console as a cockpit: on a laptop's first screen, without scrolling, the stage
and its controls, the timer, the lobby and who is here; someone waiting shows in the page's title;
moving the meeting never happens by a key that scrolls, and every move can be undone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LAPTOP

pytestmark = pytest.mark.browser

SMALL_LAPTOP = {"width": 1366, "height": 768}
# What the chair acts on while facilitating, found by what the page marks it with.
FIRST_SCREEN = (
    "[data-stage-title]",
    "[data-next]",
    "[data-previous]",
    "[data-timer]",
    "[data-timer-start]",
    "#lobby-heading",
    "[data-person] [data-admit]",  # a late arrival's "Let in", not below the fold
    "#people-heading",
    "[data-in] li",  # who is here, with their connection
    "#said-heading",  # what people say in this round
)


def on_first_screen(page: Page, selector: str) -> None:
    """The element is drawn, and wholly inside the window, with the page not scrolled."""
    assert page.evaluate("() => window.scrollY") == 0
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not drawn"
    size = page.viewport_size
    assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
    assert box["x"] + box["width"] <= size["width"] and box["y"] + box["height"] <= size["height"], (selector, box, size)


@pytest.mark.parametrize("laptop", [LAPTOP, SMALL_LAPTOP], ids=["1280x800", "1366x768"])
def test_everything_the_chair_acts_on_is_on_the_first_screen(views, console, arrive, laptop, shots, accessible):
    chair, address = console
    chair.set_viewport_size(laptop)
    arrive("Kerry", address)
    expect(chair.locator("[data-lobby-count]")).to_have_text("(1)")
    chair.get_by_role("button", name="Let Kerry in").click()
    expect(chair.locator("[data-in]")).to_contain_text("Kerry")
    for name in ("Nan", "Dave", "Jo"):
        arrive(name, address)
    expect(chair.locator("[data-lobby-count]")).to_have_text("(3)")
    chair.get_by_role("button", name="Start the meeting").click()
    chair.get_by_role("button", name="Next stage").click()
    expect(chair.locator("[data-stage-title]")).to_have_text("Check-in")

    for part in FIRST_SCREEN:
        on_first_screen(chair, part)
    expect(chair.locator("[data-in] [data-presence]").first).to_have_text("online")
    shots(chair, f"console-cockpit-{laptop['width']}")
    accessible(chair, "console cockpit")


def test_the_cockpit_fits_a_small_laptop_in_urdu_right_to_left(views, console, arrive):
    """Urdu's Nastaliq needs the tallest lines of our languages, and the page mirrors: the worst
    case for the first screen. Reached by data attributes: every label is in Urdu."""
    chair, address = console
    chair.set_viewport_size(SMALL_LAPTOP)
    chair.context.add_cookies([{"name": "facilitator_language", "value": "ur", "url": views.base_url}])
    chair.reload()
    assert chair.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ur", "rtl"]
    expect(chair.locator("[data-connection]")).to_have_attribute("data-state", "connected")
    arrive("Kerry", address)
    chair.locator("[data-person] [data-admit]").first.click()
    expect(chair.locator("[data-in]")).to_contain_text("Kerry")
    for name in ("Nan", "Dave", "Jo"):
        arrive(name, address)
    expect(chair.locator("[data-lobby-count]")).to_have_text("(3)")
    chair.locator("[data-start]").click()
    chair.locator("[data-next]").click()
    expect(chair.locator("[data-stage-number]")).to_contain_text("2")
    # Nastaliq arrives after the page: a click of this test's own may have scrolled to reach a
    # control while the lines grew. The first screen is the page unscrolled.
    chair.evaluate("document.fonts.ready.then(() => window.scrollTo(0, 0))")
    for part in FIRST_SCREEN:
        on_first_screen(chair, part)
    # Mirrored: the stage, read first, is on the right.
    stage, lobby = chair.locator("[data-stage-title]").bounding_box(), chair.locator("#lobby-heading").bounding_box()
    assert stage["x"] > lobby["x"]


def test_someone_waiting_shows_in_the_page_title(views, console, arrive):
    chair, address = console
    expect(chair).to_have_title("FGC for the M. family · Facilitator")
    arrive("Kerry", address)
    expect(chair).to_have_title("(1) FGC for the M. family · Facilitator")
    arrive("Nan", address)
    expect(chair).to_have_title("(2) FGC for the M. family · Facilitator")
    chair.get_by_role("button", name="Let everyone in").click()
    expect(chair).to_have_title("FGC for the M. family · Facilitator")


def test_keys_that_scroll_never_move_the_meeting_and_a_move_can_be_undone(views, console):
    chair, _address = console
    chair.get_by_role("button", name="Start the meeting").click()
    expect(chair.locator("[data-stage-number]")).to_have_text("Stage 1 of 8")
    # Before a stage can go back, the button says so and looks it.
    previous, following = chair.get_by_role("button", name="Previous stage"), chair.get_by_role("button", name="Next stage")
    expect(previous).to_be_disabled()
    looks = "b => { const s = getComputedStyle(b); return [s.backgroundColor, s.cursor]; }"
    assert previous.evaluate(looks) != following.evaluate(looks)
    assert previous.evaluate(looks)[1] == "not-allowed"

    chair.locator("main").focus()
    for key in ("PageDown", "ArrowRight", "Space", "End"):
        chair.keyboard.press(key)
    chair.keyboard.press("Alt+Shift+N")
    # Had any of the scrolling keys moved the meeting, this would be a later stage.
    expect(chair.locator("[data-stage-title]")).to_have_text("Check-in")
    expect(chair.locator("[data-moved]")).to_contain_text("Moved to Check-in.")

    chair.get_by_role("button", name="Undo").click()
    expect(chair.locator("[data-stage-title]")).to_have_text("Welcome, introductions and ground rules")
    expect(chair.get_by_role("button", name="Undo")).to_be_hidden()


def test_live_times_and_dates_are_written_as_the_servers_pages_write_them(views, sign_in):
    """A browser set to American English in New York still writes the council's way: a 24-hour
    clock in UK time, the day before the month."""
    chair = sign_in(views.open("chair-abroad", LAPTOP, locale="en-US", timezone_id="America/New_York"))
    written = chair.evaluate(
        """async () => {
            const dom = await import([...document.scripts, ...document.querySelectorAll('link[rel=modulepreload]')]
                .map((e) => e.src || e.href).find((url) => /lib\\/dom\\.[^/]*js$/.test(url)) ?? '/static/js/lib/dom.js');
            return [dom.clock(Date.UTC(2026, 6, 1, 21, 58)), dom.clock(Date.UTC(2026, 11, 1, 9, 5)), dom.day('2026-12-08')];
        }"""
    )
    # 21:58 UTC on 1 July is 22:58 in London (summer time); 09:05 UTC in December is 09:05.
    assert written == ["22:58", "09:05", "Tuesday 8 December 2026"]
