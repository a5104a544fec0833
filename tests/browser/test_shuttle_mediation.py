"""A whole shuttle mediation in real browsers, over two sessions: the mediator on a laptop, the
room screen on a projector, two parties apart on their phones. Each writes in their own space;
words leave it only as their author passes them on, in their own words or in the mediator's
suggestion they approve; the agreement is built from terms both accept."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from facilitator import formats
from facilitator.models import StageKind

pytestmark = pytest.mark.browser

RAW = "He never turns up, he is useless"
SOFTER = "I worry when visits do not happen"
PROPOSAL = "I will text by Thursday if I cannot come"
TERM = "Dad texts Mum by Thursday if he cannot come on Saturday"
LATER = "Saturday went well this week"
# The stages of a mediation held together, added when the parties meet.
TOGETHER = [s for s in formats.get("mediation").stages if s.kind not in (StageKind.WELCOME, StageKind.CHECK_OUT)]


def keep(phone: Page, kind: str, words: str) -> None:
    phone.get_by_label(kind, exact=True).check()
    phone.get_by_label("What you want to write").fill(words)
    phone.get_by_role("button", name="Keep it in my space").click()
    expect(phone.locator("[data-space-mine]")).to_contain_text(words)


def next_session_text(day: date) -> re.Pattern:
    """The banner's sentence, whichever order the browser's language puts the date in."""
    when = rf"{day:%A},? ({day.day} {day:%B}|{day:%B} {day.day}),? {day.year}"
    return re.compile(rf"This session has ended\. The next session is on {when}\. Everything you wrote is kept\.")


def test_a_shuttle_mediation_over_two_sessions(set_up, room_screen, arrive, shots, accessible):
    chair, address = set_up("Shuttle mediation", "Mediation for the R. family")
    screen = room_screen(chair)

    mum, dad = arrive("Mum", address, view="mum"), arrive("Dad", address, view="dad")
    chair.get_by_role("button", name="Let Mum in").click()
    chair.get_by_role("button", name="Let Dad in").click()
    chair.get_by_role("button", name="Start the meeting").click()
    chair.get_by_role("button", name="Next stage").click()
    expect(chair.locator("[data-stage-title]")).to_have_text("What has happened, and how it feels")

    # Apart: each party has their own space, and no box that speaks to the room.
    for phone in (mum, dad):
        expect(phone.get_by_role("heading", name="What has happened, and how it feels")).to_be_visible()
        expect(phone.get_by_role("heading", name="Your own space")).to_be_visible()
        expect(phone.get_by_label("Your answer")).to_be_hidden()
        expect(phone.get_by_role("heading", name="Our plan")).to_be_hidden()
    expect(screen.get_by_text("Each party is in their own space with the mediator.")).to_be_visible()

    # Nothing written is refused with a reason.
    mum.get_by_role("button", name="Keep it in my space").click()
    expect(mum.locator("[data-space-error]")).to_have_text("Write something first.")

    # Mum writes a worry: only she and the mediator read it.
    keep(mum, "A worry", RAW)
    expect(mum.locator("[data-space-error]")).to_be_hidden()
    mine = mum.locator("[data-space-mine] li", has_text=RAW)
    expect(mine).to_contain_text("Only you and the mediator can read this.")
    mum_space = chair.locator(".mediation__space", has_text="Mum's space")
    expect(mum_space).to_contain_text(RAW)
    expect(mum_space).to_contain_text("Only Mum and you can read this.")
    for page in (dad, screen):
        assert RAW not in page.content()

    # The mediator suggests other words; nobody but Mum sees them until she approves.
    mum_space.get_by_role("button", name="Suggest other words").click()
    chair.get_by_label("Other words to suggest").fill(SOFTER)
    chair.get_by_role("button", name="Suggest these words").click()
    expect(mum_space).to_contain_text("waiting for Mum to decide")
    expect(mine).to_contain_text("The mediator suggests these words:")
    expect(mine).to_contain_text(SOFTER)
    for page in (dad, screen):
        assert SOFTER not in page.content() and RAW not in page.content()
    shots(mum, "phone-mediation-suggestion")
    accessible(mum, "own space with a suggestion")

    # Mum approves exactly those words, and passes them on to Dad.
    mine.get_by_role("button", name="Pass on in these words").click()
    expect(mine.locator("[data-pass-words]")).to_have_text(SOFTER)
    shots(mum, "phone-mediation-pass-on")
    accessible(mum, "passing words on")
    mine.get_by_label("Dad").check()
    mine.get_by_role("button", name="Pass it on").click()
    expect(mine).to_contain_text("Passed on to Dad in these words:")
    received = dad.locator("[data-space-received]")
    expect(received).to_contain_text(SOFTER)
    expect(received).to_contain_text("From Mum")
    expect(mum_space).to_contain_text("Passed on to Dad in these words:")
    assert RAW not in dad.content() and RAW not in screen.content()
    assert SOFTER not in screen.content()

    # Dad writes a proposal and passes it on to Mum in his own words.
    keep(dad, "A proposal", PROPOSAL)
    proposal = dad.locator("[data-space-mine] li", has_text=PROPOSAL)
    proposal.get_by_role("button", name="Pass this on").click()
    expect(proposal.get_by_label("Mum")).to_be_checked()  # the only other party
    proposal.get_by_role("button", name="Pass it on").click()
    expect(proposal).to_contain_text("Passed on to Mum, in your own words.")
    expect(mum.locator("[data-space-received]")).to_contain_text(PROPOSAL)
    expect(mum.locator("[data-space-received]")).to_contain_text("From Dad")
    shots(dad, "phone-mediation-passed-on")
    accessible(dad, "own space with words passed on")

    # The mediator words a term from it.
    chair.get_by_role("button", name=f"Make this a term: {PROPOSAL}").click()
    term_text = chair.get_by_label("The term, in your words")
    expect(term_text).to_have_value(PROPOSAL)
    expect(chair.locator("[data-propose-from]")).to_have_text(f"Worded from Dad's proposal: “{PROPOSAL}”")
    chair.get_by_role("button", name="Cancel").click()
    chair.get_by_role("button", name="Propose this term").click()
    expect(chair.locator("[data-propose-term] [role=alert]")).to_have_text("Write something first.")
    chair.get_by_role("button", name=f"Make this a term: {PROPOSAL}").click()
    term_text.fill(TERM)
    chair.get_by_role("button", name="Propose this term").click()
    expect(chair.locator("[data-proposals]")).to_contain_text("A term is worded from this")
    for phone in (mum, dad):
        expect(phone.locator("[data-space-terms]")).to_contain_text(TERM)
        expect(phone.locator("[data-space-terms]")).to_contain_text("Not agreed yet")
    expect(screen.locator("[data-room-terms]")).to_contain_text(TERM)

    # Asking for a change needs words: the phone says so, and nothing is sent.
    mum.get_by_role("button", name="I would like a change").click()
    mum.get_by_role("button", name="Send to the mediator").click()
    expect(mum.locator("[data-space-terms] [role=alert]").first).to_have_text("Say what would need to change.")
    mum.get_by_role("button", name="Cancel").click()

    # Both accept: agreed on both phones, the console and the room screen.
    mum.get_by_role("button", name="I accept this").click()
    expect(mum.locator("[data-space-terms]")).to_contain_text("You accepted this.")
    expect(chair.locator("[data-terms]")).to_contain_text("Mum accepts this.")
    expect(chair.locator("[data-terms]")).to_contain_text("Dad has not answered yet.")
    dad.get_by_role("button", name="I accept this").click()
    for place in (mum.locator("[data-space-terms]"), dad.locator("[data-space-terms]"), chair.locator("[data-terms]"), screen.locator("[data-room-terms]")):
        expect(place).to_contain_text("Agreed by everyone")
    shots(mum, "phone-mediation-agreed")
    shots(chair, "console-mediation")
    accessible(chair, "console with a mediation")
    shots(screen, "screen-mediation")
    accessible(screen, "room screen in a mediation")
    room = screen.content()  # the terms, never a party's words
    assert RAW not in room and SOFTER not in room and PROPOSAL not in room

    # The mediator ends the first session, with a date for the next.
    next_on = date.today() + timedelta(days=14)
    chair.get_by_label("Date of the next session (optional)").fill(next_on.isoformat())
    chair.get_by_role("button", name="End this session").click()
    expect(chair.locator("[data-mediation-session]")).to_contain_text("Session 1 has ended.")
    for phone in (mum, dad):
        expect(phone.get_by_role("status")).to_have_text(re.compile(r"This session has ended"))
        expect(phone.locator("[data-space-between-text]")).to_have_text(next_session_text(next_on))
        expect(phone.get_by_label("What you want to write")).to_be_hidden()
        for control in ("Keep it in my space", "Pass this on", "Take back", "I accept this", "I would like a change"):
            expect(phone.get_by_role("button", name=control)).to_have_count(0)
    expect(mum.locator("[data-space-mine]")).to_contain_text(RAW)  # still there to read
    expect(dad.locator("[data-space-received]")).to_contain_text(SOFTER)
    shots(dad, "phone-mediation-between-sessions")
    accessible(dad, "between sessions")

    # The second session: the phones come back to everything, after a reload too.
    chair.get_by_role("button", name="Start session 2").click()
    expect(chair.locator("[data-mediation-session]")).to_have_text("Session 2")
    for phone in (mum, dad):
        phone.reload()
        expect(phone.get_by_role("heading", name="Your own space")).to_be_visible()
        expect(phone.locator("[data-space-between]")).to_be_hidden()
        expect(phone.locator("[data-space-terms]")).to_contain_text(TERM)
        expect(phone.locator("[data-space-terms]")).to_contain_text("Agreed by everyone")
    expect(mum.locator("[data-space-mine]")).to_contain_text(RAW)
    expect(mum.locator("[data-space-mine]")).to_contain_text("Passed on to Dad in these words:")
    expect(mum.locator("[data-space-received]")).to_contain_text(PROPOSAL)
    expect(dad.locator("[data-space-received]")).to_contain_text(SOFTER)
    expect(dad.locator("[data-space-mine]")).to_contain_text(PROPOSAL)
    assert RAW not in dad.content()

    keep(mum, "A thought", LATER)
    later = mum.locator("[data-space-mine] li", has_text=LATER)
    expect(later).to_contain_text("Session 2")
    expect(later).to_contain_text("Only you and the mediator can read this.")
    expect(chair.locator(".mediation__space", has_text="Mum's space")).to_contain_text(LATER)
    assert LATER not in dad.content() and LATER not in screen.content()
    shots(mum, "phone-mediation-second-session")

    # What nobody has read can be taken back, and is gone for the mediator too.
    keep(dad, "A feeling", "Angry about the phone call")
    dad.locator("[data-space-mine] li", has_text="Angry about the phone call").get_by_role("button", name="Take back").click()
    expect(dad.locator("[data-space-mine]")).not_to_contain_text("Angry about the phone call")
    expect(chair.locator(".mediation__space", has_text="Dad's space")).not_to_contain_text("Angry about the phone call")
    expect(dad.locator("[data-space-mine] li", has_text=PROPOSAL).get_by_role("button", name="Take back")).to_have_count(0)

    # Ready to meet: one room from now on, and each space stays its author's.
    chair.get_by_role("button", name="Meet together…").click()
    chair.get_by_role("button", name="Meet together", exact=True).click()
    expect(chair.locator("[data-mediation-apart]")).to_have_text("The parties are meeting together. Their own spaces stay private.")
    expect(chair.get_by_role("button", name="Meet together…")).to_be_hidden()
    expect(screen.get_by_text("Each party is in their own space with the mediator.")).to_be_hidden()
    expect(screen.locator("[data-room-terms]")).to_contain_text(TERM)
    agenda = screen.locator("[data-agenda] li")
    expect(agenda).to_have_count(len(formats.get("shuttle_mediation").stages) + len(TOGETHER))
    expect(agenda.last).to_have_text("Check-out")
    for phone in (mum, dad):
        expect(phone.get_by_role("heading", name="Your own space")).to_be_visible()
    expect(mum.locator("[data-space-mine]")).to_contain_text(LATER)
    for page in (dad, screen):
        html = page.content()
        assert RAW not in html and LATER not in html
    shots(screen, "screen-mediation-together")
