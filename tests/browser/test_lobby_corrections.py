"""The lobby in the chair's console: a correction to someone's side or flags is stored when
it is made, so a redraw (another person joining) never loses it, and admitting them lets
them in as corrected."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_lobby_correction_survives_another_person_joining(console, arrive, shots):
    chair, address = console
    expect(chair.locator("[data-connection]")).to_have_attribute("data-state", "connected")

    arrive("Sam", address)  # Sam is the social worker, and tapped the wrong side
    lobby = chair.locator("[data-lobby]")
    sam = lobby.locator("[data-person]", has_text="Sam")
    sam.get_by_text("Correct their side or flags").click()
    sam.get_by_label("Professional").check()
    expect(sam.locator("[data-side-label]")).to_have_text("Professional")  # stored, and drawn again
    sam = lobby.locator("[data-person]", has_text="Sam")
    sam.get_by_label("Referrer").check()
    expect(sam.get_by_label("Referrer")).to_be_checked()

    arrive("Nan", address)  # the lobby is drawn again from the server's state
    expect(chair.locator("[data-lobby-count]")).to_have_text("(2)")
    sam = lobby.locator("[data-person]", has_text="Sam")
    expect(sam.locator("[data-side-label]")).to_have_text("Professional")
    expect(sam.get_by_label("Referrer")).to_be_checked()
    shots(chair, "console-lobby-corrected")

    chair.get_by_role("button", name="Let Sam in").click()
    let_in = chair.locator("[data-in] li", has_text="Sam")
    expect(let_in.locator("[data-side-label]")).to_have_text("Professional")
    expect(chair.locator("[data-lobby-count]")).to_have_text("(1)")


def test_letting_someone_in_as_another_person_arrives_is_not_lost(console, arrive):
    """Every event draws the console again. The chair presses "Let Sam in", Nan's phone arrives
    before the release: Sam's entry is the same one, so the click lands and Sam is let in."""
    chair, address = console
    arrive("Sam", address)
    admit = chair.get_by_role("button", name="Let Sam in")
    box = admit.bounding_box()
    chair.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    chair.mouse.down()
    arrive("Nan", address)
    expect(chair.locator("[data-lobby-count]")).to_have_text("(2)")
    chair.mouse.up()
    expect(chair.locator("[data-in] li", has_text="Sam")).to_be_visible()
    expect(chair.locator("[data-lobby-count]")).to_have_text("(1)")
