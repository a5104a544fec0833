"""The room screen fits the projector whatever it shows, measured as a person would see it: at
1920x1080 and 1280x720, with a plan of 0, 5, 20 or 60 actions, nothing lies outside the window
and nothing scrolls; a long plan shows a page at a time, calmly, and every action is on a page.
Before the meeting starts, the QR code is the main thing on the screen, large enough for a
phone at the back of the room to read it."""

from __future__ import annotations

import io
import math
import os
import re
import subprocess
import sys

import numpy as np
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser.conftest import LAPTOP, PROJECTOR
from tests.server.running import ROOT

pytestmark = pytest.mark.browser

SMALL_PROJECTOR = {"width": 1280, "height": 720}

# A meeting written with the app's own services, straight into the server's database: a Family
# Group Conference with four people listed, at a stage (-1: not started), with a plan of
# `actions` actions under two outcomes and none, and `offers` offers said in the round.
SEED = r"""
import sys, uuid
from facilitator import create_app
from facilitator.services import accounts, contributions, meetings, people, plan, running
from tests.server.running import EMAIL

actions, position, offers, lobby = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
WHAT = [
    "Take J. to school every morning and pick him up at three",
    "Ring the school each Friday to check attendance",
    "Come round for tea on Sundays and check in with Kerry",
    "Go to the parenting course at the family centre",
    "Keep the house tidy and safe for the children",
    "Help with the shopping on Saturdays",
]
app = create_app()
with app.app_context():
    chair = accounts.find_chair(EMAIL)
    meeting = meetings.create_meeting(
        chair, meetings.Details(title="FGC for the M. family"), format_key="family_group_conference"
    )
    folk = [
        people.add_person(meeting, people.PersonDetails(name, relation, side, frozenset()))
        for name, relation, side in [
            ("Kerry Smith", "Mum", "family"),
            ("Dave Smith", "Grandad", "family"),
            ("Jo Brown", "Aunt", "family"),
            ("Sam Patel", "Social worker", "professional"),
        ]
    ]
    if position >= 0:
        running.start(meeting)
        if position:
            running.go_to(meeting, position)
        goals = [
            plan.add_outcome(meeting, str(uuid.uuid4()), text, "chair")[0]
            for text in ("J. is safe at home and goes to school every day", "Kerry has help and time for herself")
        ]
        for i in range(actions):
            details = plan.ActionDetails(
                what=f"{WHAT[i % len(WHAT)]} (action {i + 1})",
                who_text=["Kerry", "Dave", "Jo", "Sam"][i % 4],
                by_when="Every week",
                outcome_id=goals[i % 3].id if i % 3 < 2 else None,
            )
            plan.add_action(meeting, str(uuid.uuid4()), details, "chair")
        for i in range(offers):
            words = f"I can help: {WHAT[i % len(WHAT)].lower()} (offer {i + 1})"
            contributions.add(meeting, folk[i % 4], str(uuid.uuid4()), words, recorded_by=chair)
    if lobby == "closed":
        running.set_lobby(meeting, False)
    print(meeting.id)
"""

# Where each thing the room screen shows lies, against the window: every visible element of
# the room, its box, and whether the page scrolls.
GEOMETRY = """() => {
  const root = document.querySelector("[data-room]");
  const width = window.innerWidth;
  const height = window.innerHeight;
  const outside = [];
  for (const node of [root, ...root.querySelectorAll("*")]) {
    if (!node.checkVisibility()) continue;
    const box = node.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.left < -0.5 || box.top < -0.5 || box.right > width + 0.5 || box.bottom > height + 0.5) {
      const name = node.getAttribute("class") || node.tagName.toLowerCase();
      const words = (node.textContent || "").trim().slice(0, 50);
      outside.push(`${name} [${Math.round(box.left)}, ${Math.round(box.top)}, ${Math.round(box.right)}, ${Math.round(box.bottom)}] ${words}`);
    }
  }
  const page = document.scrollingElement;
  return { outside, scrollHeight: page.scrollHeight, scrollWidth: page.scrollWidth, width, height };
}"""

# The texts of the items shown now, and of all of them (shown on this page or not).
SHOWN = """(selector) => [...document.querySelectorAll(selector)].filter((n) => n.checkVisibility()).map((n) => n.textContent.trim())"""
ALL = """(selector) => [...document.querySelectorAll(selector)].map((n) => n.textContent.trim())"""
PLAN_ITEMS = "[data-plan] .action__what"
OFFERS = "[data-round] .said__text"


def seed(server, actions: int, position: int, *, offers: int = 0, lobby: str = "open") -> int:
    """A meeting in the server's own database, written by the app's services; its id."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FACILITATOR_", "SOCKETIO_", "ASYNC_MODE"))}
    env.update(
        FACILITATOR_ENV="production",
        SECRET_KEY="seeding " * 8,
        DATABASE_URL=f"sqlite:///{server.log.parent / 'facilitator.sqlite3'}",
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(
        [sys.executable, "-c", SEED, str(actions), str(position), str(offers), lobby],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def open_screen(views, sign_in, meeting_id: int, *, viewport=PROJECTOR, **options) -> Page:
    """The chair opens the room screen from the console; the projector shows it, with a clock
    the test can move on (so pages can be turned without waiting)."""
    chair = sign_in(views.open("chair", LAPTOP))
    chair.goto(f"/meetings/{meeting_id}")
    with chair.context.expect_page() as opened:
        chair.get_by_role("button", name="Open the room screen").click()
    address = opened.value.url
    opened.value.close()
    screen = views.open("screen", viewport, **options)
    screen.clock.install()
    screen.goto(address)
    expect(screen.locator("[data-connection]")).to_have_attribute("data-state", "connected")
    return screen


def assert_fits(screen: Page, what: str) -> None:
    seen = screen.evaluate(GEOMETRY)
    assert seen["outside"] == [], f"{what}: outside the window: {seen['outside'][:5]}"
    assert seen["scrollHeight"] <= seen["height"], f"{what}: scrolls down ({seen['scrollHeight']} > {seen['height']})"
    assert seen["scrollWidth"] <= seen["width"], f"{what}: scrolls across ({seen['scrollWidth']} > {seen['width']})"


def pagers(screen: Page) -> dict[str, str]:
    """What each list that may page says about its pages ("" when it fits on one)."""
    return screen.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll("[data-fit-region]")].map(
             (r) => [r.dataset.fitRegion, r.querySelector("[data-pager]").checkVisibility() ? r.querySelector("[data-pager]").textContent : ""]))"""
    )


def page_count(pager: str) -> int:
    found = re.search(r"(\d+) of (\d+)", pager)
    return int(found.group(2)) if found else 1


def turn_page(screen: Page, *, just_turned: bool = True) -> None:
    """Wait, on the page's clock, for the next page: never sooner than 12 seconds after the
    last turn."""
    before = pagers(screen)
    if just_turned:
        screen.clock.run_for(11_000)
        assert pagers(screen) == before, "a page turned in less than 12 seconds"
    for _ in range(60):
        screen.clock.run_for(1_000)
        if pagers(screen) != before:
            return
    raise AssertionError(f"no page turned within a minute: {before}")


def every_page(screen: Page, what: str, *selectors: str) -> list[set[str]]:
    """Each page in turn, checked to fit; for each selector, the texts shown on any page."""
    shown: list[set[str]] = [set() for _ in selectors]
    turns = max(page_count(pager) for pager in pagers(screen).values())
    for number in range(turns):
        assert_fits(screen, f"{what}, page {number + 1}")
        for found, selector in zip(shown, selectors):
            found.update(screen.evaluate(SHOWN, selector))
        if number + 1 < turns:
            turn_page(screen, just_turned=number > 0)
    return shown


def font_px(screen: Page, selector: str) -> list[float]:
    return screen.evaluate(
        "(s) => [...document.querySelectorAll(s)].map((n) => parseFloat(getComputedStyle(n).fontSize))", selector
    )


def screenshot(screen: Page) -> Image.Image:
    return Image.open(io.BytesIO(screen.screenshot())).convert("L")


def module_px(screen: Page) -> float:
    """The size of one QR module, read from the pixels: the top edge of the top-left finder
    pattern is a run of seven dark modules."""
    box = screen.locator(".room__qr svg").bounding_box()
    image = screenshot(screen).crop((int(box["x"]), int(box["y"]), int(box["x"] + box["width"]), int(box["y"] + box["height"])))
    dark = np.asarray(image) < 128
    rows, columns = np.nonzero(dark)
    top, left = rows.min(), columns[rows == rows.min()].min()
    run = 0
    while left + run < dark.shape[1] and dark[top, left + run]:
        run += 1
    return run / 7


# A phone at the back of the room: the picture is 2 m wide, the phone 5 m away, its camera seeing
# about 65 degrees across, so it takes in 2 x 5 m x tan(32.5 deg) = 6.37 m of wall, spread over
# the 1920 pixels of the frame a scanning app reads. The 2 m of screen fill 2 / 6.37 = 31% of
# that frame: a screen of 1920 pixels is seen as about 600 camera pixels (a factor of 1/3.2,
# harsher than a phone nearer the front), and a screen of 1280 pixels as the same 600.
CAMERA_FRAME = 1920
WALL_SEEN = 2 * 5.0 * math.tan(math.radians(65 / 2))
PICTURE = 2.0


def as_seen_from_the_back(image: Image.Image) -> Image.Image:
    scale = (PICTURE / WALL_SEEN) * CAMERA_FRAME / image.width
    return image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.BOX)


def test_before_the_start_the_qr_code_is_the_main_thing(server, views, sign_in, shots, accessible):
    screen = open_screen(views, sign_in, seed(server, 0, -1))
    expect(screen.locator("[data-room]")).to_have_attribute("data-mode", "welcome")
    expect(screen.locator("[data-stage-title]")).to_have_text("We will start soon")
    code = screen.locator(".room__code").text_content().replace(" ", "")
    for viewport, least in ((PROJECTOR, 8), (SMALL_PROJECTOR, 8 * 1280 / 1920)):
        screen.set_viewport_size(viewport)
        screen.wait_for_timeout(300)
        assert_fits(screen, f"before the start at {viewport['width']}")
        shots(screen, f"room-welcome-{viewport['width']}")
        # The biggest thing on the screen: over half its height.
        box = screen.locator(".room__qr svg").bounding_box()
        assert box["height"] >= viewport["height"] / 2, box
        module = module_px(screen)
        assert module >= least, f"{module:.1f} px a module at {viewport['width']}"
        if viewport is PROJECTOR:
            print(f"QR at 1920x1080: {box['width']:.0f} px wide, {module:.1f} px a module")
        far = as_seen_from_the_back(screenshot(screen))
        found = zxingcpp.read_barcodes(np.asarray(far))
        assert [result.text.endswith(f"/join/{code}") for result in found] == [True], (viewport, far.size)
    accessible(screen, "room screen before the start")


@pytest.mark.parametrize("actions", [0, 5, 20, 60])
def test_the_plan_fits_the_screen_whatever_its_size(server, views, sign_in, shots, accessible, actions):
    # At the agreement: four questions, the plan, and its terms beside it; the lobby still open.
    screen = open_screen(views, sign_in, seed(server, actions, 6))
    expect(screen.locator("[data-stage-title]")).to_have_text("Agreeing the plan")
    expect(screen.locator("[data-plan-section]")).to_be_visible()
    expect(screen.locator("[data-join]")).to_be_visible()
    # The questions: at least 40 px at 1080p, however long the plan.
    assert min(font_px(screen, "[data-questions] li")) >= 40
    assert font_px(screen, "[data-stage-title]")[0] >= 40
    # The QR code stays while the lobby is open, smaller than before the start.
    assert screen.locator(".room__qr svg").bounding_box()["height"] < PROJECTOR["height"] / 3
    everything = set(screen.evaluate(ALL, PLAN_ITEMS))
    assert len(everything) == actions
    for viewport in (PROJECTOR, SMALL_PROJECTOR):
        screen.set_viewport_size(viewport)
        screen.wait_for_timeout(1_000)  # any page turned has faded in
        shots(screen, f"room-plan-{actions}-{viewport['width']}")
        [shown] = every_page(screen, f"{actions} actions at {viewport['width']}", PLAN_ITEMS)
        assert shown == everything, f"never shown: {sorted(everything - shown)[:5]}"
    if actions == 60:
        screen.wait_for_timeout(1_000)  # the last page has faded in
        accessible(screen, "room screen with a long plan")


def test_at_the_offers_the_room_watches_the_plan_grow(server, views, sign_in, shots):
    # Twelve offers said, each an action in the plan the moment it was made; and ten actions
    # written before them. The room shows the plan, not the round beside it: each offer once.
    screen = open_screen(views, sign_in, seed(server, 10, 3, offers=12, lobby="closed"))
    expect(screen.locator("[data-stage-title]")).to_have_text("What I can do to help")
    expect(screen.locator("[data-join]")).to_be_hidden()
    expect(screen.locator("[data-plan-section]")).to_be_visible()
    expect(screen.locator("[data-round]")).to_be_hidden()
    for viewport in (PROJECTOR, SMALL_PROJECTOR):
        screen.set_viewport_size(viewport)
        screen.wait_for_timeout(1_000)
        shots(screen, f"room-offers-{viewport['width']}")
        [planned] = every_page(screen, f"offers at {viewport['width']}", PLAN_ITEMS)
        assert len(planned) == 22
        assert {text.rsplit("(", 1)[1] for text in planned if "(offer " in text} == {f"offer {i})" for i in range(1, 13)}


def test_pages_turn_calmly_and_are_not_announced(server, views, sign_in):
    screen = open_screen(views, sign_in, seed(server, 30, 5, lobby="closed"))
    expect(screen.locator("[data-stage-title]")).to_have_text("The family's plan")
    plan = screen.locator("[data-plan-section]")
    pager = plan.locator("[data-pager]")
    expect(pager).to_have_text(re.compile(r"^Page 1 of [2-9]$"))
    # Only a small line says what is new; the plan itself is not read out at each turn.
    assert screen.locator("[aria-live]:not([aria-live=off])").evaluate_all(
        "(nodes) => nodes.every((n) => !n.querySelector('[data-plan], [data-round]') && !n.closest('[data-plan], [data-round]'))"
    )
    assert plan.get_attribute("aria-live") is None
    news = screen.locator("[data-news]").text_content()
    turn_page(screen)
    expect(pager).to_have_text(re.compile(r"^Page 2 of "))
    assert screen.locator("[data-news]").text_content() == news
    # The new page fades in, gently; the heading and the pager stay still.
    assert plan.locator("[data-plan]").evaluate("(n) => getComputedStyle(n).animationName").startswith("room-page-")
    assert plan.locator("h2").evaluate("(n) => getComputedStyle(n).animationName") == "none"


def test_pages_turn_without_motion_when_motion_is_reduced(server, views, sign_in):
    screen = open_screen(views, sign_in, seed(server, 30, 5, lobby="closed"), reduced_motion="reduce")
    plan = screen.locator("[data-plan-section]")
    expect(plan.locator("[data-pager]")).to_have_text(re.compile(r"^Page 1 of "))
    turn_page(screen)
    expect(plan.locator("[data-pager]")).to_have_text(re.compile(r"^Page 2 of "))
    assert plan.locator("[data-plan]").evaluate("(n) => getComputedStyle(n).animationName") == "none"
