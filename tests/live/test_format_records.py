"""Each format's summary is that practice's record. For every shipped format, a realistic meeting
is run through the app (the people of both sides on their phones, the chair on the console), each
stage doing what its kind does: answers with feelings where the stage takes them, sorted answers
where it sorts, offers that are actions at once, private scores and why, the plan with its
outcomes, actions, notes and terms, private family time, words passed on only with consent, the
agreement. Then the meeting is closed and every copy of its summary is read, as a page and as a
PDF: everything said is in each copy whose reader may have it, and in no other."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from facilitator.extensions import db
from facilitator.models import Meeting, StageKind
from facilitator.services import agenda, closing, people, plan, reviews, running
from tests.live.conftest import Room, ack, sync
from tests.live.test_consent_summaries import close, flag, keep, pass_on, words_of
from tests.live.test_summary import page_text, pdf_text, squash

# Who reads each copy. Each is read as the printable page; those marked with a PDF as its PDF too.
PROFESSIONALS = "the chair's professionals' copy"  # the case record (and its PDF)
FAMILY = "the family member's own copy"  # from their phone (and its PDF)
CHAIRS_FAMILY = "the family's copy the chair prints"
PROFESSIONAL_PHONE = "the professional's own copy"  # from their phone
SCREEN = "the room screen"
EVERYONE = frozenset({PROFESSIONALS, FAMILY, CHAIRS_FAMILY, PROFESSIONAL_PHONE, SCREEN})
CASE_RECORD = frozenset({PROFESSIONALS, PROFESSIONAL_PHONE})
FAMILY_COPIES = frozenset({FAMILY, CHAIRS_FAMILY, SCREEN})
NOWHERE = frozenset()

REVIEW_ON = date.today() + timedelta(days=90)

# Realistic words, by who says them and what they are; each is said once in a meeting.
WORDS = {
    ("family", "welcome"): [
        "I'm Kerry, Jay and Mia's mum. We agree to listen without shouting",
        "Kerry again: I want everyone to speak kindly about Jay's dad",
    ],
    ("professional", "welcome"): [
        "I'm Priya, the family's social worker since January",
        "Priya: I agree to keep what is said here to the plan",
    ],
    ("family", "answer"): [
        "Since the police came in March the children have been frightened at night",
        "I shouted and I frightened them; I want that to stop",
        "Mia stopped eating her breakfast and I did not see why",
        "What would help most is Nan having them on Fridays",
        "I think we can make it work if Jay's dad keeps to Sundays",
        "I'd like the school to ring me first, not the police",
        "I am proud that we sat in one room today",
        "Jay's dad and I can text about handovers instead of talking",
    ],
    ("professional", "answer"): [
        "School saw Jay come in without his coat four times this term",
        "The referral came from the school nurse after Mia fainted",
        "I was worried by the shouting the neighbours reported",
        "Kerry has kept every appointment since February",
        "I would need to see the children in school every day",
        "The health visitor can come on Tuesday mornings",
        "The family have been honest with me about the rent arrears",
        "Both parents have said the children come first",
    ],
    ("family", "feeling"): [
        "Nervous, but I slept better than I thought",
        "Lighter. We have a plan we wrote ourselves",
        "Tired after the night shift, but here",
    ],
    ("professional", "feeling"): [
        "Hopeful after hearing the family this morning",
        "Relieved that Nan can help on Fridays",
        "Glad we heard from everyone today",
    ],
    ("family", "worry"): [
        "I worry the rent arrears mean we lose the flat",
        "I worry Jay is being bullied",
        "I worry about Dad's drinking when he has them",
    ],
    ("professional", "worry"): [
        "We are worried Mia has missed twelve days of school",
        "We worry about the arguments the neighbours hear at night",
        "We are worried Jay has been left to look after Mia",
    ],
    ("family", "working_well"): [
        "Nan walks the children to school every morning",
        "Jay loves his football club",
        "We eat together on Sundays",
    ],
    ("professional", "working_well"): [
        "Kerry has been to every GP appointment",
        "The children are clean, fed and well dressed",
        "Kerry asked for help herself this time",
    ],
    ("professional", "bottom_line"): [
        "The children must not be left alone overnight",
        "Mia must be in school every day",
        "Nobody drunk looks after the children",
    ],
    ("family", "offer"): [
        "I can take Jay to football on Saturdays",
        "I can ring the landlord about the arrears",
    ],
    ("professional", "offer"): [
        "I can refer Kerry to the parenting course in May",
        "I can ask the housing officer to meet the family",
    ],
    ("family", "reason"): [
        "Because the mornings are calmer now Nan helps",
        "Four, because the shouting has stopped but money has not",
    ],
    ("professional", "reason"): [
        "Seven, because Kerry has kept to everything she said",
        "Because school still sees Mia hungry some days",
    ],
    ("family", "danger_statement"): ["We worry the children could be hurt when the adults fight"],
    ("professional", "danger_statement"): [
        "Social care is worried the children will be hurt if the fighting goes on at night"
    ],
    ("family", "needs_to_happen"): ["Kerry will call Nan before she gets angry"],
    ("professional", "needs_to_happen"): [
        "Kerry will show how she keeps the children safe when she is angry"
    ],
    ("family", "safety_goal"): ["Everyone knows the children are safe at home"],
    ("professional", "safety_goal"): [
        "Social care will close the case when the children have been safe at home for six months"
    ],
}
FEELINGS = {
    "Kerry": ("worried", "Worried"),
    "Dan": ("sad", "Sad"),
    "Priya": ("hopeful", "Hopeful"),
    "Nan": ("calm", "Calm"),
}


@dataclass(frozen=True)
class Expected:
    """Words some copies must hold and every other must not."""

    words: str
    where: frozenset[str]
    # Who said it, and the feeling it carried, as the page shows them beside the words: named in
    # `named_in`, the words alone in the other copies that hold them.
    name: str | None = None
    named_in: frozenset[str] = NOWHERE
    feeling: str | None = None


@dataclass
class Record:
    """Everything said in one meeting, and where each thing must be (`everyone`: every copy)."""

    everyone: frozenset[str] = EVERYONE
    expected: list[Expected] = field(default_factory=list)
    # The copies that show only who answered in a stage: (copies, stage title, names).
    answered_only: list[tuple[frozenset[str], str, str]] = field(default_factory=list)

    def holds(self, words: str, where=None, **shown) -> str:
        assert all(words != e.words for e in self.expected), f"said twice: {words}"
        self.expected.append(Expected(words, frozenset(self.everyone if where is None else where), **shown))
        return words


@dataclass
class Party:
    """A phone in the meeting, and the copy its reader takes away."""

    phone: object
    side: str
    audience: str


class Script:
    """One meeting, run from the chair's console and the phones, stage by stage, each stage doing
    what its kind does (`stage.does`, `stage.collects`): every word said is written down in
    `record` with the copies that must hold it."""

    def __init__(
        self, app, room: Room, family: list[Party], professionals: list[Party], *, family_copies=None
    ):
        self.app, self.room = app, room
        self.family, self.professionals = family, professionals
        self.family_copies = frozenset(family_copies or FAMILY_COPIES)
        self.own_copies = frozenset(p.audience for p in family)  # the family's own: their notes
        self.everyone = self.family_copies | CASE_RECORD
        self.record = Record(self.everyone)
        self.said = {key: iter(words) for key, words in WORDS.items()}
        self.ids = (f"said-{n:08d}" for n in itertools.count(1))
        self.displays: dict[str, str] = {}  # a stage's title -> how the chair shows its round
        self.hidden_scales: set[str] = set()  # the scales whose scores the chair never reveals
        self.plan_written = False
        self.houses = None  # the child's voice, where the agenda has it

    # Moving through the agenda

    def stages(self) -> list[dict]:
        return sync(self.room.chair)["meeting"]["stages"]

    def at(self, position: int) -> dict:
        snapshot = sync(self.room.chair)
        if snapshot["meeting"]["status"] != "live":
            assert ack(self.room.chair, "start")["ok"]
            snapshot = sync(self.room.chair)
        if snapshot["meeting"]["current_position"] != position:
            moved = ack(self.room.chair, "go_to", {"position": position})
            assert moved["ok"], moved
        self.room.drain()
        return next(s for s in self.stages() if s["position"] == position)

    def run(self, *, own_space=None) -> None:
        """Every stage in order; `own_space` runs a shuttle mediation's own spaces."""
        position = 0
        while position < len(self.stages()):
            stage = self.at(position)
            does = stage["does"]
            if does.get("own_space") and own_space is not None:
                own_space(stage)
                own_space = None
            elif does.get("private_time"):
                self.private_time(stage)
                position = sync(self.room.chair)["meeting"]["current_position"]
                continue  # the family's "We're ready" moved the meeting on
            elif does.get("houses") and self.houses is not None:
                self.houses(stage)
            elif does.get("scaling"):
                self.scale(stage)
            elif does.get("plan_review"):
                self.review_the_plan(stage)
            elif does.get("agreement"):
                self.agree(stage)
            elif does.get("plan") and not does.get("offers"):
                self.write_plan(stage)
            elif stage["takes_answers"] and not sync(self.room.chair)["meeting"]["apart"]:
                self.answer(stage)
            position += 1

    # What people say

    def words(self, side: str, kind: str) -> str:
        return next(self.said[(side, kind)])

    def contribute(self, party: Party, text: str, kind: str | None = None, feeling: str | None = None):
        payload = {"client_id": next(self.ids), "text": text}
        if kind is not None:
            payload["kind"] = kind
        if feeling is not None:
            payload["feeling"] = feeling
        said = ack(party.phone.socket, "contribute", payload)
        assert said["ok"], said

    def answer(self, stage: dict) -> None:
        if stage["does"].get("offers"):
            self.offers(stage)
            return
        display = self.displays.get(stage["title"], "named")
        if display != "named":
            assert ack(self.room.chair, "round", {"display": display})["ok"]
        collects = stage["collects"]
        names = []
        for party in [*self.family, *self.professionals]:
            name = party.phone.name
            for collected in collects:
                kind = collected["kind"]
                if party.side not in collected["by"]:
                    continue
                feeling = FEELINGS[name] if stage["does"].get("feelings") else None
                bank = "welcome" if stage["kind"] == "welcome" else ("feeling" if feeling else kind)
                text = self.words(party.side, bank)
                chosen = kind if len(collects) > 1 else None  # the stage's one kind needs no naming
                self.contribute(party, text, chosen, feeling[0] if feeling else None)
                names.append(name)
                self.expect_said(text, kind, name, display, feeling[1] if feeling else None)
        if display == "names_only":
            self.record.answered_only.append((self.family_copies, stage["title"], ", ".join(names)))

    def expect_said(self, text: str, kind: str, name: str, display: str, feeling: str | None = None) -> None:
        """Where a thing said in a round belongs: the case record holds every word, named; the
        family's copies hold the round as the room saw it (`access.said_in_copy`)."""
        if kind == "offer":
            return  # an action in the plan, expected there
        if kind == "bottom_line":
            named = self.everyone if display == "named" else CASE_RECORD
            self.record.holds(text, self.everyone, name=name, named_in=named)
            return
        words = self.everyone if display != "names_only" else CASE_RECORD
        named = self.everyone if display == "named" else CASE_RECORD
        self.record.holds(text, words, name=name, named_in=named, feeling=feeling)

    def record_for(self, listed_id: int, name: str, stage: dict) -> None:
        """The chair types an answer for someone in the room without a phone."""
        feeling = FEELINGS[name] if stage["does"].get("feelings") else None
        text = self.record.holds(
            "Nan: I have the children every Friday and I will keep doing it",
            self.everyone,
            name=name,
            named_in=self.everyone,
            feeling=feeling[1] if feeling else None,
        )
        payload = {"client_id": next(self.ids), "text": text, "participant_id": listed_id}
        if feeling:
            payload["feeling"] = feeling[0]
        assert ack(self.room.chair, "record", payload)["ok"]

    def offers(self, stage: dict) -> None:
        """The offers round: each offer an action at once; the family takes one into the plan."""
        for party in [*self.professionals, *self.family]:
            first, second = self.words(party.side, "offer"), self.words(party.side, "offer")
            for text in (first, second):
                self.contribute(party, text)
                self.record.holds(text, self.everyone)  # in the plan, or proposed and waiting
        actions = sync(self.family[0].phone.socket)["plan"]["actions"]
        offered = next(a for a in actions if a["what"] == WORDS[("professional", "offer")][0])
        taken = {"action_id": offered["id"], "revision": offered["revision"]}
        accepted = ack(self.family[0].phone.socket, "accept_action", taken)
        assert accepted["ok"], accepted

    # Scores

    def scale(self, stage: dict) -> None:
        hidden = stage["title"] in self.hidden_scales
        values = {"Kerry": 2, "Priya": 9} if hidden else {"Kerry": 4, "Priya": 7}
        parties = [*self.family, *self.professionals]
        for party in parties:
            scored = ack(party.phone.socket, "score", {"value": values[party.phone.name]})
            assert scored["ok"], scored
        if hidden:
            # Never revealed: no copy holds a number or the scale's spread.
            self.record.holds("Lowest 2", NOWHERE)
            self.record.holds("highest 9", NOWHERE)
            return
        assert ack(self.room.chair, "reveal")["ok"]
        self.record.holds("Lowest 4, middle 5.5, highest 7", self.everyone)  # the spread, nobody's number
        for party in parties:
            text = self.words(party.side, "reason")
            self.contribute(party, text)
            self.expect_said(text, "reason", party.phone.name, "named")

    # The plan

    @property
    def kerry(self) -> Party:
        return self.family[0]

    @property
    def priya(self) -> Party:
        return self.professionals[0]

    def write(self, party: Party, command: str, payload: dict) -> dict:
        done = ack(party.phone.socket, command, {"client_id": next(self.ids), **payload})
        assert done["ok"], (command, done)
        return done

    def family_plan(self) -> None:
        """The family's part: an outcome with its actions, a note for everyone and one kept
        within the family."""
        wanted = self.record.holds("Jay and Mia feel safe at home")
        outcome = self.write(self.kerry, "add_outcome", {"text": wanted})
        self.write(
            self.kerry,
            "add_action",
            {
                "what": self.record.holds("Nan has the children every Friday night"),
                "who_text": self.record.holds("Nan (Rose)"),
                "by_when": self.record.holds("Every Friday from 5pm"),
                "how_we_know": self.record.holds("The children tell Priya on her visits"),
                "outcome_id": outcome["outcome_id"],
            },
        )
        self.write(
            self.kerry,
            "add_action",
            {
                "what": self.record.holds("Kerry books a GP appointment about her sleep"),
                "who_participant_id": self.kerry.phone.id,
                "by_when": self.record.holds("By the end of the month"),
            },
        )
        shared = self.record.holds("Uncle Ray will bring the photo albums at Christmas")
        kept = self.record.holds("Between us: Dad owes money to the man downstairs", self.own_copies)
        self.write(self.kerry, "add_note", {"text": shared, "family_only": False})
        self.write(self.kerry, "add_note", {"text": kept, "family_only": True})

    def write_plan(self, stage: dict) -> None:
        if self.plan_written:
            return
        self.plan_written = True
        if not any(s["does"].get("private_time") for s in self.stages()):
            self.family_plan()
        proposal = {
            "what": self.record.holds("Priya visits the children at home every fortnight"),
            "who_text": self.record.holds("Priya's team"),
            "by_when": self.record.holds("From next week"),
        }
        self.write(self.priya, "add_action", proposal)  # proposed: waits for the family
        terms = {
            "revision": sync(self.kerry.phone.socket)["plan"]["terms"]["revision"],
            "contingency": self.record.holds("Nan moves in for a week and the family meets again"),
            "monitor": self.record.holds("Aunt Jo rings Kerry every Sunday"),
            "review_on": REVIEW_ON.isoformat(),
        }
        self.record.holds(f"{REVIEW_ON:%A} {REVIEW_ON.day} {REVIEW_ON:%B %Y}", self.everyone)
        saved = ack(self.kerry.phone.socket, "save_terms", terms)
        assert saved["ok"], saved

    def private_time(self, stage: dict) -> None:
        """The chair starts it and leaves; the family writes its plan and comes back."""
        assert ack(self.room.chair, "start_private_time", {"stay": []})["ok"]
        self.room.drain()
        self.family_plan()
        assert ack(self.kerry.phone.socket, "end_private_time")["ok"]
        self.room.drain()
        self.record.holds("Private family time started by Sam Patel", CASE_RECORD)
        self.record.holds("Private family time ended by Kerry", CASE_RECORD)

    def review_the_plan(self, stage: dict) -> None:
        """How each action from the last meeting went, in the family's words."""
        notes = iter(
            [
                ("done", "Done", "Jay walked to school with Nan every day"),
                ("stuck", "Stuck", "The course was full until September"),
            ]
        )
        for action in sync(self.kerry.phone.socket)["plan"]["actions"]:
            if not action["carried"]:
                continue
            progress, label, note = next(notes)
            payload = {"action_id": action["id"], "revision": action["revision"]}
            payload.update(progress=progress, note=note)
            assert ack(self.kerry.phone.socket, "action_progress", payload)["ok"]
            self.record.holds(f"{label}: {note}", self.everyone)

    def agree(self, stage: dict) -> None:
        """The referrer cannot agree yet and says why; the family changes the plan; she agrees."""
        self.write_plan(stage)
        why = self.record.holds("I need to know who has the children on school holidays")
        assert ack(self.priya.phone.socket, "respond_to_plan", {"agreed": False, "reasons": why})["ok"]
        self.write(
            self.kerry,
            "add_action",
            {
                "what": self.record.holds("Aunt Jo has the children in the school holidays"),
                "who_text": "Aunt Jo",
            },
        )
        assert ack(self.priya.phone.socket, "respond_to_plan", {"agreed": True})["ok"]
        self.record.holds("Priya agreed the plan on", self.everyone)
        self.record.holds("Priya could not agree yet:", self.everyone)


def read_copies(app, client, meeting, token, parties: list[Party]) -> dict[str, list[tuple[str, str]]]:
    """Every copy of the closed meeting's summary, as (what it is, its words): pages as a reader
    hears them (tags gone), PDFs as their text (without spaces, as `pdf_text` reads them)."""
    base = f"/meetings/{meeting.id}/summary"
    copies = {
        PROFESSIONALS: [
            ("page", words_of(page_text(client.get(base)))),
            ("pdf", pdf_text(client.get(f"{base}.pdf"))),
        ],
        CHAIRS_FAMILY: [("page", words_of(page_text(client.get(f"{base}?copy=family"))))],
        SCREEN: [("page", words_of(page_text(app.test_client().get(f"/screen/{token}"))))],
    }
    code = meeting.join_code
    for party in parties:
        found = [("page", words_of(page_text(party.phone.http.get(f"/join/{code}/summary"))))]
        if party.audience != PROFESSIONAL_PHONE:  # each audience's PDF once: the chair's is the case record's
            found.append(("pdf", pdf_text(party.phone.http.get(f"/join/{code}/summary.pdf"))))
        copies[party.audience] = found
    return copies


def check(record: Record, copies: dict[str, list[tuple[str, str]]]) -> None:
    """Each thing said is in every copy that must hold it and in no other; beside its words, who
    said it and how they felt only where that copy holds them."""
    missing, leaked = [], []
    for expected in record.expected:
        for audience, renderings in copies.items():
            for what, text in renderings:
                held = squash(expected.words) in squash(text)
                if audience in expected.where and not held:
                    missing.append((audience, what, expected.words))
                if audience not in expected.where and held:
                    leaked.append((audience, what, expected.words))
    assert not missing, f"missing from copies that must hold them: {missing}"
    assert not leaked, f"in copies that must not hold them: {leaked}"

    for expected in record.expected:
        if expected.name is None:
            continue
        for audience in expected.where:
            page = copies[audience][0][1]
            shown = f"{expected.words} ({expected.name})"
            if expected.feeling:
                shown = f"{expected.feeling} {shown}"
            if audience in expected.named_in:
                assert shown in page, (audience, shown)
            else:
                assert f"{expected.words} ({expected.name})" not in page, (audience, expected.words)
                assert expected.words in page, (audience, expected.words)
    for audiences, title, names in record.answered_only:
        for audience in audiences:
            page = copies[audience][0][1]
            assert f"{title} Answered: {names}." in page, (audience, title)


def phones(room: Room, app, *, family=("Kerry",), professionals=("Priya",)):
    """The family on their phones, and Priya, the social worker who referred them (the referrer)."""
    kin = [Party(room.phone(name), "family", FAMILY) for name in family]
    workers = [
        Party(room.phone(name, side="professional"), "professional", PROFESSIONAL_PHONE)
        for name in professionals
    ]
    flag(app, workers[0].phone.id, is_referrer=True)
    return kin, workers


# The formats held in one room, start to finish


@pytest.mark.parametrize(
    ("format_key", "displays"),
    [
        ("restorative_cp_conference", {}),
        ("restorative_conversation", {"Check-out": "unnamed"}),
        ("pathway_to_change", {"Check-in": "names_only"}),  # the room saw only who answered
        ("mediation", {}),
        ("check_in_circle", {"Check-in round": "unnamed"}),
        ("signs_of_safety", {}),
    ],
)
def test_a_meeting_of_each_format_is_in_its_summary_for_those_who_may_read_it(
    app, client, room, format_key, displays
):
    family, professionals = phones(room, app)
    script = Script(app, room, family, professionals)
    script.displays = displays
    stages = script.stages()
    if format_key == "pathway_to_change":  # its second scale's scores are never revealed
        script.hidden_scales = {[s["title"] for s in stages if s["kind"] == "scaling"][-1]}
    if not any(s["does"].get("agreement") for s in stages):  # nobody was asked to agree a plan
        script.record.holds("The referrer has not agreed the plan", NOWHERE)
    if not any(s["does"].get("plan") for s in stages):  # a round, and no plan to keep on track
        script.record.holds("Keeping the plan on track", NOWHERE)
    script.run()
    token = close(app, room)
    check(script.record, read_copies(app, client, room.meeting, token, [*family, *professionals]))


def test_a_family_group_conference_is_its_familys_record(app, client, room):
    """Welcome, check-in (Nan without a phone, her words typed by the chair), information sharing
    shown without names, offers, private family time with the family's notes, the family's plan,
    the referrer's agreement, check-out; and Jay's three houses, shared as he chose."""
    with app.test_request_context():
        meeting = db.session.get(Meeting, room.meeting.id)
        houses = agenda.StageText("Jay's three houses", "", 10)
        agenda.add_stage(meeting, StageKind.CHILDS_VOICE.value, houses)
    nan = room.listed("Nan")
    family, professionals = phones(room, app)
    jay = room.phone("Jay")
    flag(app, jay.id, is_child=True)
    script = Script(app, room, family, professionals)
    script.displays = {"Information sharing": "unnamed"}
    record = script.record

    def houses(stage):
        kept = record.holds("I am scared when they shout at night", NOWHERE)  # kept to himself
        keep(jay.socket, kept, "house_of_worries")
        for text, house, sharing, where in (
            ("Football with Grandad on Saturdays", "house_of_good_things", "family", {FAMILY}),
            ("I miss my dog at Dad's flat", "house_of_worries", "everyone", script.everyone),
            ("I want to live with Nan", "house_of_dreams", "everyone", script.everyone),
        ):
            item = keep(jay.socket, record.holds(text, where), house)
            assert ack(jay.socket, "share", {"item_id": item, "sharing": sharing})["ok"]

    def answer(stage):
        Script.answer(script, stage)
        if stage["kind"] == "check_in":
            script.record_for(nan, "Nan", stage)

    script.houses = houses
    script.answer = answer
    script.run()
    token = close(app, room)
    check(record, read_copies(app, client, room.meeting, token, [*family, *professionals]))


@pytest.fixture
def review(app, make_meeting):
    """The review of a closed restorative child protection conference, set up from it as reviews
    are: its outcome, its two agreed actions, its notes (one kept within the family) and its
    terms carried over."""
    made = make_meeting("Conference for the J. family", format_key="restorative_cp_conference")
    with app.test_request_context():
        meeting = db.session.get(Meeting, made.id)
        people.add_person(meeting, people.PersonDetails("Nan", "Grandmother", "family"))
        running.start(meeting)
        outcome, _ = plan.add_outcome(meeting, "outcome-01", "The children get to school on time", "Kerry")
        for number, what in enumerate(("Nan walks Jay to school", "Kerry goes to the parenting course"), 1):
            who = "Nan" if number == 1 else "Kerry"
            details = plan.ActionDetails(what=what, who_text=who, outcome_id=outcome.id)
            plan.add_action(meeting, f"action-000000{number}", details, "Kerry")
        plan.add_note(meeting, "note-00000001", "Mum keeps the school's number on the fridge", False, "Kerry")
        kept = "Between us: Nan will not tell Dad the new address"
        plan.add_note(meeting, "note-00000002", kept, True, "Kerry")
        plan.save_terms(meeting, 0, {"contingency": "Gran steps in", "monitor": "Priya"}, "Kerry")
        closing.close(meeting, "Sam Patel")
        made_review, _ = reviews.create_review(meeting, ZoneInfo("Europe/London"))
        db.session.refresh(made_review)
        db.session.expunge(made_review)
    return made_review


def test_a_review_is_in_its_summary_with_how_the_last_plan_went(app, client, auth, live, review):
    auth.login()
    chair_socket = live(auth={"meeting": review.id})
    chair_socket.get_received()
    room = Room(app, live, review, chair_socket)
    family, professionals = phones(room, app)
    script = Script(app, room, family, professionals)
    record = script.record
    # Carried from the conference before: the plan as it stood, the family's own note with it.
    for words in (
        "The children get to school on time",
        "Nan walks Jay to school",
        "Kerry goes to the parenting course",
        "Mum keeps the school's number on the fridge",
    ):
        record.holds(words, script.everyone)
    record.holds("Between us: Nan will not tell Dad the new address", script.own_copies)
    record.holds("This meeting reviewed: Conference for the J. family", script.everyone)
    original_write_plan = script.write_plan

    def write_plan(stage):
        first = not script.plan_written
        original_write_plan(stage)
        if first:  # what the review decides for the plan
            terms = sync(script.kerry.phone.socket)["plan"]["terms"]
            why = record.holds("The family has kept to the plan, and the course starts in September")
            decided = {"revision": terms["revision"], "decision": "revise", "decision_why": why}
            assert ack(script.kerry.phone.socket, "save_terms", decided)["ok"]
            record.holds("Change the plan", script.everyone)

    script.write_plan = write_plan
    script.run()
    token = close(app, room)
    check(record, read_copies(app, client, room.meeting, token, [*family, *professionals]))


# Shuttle mediation: the parties' own copies

MUM = "Mum's own copy"
DAD = "Dad's own copy"


@pytest.mark.parametrize("format_key", ["shuttle_mediation"])
def test_a_shuttle_mediation_is_in_each_partys_copy_as_far_as_it_was_passed_on(app, client, room):
    """Mum and Dad, apart: each keeps words to themselves and passes others on (Mum's worry in the
    mediator's words she approved); the mediator words the agreement over two sessions, then
    brings them together, where they answer and write the plan in one room."""
    mum = Party(room.phone("Kerry"), "family", MUM)
    dad = Party(room.phone("Dan"), "family", DAD)
    priya = Party(room.phone("Priya", side="professional"), "professional", PROFESSIONAL_PHONE)
    flag(app, priya.phone.id, is_referrer=True)
    family_copies = {MUM, DAD, CHAIRS_FAMILY, SCREEN}
    script = Script(app, room, [mum, dad], [priya], family_copies=family_copies)
    record = script.record
    mediator = {PROFESSIONALS}

    def own_space(stage):
        secret = record.holds("I still cannot forgive what he said at Christmas", {MUM})
        keep(mum.phone.socket, secret, "feeling")
        proposal = record.holds("The children see their dad every Sunday", {MUM, DAD} | mediator)
        pass_on(mum.phone.socket, keep(mum.phone.socket, proposal, "proposal"), dad.phone.id)
        harsh = keep(mum.phone.socket, record.holds("He never turns up, he is useless", {MUM}), "worry")
        approved = record.holds("I worry when visits are missed", {MUM, DAD} | mediator)
        assert ack(room.chair, "suggest", {"item_id": harsh, "words": approved})["ok"]
        pass_on(mum.phone.socket, harsh, dad.phone.id, wording="suggested")
        keep(dad.phone.socket, record.holds("I lost my job in March and told nobody", {DAD}), "worry")
        thought = record.holds("I want to be there for the school play", {MUM, DAD} | mediator)
        pass_on(dad.phone.socket, keep(dad.phone.socket, thought, "thought"), "all")

        # The agreement's terms: in every copy.
        agreed_text = record.holds("Dad sees the children every Sunday from 10 to 4")
        open_text = record.holds("Handovers happen at Gran's house")
        agreed = ack(room.chair, "propose_term", {"client_id": "term-agreed-01", "text": agreed_text})
        open_term = ack(room.chair, "propose_term", {"client_id": "term-open-0001", "text": open_text})
        agreed, open_term = agreed["term_id"], open_term["term_id"]
        for party, term in ((mum, agreed), (dad, agreed), (mum, open_term)):
            accepted = {"term_id": term, "revision": 1, "accepted": True}
            assert ack(party.phone.socket, "answer_term", accepted)["ok"]
        change = record.holds("Only if Gran is there too", NOWHERE)
        asked = {"term_id": open_term, "revision": 1, "accepted": False, "change": change}
        assert ack(dad.phone.socket, "answer_term", asked)["ok"]

        next_on = (date.today() + timedelta(days=7)).isoformat()
        assert ack(room.chair, "end_session", {"next_on": next_on})["ok"]
        assert ack(room.chair, "start_session")["ok"]
        keep(mum.phone.socket, record.holds("Second session: I am tired of all this", {MUM}), "feeling")
        assert ack(room.chair, "meet_together")["ok"]
        room.drain()
        # The sessions held, in the professionals' copy; what Mum wrote in the second, in hers.
        record.holds("Session 2", {*CASE_RECORD, MUM})

    script.run(own_space=own_space)
    token = close(app, room)
    check(record, read_copies(app, client, room.meeting, token, [mum, dad, priya]))
