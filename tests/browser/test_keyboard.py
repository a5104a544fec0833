"""The chair's console with the keyboard alone: every main action is reached with Tab and
carried out with Enter or Space, the stage moves with Alt+Shift+N and Alt+Shift+P (never with a
key that scrolls or types), and focus is always visible."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LAPTOP, PHONE

pytestmark = pytest.mark.browser


def tab_to(page: Page, name: str, limit: int = 80) -> None:
    """Press Tab until the focused element is the control with this accessible name."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement; return (e.getAttribute('aria-label') || e.textContent || '').trim(); }"
        )
        if focused == name:
            outline = page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.boxShadow; }"
            )
            assert outline != "none none", f"focus on {name!r} is not visible"
            return
    raise AssertionError(f"{name!r} is not reachable with Tab")


def test_the_console_runs_the_meeting_from_the_keyboard(views, sign_in, shots, accessible):
    chair = sign_in(views.open("chair", LAPTOP))
    tab_to(chair, "Set up a meeting")
    with chair.expect_navigation():
        chair.keyboard.press("Enter")
    chair.get_by_label("Title").fill("FGC for the K. family")
    chair.get_by_label("Family Group Conference").focus()
    chair.keyboard.press("Space")
    tab_to(chair, "Set up the meeting")
    with chair.expect_navigation():
        chair.keyboard.press("Enter")
    tab_to(chair, "Console")
    with chair.expect_navigation():
        chair.keyboard.press("Enter")
    expect(chair.locator("[data-connection]")).to_have_attribute("data-state", "connected")

    address = chair.locator(".facts__row", has_text="Join address").get_by_role("link").get_attribute("href")
    for name in ("Kerry", "Nan"):
        phone = views.open(name, PHONE)
        phone.goto(address)
        phone.get_by_label("Your name").fill(name)
        phone.get_by_label("Family or a friend").check()
        phone.get_by_role("button", name="Join").click()
    expect(chair.locator("[data-lobby-count]")).to_have_text("(2)")

    tab_to(chair, "Let Kerry in")
    chair.keyboard.press("Enter")
    expect(chair.locator("[data-in]")).to_contain_text("Kerry")
    tab_to(chair, "Let everyone in" if chair.get_by_role("button", name="Let everyone in").is_visible() else "Let Nan in")
    chair.keyboard.press("Enter")
    expect(chair.locator("[data-lobby-count]")).to_have_text("(0)")

    tab_to(chair, "Start the meeting")
    chair.keyboard.press("Enter")
    expect(chair.locator("[data-stage-title]")).to_have_text("Welcome, introductions and ground rules")
    chair.locator("main").focus()
    # Page Down scrolls, as everywhere else: it never moves the meeting on.
    chair.keyboard.press("PageDown")
    chair.keyboard.press("ArrowRight")
    expect(chair.locator("[data-stage-number]")).to_have_text("Stage 1 of 8")
    chair.keyboard.press("Alt+Shift+N")
    expect(chair.locator("[data-stage-title]")).to_have_text("Check-in")
    chair.keyboard.press("Alt+Shift+P")
    expect(chair.locator("[data-stage-title]")).to_have_text("Welcome, introductions and ground rules")
    tab_to(chair, "Next stage")
    chair.keyboard.press("Space")
    expect(chair.locator("[data-stage-title]")).to_have_text("Check-in")

    tab_to(chair, "Start timer")
    chair.keyboard.press("Enter")
    expect(chair.get_by_role("button", name="Pause timer")).to_be_visible()
    tab_to(chair, "Talking piece")
    chair.keyboard.press("Space")
    expect(chair.get_by_role("button", name="Talking piece", exact=True)).to_have_attribute("aria-pressed", "true")
    shots(chair, "chair-keyboard")
    accessible(chair, "console during a round")
