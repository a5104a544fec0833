"""The summary and its PDF in the language of whoever opens it: the labels and dates in theirs,
the family's words as they wrote them, and Urdu drawn in Nastaliq, right to left."""

from __future__ import annotations

import io

import pypdf
from babel.dates import format_date

from tests.conftest import csrf_token
from tests.live.test_summary import REVIEW_ON, closed, display, page_text, pdf_text, squash  # noqa: F401

PLAN_WORDS = "The children are safe"  # Kerry's outcome, in English as she wrote it


def choose(http, language):
    token = csrf_token(http.get("/join/").get_data(as_text=True))
    assert http.post("/language", data={"language": language, "next": "/join/", "csrf_token": token}).status_code == 303


def fonts(response) -> set[str]:
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1].replace("-", ""))
    return names


def test_a_family_member_reading_welsh_gets_the_summary_and_pdf_in_welsh(closed):
    phone = closed.kerry.http
    choose(phone, "cy")
    page = page_text(phone.get(f"/join/{closed.code}/summary"))
    assert '<html lang="cy" dir="ltr"' in page
    welsh_day = format_date(REVIEW_ON, "EEEE d MMMM yyyy", locale="cy")
    assert welsh_day in page and PLAN_WORDS in page
    text = pdf_text(phone.get(f"/join/{closed.code}/summary.pdf"))
    assert squash(welsh_day) in text and squash(PLAN_WORDS) in text


def test_a_family_member_reading_urdu_gets_a_right_to_left_summary_drawn_in_nastaliq(closed):
    phone = closed.kerry.http
    choose(phone, "ur")
    page = page_text(phone.get(f"/join/{closed.code}/summary"))
    assert '<html lang="ur" dir="rtl"' in page and PLAN_WORDS in page
    # Their English words keep their own direction inside the Urdu page, so the PDF, which
    # cannot work it out, puts a full stop at the end of an English sentence, not the start.
    assert f'<li class="summary-outcome__text" dir="ltr">{PLAN_WORDS}</li>' in page
    pdf = phone.get(f"/join/{closed.code}/summary.pdf")
    assert squash(PLAN_WORDS) in pdf_text(pdf)
    assert any(name.startswith("NotoNastaliqUrdu") for name in fonts(pdf)), fonts(pdf)


def test_the_chair_reads_the_same_meeting_in_english_meanwhile(client, closed):
    choose(closed.kerry.http, "ur")
    response = client.get(f"/meetings/{closed.meeting.id}/summary.pdf")
    assert not any(name.startswith("NotoNastaliqUrdu") for name in fonts(response))
    assert '<html lang="en" dir="ltr"' in page_text(client.get(f"/meetings/{closed.meeting.id}/summary"))


def test_words_are_set_in_the_direction_of_their_first_letter():
    from facilitator.web.display import own_dir

    assert own_dir("Nan picks J. up.") == "ltr"
    assert own_dir("«نانی جمعہ کو» J.") == "rtl"
    assert own_dir("=HYPERLINK") == "ltr" and own_dir("12/3") == "auto" and own_dir("") == "auto"
