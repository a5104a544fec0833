"""A whole Family Group Conference in real browsers: a chair on a laptop, the room screen on a
projector, two family members and a professional on phones. Each phone joins by the address
decoded from a photograph of the QR code on the room screen, as a phone camera would."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import numpy as np
import pypdf
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser.conftest import LAPTOP, PHONE, PROJECTOR
from tests.browser.test_read_aloud_live import ENGLISH, recorder

pytestmark = pytest.mark.browser

SECRET = "Only the family knows Grandad is moving in"
FAMILY_ACTION = "Grandad moves in and does the school run"


def read_qr(page: Page) -> str:
    """The address in the QR code, read from a screenshot of the screen showing it."""
    image = Image.open(io.BytesIO(page.locator(".room__qr").screenshot())).convert("L")
    [found] = zxingcpp.read_barcodes(np.asarray(image))
    return found.text


def answer(page: Page, text: str, *, label: str = "Your answer", feeling: str | None = None, kind: str | None = None):
    if feeling:
        page.get_by_text(feeling, exact=True).click()
    if kind:
        page.get_by_label(kind).check()
    page.get_by_label(label).fill(text)
    page.get_by_role("button", name="Send", exact=True).click()


def next_stage(chair: Page, title: str) -> None:
    chair.get_by_role("button", name="Next stage").click()
    expect(chair.locator("[data-stage-title]")).to_have_text(title)


def test_a_family_group_conference_from_login_to_the_summary(views, sign_in, join, shots, accessible):
    chair = sign_in(views.open("chair", LAPTOP))
    shots(chair, "chair-meetings")
    accessible(chair, "meetings")

    # Set up the meeting from the Family Group Conference format.
    chair.get_by_role("link", name=re.compile("New meeting|Set up a meeting")).first.click()
    chair.get_by_label("Title").fill("FGC for the J. family")
    chair.get_by_label("Purpose").fill("To make a plan, with the family, for J. to be safe and well.")
    chair.get_by_label("Family Group Conference").check()
    shots(chair, "chair-new-meeting")
    accessible(chair, "new meeting")
    chair.get_by_role("button", name="Set up the meeting").click()
    chair.get_by_role("link", name="Console").click()
    expect(chair.locator("[data-connection]")).to_have_attribute("data-state", "connected")

    # The room screen, on the projector: opened from the console with its own token.
    with chair.context.expect_page() as opened:
        chair.get_by_role("button", name="Open the room screen").click()
    screen_address = opened.value.url
    opened.value.close()
    screen = views.open("screen", PROJECTOR)
    screen.add_init_script(recorder(ENGLISH))  # a laptop with an English voice
    screen.goto(screen_address)
    expect(screen.get_by_role("heading", name="Join on your phone")).to_be_visible()
    shots(screen, "screen-lobby")
    accessible(screen, "room screen")

    address = read_qr(screen)
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/join/[A-Z0-9]{7}", address), address
    kerry, nan, dan = (views.open(name, PHONE) for name in ("kerry", "nan", "dan"))
    for page in (kerry, nan, dan):  # phones with an English voice, to read the summary
        page.add_init_script(recorder(ENGLISH))
    kerry.goto(address)
    shots(kerry, "phone-join-form")
    accessible(kerry, "join form")
    join(kerry, address, "Kerry", "Mum", "Family or a friend")
    join(nan, address, "Nan", "Grandmother", "Family or a friend")
    join(dan, address, "Dan", "Social worker", "Professional")
    shots(kerry, "phone-lobby")
    accessible(kerry, "lobby")

    # The chair lets them in; Dan is the referrer.
    shots(chair, "chair-lobby")
    accessible(chair, "console with a lobby")
    chair.get_by_role("button", name="Let Kerry in").click()
    chair.get_by_role("button", name="Let Nan in").click()
    waiting = chair.locator(".lobby__person", has_text="Dan")
    waiting.get_by_text("Correct their side or flags").click()
    waiting.get_by_label("Referrer").check()
    chair.get_by_role("button", name="Let Dan in").click()
    for page, name in ((kerry, "Kerry"), (nan, "Nan"), (dan, "Dan")):
        expect(page.get_by_text(f"Welcome, {name}.")).to_be_visible()

    # Welcome, then the check-in round: answers appear on the room screen.
    chair.get_by_role("button", name="Start the meeting").click()
    next_stage(chair, "Check-in")
    answer(kerry, "Nervous but hopeful", feeling="Hopeful")
    answer(nan, "Here for J.", feeling="Calm")
    expect(screen.locator("[data-round]")).to_contain_text("Nervous but hopeful")
    expect(screen.locator("[data-round]")).to_contain_text("Here for J.")
    shots(kerry, "phone-check-in")
    accessible(kerry, "phone in a round")
    shots(screen, "screen-check-in")

    # Information sharing: a worry, what is working well, and the professional's bottom line.
    next_stage(chair, "Information sharing")
    answer(dan, "J. must be collected from school every day", label="What you want to share", kind="Bottom lines")
    answer(kerry, "J. loves his school", label="What you want to share", kind="What is working well")
    expect(screen.locator("[data-round]")).to_contain_text("J. must be collected from school every day")
    shots(screen, "screen-information-sharing")

    # Offers: each is in the plan as it is made, offered until the family accepts it.
    next_stage(chair, "What I can do to help")
    answer(nan, "I can pick J. up on Fridays", label="This is what I can do to help...")
    # The room watches the plan grow: the offer is there once, as an action, not also in a round.
    expect(screen.locator("[data-plan]")).to_contain_text("Offered by Nan")
    expect(screen.locator("[data-round]")).to_be_empty()
    expect(screen.get_by_role("button", name=re.compile("Accept"))).to_have_count(0)  # the room only shows
    expect(dan.get_by_role("button", name=re.compile("Accept"))).to_have_count(0)  # the family decides
    kerry.get_by_role("button", name="Accept the action: I can pick J. up on Fridays").click()
    expect(chair.locator("[data-round]")).to_contain_text("In the plan")
    expect(screen.locator("[data-plan]")).not_to_contain_text("Offered by Nan")
    shots(chair, "chair-offers")

    # Private family time, started from the offers: the agenda moves to it. Dan is shut out;
    # the family writes; then invites everyone back.
    chair.get_by_role("button", name="Start private family time…").click()
    chair.get_by_role("button", name="Start private family time", exact=True).click()
    expect(screen.locator("[data-stage-title]")).to_have_text("Private family time")
    expect(kerry.locator("[data-stage-title]")).to_have_text("Private family time")
    for shut_out in (dan, chair):
        expect(shut_out.get_by_role("heading", name=re.compile("The family is having private time"))).to_be_visible()
    shots(dan, "phone-private-time-waiting")
    accessible(dan, "waiting page")
    shots(chair, "chair-private-time-waiting")
    kerry.get_by_role("button", name="Add a note").click()
    kerry.get_by_label("Note", exact=True).fill(SECRET)
    kerry.get_by_label("Keep within the family").check()
    kerry.get_by_role("button", name="Save").click()
    kerry.get_by_role("button", name="Add an action").click()
    kerry.get_by_label("What will be done").fill(FAMILY_ACTION)
    kerry.get_by_label("Who will do it").select_option(label="Someone else (write who)")
    kerry.get_by_label("Who, in words").fill("Grandad")
    kerry.get_by_role("button", name="Save").click()
    expect(screen.locator("[data-plan]")).to_contain_text(FAMILY_ACTION)
    shots(kerry, "phone-private-time-family")
    shots(screen, "screen-private-time")
    for shut_out in (dan, chair):
        html = shut_out.content()
        assert SECRET not in html and FAMILY_ACTION not in html and "pick J. up" not in html
    kerry.get_by_role("button", name="We're ready – invite everyone back").click()
    expect(dan.locator("[data-plan]")).to_contain_text(FAMILY_ACTION)
    expect(chair.locator("[data-plan]")).to_contain_text(FAMILY_ACTION)
    assert SECRET not in dan.content() and SECRET not in chair.content()

    # The plan is presented (the meeting moved on to it as private time ended) and agreed: the
    # referrer declines with reasons, the family amends.
    for page in (chair, screen, kerry):
        expect(page.locator("[data-stage-title]")).to_have_text("The family's plan")
    next_stage(chair, "Agreeing the plan")
    review_on = date.today() + timedelta(days=90)
    kerry.get_by_role("button", name="Change these").click()
    kerry.get_by_label("If the plan is not working, what will happen?").fill("Aunt Jo looks after J.")
    kerry.get_by_label("Who will check the plan is happening?").fill("Aunt Jo")
    kerry.get_by_label("When will we meet again to look at the plan?").fill(review_on.isoformat())
    kerry.get_by_role("button", name="Save").click()
    dan.get_by_role("button", name="I cannot agree it yet").click()
    dan.get_by_label(re.compile("Why not?")).fill("Who collects J. on Mondays?")
    dan.get_by_role("button", name="Send", exact=True).click()
    expect(kerry.locator("[data-closing]")).to_contain_text("Who collects J. on Mondays?")
    shots(kerry, "phone-agreement-declined")
    kerry.get_by_role("button", name="Add an action").click()
    kerry.get_by_label("What will be done").fill("Dad collects J. on Mondays")
    kerry.get_by_label("Who will do it").select_option(label="Someone else (write who)")
    kerry.get_by_label("Who, in words").fill("Dad")
    kerry.get_by_role("button", name="Save").click()
    dan.get_by_role("button", name="I agree the plan").click()
    expect(screen.locator("[data-closing]")).to_contain_text("Dan agreed the plan")
    shots(screen, "screen-agreed")
    shots(dan, "phone-referrer-agreed")
    accessible(dan, "agreement")

    # Check-out, and the chair closes the meeting: every view shows the summary.
    next_stage(chair, "Check-out")
    chair.get_by_role("button", name="Close the meeting…").click()
    expect(chair.get_by_role("heading", name="The meeting has closed")).to_be_visible()
    for page in (kerry, nan, dan, screen):
        expect(page.get_by_role("button", name="Read the summary aloud")).to_be_visible()
    expect(kerry.locator("[data-summary]")).to_contain_text(SECRET)  # the family's own copy
    for page in (dan, screen, chair):
        expect(page.locator("[data-summary]")).to_contain_text(FAMILY_ACTION)
        assert SECRET not in page.content()
    shots(kerry, "phone-summary")
    accessible(kerry, "phone summary")
    shots(screen, "screen-summary")
    accessible(screen, "screen summary")
    shots(chair, "chair-closed")
    accessible(chair, "closed console")

    # The PDF downloads and holds every action.
    with kerry.expect_download() as download:
        kerry.get_by_role("link", name="Download the summary (PDF)").click()
    text = "".join(page.extract_text() for page in pypdf.PdfReader(download.value.path()).pages)
    flat = re.sub(r"\s+", "", text)
    for action in ("I can pick J. up on Fridays", FAMILY_ACTION, "Dad collects J. on Mondays"):
        assert re.sub(r"\s+", "", action) in flat, action
    assert "Sensitive" in text
    chair.get_by_role("link", name="Print the professionals' copy").click()
    shots(chair, "chair-printable-summary")
    accessible(chair, "printable summary")
    assert SECRET not in chair.content()
