"""The summary of a closed meeting, as each person takes it away: the chair's printable page,
PDF and actions CSV, the phones' own copies, and the room screen. The family's copy and the
professionals' copy differ on purpose; these tests hold each to what its reader may see."""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pypdf
import pytest

from facilitator.extensions import db
from facilitator.models import Meeting
from facilitator.services import joining, running
from facilitator.services.summary import CSV_COLUMNS
from tests.conftest import AuthActions
from tests.live.conftest import ack
from tests.web.test_joining import join

MARKUP = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("x")'
SHARED_NOTE = "Grandad brings the photo albums"
FAMILY_NOTE = "Kept between us: Dad is drinking again"
BOTTOM_LINE = "No contact with Steve"
REVIEW_ON = date.today() + timedelta(days=75)


@dataclass
class Closed:
    """A closed FGC, and everyone who looks at its summary afterwards."""

    meeting: Meeting
    code: str
    kerry: object  # family, on her phone
    dan: object  # a professional, on his phone
    lena: object  # a phone left in the lobby, never let in
    screen_token: str
    actions: list[dict]  # every action as written: what, who, by_when, how_we_know, outcome, status


@pytest.fixture
def display():
    """How the room saw the information-sharing answers; a test parametrizes it."""
    return "named"


@pytest.fixture
def closed(app, room, display):
    """Kerry (mum) and Dan (a professional) let in, Ray listed but not there, Lena left in the
    lobby. Dan says a bottom line; the family writes the plan with a shared note and a note kept
    within the family; Dan proposes an action nobody accepts; the chair closes the meeting."""
    kerry = room.phone("Kerry")
    dan = room.phone("Dan", side="professional")
    lena = room.phone("Lena", admit=False)
    room.listed("Uncle Ray")
    with app.app_context():
        screen_token = running.issue_screen_token(db.session.get(Meeting, room.meeting.id))

    room.go_to("information_sharing")
    if display != "named":
        assert ack(room.chair, "round", {"display": display})["ok"]
    said = ack(
        dan.socket,
        "contribute",
        {"client_id": "dan-bottom-line-1", "text": BOTTOM_LINE, "kind": "bottom_line"},
    )
    assert said["ok"], said

    room.go_to("agreement")
    outcome = ack(
        kerry.socket, "add_outcome", {"client_id": "kerry-outcome-01", "text": "The children are safe"}
    )
    assert outcome["ok"], outcome
    actions = [
        {
            "client_id": "kerry-action-001",
            "what": "Nan collects the children from school",
            "who_text": "Nan",
            "by_when": "Every Friday",
            "how_we_know": "The school signs them out",
            "outcome_id": outcome["outcome_id"],
        },
        {
            "client_id": "kerry-action-002",
            "what": "Kerry books the GP appointment",
            "who_participant_id": kerry.id,
            "by_when": "Next Tuesday",
            "how_we_know": FORMULA,
        },
        {"client_id": "kerry-action-003", "what": MARKUP, "who_text": "Aunt Jo", "by_when": "Soon"},
    ]
    for action in actions:
        assert ack(kerry.socket, "add_action", action)["ok"]
    proposal = {
        "client_id": "dan-action-00001",
        "what": "Dan visits weekly unannounced",
        "who_text": "Dan's team",
        "by_when": "From March",
    }
    assert ack(dan.socket, "add_action", proposal)["ok"]
    for client_id, text, family_only in (
        ("kerry-note-00001", SHARED_NOTE, False),
        ("kerry-note-00002", FAMILY_NOTE, True),
    ):
        assert ack(
            kerry.socket, "add_note", {"client_id": client_id, "text": text, "family_only": family_only}
        )["ok"]
    terms = {
        "revision": 0,
        "contingency": "Grandma Rose steps in",
        "monitor": "Aunt Jo checks weekly",
        "review_on": REVIEW_ON.isoformat(),
    }
    assert ack(kerry.socket, "save_terms", terms)["ok"]
    closing = ack(room.chair, "close_meeting")
    assert closing["ok"], closing
    room.drain()

    with app.app_context():
        meeting = db.session.get(Meeting, room.meeting.id)
        db.session.expunge(meeting)
    written = [
        {
            "outcome": "The children are safe",
            "who": "Nan",
            "what": actions[0]["what"],
            "by_when": "Every Friday",
            "how_we_know": "The school signs them out",
            "status": "agreed",
            "proposed_by": "",
        },
        {
            "outcome": "",
            "who": "Kerry",
            "what": actions[1]["what"],
            "by_when": "Next Tuesday",
            "how_we_know": FORMULA,
            "status": "agreed",
            "proposed_by": "",
        },
        {
            "outcome": "",
            "who": "Aunt Jo",
            "what": MARKUP,
            "by_when": "Soon",
            "how_we_know": "",
            "status": "agreed",
            "proposed_by": "",
        },
        {
            "outcome": "",
            "who": "Dan's team",
            "what": proposal["what"],
            "by_when": "From March",
            "how_we_know": "",
            "status": "proposed",
            "proposed_by": "Dan",
        },
    ]
    return Closed(meeting, meeting.join_code, kerry, dan, lena, screen_token, written)


def pdf_text(response) -> str:
    """The PDF's text with all whitespace gone: pypdf spaces some words oddly ("T o make")."""
    assert response.status_code == 200, response.status_code
    assert response.data.startswith(b"%PDF")
    assert response.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    return squash("".join(page.extract_text() for page in reader.pages))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_text(response) -> str:
    """A page's HTML as a reader sees its words (entities decoded)."""
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def section(page: str, section_id: str) -> str:
    """One section of the summary, by its heading's id."""
    match = re.search(rf'id="{section_id}".*?</section>', page, re.DOTALL)
    return match.group(0) if match else ""


def printed(day: date) -> str:
    """A date as the summary prints it: "Monday 1 March 2027"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


# The chair's PDF


def test_the_professionals_pdf_holds_the_whole_plan_and_not_the_familys_own_note(client, closed):
    response = client.get(f"/meetings/{closed.meeting.id}/summary.pdf")
    text = pdf_text(response)

    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(
        rf'attachment; filename="meeting-{closed.meeting.id}-\d{{4}}-\d{{2}}-\d{{2}}-professionals\.pdf"',
        disposition,
    ), disposition
    assert squash(closed.meeting.title) in text
    for action in closed.actions:
        for field in ("what", "who", "by_when"):
            assert squash(action[field]) in text, (field, action[field])
    proposals = text.split(squash("Proposed, but not taken into the plan"), 1)
    assert len(proposals) == 2 and squash("Dan visits weekly unannounced") in proposals[1]
    assert squash("Dan visits weekly unannounced") not in proposals[0]
    for term in ("Grandma Rose steps in", "Aunt Jo checks weekly", printed(REVIEW_ON)):
        assert squash(term) in text, term
    assert squash("Sensitive: personal information about children and their family") in text
    assert squash(SHARED_NOTE) in text
    assert squash(FAMILY_NOTE) not in text


# The family's copy, and the note kept within the family


def test_the_family_member_gets_the_familys_copy_with_their_own_note(closed):
    phone = closed.kerry.http
    for response in (phone.get(f"/join/{closed.code}"), phone.get(f"/join/{closed.code}/summary")):
        page = page_text(response)
        assert "The family's copy" in page
        assert FAMILY_NOTE in page and SHARED_NOTE in page
    text = pdf_text(phone.get(f"/join/{closed.code}/summary.pdf"))
    assert squash(FAMILY_NOTE) in text and squash("The family's copy") in text


def test_no_chair_sees_the_family_note_even_in_the_familys_copy(client, closed):
    page = page_text(client.get(f"/meetings/{closed.meeting.id}/summary?copy=family"))
    assert "The family's copy" in page and SHARED_NOTE in page
    assert FAMILY_NOTE not in page
    text = pdf_text(client.get(f"/meetings/{closed.meeting.id}/summary.pdf?copy=family"))
    assert squash(SHARED_NOTE) in text and squash(FAMILY_NOTE) not in text


def test_a_professionals_phone_gets_the_professionals_copy_without_the_family_note(closed):
    phone = closed.dan.http
    page = page_text(phone.get(f"/join/{closed.code}"))
    assert "The professionals' copy" in page and SHARED_NOTE in page
    assert FAMILY_NOTE not in page
    text = pdf_text(phone.get(f"/join/{closed.code}/summary.pdf"))
    assert squash("The professionals' copy") in text and squash(FAMILY_NOTE) not in text


def test_the_room_screen_shows_the_familys_copy_without_the_family_note(app, closed):
    page = page_text(app.test_client().get(f"/screen/{closed.screen_token}"))
    assert "The meeting has finished" in page and "The family's copy" in page
    assert SHARED_NOTE in page and closed.actions[0]["what"] in page
    assert FAMILY_NOTE not in page


def test_asking_for_an_unknown_copy_is_refused(client, closed):
    assert client.get(f"/meetings/{closed.meeting.id}/summary?copy=everything").status_code == 400
    assert client.get(f"/meetings/{closed.meeting.id}/summary.pdf?copy=").status_code == 400


# The meeting's record: for the case record only


def test_only_the_professionals_copy_has_the_meetings_record_and_who_was_not_there(client, closed):
    professionals = page_text(client.get(f"/meetings/{closed.meeting.id}/summary"))
    record = section(professionals, "s-record")
    assert "The meeting's record" in record and "The meeting was closed by Sam Patel" in record
    assert "Uncle Ray (did not come)" in record and "Lena (was not let in)" in record

    for family in (
        page_text(client.get(f"/meetings/{closed.meeting.id}/summary?copy=family")),
        page_text(closed.kerry.http.get(f"/join/{closed.code}")),
    ):
        assert "The meeting's record" not in family and "closed by" not in family
        assert "Uncle Ray" not in family and "Lena" not in family


# Bottom lines


def bottom_lines(page: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", item).strip()
        for item in re.findall(r"<li>(.*?)</li>", section(page, "s-bottom"), re.DOTALL)
    ]


@pytest.mark.parametrize(
    ("display", "in_the_familys_copy"),
    [("named", f"{BOTTOM_LINE} (Dan)"), ("unnamed", BOTTOM_LINE)],
)
def test_a_bottom_line_is_named_in_the_familys_copy_only_as_the_room_saw_it(
    client, closed, in_the_familys_copy
):
    professionals = page_text(client.get(f"/meetings/{closed.meeting.id}/summary"))
    assert bottom_lines(professionals) == [f"{BOTTOM_LINE} (Dan)"]
    for family in (
        page_text(client.get(f"/meetings/{closed.meeting.id}/summary?copy=family")),
        page_text(closed.kerry.http.get(f"/join/{closed.code}")),
    ):
        assert bottom_lines(family) == [in_the_familys_copy]


# The actions as CSV


def test_the_actions_csv_has_one_row_per_action_and_quotes_formulas(client, closed, app):
    response = client.get(f"/meetings/{closed.meeting.id}/actions.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(body[1:])))

    assert tuple(header) == CSV_COLUMNS
    with app.app_context():
        started = db.session.get(Meeting, closed.meeting.id).started_at
    # The day the meeting was held where it was held, as the printed summary gives it.
    held = started.astimezone(ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])).date().isoformat()
    expected = [
        {
            "meeting": closed.meeting.title,
            "meeting_date": held,
            **action,
            "how_we_know": "'" + FORMULA if action["how_we_know"] == FORMULA else action["how_we_know"],
            "progress": "",
            "progress_note": "",
        }
        for action in closed.actions
    ]
    assert [dict(zip(header, row, strict=True)) for row in rows] == expected


# Who may have a summary


def test_a_chair_without_a_role_and_anyone_signed_out_get_no_summary(app, closed, other_chair):
    paths = [f"/meetings/{closed.meeting.id}/{path}" for path in ("summary", "summary.pdf", "actions.csv")]
    other = app.test_client()
    AuthActions(other).login(email="alex.jones@council.example", password="another long password")
    anonymous = app.test_client()
    for path in paths:
        assert other.get(path).status_code == 404, path
        response = anonymous.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


def test_an_open_meeting_has_no_summary_yet(client, room):
    room.go_to("agreement")  # live, with the room's chair signed in
    for path in ("summary", "summary.pdf", "actions.csv"):
        assert client.get(f"/meetings/{room.meeting.id}/{path}").status_code == 404, path


def test_a_phone_never_let_in_is_only_told_the_meeting_has_finished(closed):
    phone = closed.lena.http
    finished = phone.get(f"/join/{closed.code}")
    assert finished.status_code == 410
    page = html.unescape(finished.get_data(as_text=True))
    assert "This meeting has finished" in page
    for words in (
        SHARED_NOTE,
        BOTTOM_LINE,
        "The children are safe",
        closed.actions[0]["what"],
        "Grandma Rose",
    ):
        assert words not in page, words
    assert phone.get(f"/join/{closed.code}/summary.pdf").status_code == 404
    assert phone.get(f"/join/{closed.code}/summary").status_code == 404


def test_a_phone_from_another_meeting_gets_nothing(app, make_meeting, closed):
    elsewhere = make_meeting("Another family's meeting")
    phone = app.test_client()
    join(phone, elsewhere, name="Pat")
    with app.test_request_context():
        meeting = db.session.get(Meeting, elsewhere.id)
        joining.admit(meeting, meeting.participants[0].id)
    assert phone.get(f"/join/{elsewhere.join_code}").status_code == 200  # let in, over there

    finished = phone.get(f"/join/{closed.code}")
    assert finished.status_code == 410
    assert SHARED_NOTE not in finished.get_data(as_text=True)
    assert phone.get(f"/join/{closed.code}/summary.pdf").status_code == 404
    assert phone.get(f"/join/{closed.code}/summary").status_code == 404


# What people typed stays text


def test_markup_people_typed_is_shown_as_text(app, client, closed):
    for response in (
        client.get(f"/meetings/{closed.meeting.id}/summary"),
        closed.kerry.http.get(f"/join/{closed.code}"),
        closed.kerry.http.get(f"/join/{closed.code}/summary"),
        app.test_client().get(f"/screen/{closed.screen_token}"),
    ):
        raw = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "<img" not in raw
        assert "&lt;img src=x onerror=alert(1)&gt;" in raw


# Reading the summary aloud


def test_the_phone_and_the_room_screen_can_read_the_summary_aloud(app, closed):
    for response in (
        closed.kerry.http.get(f"/join/{closed.code}"),
        app.test_client().get(f"/screen/{closed.screen_token}"),
    ):
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "data-read-aloud" in page and "Read the summary aloud" in page
        assert re.search(r'<script[^>]+src="[^"]*js/read-aloud\.[0-9a-f]{12}\.js"', page)
