"""Signs of Safety mapping in real browsers: a chair on a laptop, the room screen on a projector,
two family members and a professional on phones that join by the meeting's address. What an
answer is follows the stage; the family says what needs to happen; the whole map (danger
statements beside their safety goals, worries, what is working well, what needs to happen, the
scale with its spread and reasons) fits the room screen at 1920x1080 and 1280x720, and is one
section of the summary."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PROJECTOR
from tests.browser.test_conference import answer, next_stage
from tests.browser.test_room_screen_fits import ALL, SMALL_PROJECTOR, assert_fits, every_page, open_screen
from tests.server.running import ROOT

pytestmark = pytest.mark.browser

WORRY = "Dad shouts at the children when he has been drinking"
DANGER = "We are worried Ben could be hurt if Dad drinks and hits out, as happened in May"
STRENGTH = "Nan takes Ben and Mia to school every day"
NEEDS = "Dad goes to the alcohol service every week"
GOAL = "Ben and Mia are safe at home, with Nan checking every evening, for six months"
REASON = "Nan is there every day now"


@pytest.fixture
def mapping(set_up, room_screen):
    """A Signs of Safety meeting the chair has just set up: the console, the room screen on the
    projector, and the join address."""
    chair, address = set_up("Signs of Safety mapping", "Child protection conference for Ben and Mia")
    return chair, room_screen(chair), address


def kinds_offered(phone: Page) -> list[str]:
    """The choices of what an answer is that the phone shows now (none: nothing to choose)."""
    choices = phone.locator("[data-kinds]")
    if not choices.is_visible():
        return []
    return [label.text_content() for label in choices.locator(".choice:not([hidden]) label").all()]


def column(screen: Page, kind: str):
    return screen.locator(f"[data-round] .map .column--{kind}")


def test_the_map_from_the_phones_to_the_room_and_the_summary(views, mapping, join, shots, accessible):
    chair, screen, address = mapping
    kerry, nan, dan = (views.open(name, {"width": 390, "height": 844}) for name in ("kerry", "nan", "dan"))
    join(kerry, address, "Kerry", "Mum", "Family or a friend")
    join(nan, address, "Nan", "Grandmother", "Family or a friend")
    join(dan, address, "Dan", "Social worker", "Professional")
    for name in ("Kerry", "Nan", "Dan"):
        chair.get_by_role("button", name=f"Let {name} in").click()
    chair.get_by_role("button", name="Start the meeting").click()
    next_stage(chair, "Check-in")

    # What are we worried about? The family's only kind is a worry: nothing to choose. The
    # professional may also write a danger statement.
    next_stage(chair, "What are we worried about?")
    expect(kerry.locator("[data-stage-title]")).to_have_text("What are we worried about?")
    assert kinds_offered(kerry) == []
    assert kinds_offered(dan) == ["What we are worried about", "Danger statement"]
    expect(dan.get_by_label("What we are worried about")).to_be_checked()  # the stage's own kind
    answer(kerry, WORRY, label="Your answer")
    answer(dan, DANGER, label="What you want to share", kind="Danger statement")
    expect(column(screen, "worry")).to_contain_text(WORRY)
    expect(screen.locator("[data-round] .map__pairs")).to_contain_text(DANGER)
    expect(column(screen, "worry")).to_have_attribute("aria-current", "true")
    shots(dan, "sos-phone-worries-professional")

    # What's working well? A strength sent without touching anything is what is working well.
    next_stage(chair, "What's working well?")
    expect(nan.locator("[data-stage-title]")).to_have_text("What's working well?")
    assert kinds_offered(nan) == [] and kinds_offered(dan) == []
    answer(nan, STRENGTH)
    expect(column(screen, "working_well")).to_contain_text(STRENGTH)
    expect(column(screen, "worry")).not_to_contain_text(STRENGTH)
    expect(column(screen, "working_well")).to_have_attribute("aria-current", "true")
    expect(column(screen, "worry")).not_to_have_attribute("aria-current", "true")
    expect(nan.locator("[data-round] .column--working_well")).to_contain_text(STRENGTH)  # the map on the phone too
    shots(nan, "sos-phone-working-well")

    # What needs to happen? The family says it; the professional writes the safety goal, which
    # the room sees beside the danger statement.
    next_stage(chair, "What needs to happen?")
    expect(kerry.locator("[data-stage-title]")).to_have_text("What needs to happen?")
    assert kinds_offered(kerry) == []
    assert kinds_offered(dan) == ["What needs to happen", "Safety goal"]
    answer(kerry, NEEDS)
    answer(dan, GOAL, label="What you want to share", kind="Safety goal")
    expect(column(screen, "needs_to_happen")).to_contain_text(NEEDS)
    pair = screen.locator("[data-round] .map__pair-list > li").first
    expect(pair.locator(".map__pair-part--danger_statement")).to_contain_text(DANGER)
    expect(pair.locator(".map__pair-part--safety_goal")).to_contain_text(GOAL)
    shots(kerry, "sos-phone-needs-to-happen")
    # While the lobby is open the join code stays beside the map; it fits all the same.
    assert_fits(screen, "the map beside the join code")
    shots(screen, "sos-room-needs-to-happen-lobby-open")
    # The chair records for someone without a phone: the kind starts on the stage's own.
    chair.get_by_text("Record an answer for someone without a phone").click()
    expect(chair.get_by_label("What it is")).to_have_value("needs_to_happen")
    shots(chair, "sos-console-needs-to-happen")

    # The safety scale: the map stays, the scale beside it with its spread and reasons. The lobby
    # is closed: the map takes the width of the screen.
    chair.get_by_role("button", name="Close the lobby (hide the join code)").click()
    expect(screen.locator("[data-join]")).to_be_hidden()
    next_stage(chair, "Safety scale")
    for phone, value in ((kerry, "6"), (nan, "7"), (dan, "3")):
        expect(phone.locator("[data-score]")).to_be_visible()
        phone.locator(f"label[for=score-{value}]").click()
        phone.get_by_role("button", name="Send my score").click()
        expect(phone.locator("[data-score-mine]")).to_be_visible()
    chair.get_by_role("button", name="Show everyone's scores").click()
    answer(kerry, REASON, label="Why that number?")
    scale = screen.locator("[data-round] .map__scale")
    expect(scale).to_contain_text("Lowest 3 · middle 6 · highest 7")
    expect(scale).to_contain_text(REASON)
    expect(scale).to_have_attribute("aria-current", "true")
    map_ = screen.locator("[data-round] .map")
    for words in (WORRY, DANGER, STRENGTH, NEEDS, GOAL):
        expect(map_).to_contain_text(words)

    # The whole map fits the projector, at both sizes.
    for viewport in (PROJECTOR, SMALL_PROJECTOR):
        screen.set_viewport_size(viewport)
        screen.wait_for_timeout(1_000)
        assert_fits(screen, f"the map at {viewport['width']}")
        assert screen.locator("[data-pager]").evaluate_all("(nodes) => nodes.every((n) => n.hidden)")
        shots(screen, f"sos-room-map-{viewport['width']}")
    screen.set_viewport_size(PROJECTOR)
    screen.wait_for_timeout(500)
    accessible(screen, "room screen: the Signs of Safety map")

    # The summary holds the map, in the people's own words, on every copy.
    next_stage(chair, "Next steps")
    next_stage(chair, "Check-out")
    chair.get_by_role("button", name="Close the meeting…").click()
    expect(chair.get_by_role("heading", name="The meeting has closed")).to_be_visible()
    for page in (kerry, dan, screen):
        summary_map = page.locator("[data-summary] .summary-map")
        expect(summary_map).to_be_visible()
        for words in (WORRY, DANGER, STRENGTH, NEEDS, GOAL, REASON):
            expect(summary_map).to_contain_text(words)
        expect(summary_map).to_contain_text(re.compile("Lowest 3, middle 6, highest 7"))
    expect(kerry.locator("[data-summary] .summary-map table tbody tr").first).to_contain_text(DANGER)
    expect(kerry.locator("[data-summary] .summary-map table tbody tr").first).to_contain_text(GOAL)
    kerry.locator("[data-summary] .summary-map").scroll_into_view_if_needed()
    shots(kerry, "sos-phone-summary")
    accessible(kerry, "phone summary with the map")


# A long map, written with the app's own services straight into the server's database: at the
# scale, revealed, with `many` things said in each part.
SEED_MAP = r"""
import sys, uuid
from facilitator import create_app
from facilitator.models import StageKind
from facilitator.services import accounts, contributions, meetings, people, rounds, running
from tests.server.running import EMAIL

many = int(sys.argv[1])
app = create_app()
with app.app_context():
    chair = accounts.find_chair(EMAIL)
    meeting = meetings.create_meeting(chair, meetings.Details(title="Conference for Ben and Mia"), format_key="signs_of_safety")
    kerry, dan = (
        people.add_person(meeting, people.PersonDetails(name, relation, side, frozenset()))
        for name, relation, side in [("Kerry Smith", "Mum", "family"), ("Dan Jones", "Social worker", "professional")]
    )
    running.start(meeting)
    running.set_lobby(meeting, False)
    said = {
        StageKind.WORRIES: [(kerry, "worry", "Dad shouts at the children when he has been drinking"),
                            (dan, "danger_statement", "We are worried Ben could be hurt if Dad drinks and hits out")],
        StageKind.WORKING_WELL: [(kerry, None, "Nan takes Ben and Mia to school every day")],
        StageKind.NEEDS_TO_HAPPEN: [(kerry, "needs_to_happen", "Dad goes to the alcohol service every week"),
                                    (dan, "safety_goal", "Ben and Mia are safe at home with Nan checking every evening")],
    }
    for stage in meeting.stages:
        if stage.kind in said or stage.kind is StageKind.SCALING:
            running.go_to(meeting, stage.position)
        for n in range(many):
            for person, kind, words in said.get(stage.kind, []):
                contributions.add(meeting, person, str(uuid.uuid4()), f"{words} ({n + 1})", kind=kind, recorded_by=chair)
        if stage.kind is StageKind.SCALING:
            rounds.score(meeting, kerry, 6)
            rounds.score(meeting, dan, 3)
            rounds.reveal(meeting)
            for n in range(many):
                contributions.add(meeting, kerry, str(uuid.uuid4()), f"Nan is there every day now ({n + 1})", recorded_by=chair)
            break
    print(meeting.id)
"""


@pytest.mark.parametrize("many", [3, 12])
def test_a_long_map_fits_the_room_screen_a_page_at_a_time(server, views, sign_in, shots, many):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FACILITATOR_", "SOCKETIO_", "ASYNC_MODE"))}
    env.update(
        FACILITATOR_ENV="production",
        SECRET_KEY="seeding " * 8,
        DATABASE_URL=f"sqlite:///{server.log.parent / 'facilitator.sqlite3'}",
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(
        [sys.executable, "-c", SEED_MAP, str(many)], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    screen = open_screen(views, sign_in, int(done.stdout.split()[-1]))
    expect(screen.locator("[data-stage-title]")).to_have_text("Safety scale")
    items = "[data-round] .map .said > li"
    everything = set(screen.evaluate(ALL, items))
    assert len(everything) == 5 * many
    for viewport in (PROJECTOR, SMALL_PROJECTOR):
        screen.set_viewport_size(viewport)
        screen.wait_for_timeout(1_000)
        shots(screen, f"sos-room-long-map-{many}-{viewport['width']}")
        [shown] = every_page(screen, f"a map of {5 * many} at {viewport['width']}", items)
        assert shown == everything, f"never shown: {sorted(everything - shown)[:5]}"
