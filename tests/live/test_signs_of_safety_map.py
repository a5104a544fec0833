"""Signs of Safety mapping, live: what an answer is follows the stage (worries, what is working
well, what needs to happen), who may give each kind is the server's to decide, and the whole map
(danger statements beside their safety goals, the three columns, the scale with its spread and
reasons) is one section of the summary."""

from __future__ import annotations

import html
import io
import re

import pypdf
import pytest
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import Contribution, Meeting
from facilitator.services import agenda
from tests.live.conftest import ack, everything_stored, received, sync

pytestmark = pytest.mark.parametrize("format_key", ["signs_of_safety"])

WORRY = "Dad shouts when he has been drinking"
DANGER = "Children's services are worried Ben will be hurt if Dad drinks and hits out"
STRENGTH = "Nan takes the children to school every day"
NEEDS = "Dad goes to the alcohol service every week"
GOAL = "Ben is safe at home, with Nan checking every evening, for six months"
REASON = "Nan is there every day now"


def say(phone, client_id, text, **extra):
    return ack(phone.socket, "contribute", {"client_id": client_id, "text": text, **extra})


def said(app):
    with app.app_context():
        return [
            (c.participant.name, c.text, c.kind.value, c.stage.kind.value)
            for c in db.session.scalars(select(Contribution).order_by(Contribution.id))
        ]


def stage_of(snapshot, kind):
    return next(s for s in snapshot["meeting"]["stages"] if s["kind"] == kind)


ANYONE = ["family", "professional"]


def test_each_mapping_stage_says_what_it_collects_and_who_may_give_it(app, room):
    kerry = room.phone("Kerry")
    stages = sync(kerry.socket)["meeting"]["stages"]
    collects = {s["kind"]: s["collects"] for s in stages}
    assert collects["worries"] == [
        {"kind": "worry", "by": ANYONE},
        {"kind": "danger_statement", "by": ["professional"]},
    ]
    assert collects["working_well"] == [{"kind": "working_well", "by": ANYONE}]
    assert collects["needs_to_happen"] == [
        {"kind": "needs_to_happen", "by": ANYONE},
        {"kind": "safety_goal", "by": ["professional"]},
    ]
    assert collects["scaling"] == [{"kind": "reason", "by": ANYONE}]
    assert collects["check_in"] == [{"kind": "answer", "by": ANYONE}]
    assert [s["kind"] for s in stages if s["does"].get("map")] == ["worries", "working_well", "needs_to_happen"]


def test_a_strength_sent_without_a_kind_is_what_is_working_well(app, room):
    kerry = room.phone("Kerry")
    screen = room.screen()
    stage_id = room.go_to("working_well")

    sent = say(kerry, "kerry-strength-01", STRENGTH)

    assert sent["ok"], sent
    assert said(app) == [("Kerry", STRENGTH, "working_well", "working_well")]
    (added,) = received(screen, "contribution_added")
    assert added["contribution"]["kind"] == "working_well" and added["contribution"]["stage_id"] == stage_id


def test_the_family_says_what_needs_to_happen_and_a_professional_the_safety_goal(app, room):
    kerry = room.phone("Kerry")
    dan = room.phone("Dan", side="professional")
    room.go_to("needs_to_happen")

    assert say(kerry, "kerry-needs-0001", NEEDS, kind="needs_to_happen")["ok"]
    assert say(dan, "dan-goal-0000001", GOAL, kind="safety_goal")["ok"]
    recorded = ack(
        room.chair,
        "record",
        {"participant_id": kerry.id, "client_id": "chair-needs-0001", "text": "Nan moves in", "kind": "needs_to_happen"},
    )
    assert recorded["ok"], recorded

    assert said(app) == [
        ("Kerry", NEEDS, "needs_to_happen", "needs_to_happen"),
        ("Dan", GOAL, "safety_goal", "needs_to_happen"),
        ("Kerry", "Nan moves in", "needs_to_happen", "needs_to_happen"),
    ]


def test_a_family_member_cannot_write_a_danger_statement_or_a_safety_goal(app, room):
    kerry = room.phone("Kerry")
    dan = room.phone("Dan", side="professional")
    room.go_to("worries")
    before = everything_stored(app, room.meeting.id)
    room.drain()

    refused = say(kerry, "kerry-danger-001", DANGER, kind="danger_statement")
    for_her = ack(
        room.chair,
        "record",
        {"participant_id": kerry.id, "client_id": "chair-danger-01", "text": DANGER, "kind": "danger_statement"},
    )

    for answer in (refused, for_her):
        assert answer["ok"] is False and answer["error"]["code"] == "invalid"
        assert answer["error"]["message"] == "Danger statements come from the professionals."
    assert everything_stored(app, room.meeting.id) == before
    assert received(room.chair) == [] and received(dan.socket) == []

    room.go_to("needs_to_happen")
    goal = say(kerry, "kerry-goal-00001", GOAL, kind="safety_goal")
    assert goal["ok"] is False and goal["error"]["message"] == "Safety goals come from the professionals."

    assert say(dan, "dan-danger-00001", DANGER, kind="safety_goal")["ok"]
    assert [(name, kind) for name, _text, kind, _stage in said(app)] == [("Dan", "safety_goal")]


@pytest.mark.parametrize(
    ("stage", "kind", "message"),
    [
        ("worries", None, "Choose: a worry, or a danger statement."),
        ("worries", "WORRY", "Choose: a worry, or a danger statement."),
        ("worries", "", "Choose: a worry, or a danger statement."),
        ("worries", 1, "Choose: a worry, or a danger statement."),
        ("worries", ["worry"], "Choose: a worry, or a danger statement."),
        ("worries", "working_well", "Choose: a worry, or a danger statement."),
        ("worries", "bottom_line", "Choose: a worry, or a danger statement."),
        ("needs_to_happen", "danger_statement", "Choose: what needs to happen, or a safety goal."),
        ("needs_to_happen", {"kind": "safety_goal"}, "Choose: what needs to happen, or a safety goal."),
        ("working_well", "worry", "This part of the meeting does not sort answers."),
        ("working_well", "working_well", "This part of the meeting does not sort answers."),
    ],
)
def test_a_malformed_kind_is_refused_clearly_and_nothing_is_stored(app, room, stage, kind, message):
    dan = room.phone("Dan", side="professional")
    room.go_to(stage)
    before = everything_stored(app, room.meeting.id)
    payload = {"client_id": "dan-malformed-01", "text": "Something"}
    if kind is not None:
        payload["kind"] = kind

    refused = ack(dan.socket, "contribute", payload)

    assert refused["ok"] is False
    assert refused["error"] == {"code": "invalid", "message": message}
    assert everything_stored(app, room.meeting.id) == before


def test_a_stored_information_sharing_stage_keeps_its_three_choices(app, room):
    """A meeting set up before the mapping stages existed keeps working as it was."""
    with app.test_request_context():
        meeting = db.session.get(Meeting, room.meeting.id)
        agenda.add_stage(meeting, "information_sharing", agenda.StageText(title="Information sharing"))
        db.session.commit()
    kerry = room.phone("Kerry")
    room.go_to("information_sharing")

    stage = stage_of(sync(kerry.socket), "information_sharing")
    assert [c["kind"] for c in stage["collects"]] == ["worry", "working_well", "bottom_line"]
    assert "map" not in stage["does"] and stage["does"]["sorted"] is True
    assert say(kerry, "kerry-worry-0001", WORRY, kind="worry")["ok"]
    assert say(kerry, "kerry-well-00001", STRENGTH, kind="working_well")["ok"]
    bottom = say(kerry, "kerry-bottom-001", "Steve stays away", kind="bottom_line")
    assert bottom["ok"] is False and bottom["error"]["message"] == "Bottom lines come from the professionals."


# The whole map in the summary


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def map_section(page: str) -> str:
    match = re.search(r'id="s-map".*?</section>', page, re.DOTALL)
    assert match, "no map in the summary"
    return match.group(0)


def words(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def column(section: str, title: str) -> str:
    match = re.search(rf">{re.escape(title)}</h\d>(.*?)</div>", section, re.DOTALL)
    assert match, title
    return words(match.group(1))


@pytest.fixture
def mapped(app, room):
    """A whole map: a worry and a danger statement, a strength, what needs to happen and its
    safety goal, the scale revealed with a reason; then the meeting closed."""
    kerry = room.phone("Kerry")
    dan = room.phone("Dan", side="professional")
    room.go_to("worries")
    assert say(kerry, "kerry-worry-0001", WORRY, kind="worry")["ok"]
    assert say(dan, "dan-danger-00001", DANGER, kind="danger_statement")["ok"]
    room.go_to("working_well")
    assert say(kerry, "kerry-strength-01", STRENGTH)["ok"]
    room.go_to("needs_to_happen")
    assert say(kerry, "kerry-needs-0001", NEEDS, kind="needs_to_happen")["ok"]
    assert say(dan, "dan-goal-0000001", GOAL, kind="safety_goal")["ok"]
    room.go_to("scaling")
    assert ack(kerry.socket, "score", {"value": 6})["ok"]
    assert ack(dan.socket, "score", {"value": 3})["ok"]
    assert ack(room.chair, "reveal")["ok"]
    assert say(kerry, "kerry-reason-001", REASON)["ok"]
    assert ack(room.chair, "close_meeting")["ok"]
    room.drain()
    with app.app_context():
        meeting = db.session.get(Meeting, room.meeting.id)
        return meeting.join_code, kerry, dan


def test_the_summary_holds_the_whole_map_in_the_peoples_own_words(app, client, room, mapped):
    code, kerry, _dan = mapped
    professionals = map_section(page_text(client.get(f"/meetings/{room.meeting.id}/summary")))
    family = map_section(page_text(kerry.http.get(f"/join/{code}")))

    for section in (professionals, family):
        pairs = re.search(r"<table.*?</table>", section, re.DOTALL).group(0)
        assert words(pairs) == (
            f"Danger statements and safety goals Danger statement Safety goal {DANGER} (Dan) {GOAL} (Dan)"
        )
        assert column(section, "What we are worried about") == f"{WORRY} (Kerry)"
        assert column(section, "What is working well") == f"{STRENGTH} (Kerry)"
        assert column(section, "What needs to happen") == f"{NEEDS} (Kerry)"
        tail = words(section.split("Safety scale", 1)[1])
        assert tail.startswith(f"Lowest 3, middle 4.5, highest 6 Why that number? {REASON} (Kerry)")
        assert "6 (Kerry)" not in tail and "3 (Dan)" not in tail  # nobody's own number

    # Said once: not again stage by stage, nor the spread among the other scores.
    for page in (page_text(client.get(f"/meetings/{room.meeting.id}/summary")),):
        assert page.count(STRENGTH) == 1 and page.count(REASON) == 1
        assert page.count("Lowest 3, middle 4.5, highest 6") == 1

    pdf = pypdf.PdfReader(io.BytesIO(client.get(f"/meetings/{room.meeting.id}/summary.pdf").data))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    for said_there in (WORRY, STRENGTH, NEEDS, REASON, "Danger statements and safety goals"):
        assert " ".join(said_there.split()) in text


def test_the_familys_copy_holds_the_map_as_the_room_saw_it(app, client, room, format_key):
    kerry = room.phone("Kerry")
    room.go_to("worries")
    assert ack(room.chair, "round", {"display": "names_only"})["ok"]
    assert say(kerry, "kerry-worry-0001", WORRY, kind="worry")["ok"]
    room.go_to("working_well")
    assert ack(room.chair, "round", {"display": "unnamed"})["ok"]
    assert say(kerry, "kerry-strength-01", STRENGTH)["ok"]
    assert ack(room.chair, "close_meeting")["ok"]
    with app.app_context():
        code = db.session.get(Meeting, room.meeting.id).join_code

    family = map_section(page_text(kerry.http.get(f"/join/{code}")))
    professionals = map_section(page_text(client.get(f"/meetings/{room.meeting.id}/summary")))

    assert WORRY not in family and "shown to the room without their words: Kerry" in words(family)
    assert column(family, "What is working well") == STRENGTH
    assert column(professionals, "What we are worried about") == f"{WORRY} (Kerry)"
    assert column(professionals, "What is working well") == f"{STRENGTH} (Kerry)"
