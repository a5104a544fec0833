"""The family's copy of the summary, written for the family: what we agreed in their own words,
who will do what (the soonest first), when we meet again, who to contact, and what happens if the
plan is not working; in plain words, in the reader's language, holding only what the family was
party to; and as a PDF with no page left mostly empty. The professionals' copy stays the record."""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pypdf
import pytest
from babel.dates import format_date

from facilitator.extensions import db
from facilitator.models import Meeting, StageKind
from facilitator.services import agenda, closing, dates, plan, running
from tests.live.conftest import ack
from tests.live.test_consent_summaries import close, flag, keep, section, words_of
from tests.live.test_summary import page_text, pdf_text, squash

# The family's own words, typed as they typed them: never tidied, never reworded.
SAFE_AT_HOME = "Jay and Mia feel safe at home & are not scared at nite"
IN_SCHOOL = "we want Mia in school EVERY day, no excuses!!"
CONTINGENCY = "If Kerry is struggling she rings Nan and the children go to Nan's for the weekend"
MONITOR = "Aunt Jo rings Kerry every Sunday"
SHARED_NOTE = "Grandad brings the photo albums"
FAMILY_NOTE = "Between us: Dad owes money to the man downstairs"
BOTTOM_LINE = "The children must not be left alone overnight"
DECLINED = "I need to know who has the children in the school holidays"

# Jay's three houses.
UNSHARED = "I am scared when they shout at night"
FAMILY_ONLY = "Football with Grandad on Saturdays"
EVERYONE = "I want to live with Nan"

# The family's copy's own sections, in the order a family reads them.
FAMILY_SECTIONS = [
    ("s-we-agreed", "What we agreed"),
    ("s-who-does", "Who will do what"),
    ("s-meet-again", "When we meet again"),
    ("s-contact", "Who to contact"),
    ("s-not-working", "If the plan is not working"),
]
CHAIR = "Sam Patel"
CHAIR_EMAIL = "sam.patel@council.example"


@dataclass
class Family:
    """A closed Family Group Conference, and the people who take its summary away."""

    meeting: Meeting
    code: str
    kerry: object  # mum, on her phone
    dan: object  # the social worker who referred them, on his phone
    token: str  # the room screen's
    held: date  # the day the meeting was held, where it was held
    soonest_first: list[str]  # what each action says, as the family's copy must list them
    review_on: date | None


def day_and_month(day: date) -> str:
    return f"{day.day} {day:%B}"


def printed(day: date) -> str:
    """A date as the summary prints it: "Monday 1 March 2027"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


@pytest.fixture
def review_on():
    """Whether a review date is agreed; a test sets False for a plan without one."""
    return True


@pytest.fixture
def contingency():
    """What happens if the plan is not working; a test sets "" for a plan without it."""
    return CONTINGENCY


@pytest.fixture
def family(app, room, review_on, contingency):
    """Kerry (mum) and Jay (her son) on their phones with Dan, the social worker who referred
    them; Uncle Ray listed but not there. Jay keeps a worry to himself, shares a good thing with
    the family and a dream with everyone; Dan says a bottom line; the family writes two outcomes
    and six actions (in no order of when they are due), a note for everyone and one kept within
    the family, and the terms; Dan cannot agree at first, then agrees; the chair closes."""
    with app.test_request_context():
        meeting = db.session.get(Meeting, room.meeting.id)
        houses = agenda.StageText("Jay's three houses", "", 10)
        houses = agenda.add_stage(meeting, StageKind.CHILDS_VOICE.value, houses)
        after = next(s.position for s in meeting.stages if s.kind is StageKind.INFORMATION_SHARING)
        agenda.move_stage(meeting, houses.id, after + 1)
    kerry = room.phone("Kerry")
    jay = room.phone("Jay")
    dan = room.phone("Dan", side="professional")
    flag(app, jay.id, is_child=True)
    flag(app, dan.id, is_referrer=True)
    room.listed("Uncle Ray")

    room.go_to("information_sharing")
    said = {"client_id": "dan-bottom-line-1", "text": BOTTOM_LINE, "kind": "bottom_line"}
    assert ack(dan.socket, "contribute", said)["ok"]

    room.go_to("childs_voice")
    keep(jay.socket, UNSHARED, "house_of_worries")
    for text, house, sharing in (
        (FAMILY_ONLY, "house_of_good_things", "family"),
        (EVERYONE, "house_of_dreams", "everyone"),
    ):
        item = keep(jay.socket, text, house)
        assert ack(jay.socket, "share", {"item_id": item, "sharing": sharing})["ok"]

    room.go_to("agreement")
    with app.app_context():
        held = dates.local_day(db.session.get(Meeting, room.meeting.id).started_at)
    safe = ack(kerry.socket, "add_outcome", {"client_id": "kerry-outcome-01", "text": SAFE_AT_HOME})
    school = ack(kerry.socket, "add_outcome", {"client_id": "kerry-outcome-02", "text": IN_SCHOOL})
    assert safe["ok"] and school["ok"]
    weeks_on, ten_days_on, twenty_days_on = (held + timedelta(days=n) for n in (45, 10, 20))
    actions = [  # (what, who, by when), as written, in the order written
        ("Dan finds a parenting course for Kerry", {"who_participant_id": dan.id}, printed(weeks_on)),
        ("Nan teaches Mia to ride her bike", {"who_text": "Nan"}, ""),
        (
            "Kerry meets Mia's teacher",
            {"who_participant_id": kerry.id},
            f"by {day_and_month(twenty_days_on)}",
        ),
        ("Nan walks Mia to school", {"who_text": "Nan"}, "Every Monday"),
        ("Jay chooses a club to join", {"who_text": "Jay"}, "When Jay is ready"),
        (
            "Kerry books a GP appointment about her sleep",
            {"who_participant_id": kerry.id},
            f"{ten_days_on.day}/{ten_days_on.month}/{ten_days_on.year}",
        ),
    ]
    for number, (what, who, by_when) in enumerate(actions, 1):
        outcome = safe if number % 2 else school
        action = {
            "client_id": f"kerry-action-{number:03d}",
            "what": what,
            "by_when": by_when,
            "how_we_know": "Kerry tells Aunt Jo" if number == 3 else "",
            "outcome_id": outcome["outcome_id"],
            **who,
        }
        assert ack(kerry.socket, "add_action", action)["ok"], action
    for client_id, text, family_only in (
        ("kerry-note-00001", SHARED_NOTE, False),
        ("kerry-note-00002", FAMILY_NOTE, True),
    ):
        note = {"client_id": client_id, "text": text, "family_only": family_only}
        assert ack(kerry.socket, "add_note", note)["ok"]
    review_day = held + timedelta(days=75) if review_on else None
    terms = {"revision": 0, "contingency": contingency, "monitor": MONITOR}
    if review_day:
        terms["review_on"] = review_day.isoformat()
    assert ack(kerry.socket, "save_terms", terms)["ok"]
    assert ack(dan.socket, "respond_to_plan", {"agreed": False, "reasons": DECLINED})["ok"]
    assert ack(dan.socket, "respond_to_plan", {"agreed": True})["ok"]
    token = close(app, room)
    with app.app_context():
        meeting = db.session.get(Meeting, room.meeting.id)
        db.session.expunge(meeting)
    # Soonest first: every Monday (the first is within a week), then 10, 20 and 45 days on; then
    # those with no day, in the plan's order (by outcome: Jay's club comes before the bike).
    soonest_first = [actions[n][0] for n in (3, 5, 2, 0, 4, 1)]
    return Family(meeting, meeting.join_code, kerry, dan, token, held, soonest_first, review_day)




# Every copy the family takes away, and the professionals' record


def family_pages(app, client, family: Family) -> dict[str, str]:
    """The family's copy as each of its readers opens it, as HTML."""
    return {
        "Kerry's phone": page_text(family.kerry.http.get(f"/join/{family.code}")),
        "Kerry's printable page": page_text(family.kerry.http.get(f"/join/{family.code}/summary")),
        "the family's copy the chair prints": page_text(
            client.get(f"/meetings/{family.meeting.id}/summary?copy=family")
        ),
        "the room screen": page_text(app.test_client().get(f"/screen/{family.token}")),
    }


def family_pdfs(client, family: Family) -> dict[str, bytes]:
    return {
        "Kerry's PDF": family.kerry.http.get(f"/join/{family.code}/summary.pdf"),
        "the chair's PDF of the family's copy": client.get(
            f"/meetings/{family.meeting.id}/summary.pdf?copy=family"
        ),
    }


def headings(page: str) -> list[str]:
    """The summary's section headings, in order."""
    article = re.search(r"<article.*?</article>", page, re.DOTALL).group(0)
    return [words_of(found) for found in re.findall(r"<h2[^>]*>(.*?)</h2>", article, re.DOTALL)]


def listed_actions(page: str) -> list[str]:
    """What each action says, in the order "Who will do what" lists them."""
    found = re.findall(r'<p class="summary-action__what"[^>]*>(.*?)</p>', section(page, "s-who-does"), re.DOTALL)
    return [html.unescape(words_of(what)) for what in found]


def test_the_familys_copy_opens_with_the_plan_in_the_familys_headings(app, client, family):
    for reader, page in family_pages(app, client, family).items():
        found = headings(page)
        wanted = [title for _id, title in FAMILY_SECTIONS]
        assert found[: len(wanted)] == wanted, (reader, found)
        assert "The plan" not in found and "Keeping the plan on track" not in found, reader
        assert "The family's copy" in page, reader
        # The rest of what the family was party to follows the plan.
        rest = found[len(wanted) :]
        for later in ("Who took part", "In Jay's own words", "Bottom lines: what must happen"):
            assert later in rest, (reader, later)
        assert "Agreeing the plan" in rest, reader


def test_what_we_agreed_is_the_familys_own_words_exactly_as_written(app, client, family):
    for reader, page in family_pages(app, client, family).items():
        agreed = section(page, "s-we-agreed")
        outcomes = [html.unescape(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", agreed, re.DOTALL)]
        assert outcomes == [SAFE_AT_HOME, IN_SCHOOL], (reader, outcomes)
    for reader, response in family_pdfs(client, family).items():
        text = pdf_text(response)
        assert squash(SAFE_AT_HOME) in text and squash(IN_SCHOOL) in text, reader


def test_who_will_do_what_lists_the_soonest_first_with_who_and_by_when(app, client, family):
    for reader, page in family_pages(app, client, family).items():
        assert listed_actions(page) == family.soonest_first, reader
        heard = words_of(section(page, "s-who-does"))
        assert "The soonest first." in heard
        assert "Nan walks Mia to school Who Nan By when Every Monday" in heard, reader
        assert "Dan finds a parenting course for Kerry Who Dan By when" in heard, reader
        assert "Kerry meets Mia's teacher Who Kerry By when by" in heard, reader
        assert "Jay chooses a club to join Who Jay By when When Jay is ready" in heard, reader
        assert "Nan teaches Mia to ride her bike Who Nan By when No date set" in heard, reader
        assert "Not set" not in page, reader
    for reader, response in family_pdfs(client, family).items():
        text = pdf_text(response)
        places = [text.index(squash(what)) for what in family.soonest_first]
        assert places == sorted(places), reader
        assert squash("No date set") in text and squash("Not set") not in text, reader


def test_when_we_meet_again_gives_the_review_date(app, client, family):
    for reader, page in family_pages(app, client, family).items():
        heard = words_of(section(page, "s-meet-again"))
        told = f"We will meet again to see how the plan is going: {printed(family.review_on)}"
        assert told in heard, reader
    for reader, response in family_pdfs(client, family).items():
        assert squash(printed(family.review_on)) in pdf_text(response), reader


@pytest.mark.parametrize("review_on", [False])
def test_without_a_review_date_the_family_is_told_who_will_tell_them(app, client, family):
    told = f"No date was set at the meeting. {CHAIR} will tell you when we meet again."
    for reader, page in family_pages(app, client, family).items():
        assert told in words_of(section(page, "s-meet-again")), reader
        assert "Not set" not in page, reader
    for reader, response in family_pdfs(client, family).items():
        text = pdf_text(response)
        assert squash(told) in text and squash("Not set") not in text, reader


def test_who_to_contact_is_the_chair_with_their_email_and_who_checks_the_plan(app, client, family):
    for reader, page in family_pages(app, client, family).items():
        contact = section(page, "s-contact")
        heard = words_of(contact)
        assert f"{CHAIR} ran the meeting. Contact them if you have a question" in heard, reader
        assert f"E-mail: {CHAIR_EMAIL}" in heard, reader
        assert f'href="mailto:{CHAIR_EMAIL}"' in contact, reader
        assert f"Who checks the plan is happening: {MONITOR}" in heard, reader
    for reader, response in family_pdfs(client, family).items():
        text = pdf_text(response)
        assert squash(CHAIR) in text and squash(CHAIR_EMAIL) in text, reader


def test_if_the_plan_is_not_working_says_what_the_family_agreed(app, client, family):
    for reader, page in family_pages(app, client, family).items():
        assert words_of(section(page, "s-not-working")) == f"If the plan is not working {CONTINGENCY}", reader


@pytest.mark.parametrize("contingency", [""])
def test_without_a_contingency_plan_there_is_no_such_heading(app, client, family):
    for reader, page in family_pages(app, client, family).items():
        assert "If the plan is not working" not in page, reader
        assert "Not agreed" not in page, reader


def test_the_familys_copy_holds_only_what_each_reader_may_read(app, client, family):
    pages = family_pages(app, client, family)
    pdfs = {reader: pdf_text(response) for reader, response in family_pdfs(client, family).items()}
    kerry = [pages["Kerry's phone"], pages["Kerry's printable page"], pdfs["Kerry's PDF"]]
    chairs = [pages["the family's copy the chair prints"], pdfs["the chair's PDF of the family's copy"]]
    screen = [pages["the room screen"]]
    for copy in kerry:  # a family member's own copy: the family's own note, Jay's words to them
        for words in (FAMILY_NOTE, FAMILY_ONLY, EVERYONE, SHARED_NOTE, BOTTOM_LINE):
            assert squash(words) in squash(copy), words
    for copy in chairs + screen:  # no chair, and not the room, reads what is the family's alone
        assert squash(EVERYONE) in squash(copy) and squash(SHARED_NOTE) in squash(copy)
        assert squash(FAMILY_NOTE) not in squash(copy) and squash(FAMILY_ONLY) not in squash(copy)
    for copy in kerry + chairs + screen:
        # What Jay kept to himself, and the professionals' record, are in no copy of the family's.
        for words in (UNSHARED, "The meeting's record", "was closed by", "Uncle Ray", "did not come"):
            assert squash(words) not in squash(copy), words


def test_the_professionals_copy_stays_the_record(client, family):
    for page in (
        page_text(client.get(f"/meetings/{family.meeting.id}/summary")),
        page_text(family.dan.http.get(f"/join/{family.code}/summary")),
    ):
        found = headings(page)
        assert "The plan" in found and "Keeping the plan on track" in found
        for _id, title in FAMILY_SECTIONS:
            assert title not in found, title
        assert "The professionals' copy" in page and CHAIR_EMAIL not in page
        assert FAMILY_NOTE not in page and FAMILY_ONLY not in page and UNSHARED not in page
        plan = words_of(section(page, "s-plan"))
        assert "Nan teaches Mia to ride her bike Who Nan By when Not set" in plan  # as it was
        # In the plan's order, by outcome, as it was.
        assert plan.index("Dan finds a parenting course") < plan.index("Nan walks Mia to school")
        assert "Uncle Ray (did not come)" in words_of(section(page, "s-record"))


# The family's copy in the reader's language


def test_the_familys_copy_gives_its_dates_in_the_readers_language(app, client, family):
    if "pl" not in app.config["LANGUAGES"]:
        app.config["LANGUAGES"] = (*app.config["LANGUAGES"], "pl")
    polish = {"Accept-Language": "pl"}
    review = format_date(family.review_on, "EEEE d MMMM yyyy", locale="pl")  # "niedziela 14 lutego 2027"
    page = page_text(client.get(f"/meetings/{family.meeting.id}/summary?copy=family", headers=polish))
    assert review in words_of(section(page, "s-meet-again"))
    assert printed(family.review_on) not in page
    text = pdf_text(client.get(f"/meetings/{family.meeting.id}/summary.pdf?copy=family", headers=polish))
    assert squash(review) in text and squash(printed(family.review_on)) not in text


# The PDF: no page left mostly empty

MM = 72 / 25.4  # PDF points in a millimetre
TOP, BOTTOM = 18 * MM, 26 * MM  # the page's margins (print.css); the footer sits in the bottom one


def filled(page) -> float:
    """How much of a page's room for content its content takes: from the top of that room down to
    its lowest line, as a share (the footer below it not counted)."""
    height = float(page.mediabox.height)
    lows: list[float] = []

    def seen(text, cm, tm, _font, _size):
        y = pypdf.mult(tm, cm)[5]
        if text.strip() and y > BOTTOM:
            lows.append(y)

    page.extract_text(visitor_text=seen)
    room = height - TOP - BOTTOM
    return (height - TOP - min(lows)) / room if lows else 0.0


@pytest.mark.parametrize("review_on", [True, False])
def test_the_familys_pdf_has_its_plan_on_the_first_page_and_no_page_mostly_empty(client, family):
    for reader, response in family_pdfs(client, family).items():
        assert response.status_code == 200
        pages = pypdf.PdfReader(io.BytesIO(response.data)).pages
        texts = [squash(page.extract_text()) for page in pages]
        fills = [filled(page) for page in pages]
        assert 1 <= len(pages) <= 2, (reader, len(pages))
        assert all(fill >= 0.75 for fill in fills[:-1]), (reader, fills)
        assert fills[-1] >= 0.3, (reader, fills)  # the last page too: more than a few lines
        # The plan as the family needs it, whole on the first page.
        for _id, title in FAMILY_SECTIONS:
            assert squash(title) in texts[0], (reader, title)
        for what in family.soonest_first:
            assert squash(what) in texts[0], (reader, what)
        # Every page says what it is and how to keep it.
        for number, text in enumerate(texts, 1):
            assert squash("Sensitive: personal information about children") in text, (reader, number)
            assert squash(f"{number} / {len(pages)}") in text, (reader, number)


# A child protection conference's core group, and a review that ends the plan


@pytest.mark.parametrize("format_key", ["restorative_cp_conference"])
def test_when_we_meet_again_names_the_core_group_and_when_it_meets(app, client, room):
    kerry = room.phone("Kerry")
    sam = room.phone("Sam", side="professional")
    room.go_to("agreement")
    meets_on = date.today() + timedelta(days=10)
    terms = {
        "revision": 0,
        "core_group": [kerry.id, sam.id],
        "core_group_meets_on": meets_on.isoformat(),
        "core_group_every_weeks": 4,
    }
    assert ack(room.chair, "save_terms", terms)["ok"]
    close(app, room)
    with app.app_context():
        review_on = plan.terms_of(db.session.get(Meeting, room.meeting.id)).review_on  # three months on
    for page in (
        page_text(kerry.http.get(f"/join/{room.meeting.join_code}/summary")),
        page_text(client.get(f"/meetings/{room.meeting.id}/summary?copy=family")),
    ):
        heard = words_of(section(page, "s-meet-again"))
        assert f"We will meet again to see how the plan is going: {printed(review_on)}" in heard
        assert "Core group: Kerry (Mum), Sam (Mum)" in heard
        assert f"The core group first meets on: {printed(meets_on)}" in heard
        assert "The core group meets every 4 weeks." in heard


def test_a_review_that_ends_the_plan_says_so_and_plans_no_meeting(app, client, auth, make_meeting):
    made = make_meeting("Review for the J. family", format_key="review_conference")
    ends_on = date.today() + timedelta(days=7)
    with app.test_request_context():
        meeting = db.session.get(Meeting, made.id)
        running.start(meeting)
        plan.add_outcome(meeting, "outcome-01", "The children get to school on time", "Kerry")
        decided = {"decision": "end", "decision_on": ends_on.isoformat(), "review_on": ""}
        decided["decision_why"] = "Everything in the plan is done"
        plan.save_terms(meeting, plan.terms_of(meeting).revision, decided, "Kerry")
        closing.close(meeting, "Sam Patel")
    auth.login()
    page = page_text(client.get(f"/meetings/{made.id}/summary?copy=family"))
    agreed = words_of(section(page, "s-we-agreed"))
    assert "At this review we decided: End the plan" in agreed
    assert "Why: Everything in the plan is done" in agreed
    assert f"This starts on {printed(ends_on)}." in agreed
    assert words_of(section(page, "s-meet-again")) == (
        "When we meet again The plan has ended, so no other meeting is planned."
    )
    assert "Not set" not in page


def test_ending_the_plan_puts_aside_the_review_date_the_review_showed(app, client, auth, make_meeting):
    """The review's terms show the format's default review date; a chair who decides to end the
    plan without clearing it must not leave the family told when they will meet again."""
    made = make_meeting("Review for the K. family", format_key="review_conference")
    with app.test_request_context():
        meeting = db.session.get(Meeting, made.id)
        running.start(meeting)
        shown = plan.terms_of(meeting).review_on
        assert shown is not None  # the default, six months on
        decided = {"decision": "end", "decision_why": "Everything in the plan is done", "review_on": shown.isoformat()}
        terms = plan.save_terms(meeting, plan.terms_of(meeting).revision, decided, "Kerry")
        assert terms.review_on is None
        assert plan.terms_of(meeting).review_on is None  # not shown again as the default
        closing.close(meeting, "Sam Patel")
    auth.login()
    family = page_text(client.get(f"/meetings/{made.id}/summary?copy=family"))
    assert words_of(section(family, "s-meet-again")) == (
        "When we meet again The plan has ended, so no other meeting is planned."
    )
    assert "We will meet again" not in family
    record = page_text(client.get(f"/meetings/{made.id}/summary"))
    assert "Review date The plan has ended, so no other meeting is planned." in words_of(section(record, "s-terms"))
