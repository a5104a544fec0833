"""Words passed on only with consent, in what everyone takes away once the meeting has closed:
the phones' summaries, the printable pages, the PDFs, the actions CSV and the room screen. A
shuttle mediation's parties each get their own copy; the child's words are in a copy only as far
as the child shared them. What must never be in a copy is tested beside what must be."""

from __future__ import annotations

import re

import pytest

from facilitator.extensions import db
from facilitator.models import Meeting, Participant, StageKind
from facilitator.services import agenda, running
from tests.live.conftest import ack, sync
from tests.live.test_summary import page_text, pdf_text, squash

# A shuttle mediation: what each party wrote, kept or passed on.
MUM_SECRET = "I still cannot forgive what he said at Christmas"
MUM_PROPOSAL = "The children see their dad every Sunday"
MUM_HARSH = "He never turns up, he is useless"
MUM_APPROVED = "I worry when visits are missed"
MUM_LATER = "Second session: I am tired of all this"
DAD_SECRET = "I lost my job in March and told nobody"
DAD_PASSED = "I want to be there for the school play"
CHANGE_ASKED = "Only if Gran is there too"
TERM_AGREED = "Dad sees the children every Sunday from 10 to 4"
TERM_OPEN = "Handovers happen at Gran's house"

PARTY_WORDS = (MUM_SECRET, MUM_PROPOSAL, MUM_HARSH, MUM_APPROVED, MUM_LATER, DAD_SECRET, DAD_PASSED)

# The child's three houses.
UNSHARED = "I am scared when they shout"
FAMILY_ONLY = "Football with Grandad on Saturdays"
EVERYONE_WORRY = "I miss my dog at Dad's flat"
EVERYONE_DREAM = "I want to live with Nan"
CHILD_WORDS = (UNSHARED, FAMILY_ONLY, EVERYONE_WORRY, EVERYONE_DREAM)


def keep(socket, text, kind):
    response = ack(socket, "keep", {"client_id": f"item-{abs(hash(text))}", "kind": kind, "text": text})
    assert response["ok"], response
    return response["item_id"]


def pass_on(socket, item_id, to, wording="mine"):
    revision = next(i["revision"] for i in sync(socket)["items"] if i["id"] == item_id)
    payload = {"item_id": item_id, "to": to, "wording": wording, "revision": revision}
    response = ack(socket, "pass_on", payload)
    assert response["ok"], response


def close(app, room):
    """Close the meeting; the room screen's address, issued before, shows its summary."""
    with app.app_context():
        token = running.issue_screen_token(db.session.get(Meeting, room.meeting.id))
    closing = ack(room.chair, "close_meeting")
    assert closing["ok"], closing
    room.drain()
    return token


def section(page: str, section_id: str) -> str:
    """One section of the summary, by its heading's id ("" when it is not there)."""
    match = re.search(rf'<section[^>]*aria-labelledby="{section_id}".*?</section>', page, re.DOTALL)
    return match.group(0) if match else ""


def words_of(markup: str) -> str:
    """Markup as a reader hears it: tags gone, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)).strip()


def everything(phone_or_client, base: str, *, pdf_path: str | None = None) -> tuple[str, str, str]:
    """A copy three ways: the page, the printable page, the PDF's text."""
    page = page_text(phone_or_client.get(base))
    printable = page_text(phone_or_client.get(f"{base}/summary" if pdf_path is None else pdf_path[:-4]))
    pdf = pdf_text(phone_or_client.get(f"{base}/summary.pdf" if pdf_path is None else pdf_path))
    return page, printable, pdf


# A shuttle mediation


@pytest.fixture
def format_key():
    return "shuttle_mediation"


@pytest.fixture
def mediation(app, room):
    """Mum and Dad, apart, over two sessions, brought together at the end, and Priya, an
    interpreter, on her phone. Mum keeps a secret, passes a proposal on in her words and a worry
    in the mediator's words she approved; Dad keeps a secret and passes a thought to everyone.
    One term is agreed; Dad asks for a change to the other. Then the mediator closes the meeting."""
    mum, dad = room.phone("Mum"), room.phone("Dad")
    interpreter = room.phone("Priya", side="professional")
    room.go_to("own_space")
    keep(mum.socket, MUM_SECRET, "feeling")
    pass_on(mum.socket, keep(mum.socket, MUM_PROPOSAL, "proposal"), dad.id)
    harsh = keep(mum.socket, MUM_HARSH, "worry")
    assert ack(room.chair, "suggest", {"item_id": harsh, "words": MUM_APPROVED})["ok"]
    pass_on(mum.socket, harsh, dad.id, wording="suggested")
    keep(dad.socket, DAD_SECRET, "worry")
    pass_on(dad.socket, keep(dad.socket, DAD_PASSED, "thought"), "all")

    agreed = ack(room.chair, "propose_term", {"client_id": "term-agreed-01", "text": TERM_AGREED})["term_id"]
    open_term = ack(room.chair, "propose_term", {"client_id": "term-open-0001", "text": TERM_OPEN})["term_id"]
    for phone in (mum, dad):
        assert ack(phone.socket, "answer_term", {"term_id": agreed, "revision": 1, "accepted": True})["ok"]
    assert ack(mum.socket, "answer_term", {"term_id": open_term, "revision": 1, "accepted": True})["ok"]
    asked = {"term_id": open_term, "revision": 1, "accepted": False, "change": CHANGE_ASKED}
    assert ack(dad.socket, "answer_term", asked)["ok"]

    assert ack(room.chair, "end_session", {"next_on": "2026-12-08"})["ok"]
    assert ack(room.chair, "start_session")["ok"]
    keep(mum.socket, MUM_LATER, "feeling")
    assert ack(room.chair, "meet_together")["ok"]
    token = close(app, room)
    return room.meeting, mum, dad, token, interpreter


def test_a_partys_own_copy_holds_what_they_wrote_and_what_reached_them(mediation):
    meeting, mum, _dad, _token, _interpreter = mediation
    for copy in everything(mum.http, f"/join/{meeting.join_code}"):
        for words in (*PARTY_WORDS[:5], DAD_PASSED, TERM_AGREED, TERM_OPEN):
            assert squash(words) in squash(copy), words
        for words in (DAD_SECRET, CHANGE_ASKED):
            assert squash(words) not in squash(copy), words

    page = page_text(mum.http.get(f"/join/{meeting.join_code}"))
    written = words_of(section(page, "s-written"))
    assert f"{MUM_PROPOSAL} Passed on to Dad, in your own words." in written
    assert f"{MUM_HARSH} Passed on to Dad in these words: {MUM_APPROVED}" in written
    assert f"{MUM_SECRET} Not passed on." in written
    assert "Session 2" in written  # written over two sessions: each says which
    received = words_of(section(page, "s-received"))
    assert "From Dad" in received and DAD_PASSED in received
    assert MUM_PROPOSAL not in received and MUM_SECRET not in received


def test_the_other_party_reads_only_the_words_passed_on_to_them(mediation):
    meeting, _mum, dad, _token, _interpreter = mediation
    for copy in everything(dad.http, f"/join/{meeting.join_code}"):
        for words in (DAD_SECRET, DAD_PASSED, MUM_PROPOSAL, MUM_APPROVED, TERM_AGREED):
            assert squash(words) in squash(copy), words
        # Mum's unshared words, and her own words for what reached Dad in the mediator's rephrasing.
        for words in (MUM_SECRET, MUM_LATER, MUM_HARSH, "useless"):
            assert squash(words) not in squash(copy), words

    page = page_text(dad.http.get(f"/join/{meeting.join_code}"))
    received = words_of(section(page, "s-received"))
    assert f"From Mum · Session 1 {MUM_APPROVED}" in received
    assert f"From Mum · Session 1 {MUM_PROPOSAL}" in received
    assert f"{DAD_PASSED} Passed on to Mum, in your own words." in words_of(section(page, "s-written"))


def test_every_copy_has_the_agreement_each_term_agreed_or_not_and_who_accepted(mediation, client):
    meeting, mum, dad, _token, _interpreter = mediation
    for page in (
        page_text(mum.http.get(f"/join/{meeting.join_code}")),
        page_text(dad.http.get(f"/join/{meeting.join_code}")),
        page_text(client.get(f"/meetings/{meeting.id}/summary")),
    ):
        terms = words_of(section(page, "s-mediation-terms"))
        assert f"{TERM_AGREED} Agreed by everyone Accepted by Mum, Dad." in terms
        assert f"{TERM_OPEN} Not agreed Accepted by Mum." in terms
        assert CHANGE_ASKED not in page


def test_the_mediators_copy_has_what_passed_between_the_parties_and_the_sessions_never_a_kept_word(
    mediation, client
):
    meeting, _mum, _dad, _token, _interpreter = mediation
    base = f"/meetings/{meeting.id}"
    page = page_text(client.get(base))  # the console of a closed meeting
    printable = page_text(client.get(f"{base}/summary"))
    pdf = pdf_text(client.get(f"{base}/summary.pdf"))
    for copy in (page, printable, pdf):
        for words in (MUM_PROPOSAL, MUM_APPROVED, DAD_PASSED, TERM_AGREED, TERM_OPEN):
            assert squash(words) in squash(copy), words
        for words in (MUM_SECRET, MUM_HARSH, "useless", MUM_LATER, DAD_SECRET):
            assert squash(words) not in squash(copy), words

    passed = words_of(section(printable, "s-passed"))
    assert f"From Mum to Dad · Session 1 {MUM_APPROVED}" in passed
    assert f"From Dad to Mum · Session 1 {DAD_PASSED}" in passed
    sessions = words_of(section(printable, "s-sessions"))
    assert re.search(r"Session 1: \d{1,2} \w+ \d{4}, \d\d:\d\d to \d\d:\d\d\.", sessions), sessions
    assert re.search(r"Session 2: .+ to .+\. The parties met together at \d\d:\d\d\.", sessions), sessions
    # A mediation that never used the plan does not say the plan was not agreed.
    assert "The referrer has not agreed the plan" not in printable and 'id="s-plan"' not in printable


def test_no_copy_but_a_partys_own_or_the_mediators_holds_a_partys_item(app, mediation, client):
    meeting, _mum, _dad, token, _interpreter = mediation
    screen = page_text(app.test_client().get(f"/screen/{token}"))
    family = page_text(client.get(f"/meetings/{meeting.id}/summary?copy=family"))
    family_pdf = pdf_text(client.get(f"/meetings/{meeting.id}/summary.pdf?copy=family"))
    for copy in (screen, family, family_pdf):
        assert squash(TERM_AGREED) in squash(copy) and squash(TERM_OPEN) in squash(copy)
        for words in PARTY_WORDS:
            assert squash(words) not in squash(copy), words
    for part in ("s-received", "s-written", "s-passed", "s-sessions"):
        assert f'id="{part}"' not in screen, part


def test_a_professional_on_a_phone_is_no_mediator_and_takes_away_the_agreement_only(mediation):
    meeting, *_, interpreter = mediation
    for copy in everything(interpreter.http, f"/join/{meeting.join_code}"):
        assert squash("The professionals' copy") in squash(copy)
        assert squash(TERM_AGREED) in squash(copy)
        for words in (*PARTY_WORDS, "What was passed on between the parties", "Passed on to you"):
            assert squash(words) not in squash(copy), words


def test_the_actions_csv_carries_no_kept_words_and_no_terms(mediation, client):
    meeting, *_ = mediation
    response = client.get(f"/meetings/{meeting.id}/actions.csv")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    for words in (*PARTY_WORDS, TERM_AGREED, TERM_OPEN, CHANGE_ASKED):
        assert words not in body, words


# The child's voice


def flag(app, person_id, **flags):
    with app.app_context():
        person = db.session.get(Participant, person_id)
        for name, value in flags.items():
            setattr(person, name, value)
        db.session.commit()


@pytest.fixture
def houses(app, room):
    """An FGC with Jay's three houses: Jay keeps one worry to himself, shares a good thing with
    the family, and a worry and a dream with everyone; then the chair closes the meeting."""
    with app.test_request_context():
        meeting = db.session.get(Meeting, room.meeting.id)
        stage = agenda.StageText("Jay's three houses", "", 10)
        agenda.add_stage(meeting, StageKind.CHILDS_VOICE.value, stage)
    jay, advocate = room.phone("Jay"), room.phone("Priya the advocate", side="professional")
    flag(app, jay.id, is_child=True)
    flag(app, advocate.id, is_advocate=True)
    mum, worker = room.phone("Mum"), room.phone("Dan", side="professional")
    room.go_to("childs_voice")
    keep(jay.socket, UNSHARED, "house_of_worries")
    for text, kind, sharing in (
        (FAMILY_ONLY, "house_of_good_things", "family"),
        (EVERYONE_WORRY, "house_of_worries", "everyone"),
        (EVERYONE_DREAM, "house_of_dreams", "everyone"),
    ):
        item_id = keep(jay.socket, text, kind)
        sharer = advocate if kind == "house_of_dreams" else jay  # the advocate may share for Jay
        assert ack(sharer.socket, "share", {"item_id": item_id, "sharing": sharing})["ok"]
    token = close(app, room)
    return room.meeting, jay, advocate, mum, worker, token


@pytest.mark.parametrize("format_key", ["family_group_conference"])
def test_the_familys_copy_has_what_the_child_shared_with_them_in_the_childs_own_words(houses):
    meeting, jay, _advocate, mum, _worker, _token = houses
    for phone in (mum, jay):
        for copy in everything(phone.http, f"/join/{meeting.join_code}"):
            assert "Jay" in copy and squash("In Jay's own words") in squash(copy)
            for words in (FAMILY_ONLY, EVERYONE_WORRY, EVERYONE_DREAM):
                assert squash(words) in squash(copy), words
            assert squash(UNSHARED) not in squash(copy)  # not even in the child's own copy

    page = page_text(mum.http.get(f"/join/{meeting.join_code}"))
    voice = section(page, "s-voice-1")
    assert "In Jay's own words" in voice and "unedited" in voice
    heard = words_of(voice)
    assert f"House of worries {EVERYONE_WORRY}" in heard
    assert f"House of good things {FAMILY_ONLY} Shared with the family only" in heard
    assert f"House of dreams {EVERYONE_DREAM}" in heard
    houses_in_order = [heard.index(f"House of {name}") for name in ("worries", "good things", "dreams")]
    assert houses_in_order == sorted(houses_in_order)
    assert f"<q>{FAMILY_ONLY}</q>" in voice  # quoted as said


@pytest.mark.parametrize("format_key", ["family_group_conference"])
def test_the_professionals_copy_has_only_what_the_child_shared_with_everyone(houses, client):
    meeting, _jay, advocate, _mum, worker, _token = houses
    copies = [
        page_text(client.get(f"/meetings/{meeting.id}")),
        page_text(client.get(f"/meetings/{meeting.id}/summary")),
        pdf_text(client.get(f"/meetings/{meeting.id}/summary.pdf")),
        *everything(worker.http, f"/join/{meeting.join_code}"),
        *everything(advocate.http, f"/join/{meeting.join_code}"),
    ]
    for copy in copies:
        assert squash("In Jay's own words") in squash(copy)
        assert squash(EVERYONE_WORRY) in squash(copy) and squash(EVERYONE_DREAM) in squash(copy)
        for words in (FAMILY_ONLY, UNSHARED, "Shared with the family only"):
            assert squash(words) not in squash(copy), words


@pytest.mark.parametrize("format_key", ["family_group_conference"])
def test_no_chair_reads_what_the_child_shared_with_the_family_only_even_in_the_familys_copy(houses, client):
    meeting, *_ = houses
    for copy in (
        page_text(client.get(f"/meetings/{meeting.id}/summary?copy=family")),
        pdf_text(client.get(f"/meetings/{meeting.id}/summary.pdf?copy=family")),
    ):
        assert squash(EVERYONE_DREAM) in squash(copy)
        assert squash(FAMILY_ONLY) not in squash(copy) and squash(UNSHARED) not in squash(copy)


@pytest.mark.parametrize("format_key", ["family_group_conference"])
def test_the_room_screens_summary_holds_only_what_the_child_shared_with_everyone(app, houses, client):
    meeting, *_, token = houses
    screen = page_text(app.test_client().get(f"/screen/{token}"))
    assert "The meeting has finished" in screen and "own words" in screen
    assert squash(EVERYONE_DREAM) in squash(screen)
    assert squash(FAMILY_ONLY) not in squash(screen) and squash(UNSHARED) not in squash(screen)


@pytest.mark.parametrize("format_key", ["family_group_conference"])
def test_the_actions_csv_holds_none_of_the_childs_words(houses, client):
    meeting, *_ = houses
    body = client.get(f"/meetings/{meeting.id}/actions.csv").get_data(as_text=True)
    for words in CHILD_WORDS:
        assert words not in body, words
