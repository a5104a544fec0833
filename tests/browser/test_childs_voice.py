"""The child's voice in real browsers: a Family Group Conference whose chair adds the three houses
to the agenda. The child fills them on a phone and shares two things of five, one with the family
and one with everyone; each page shows exactly what it was sent, and nothing the child kept to
themselves reaches the parent, the social worker, the console or the room screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, PROJECTOR
from tests.browser.test_read_aloud_live import ENGLISH, recorder

pytestmark = pytest.mark.browser

STAGE = "Jay's three houses"
WORRY = "I get scared when people shout at home"
WORRY_TOO = "I worry that Mum is sad a lot"
GOOD = "Football with Grandad on Saturdays"  # shared with the family
GOOD_TOO = "Miss Patel at school helps me"
DREAM = "I want to live with Mum and my dog Biscuit"  # shared with everyone
UNSHARED = (WORRY, WORRY_TOO, GOOD_TOO)
ADD = {"a worry": "Add to worries", "a good thing": "Add to good things", "a dream": "Add to dreams"}
SMALL_PHONE = {"width": 360, "height": 640}
SMALL_PROJECTOR = {"width": 1280, "height": 720}
NO_SCROLLING = "document.documentElement.scrollHeight <= window.innerHeight"


def fits(page: Page) -> bool:
    """Whether the page fits its window without scrolling, once it has settled (polled: the
    room screen's strict policy allows no string to be evaluated in it)."""
    for _ in range(50):
        if page.evaluate(NO_SCROLLING):
            return True
        page.wait_for_timeout(100)
    return False


def correct(chair: Page, name: str, *labels: str) -> None:
    """The chair corrects a waiting person's side or flags in the lobby."""
    waiting = chair.locator("[data-lobby] [data-person]").filter(
        has=chair.locator("[data-name]", has_text=re.compile(f"^{name}$"))
    )
    waiting.get_by_text("Correct their side or flags").click()
    for label in labels:
        waiting.get_by_label(label).check()
        expect(waiting.get_by_label(label)).to_be_checked()  # stored, and drawn again


def write(phone: Page, house: str, words: str) -> None:
    phone.get_by_label(f"Write {house}").fill(words)
    phone.get_by_role("button", name=ADD[house]).click()
    expect(item_of(phone, words)).to_be_visible()


def item_of(phone: Page, words: str):
    return phone.locator("[data-houses] .house-item", has_text=words)


def share(phone: Page, words: str, choice: str, warning: str) -> None:
    item = item_of(phone, words)
    item.get_by_text(choice, exact=True).click()
    expect(item.locator("[data-confirm]")).to_contain_text(warning)
    expect(item.locator("[data-confirm]")).to_contain_text(re.compile("cannot (take it|be taken) back"))
    item.get_by_role("button", name="Yes, share it").click()
    expect(item.locator("[data-confirm]")).to_be_hidden()


def test_the_child_decides_who_hears_each_thing_in_their_houses(views, console, join, shots, accessible):
    chair, address = console

    # The chair adds the child's voice to the agenda, after the check-in.
    chair.get_by_role("link", name="Agenda", exact=True).click()
    chair.get_by_label("Kind of stage").select_option(label="The child's voice: three houses")
    chair.get_by_label("Title").fill(STAGE)
    chair.get_by_label("Questions").fill("What does Jay want us to know?")
    chair.get_by_role("button", name="Add the stage").click()
    for _ in range(6):
        chair.get_by_role("button", name=f"Move {STAGE} up").click()
    expect(chair.locator(".agenda__stage").nth(2)).to_contain_text(STAGE)
    chair.get_by_role("link", name="Console", exact=True).click()
    expect(chair.locator("[data-connection]")).to_have_attribute("data-state", "connected")

    with chair.context.expect_page() as opened:
        chair.get_by_role("button", name="Open the room screen").click()
    screen_address = opened.value.url
    opened.value.close()
    screen = views.open("screen", PROJECTOR)
    screen.goto(screen_address)

    # The child, their advocate, a parent and a social worker join; the chair marks the child
    # and the advocate in the lobby and lets everyone in.
    jay, sam, kerry, dan = (views.open(name, PHONE) for name in ("jay", "sam", "kerry", "dan"))
    for phone in (jay, sam):  # phones with an English voice: they offer to read aloud
        phone.add_init_script(recorder(ENGLISH))
    join(jay, address, "Jay", "Me", "Family or a friend")
    join(sam, address, "Sam", "Jay's advocate", "Professional")
    join(kerry, address, "Kerry", "Mum", "Family or a friend")
    join(dan, address, "Dan", "Social worker", "Professional")
    expect(chair.locator("[data-lobby-count]")).to_have_text("(4)")
    correct(chair, "Jay", "Child or young person")
    correct(chair, "Sam", "The child's advocate")
    for name in ("Jay", "Sam", "Kerry", "Dan"):
        chair.get_by_role("button", name=f"Let {name} in").click()
        expect(chair.locator("[data-in]")).to_contain_text(name)
    for page, name in ((jay, "Jay"), (sam, "Sam"), (kerry, "Kerry"), (dan, "Dan")):
        expect(page.get_by_text(f"Welcome, {name}.")).to_be_visible()

    # Only the child and the advocate have houses to fill, before the meeting starts too.
    expect(jay.get_by_role("heading", name="Your three houses")).to_be_visible()
    expect(sam.get_by_role("heading", name="Jay's three houses")).to_be_visible()
    for page in (kerry, dan):
        expect(page.locator("[data-houses]")).to_be_hidden()

    chair.get_by_role("button", name="Start the meeting").click()
    chair.get_by_role("button", name="Next stage").click()
    expect(chair.locator("[data-stage-title]")).to_have_text("Check-in")
    chair.get_by_role("button", name="Next stage").click()
    expect(chair.locator("[data-stage-title]")).to_have_text(STAGE)
    expect(screen.locator("[data-stage-title]")).to_have_text(STAGE)

    # The child writes five things in their houses; nobody else but the advocate sees them.
    write(jay, "a worry", WORRY)
    write(jay, "a worry", WORRY_TOO)
    write(jay, "a good thing", GOOD)
    write(jay, "a good thing", GOOD_TOO)
    write(jay, "a dream", DREAM)
    for words in (WORRY, WORRY_TOO, GOOD, GOOD_TOO, DREAM):
        expect(item_of(sam, words)).to_be_visible()
    expect(item_of(jay, WORRY)).to_contain_text("Only you and your advocate can see this.")
    expect(item_of(sam, WORRY)).to_contain_text("Only Jay and their advocate can see this.")
    shots(jay, "child-houses-written")
    accessible(jay, "child's houses")

    # Something written and taken back is gone, for the advocate too.
    write(jay, "a dream", "A thing I did not mean to write")
    item_of(jay, "A thing I did not mean to write").get_by_role("button", name=re.compile("^Take back")).click()
    expect(item_of(jay, "A thing I did not mean to write")).to_have_count(0)
    expect(item_of(sam, "A thing I did not mean to write")).to_have_count(0)

    # Changing their mind before sharing: "Not yet" keeps it with the child.
    item = item_of(jay, WORRY)
    item.get_by_text("Everyone", exact=True).click()
    shots(jay, "child-houses-confirm")
    item.get_by_role("button", name="Not yet").click()
    expect(item.get_by_label("Nobody yet")).to_be_checked()

    # The child shares one thing with the family and one with everyone.
    share(jay, GOOD, "My family", "Share this with your family?")
    expect(item_of(jay, GOOD)).to_contain_text("Your family can hear this now.")
    share(jay, DREAM, "Everyone", "Share this with everyone in the meeting?")
    expect(item_of(jay, DREAM)).to_contain_text("Everyone in the meeting can hear this now.")

    # The parent reads both, as the child's own words; the social worker, the console and the
    # room screen only the one shared with everyone.
    kerry_words = kerry.locator("[data-own-words]")
    expect(kerry_words.get_by_role("heading", name="In Jay's own words")).to_be_visible()
    expect(kerry_words.locator("q", has_text=GOOD)).to_be_visible()
    expect(kerry_words.locator("q", has_text=DREAM)).to_be_visible()
    expect(kerry_words.locator(".house-item", has_text=GOOD)).to_contain_text("Shared with the family only")
    dan_words = dan.locator("[data-own-words]")
    expect(dan_words.get_by_role("heading", name="In Jay's own words")).to_be_visible()
    expect(dan_words.locator("q", has_text=DREAM)).to_be_visible()
    houses = chair.locator("[data-console-houses]")
    expect(houses.get_by_role("heading", name="In Jay's own words")).to_be_visible()
    expect(houses.locator("q", has_text=DREAM)).to_be_visible()
    expect(houses).to_contain_text("What they have not shared stays with them and their advocate")
    room = screen.locator("[data-room-houses]")
    expect(room.get_by_role("heading", name="In Jay's own words")).to_be_visible()
    expect(room.locator(".house--dreams q", has_text=DREAM)).to_be_visible()
    for house in ("House of worries", "House of good things", "House of dreams"):
        expect(room.get_by_role("heading", name=house)).to_be_visible()

    for page in (kerry, dan, chair, screen):
        content = page.content()
        for words in UNSHARED:
            assert words not in content, (page, words)
    for page in (dan, chair, screen):
        assert GOOD not in page.content(), page

    # What has been heard cannot be unheard: the child's phone offers no narrower choice, nor
    # taking it back, and the server refuses it when asked all the same.
    shared = item_of(jay, GOOD)
    expect(shared.get_by_label("Nobody yet")).to_be_disabled()
    expect(shared.get_by_label("My family")).to_be_checked()
    expect(shared.get_by_label("Everyone")).to_be_enabled()
    expect(shared.get_by_role("button", name=re.compile("^Take back"))).to_be_hidden()
    for choice in ("Nobody yet", "My family"):
        expect(item_of(jay, DREAM).get_by_label(choice)).to_be_disabled()
    expect(item_of(jay, DREAM).get_by_role("button", name=f"Read aloud: {DREAM}")).to_be_visible()
    expect(item_of(sam, DREAM).get_by_role("button", name=f"Read aloud: {DREAM}")).to_be_visible()
    refused = jay.evaluate(
        """async ([meeting, itemId]) => {
          const { io } = await import("/static/vendor/socket.io-4.8.1.esm.min.js");
          const socket = io({ auth: { meeting } });
          const ack = await new Promise((done) => socket.emit("share", { item_id: itemId, sharing: "nobody" }, done));
          socket.disconnect();
          return ack;
        }""",
        [int(jay.locator("[data-phone-state]").get_attribute("data-meeting")), int(shared.get_attribute("data-key"))],
    )
    assert refused["ok"] is False and "cannot be taken back" in refused["error"]["message"]
    expect(kerry_words.locator("q", has_text=GOOD)).to_be_visible()

    shots(jay, "child-houses-shared")
    shots(sam, "advocate-houses")
    shots(kerry, "parent-own-words")
    accessible(kerry, "parent's phone with the child's words")
    shots(dan, "worker-own-words")
    shots(chair, "console-childs-voice")
    accessible(chair, "console at the child's voice")
    shots(screen, "screen-childs-voice")
    accessible(screen, "room screen at the child's voice")
    assert fits(screen)

    jay.set_viewport_size(SMALL_PHONE)
    shots(jay, "child-houses-small-phone")
    assert jay.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    kerry.set_viewport_size(SMALL_PHONE)
    assert kerry.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Many things shared, some long: the room screen's type steps down until they fit, at both sizes.
    # With the lobby closed, the houses have the whole width of the screen.
    chair.get_by_role("button", name="Close the lobby (hide the join code)").click()
    expect(screen.locator("[data-join]")).to_be_hidden()
    for index, (house, words) in enumerate(
        [
            ("a worry", "When the police came I hid under my bed and nobody knew where I was for a long time"),
            ("a worry", "Changing schools again"),
            ("a good thing", "My friends Ali and Rosie, and playing in the park after school with them"),
            ("a good thing", "Nan's Sunday dinners"),
            ("a dream", "To be a vet when I grow up"),
            ("a dream", "That everyone stops arguing and we can all go to the seaside together in the summer"),
        ]
    ):
        write(sam, house, words)
        share(sam, words, "Everyone", "Share this with everyone in the meeting?")
        expect(room.locator("q", has_text=words)).to_be_visible()
    shots(screen, "screen-childs-voice-many")
    assert fits(screen)
    screen.set_viewport_size(SMALL_PROJECTOR)
    shots(screen, "screen-childs-voice-720p")
    assert fits(screen)
    expect(room.locator("q", has_text=DREAM)).to_be_in_viewport()
