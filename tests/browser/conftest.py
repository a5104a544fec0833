"""A real browser against the real server: Debian's Chromium driven by Playwright, run.py under
eventlet on a free port with a fresh database. Every view is photographed into
test-artifacts/screenshots/ and checked with axe-core; a contact sheet of them all is made at
the end, so a person can look at the whole product at once."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect, sync_playwright

from tests.server.running import EMAIL, PASSWORD, ROOT, start_server, stop_server

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps reaching for Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Elsewhere for a run beside another (each run starts its screenshots afresh).
ARTIFACTS = Path(os.environ.get("FACILITATOR_ARTIFACTS", ROOT / "test-artifacts"))
SHOTS = ARTIFACTS / "screenshots"
LAPTOP = {"width": 1280, "height": 800}
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = start_server(tmp_path_factory.mktemp("browser"))
    yield running
    stop_server(running)


class Views:
    """The browser contexts of one test: each a device (laptop, projector, phone), each page
    watched for script errors and failed requests, which fail the test."""

    def __init__(self, browser, base_url: str):
        self.browser, self.base_url = browser, base_url
        self.contexts = []
        self.problems: list[str] = []

    def open(self, name: str, viewport: dict, **options) -> Page:
        phone = viewport is PHONE
        context = self.browser.new_context(
            base_url=self.base_url,
            viewport=viewport,
            is_mobile=phone,
            has_touch=phone,
            accept_downloads=True,
            **({"locale": "en-GB"} | options),
        )
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        page = context.new_page()
        self.watch(page, name)
        return page

    def watch(self, page: Page, name: str) -> None:
        page.on("dialog", lambda dialog: dialog.accept())  # "Close the meeting now?" and the like
        page.on("pageerror", lambda error: self.problems.append(f"{name}: {error}"))
        page.on(
            "console",
            lambda message: self.problems.append(f"{name}: {message.text}") if message.type == "error" else None,
        )

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def views(browser, server):
    opened = Views(browser, server.url)
    yield opened
    opened.close()
    assert opened.problems == [], opened.problems


@pytest.fixture
def sign_in():
    def signed_in(page: Page) -> Page:
        page.goto("/login")
        page.get_by_label("E-mail address").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/meetings/")
        return page

    return signed_in


@pytest.fixture(scope="session")
def shots():
    """Screenshots of every view, written where a person (or CI) can look at them."""
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    taken: list[Path] = []

    def shoot(page: Page, name: str) -> Path:
        page.wait_for_load_state("networkidle")
        path = SHOTS / f"{len(taken) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        taken.append(path)
        return path

    yield shoot
    if taken:
        contact_sheet(taken, ARTIFACTS / "contact-sheet.png")


def contact_sheet(paths: list[Path], out: Path, columns: int = 6, cell: int = 420) -> None:
    """Every screenshot on one image, each scaled into its cell with its name beneath."""
    rows = (len(paths) + columns - 1) // columns
    label = 28
    sheet = Image.new("RGB", (columns * cell, rows * (cell + label)), "white")
    draw = ImageDraw.Draw(sheet)
    for index, path in enumerate(paths):
        with Image.open(path) as whole:
            # A long page shows its top: what the person sees first.
            shot = whole.crop((0, 0, whole.width, min(whole.height, int(whole.width * 1.8))))
            shot.thumbnail((cell - 16, cell - 16))
            x, y = (index % columns) * cell, (index // columns) * (cell + label)
            sheet.paste(shot, (x + (cell - shot.width) // 2, y + 8))
            draw.text((x + 8, y + cell), path.stem, fill="black")
    sheet.save(out)


SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="session")
def accessible():
    """axe-core on the page as it is now: no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page: Page, name: str) -> None:
        results = axe.run(page)
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in SERIOUS
        ]
        assert serious == [], f"{name}: {serious}"

    return check


@pytest.fixture
def set_up(views, sign_in):
    """A meeting of a format (its name as the set-up page offers it), set up by a chair on a
    laptop, its console open and connected: the chair's page and the join address."""

    def made(format_name: str, title: str) -> tuple[Page, str]:
        chair = sign_in(views.open("chair", LAPTOP))
        chair.get_by_role("link", name="Set up a meeting").click()
        chair.get_by_label("Title").fill(title)
        chair.get_by_label(format_name).check()
        chair.get_by_role("button", name="Set up the meeting").click()
        chair.get_by_role("link", name="Console").click()
        expect(chair.locator("[data-connection]")).to_have_attribute("data-state", "connected")
        address = chair.locator(".facts__row", has_text="Join address").get_by_role("link").get_attribute("href")
        return chair, address

    return made


@pytest.fixture
def console(set_up):
    """A Family Group Conference the chair has just set up, its console open: the chair's
    page and the join address."""
    return set_up("Family Group Conference", "FGC for the M. family")


@pytest.fixture
def room_screen(views):
    """The room screen a chair opens from the console, shown on the projector: its page."""

    def opened(chair: Page) -> Page:
        with chair.context.expect_page() as popup:
            chair.get_by_role("button", name="Open the room screen").click()
        address = popup.value.url
        popup.value.close()
        screen = views.open("screen", PROJECTOR)
        screen.goto(address)
        expect(screen.locator("[data-connection]")).to_have_attribute("data-state", "connected")
        return screen

    return opened


@pytest.fixture
def join():
    """A phone joins by the address, saying who they are and on which side; into the lobby."""

    def joins(page: Page, address: str, name: str, relation: str, side: str) -> None:
        page.goto(address)
        page.get_by_label("Your name").fill(name)
        page.get_by_label("How are you connected?").fill(relation)
        page.get_by_label(side).check()
        page.get_by_role("button", name="Join").click()
        expect(page.get_by_role("heading", name="Waiting for the chair to let you in")).to_be_visible()

    return joins


@pytest.fixture
def arrive(views):
    """A phone that joins by the address as family or a friend, into the lobby: its page."""

    def joins(name: str, address: str, view: str | None = None) -> Page:
        phone = views.open(view or name, PHONE)
        phone.goto(address)
        phone.get_by_label("Your name").fill(name)
        phone.get_by_label("Family or a friend").check()
        phone.get_by_role("button", name="Join").click()
        return phone

    return joins


@pytest.fixture
def meeting(console, arrive):
    """A Family Group Conference set up and started by the chair, at its check-in, with Kerry
    let in on her phone: the chair's page, Kerry's page and the join address."""
    chair, address = console
    kerry = arrive("Kerry", address, view="kerry")
    chair.get_by_role("button", name="Let Kerry in").click()
    chair.get_by_role("button", name="Start the meeting").click()
    chair.get_by_role("button", name="Next stage").click()
    kerry.get_by_role("heading", name="Check-in").wait_for()
    # Let in: the phone has drawn the admitted page, with somewhere to answer.
    kerry.get_by_label("Your answer").wait_for()
    return chair, kerry, address
