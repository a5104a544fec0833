"""The quick exit never fires by accident, and is on every page a participant can reach.

As in GOV.UK's "Exit this page": only Shift pressed and let go on its own counts, so a name typed
with capitals ("Kerry Ann Smith", Shift held for each capital) never leaves the page and loses
nothing; any other key starts the count again; three lone Shifts in a row leave at once, for the
neutral page (QUICK_EXIT_URL: here an address on the test server itself, so nothing leaves the
machine)."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Page, expect

from facilitator.services import joining
from tests.browser.conftest import LAPTOP, PHONE
from tests.server.running import start_server, stop_server

pytestmark = pytest.mark.browser

# A page of the test server with nothing a phone could be refused (no 404 for a favicon).
EXIT = "/login"
SETTINGS = {"QUICK_EXIT_URL": EXIT}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """This module's own server: the quick exit goes to a page of its own."""
    running = start_server(tmp_path_factory.mktemp("quick-exit"), settings=SETTINGS)
    yield running
    stop_server(running)


def left(page: Page) -> None:
    expect(page).to_have_url(re.compile(re.escape(EXIT) + "$"))


def stayed(page: Page, url: str) -> None:
    page.wait_for_timeout(300)  # time enough for a replace() to have begun
    assert page.url == url
    expect(page.locator("[data-quick-exit]")).to_be_visible()


def refusable_phone(views, name: str) -> Page:
    """A phone that is sent refusals on purpose (404, 410, 429): the browser logs each as a
    failed load, which is expected here; a script error still fails the test."""
    context = views.browser.new_context(
        base_url=views.base_url, viewport=PHONE, is_mobile=True, has_touch=True, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    views.contexts.append(context)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "Invite everyone back into the meeting now?"
    page.on("pageerror", lambda error: views.problems.append(f"{name}: {error}"))
    page.on(
        "console",
        lambda message: views.problems.append(f"{name}: {message.text}")
        if message.type == "error" and not re.match(r"Failed to load resource: .* status of 4\d\d", message.text)
        else None,
    )
    return page


def has_quick_exit(page: Page, what: str) -> None:
    control = page.get_by_role("link", name="Exit this page")
    expect(control, what).to_be_visible()
    expect(control, what).to_have_attribute("href", EXIT)
    expect(page.locator("script[src*='quick-exit']"), what).to_have_count(1)


def test_typing_a_name_with_capitals_never_leaves_the_page(views, console):
    _chair, address = console
    phone = views.open("kerry", PHONE)
    phone.goto(address)
    field = phone.get_by_label("Your name")
    field.click()
    # Shift held for each capital, as a hardware keyboard types them.
    for word in ("Kerry", "Ann", "Smith"):
        phone.keyboard.press(f"Shift+{word[0]}")
        phone.keyboard.type(word[1:])
        if word != "Smith":
            phone.keyboard.press("Space")
    stayed(phone, address)
    expect(field).to_have_value("Kerry Ann Smith")

    # Shift pressed down around the letters, one capital after another: still no lone Shift.
    phone.get_by_label("How are you connected?").click()
    for letter in "MUM":
        phone.keyboard.down("Shift")
        phone.keyboard.press(letter)
        phone.keyboard.up("Shift")
    phone.keyboard.down("Shift")
    phone.keyboard.type("NAN")
    phone.keyboard.up("Shift")
    stayed(phone, address)
    expect(phone.get_by_label("How are you connected?")).to_have_value("MUMNAN")


def test_three_lone_shifts_leave_and_a_key_between_starts_again(views, console):
    _chair, address = console
    phone = views.open("kerry", PHONE)
    phone.goto(address)
    field = phone.get_by_label("Your name")
    field.click()

    # Shift, Shift, a letter, Shift: the letter starts the count again.
    for key in ("Shift", "Shift", "k", "Shift"):
        phone.keyboard.press(key)
    stayed(phone, address)
    expect(field).to_have_value("k")
    # Two more lone Shifts make three in a row: gone, for the neutral page.
    phone.keyboard.press("Shift")
    phone.keyboard.press("Shift")
    left(phone)
    # The page it left was replaced, so Back does not bring it back.
    phone.go_back()
    assert "/join/" not in phone.url


def test_three_lone_shifts_leave_whatever_has_focus(views, console):
    _chair, address = console
    phone = views.open("kerry", PHONE)
    phone.goto(address)
    phone.get_by_label("Your name").fill("Kerry")  # typed without Shift: no count
    phone.get_by_label("Your name").focus()
    for _ in range(3):
        phone.keyboard.press("Shift")
    left(phone)


def test_the_quick_exit_still_works_with_a_tap(views, console):
    _chair, address = console
    phone = views.open("kerry", PHONE)
    phone.goto(address)
    phone.get_by_role("link", name="Exit this page").click()
    left(phone)


def test_every_page_a_participant_can_reach_has_the_quick_exit(views, console, join):
    chair, address = console
    code = address.rsplit("/", 1)[1]
    meeting_path = re.search(r"/meetings/\d+", chair.url).group(0)
    phone = refusable_phone(views, "kerry")

    # Without a meeting: typing the code by hand, a code that opens nothing, a link that has
    # gone, an address that is not there.
    for where, what in (
        ("/join/", "enter code"),
        ("/join/?code=%3F", "enter code, with an error"),
        ("/join/ZZZZZZZ", "unknown code"),
        ("/join/invite/not-a-link-anyone-was-given", "unknown invite link"),
        ("/no-such-page", "a 404"),
        (f"/join/{code}/summary", "a 404 for a meeting not closed yet"),
    ):
        phone.goto(where)
        has_quick_exit(phone, what)

    # The join form, the lobby, the meeting itself.
    phone.goto(address)
    has_quick_exit(phone, "join form")
    join(phone, address, "Kerry", "Mum", "Family or a friend")
    has_quick_exit(phone, "lobby")
    chair.get_by_role("button", name="Let Kerry in").click()
    expect(phone.get_by_text("Welcome, Kerry.")).to_be_visible()
    has_quick_exit(phone, "phone page")

    # Someone the chair does not let in.
    stranger = views.open("stranger", PHONE)
    join(stranger, address, "Stranger", "", "Family or a friend")
    chair.get_by_role("button", name="Decline Stranger").click()
    expect(stranger.get_by_role("heading", name="The chair has not let you in")).to_be_visible()
    has_quick_exit(stranger, "declined")

    # A personal link, made on the people page.
    people = chair.context.new_page()
    views.watch(people, "people")
    people.goto(f"{meeting_path}/people/")
    people.get_by_label("Name", exact=True).fill("Nan")
    people.get_by_label("Relationship").fill("Grandmother")
    people.get_by_role("button", name="Add to the list").click()
    people.get_by_role("button", name="Personal link and card for Nan").click()
    link = people.locator("#personal-link").input_value()
    people.close()
    nan = views.open("nan", PHONE)
    nan.goto(link)
    has_quick_exit(nan, "personal link")
    nan.get_by_role("button", name="Join as Nan").click()
    expect(nan.get_by_text("Welcome, Nan.")).to_be_visible()
    has_quick_exit(nan, "phone page, by a personal link")

    # Private family time: a professional waits outside it.
    dan = views.open("dan", PHONE)
    join(dan, address, "Dan", "Social worker", "Professional")
    chair.get_by_role("button", name="Let Dan in").click()
    expect(dan.get_by_text("Welcome, Dan.")).to_be_visible()
    chair.get_by_role("button", name="Start the meeting").click()
    chair.get_by_role("button", name="Start private family time…").click()
    chair.get_by_role("button", name="Start private family time", exact=True).click()
    expect(dan.get_by_role("heading", name=re.compile("The family is having private time"))).to_be_visible()
    has_quick_exit(dan, "private time waiting page")
    phone.get_by_role("button", name="We're ready – invite everyone back").click()
    expect(dan.locator("[data-stage-title]")).to_be_visible()

    # The meeting closes: the summary and its printable copy; "finished" for anyone else.
    chair.get_by_role("button", name="Close the meeting…").click()
    expect(chair.get_by_role("heading", name="The meeting has closed")).to_be_visible()
    # The phone draws itself again on the news, as the summary (a reload of our own would race it).
    expect(phone.locator("[data-summary]")).to_be_visible()
    has_quick_exit(phone, "summary")
    phone.get_by_role("link", name="Print the summary").click()
    has_quick_exit(phone, "printable summary")
    for _ in range(3):
        phone.keyboard.press("Shift")
    left(phone)
    later = refusable_phone(views, "later")
    later.goto(address)
    expect(later.get_by_role("heading", name="This meeting has finished")).to_be_visible()
    has_quick_exit(later, "finished")


def test_too_many_tries_has_the_quick_exit(views, tmp_path):
    """Its own server: a phone that has tried too many codes is held up on every join page."""
    running = start_server(tmp_path, settings=SETTINGS)
    try:
        for _ in range(joining.MISSED_LOOKUPS_PER_ADDRESS + 1):
            requests.get(f"{running.url}/join/ZZZZZZZ", timeout=5)
        phone = refusable_phone(views, "guesser")
        phone.goto(f"{running.url}/join/QQQQQQQ")
        expect(phone.get_by_role("heading", name="Too many tries")).to_be_visible()
        has_quick_exit(phone, "too many tries")
        for _ in range(3):
            phone.keyboard.press("Shift")
        left(phone)
    finally:
        stop_server(running)


def test_a_chairs_pages_have_no_quick_exit(views, sign_in):
    chair = sign_in(views.open("chair", LAPTOP))
    expect(chair.get_by_role("link", name="Exit this page")).to_have_count(0)
