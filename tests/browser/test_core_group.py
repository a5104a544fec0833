"""The core group in real browsers: a restorative child protection conference names its core
group on the chair's console (ticking people, setting when it first meets) and the room screen
shows it with the plan's terms; closed, its review is set up from the closed console, shows the
core group it inherits and agrees its own next review date, six months on by default."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser


def long_day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def go_to(chair: Page, title: str) -> None:
    while chair.locator("[data-stage-title]").inner_text() != title:
        chair.get_by_role("button", name="Next stage").click()
        chair.wait_for_timeout(150)


def fits(screen: Page) -> None:
    """The room screen never scrolls: nothing below the window."""
    assert screen.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 1")


def test_a_conference_names_its_core_group_and_its_review_inherits_it(views, set_up, room_screen, join, shots, accessible):
    chair, address = set_up("Restorative child protection conference", "Conference for the D. family")
    screen = room_screen(chair)

    kerry, dan = views.open("kerry", PHONE), views.open("dan", PHONE)
    join(kerry, address, "Kerry", "Mum", "Family or a friend")
    join(dan, address, "Dan", "Social worker", "Professional")
    chair.get_by_role("button", name="Let Kerry in").click()
    chair.get_by_role("button", name="Let Dan in").click()
    expect(kerry.get_by_text("Welcome, Kerry.")).to_be_visible()
    chair.get_by_role("button", name="Start the meeting").click()
    go_to(chair, "Agreeing the plan")
    expect(screen.locator("[data-stage-title]")).to_have_text("Agreeing the plan")

    # The chair names the core group with the plan's terms: people ticked, the first meeting.
    first_meets = date.today() + timedelta(days=10)
    closing = chair.locator("[data-closing]")
    closing.get_by_role("button", name="Change these").click()
    group = closing.get_by_role("group", name="Who will be in the core group?")
    expect(group.get_by_label("Kerry (Mum)")).not_to_be_checked()
    expect(chair.get_by_label("How many weeks apart will the core group meet?")).to_have_value("6")
    group.get_by_label("Kerry (Mum)").check()
    group.get_by_label("Dan (Social worker)").check()
    chair.get_by_label("When will the core group first meet?").fill(first_meets.isoformat())
    chair.get_by_label("If the plan is not working, what will happen?").fill("Nan looks after the children.")
    group.scroll_into_view_if_needed()
    shots(chair, "core-group-console-form")
    accessible(chair, "console terms with the core group")
    closing.get_by_role("button", name="Save").click()
    expect(closing).to_contain_text("Kerry and Dan")
    expect(closing).to_contain_text(f"{long_day(first_meets)}, then every 6 weeks")

    # The room screen shows it with the plan's terms, and still fits its window.
    room_terms = screen.locator("[data-closing]")
    expect(room_terms).to_contain_text("Core group")
    expect(room_terms).to_contain_text("Kerry and Dan")
    expect(room_terms).to_contain_text(long_day(first_meets))
    fits(screen)
    shots(screen, "core-group-room-screen")
    accessible(screen, "room screen with the core group")
    expect(kerry.locator("[data-closing]")).to_contain_text("Kerry and Dan")  # the family sees it too

    # Closed, the review is set up from the closed console.
    go_to(chair, "Check-out")
    chair.get_by_role("button", name="Close the meeting…").click()
    expect(chair.get_by_role("heading", name="The meeting has closed")).to_be_visible()
    expect(screen.locator("[data-summary]")).to_contain_text("Kerry (Mum), Dan (Social worker)")
    chair.get_by_role("button", name="Set up the review").click()
    expect(chair.get_by_text("The review is set up with the plan from Conference for the D. family.")).to_be_visible()
    expect(chair.locator("[data-connection]")).to_have_attribute("data-state", "connected")

    # The review: its people listed again, the core group inherited; its next date six months on.
    chair.get_by_role("button", name="Start the meeting").click()
    go_to(chair, "What happens next")
    closing = chair.locator("[data-closing]")
    expect(closing).to_contain_text("Kerry and Dan")
    expect(closing).to_contain_text("every 6 weeks")
    started = date.today()
    month, year = started.month + 6, started.year
    if month > 12:
        month, year = month - 12, year + 1
    for last in (31, 30, 29, 28):
        try:
            six_months_on = date(year, month, min(started.day, last))
            break
        except ValueError:
            continue
    expect(closing).to_contain_text(long_day(six_months_on))
    shots(chair, "core-group-review-inherited")
    closing.get_by_role("button", name="Change these").click()
    group = closing.get_by_role("group", name="Who will be in the core group?")
    expect(group.get_by_label("Kerry")).to_be_checked()
    expect(group.get_by_label("Dan")).to_be_checked()
    expect(chair.get_by_label("When will we meet again to look at the plan?")).to_have_value(six_months_on.isoformat())
    next_meets = date.today() + timedelta(days=21)
    chair.get_by_label("When will the core group next meet?").fill(next_meets.isoformat())
    group.get_by_label("Dan").uncheck()
    # Ending the plan puts the review date aside (no other meeting); another decision brings it back.
    closing.get_by_label("End the plan").check()
    review = chair.get_by_label("When will we meet again to look at the plan?")
    expect(review).to_be_disabled()
    expect(closing.get_by_text("The plan has ended, so no other meeting is planned.")).to_be_visible()
    closing.get_by_label("Keep the plan").check()
    expect(review).to_be_enabled()
    expect(review).to_have_value(six_months_on.isoformat())
    expect(chair.get_by_label("When does this take effect?")).to_be_hidden()
    closing.get_by_label("Step it down to a child in need plan").check()
    expect(chair.get_by_label("When does this take effect?")).to_be_visible()
    group.scroll_into_view_if_needed()
    shots(chair, "core-group-review-form")
    accessible(chair, "review terms")
    closing.get_by_role("button", name="Save").click()
    expect(closing).to_contain_text(f"{long_day(next_meets)}, then every 6 weeks")
    expect(closing).not_to_contain_text("Kerry and Dan")
    expect(closing).to_contain_text(long_day(six_months_on))
    expect(closing).to_contain_text(long_day(date.today()))  # the step-down takes effect today
    shots(chair, "core-group-review-saved")
