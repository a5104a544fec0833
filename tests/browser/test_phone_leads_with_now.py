"""On a small phone (360x640), the page leads with now: the current stage, its questions and what
this person can do are the first thing under the header, at every stage, without scrolling. The
welcome (who you are, what this is) shows before the meeting starts, then steps aside."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LAPTOP

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 640}


def small_phone(views, name: str) -> Page:
    """A 360x640 phone: touch, a mobile viewport, watched for script errors like every view."""
    context = views.browser.new_context(
        base_url=views.base_url,
        viewport=SMALL_PHONE,
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
    )
    context.set_default_timeout(10_000)
    views.contexts.append(context)
    page = context.new_page()
    views.watch(page, name)
    return page


def join_on_small_phone(views, address: str, name: str, side: str = "Family or a friend") -> Page:
    phone = small_phone(views, name.lower())
    phone.goto(address)
    phone.get_by_label("Your name").fill(name)
    phone.get_by_label(side).check()
    phone.get_by_role("button", name="Join").click()
    expect(phone.get_by_role("heading", name="Waiting for the chair to let you in")).to_be_visible()
    return phone


def next_stage(chair: Page, phone: Page, title: str) -> None:
    chair.get_by_role("button", name="Next stage").click()
    expect(chair.locator("[data-stage-title]")).to_have_text(title)
    expect(phone.locator("[data-stage-title]")).to_have_text(title)


def box(page: Page, selector: str) -> dict:
    found = page.locator(selector)
    expect(found).to_be_visible()
    measured = found.bounding_box()
    assert measured is not None, selector
    return {"top": measured["y"], "bottom": measured["y"] + measured["height"]}


def first_screen(page: Page, *controls: str) -> dict[str, dict]:
    """Where the stage's question and its controls are on the first screen, from the top."""
    page.evaluate("window.scrollTo(0, 0)")
    assert page.evaluate("window.scrollY") == 0
    measured = {"stage": box(page, "[data-stage-title]"), "question": box(page, "[data-questions] li >> nth=0")}
    measured.update({control: box(page, control) for control in controls})
    for name, where in measured.items():
        assert 0 <= where["top"] and where["bottom"] <= SMALL_PHONE["height"], (name, measured)
    return measured


def welcome_steps_aside(page: Page) -> None:
    """Once the meeting runs, no welcome above the stage: it waits lower down, folded."""
    intro = page.locator("[data-intro]")
    expect(intro.locator("[data-greeting], [data-welcome-facts], [data-welcome-part]:visible")).to_have_count(0)
    about = page.locator("[data-about]")
    expect(about.locator("[data-greeting]")).to_be_visible()
    expect(about).to_be_visible()
    expect(about.locator("details")).not_to_have_attribute("open", "")
    stage = box(page, "[data-stage-title]")
    assert box(page, "[data-about]")["top"] > stage["bottom"]


def test_a_small_phone_leads_with_the_current_stage(console, views, shots, accessible):
    chair, address = console
    kerry = join_on_small_phone(views, address, "Kerry")
    chair.get_by_role("button", name="Let Kerry in").click()

    # Before the meeting starts: the welcome, with who you are and what this is.
    expect(kerry.get_by_text("Welcome, Kerry.")).to_be_visible()
    intro = kerry.locator("[data-intro]")
    expect(intro.locator("[data-greeting]")).to_be_visible()
    expect(intro.get_by_text("You are in")).to_be_visible()
    expect(intro.locator("[data-welcome-facts]")).to_contain_text("You are here as")
    expect(kerry.locator("[data-about]")).to_be_hidden()
    shots(kerry, "small-phone-before-start")

    chair.get_by_role("button", name="Start the meeting").click()
    expect(kerry.locator("[data-stage-title]")).to_have_text("Welcome, introductions and ground rules")
    welcome_steps_aside(kerry)
    first_screen(kerry, "#answer-text")
    expect(kerry.locator("[data-stage-number]")).to_have_text("Stage 1 of 8")
    shots(kerry, "small-phone-welcome-stage")

    next_stage(chair, kerry, "Check-in")
    welcome_steps_aside(kerry)
    first_screen(kerry, "[data-feelings]", "#answer-text")
    shots(kerry, "small-phone-check-in")
    accessible(kerry, "small phone at check-in")
    kerry.get_by_text("Hopeful", exact=True).click()
    kerry.get_by_label("Your answer").fill("Nervous but hopeful")
    kerry.get_by_role("button", name="Send", exact=True).click()
    expect(kerry.locator("[data-round]")).to_contain_text("Nervous but hopeful")
    expect(chair.locator("[data-round]")).to_contain_text("Nervous but hopeful")

    next_stage(chair, kerry, "Information sharing")
    welcome_steps_aside(kerry)
    first_screen(kerry, "[data-kinds]", "#answer-text")
    expect(kerry.get_by_label("What you want to share")).to_be_visible()
    shots(kerry, "small-phone-information-sharing")
    kerry.get_by_label("What is working well").check()
    kerry.get_by_label("What you want to share").fill("J. loves his school")
    kerry.get_by_role("button", name="Send", exact=True).click()
    expect(chair.locator("[data-round]")).to_contain_text("J. loves his school")

    next_stage(chair, kerry, "What I can do to help")
    welcome_steps_aside(kerry)
    first_screen(kerry, "#answer-text")
    expect(kerry.get_by_label("This is what I can do to help...")).to_be_visible()
    shots(kerry, "small-phone-offers")
    accessible(kerry, "small phone at the offers")

    # The welcome is still there for whoever wants it, folded lower down.
    kerry.locator("[data-about] summary").click()
    expect(kerry.locator("[data-about]")).to_contain_text("You are here as")
    shots(kerry, "small-phone-about-open")


def test_a_small_phone_announces_a_new_stage_politely(console, views):
    chair, address = console
    kerry = join_on_small_phone(views, address, "Kerry")
    chair.get_by_role("button", name="Let Kerry in").click()
    expect(kerry.get_by_text("Welcome, Kerry.")).to_be_visible()
    chair.get_by_role("button", name="Start the meeting").click()
    announcer = kerry.locator("[data-stage-announce]")
    expect(announcer).to_have_attribute("aria-live", "polite")
    expect(announcer).to_have_text("Stage 1 of 8: Welcome, introductions and ground rules")
    next_stage(chair, kerry, "Check-in")
    expect(announcer).to_have_text("Stage 2 of 8: Check-in")


def test_a_phone_joining_a_running_meeting_sees_now_first(console, views):
    chair, address = console
    chair.get_by_role("button", name="Start the meeting").click()
    chair.get_by_role("button", name="Next stage").click()
    expect(chair.locator("[data-stage-title]")).to_have_text("Check-in")
    nan = join_on_small_phone(views, address, "Nan")
    chair.get_by_role("button", name="Let Nan in").click()
    expect(nan.locator("[data-stage-title]")).to_have_text("Check-in")
    welcome_steps_aside(nan)
    first_screen(nan, "[data-feelings]")
    # Focus lands on the page's heading, at the top, not somewhere down the page.
    assert nan.evaluate("window.scrollY") == 0
    # The page comes with the stage drawn, before its live connection is up.
    html = nan.context.request.get(address).text()
    assert "data-stage-title>Check-in</h2>" in html and "How are you feeling as we start?" in html
    nan.reload()
    expect(nan.locator("[data-stage-title]")).to_have_text("Check-in")
    welcome_steps_aside(nan)
    expect(nan.get_by_text("Welcome, Nan.")).to_be_visible()  # still this person, lower down


def test_a_small_phone_scores_from_the_first_screen(views, sign_in, shots):
    chair = sign_in(views.open("chair", LAPTOP))
    chair.get_by_role("link", name="Set up a meeting").click()
    chair.get_by_label("Title").fill("Mapping for the K. family")
    chair.get_by_label("Signs of Safety mapping").check()
    chair.get_by_role("button", name="Set up the meeting").click()
    chair.get_by_role("link", name="Console").click()
    address = chair.locator(".facts__row", has_text="Join address").get_by_role("link").get_attribute("href")
    kerry = join_on_small_phone(views, address, "Kerry")
    chair.get_by_role("button", name="Let Kerry in").click()
    expect(kerry.get_by_text("Welcome, Kerry.")).to_be_visible()
    chair.get_by_role("button", name="Start the meeting").click()
    for title in ("Check-in", "What are we worried about?", "What's working well?", "What needs to happen?"):
        next_stage(chair, kerry, title)
    next_stage(chair, kerry, "Safety scale")

    # The scale's long question, then the numbers: all on the first screen.
    welcome_steps_aside(kerry)
    first_screen(kerry, "[data-score] .score__choices")
    expect(kerry.locator("[data-answer]")).to_be_hidden()
    shots(kerry, "small-phone-scaling")
    kerry.locator("label[for=score-7]").click()
    kerry.get_by_role("button", name="Send my score").click()
    expect(kerry.locator("[data-score-mine]")).to_have_text("Your score: 7. Only you can see it until the chair shows everyone's.")

    # Once the chair shows everyone's, the phone asks why.
    chair.get_by_role("button", name="Show everyone's scores").click()
    expect(kerry.locator("[data-score]")).to_be_hidden()
    first_screen(kerry, "#answer-text")
    expect(kerry.get_by_label("Why that number?")).to_be_visible()
    kerry.get_by_label("Why that number?").fill("Things are better at home")
    kerry.get_by_role("button", name="Send", exact=True).click()
    expect(chair.locator("[data-round]")).to_contain_text("Things are better at home")
    shots(kerry, "small-phone-scaling-revealed")
