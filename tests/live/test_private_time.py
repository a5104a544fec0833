"""Private family time, adversarially: the professionals leave and the family makes its own plan.

While it is on, the chairs and every professional who may not stay receive nothing written in
it (events, acks, snapshots, reconnects, pages), and whatever they send that reads or changes
the meeting is refused with code `private_time` and changes nothing. The family's phones, the
room screen and the professionals chosen to stay keep working. When the family (or a chair)
ends it, the plan reaches everyone, except the notes kept within the family, which never reach
a professional, a chair or the screen afterwards.

Everything the family writes carries a marker string; the tests look for the markers in the
JSON of everything each client was sent.
"""

import json
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import HistoryEntry, Meeting, MeetingMember, Participant, PlanAction, PlanNote
from facilitator.models.types import MAX_ROW_ID
from facilitator.services import people
from facilitator.services.errors import ValidationError
from tests.conftest import AuthActions, csrf_token
from tests.live.conftest import ack, everything_stored, received, sync


def marker(kind, number):
    """A string found nowhere else: `S` ends up shared, `F` stays within the family,
    `R` is removed before private time ends."""
    return f"Pvt{kind}{number:02d}Zq"


SHARED = [marker("S", n) for n in range(1, 14)]
FAMILY_ONLY = [marker("F", n) for n in range(1, 6)]
REMOVED = [marker("R", n) for n in range(1, 3)]
WRITTEN = SHARED + FAMILY_ONLY + REMOVED
NEVER_SHARED = FAMILY_ONLY + REMOVED
FORGED = "PvtForgedByAProfessionalZq"


class Heard:
    """Everything one person's clients were sent: events, command acks, sync snapshots."""

    def __init__(self):
        self.items = []

    def events(self, socket):
        got = socket.get_received()
        self.items.extend(got)
        return got

    def ack(self, socket, command, payload=None):
        response = ack(socket, command, payload)
        self.items.append({"ack": command, "response": response})
        return response

    def sync(self, socket):
        response = self.ack(socket, "sync")
        assert response["ok"], response
        return response["snapshot"]

    def mark(self):
        """Where the record is now, to look only at what came later."""
        return len(self.items)

    def text(self, since=0):
        return json.dumps(self.items[since:], ensure_ascii=False)

    def found(self, markers, since=0):
        text = self.text(since)
        return [m for m in markers if m in text]

    def names(self, since=0):
        return {item["name"] for item in self.items[since:] if "name" in item}


def refused_as(response, code):
    return (
        response["ok"] is False and response["error"]["code"] == code and bool(response["error"]["message"])
    )


def state(app, meeting_id):
    """`everything_stored`, and what it leaves out that private time touches: notes, the
    history, whether private time is on, and who may stay."""
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        notes = db.session.scalars(
            select(PlanNote).where(PlanNote.meeting_id == meeting_id).order_by(PlanNote.id)
        )
        return json.dumps(
            {
                "stored": everything_stored(app, meeting_id),
                "private_since": str(meeting.private_since),
                "stay": [[p.id, p.may_stay_in_private_time] for p in meeting.participants],
                "notes": [[n.id, n.text, n.family_only, n.revision, n.edited_by] for n in notes],
                "history": history(app, meeting_id),
            }
        )


def history(app, meeting_id):
    with app.app_context():
        return [
            (entry.kind.value, entry.by)
            for entry in db.session.scalars(
                select(HistoryEntry).where(HistoryEntry.meeting_id == meeting_id).order_by(HistoryEntry.id)
            )
        ]


def in_private_time(app, meeting_id):
    with app.app_context():
        return db.session.get(Meeting, meeting_id).in_private_time


def texts(snapshot):
    """Every text of the plan and of what was said, in one string."""
    plan = snapshot["plan"]
    return json.dumps([plan, snapshot["contributions"]], ensure_ascii=False)


def note_texts(snapshot):
    return sorted(note["text"] for note in snapshot["plan"]["notes"])


def offered_action(app, offer_id):
    """The action an offer became as it was made."""
    with app.app_context():
        return db.session.scalar(select(PlanAction.id).where(PlanAction.offer_id == offer_id))


def stage_id_of(room, kind):
    return next(s["id"] for s in sync(room.chair)["meeting"]["stages"] if s["kind"] == kind)


def is_the_view(changed, snapshot):
    """A `private_time_changed` carried the view `sync` answers now, but for `you` and `can`
    (who the viewer is, which private time does not change)."""
    return changed.get("snapshot") == {key: value for key, value in snapshot.items() if key not in ("you", "can")}


def waiting_snapshot(snapshot, room):
    """What a shut-out client's sync says: that private time is on, and nothing else."""
    assert set(snapshot) <= {"version", "meeting", "you", "people", "can"}, snapshot
    assert ("you" in snapshot) != ("people" in snapshot), snapshot  # a phone's own card, or the lobby
    for person in snapshot.get("people", []):  # the chairs keep the lobby: who, not what was said
        assert set(person) == {
            "id", "name", "relation", "side", "flags", "admission", "waits_for_family", "presence"
        }
    assert set(snapshot["meeting"]) == {"id", "title", "private_time"}, snapshot
    assert snapshot["meeting"]["id"] == room.meeting.id
    assert snapshot["meeting"]["private_time"] is not None
    return True


@pytest.fixture
def scene(app, live, room):
    """Kerry and Nan (family), Ade (an advocate the family chose to stay), and three
    professionals who leave: Dan, Priya (whose phone drops and reconnects in the middle)
    and Liam (who never asks for anything). The family writes the whole plan in private
    time, every text with a marker; `heard` keeps everything each person was sent."""
    kerry, nan = room.phone("Kerry"), room.phone("Nan")
    ade = room.phone("Ade", side="professional")
    dan = room.phone("Dan", side="professional")
    priya = room.phone("Priya", side="professional")
    liam = room.phone("Liam", side="professional")
    screen = room.screen()
    offers = stage_id_of(room, "offers")
    room.go_to("private_time")
    mid = room.meeting.id

    # Before private time, in front of everyone.
    base_outcome = ack(kerry.socket, "add_outcome", {"client_id": "base-outcome-01", "text": "Kids safe"})
    dans_action = ack(
        dan.socket, "add_action", {"client_id": "base-dan-action1", "what": "Weekly visit", "who_text": "Dan"}
    )
    family_action = ack(
        kerry.socket,
        "add_action",
        {"client_id": "base-fam-action1", "what": "Nan cooks", "who_participant_id": nan.id},
    )
    base_note = ack(
        kerry.socket,
        "add_note",
        {"client_id": "base-note-00001", "text": "Bring photos", "family_only": False},
    )
    dans_offer = ack(
        dan.socket,
        "contribute",
        {"client_id": "base-dan-offer01", "text": "I can drive", "stage_id": offers},
    )
    for response in (base_outcome, dans_action, family_action, base_note, dans_offer):
        assert response["ok"], response
    room.drain()

    heard = {name: Heard() for name in ("chair", "screen", "kerry", "nan", "ade", "dan", "priya", "liam")}
    sockets = {
        "chair": [room.chair],
        "screen": [screen],
        "kerry": [kerry.socket],
        "nan": [nan.socket],
        "ade": [ade.socket],
        "dan": [dan.socket],
        "priya": [priya.socket],
        "liam": [liam.socket],
    }

    def listen():
        for name, connected in sockets.items():
            for socket in connected:
                if socket.is_connected():
                    heard[name].events(socket)

    started = heard["chair"].ack(room.chair, "start_private_time", {"stay": [ade.id]})
    assert started["ok"], started
    listen()
    for who, record in heard.items():
        (changed,) = [e["args"][0] for e in record.items if e.get("name") == "private_time_changed"]
        assert changed["version"] == started["version"] and set(changed["private_time"]) == {"since"}
        if who in ("kerry", "nan"):  # the family's view does not change: the news alone
            assert set(changed) == {"version", "private_time"}, who
        else:  # everyone else's does: the view they have now came with it, the waiting one or not
            assert is_the_view(changed, record.sync(sockets[who][0])), who

    def family(who, command, payload):
        """A family member (or Ade) writes; the ack is theirs to hear."""
        response = heard[who].ack({"kerry": kerry, "nan": nan, "ade": ade}[who].socket, command, payload)
        assert response["ok"], (command, response)
        return response

    s, f, r = SHARED, FAMILY_ONLY, REMOVED
    ids = SimpleNamespace(
        offers=offers,
        base_outcome=base_outcome["outcome_id"],
        dans_action=dans_action["action_id"],
        family_action=family_action["action_id"],
        base_note=base_note["note_id"],
        dans_offer=dans_offer["contribution_id"],
        dans_offered=offered_action(room.app, dans_offer["contribution_id"]),
    )
    ids.outcome = family("kerry", "add_outcome", {"client_id": "pvt-outcome-0001", "text": f"We {s[0]}"})[
        "outcome_id"
    ]
    family("nan", "edit_outcome", {"outcome_id": ids.base_outcome, "revision": 1, "text": f"Kids {s[1]}"})
    ids.action = family(
        "kerry",
        "add_action",
        {
            "client_id": "pvt-action-00001",
            "what": f"Do {s[2]}",
            "who_text": f"Uncle {s[3]}",
            "by_when": f"By {s[4]}",
            "how_we_know": f"Know {s[5]}",
            "outcome_id": ids.outcome,
        },
    )["action_id"]
    family(
        "nan",
        "edit_action",
        {"action_id": ids.family_action, "revision": 1, "what": f"Nan {s[6]}", "who_participant_id": nan.id},
    )
    family(
        "kerry",
        "edit_action",
        {"action_id": ids.dans_action, "revision": 1, "what": f"Dan {s[7]}", "who_text": "Dan"},
    )
    family("kerry", "accept_action", {"action_id": ids.dans_action, "revision": 2})
    ids.shared_note = family(
        "kerry", "add_note", {"client_id": "pvt-note-000001", "text": f"Note {s[8]}", "family_only": False}
    )["note_id"]

    # Priya's phone drops in the middle of private time and comes back.
    listen()
    priya.socket.disconnect()
    room.sockets.remove(priya.socket)

    ids.kept_note = family(
        "kerry", "add_note", {"client_id": "pvt-note-000002", "text": f"Ours {f[0]}", "family_only": True}
    )["note_id"]
    family(
        "nan",
        "edit_note",
        {"note_id": ids.kept_note, "revision": 1, "text": f"Ours {f[1]}", "family_only": True},
    )
    ids.made_private = family(
        "kerry", "add_note", {"client_id": "pvt-note-000003", "text": f"First {f[2]}", "family_only": False}
    )["note_id"]
    family(
        "kerry",
        "edit_note",
        {"note_id": ids.made_private, "revision": 1, "text": f"Then {f[3]}", "family_only": True},
    )
    ids.made_shared = family(
        "nan", "add_note", {"client_id": "pvt-note-000004", "text": f"Draft {f[4]}", "family_only": True}
    )["note_id"]
    family(
        "nan",
        "edit_note",
        {"note_id": ids.made_shared, "revision": 1, "text": f"Agreed {s[9]}", "family_only": False},
    )

    priya_again = live(http_client=priya.http, auth={"meeting": mid})
    assert priya_again.is_connected()
    sockets["priya"].append(priya_again)
    room.sockets.append(priya_again)
    priya.socket = priya_again
    listen()
    assert waiting_snapshot(heard["priya"].sync(priya_again), room)

    gone = family(
        "kerry", "add_note", {"client_id": "pvt-note-000005", "text": f"Oops {r[0]}", "family_only": False}
    )
    family("kerry", "remove_note", {"note_id": gone["note_id"], "revision": 1})
    ids.kerrys_offer = family(
        "kerry", "contribute", {"client_id": "pvt-kerry-offer1", "text": f"I {s[10]}", "stage_id": offers}
    )["contribution_id"]
    # Kerry's offer is in the plan as she makes it, offered; Nan accepts it for the family.
    ids.offer_action = offered_action(room.app, ids.kerrys_offer)
    family("nan", "accept_action", {"action_id": ids.offer_action, "revision": 1})
    family("ade", "contribute", {"client_id": "pvt-ade-offer001", "text": f"Ade {s[11]}", "stage_id": offers})
    ids.ades_action = family(
        "ade", "add_action", {"client_id": "pvt-ade-action01", "what": f"Advocate {s[12]}", "who_text": "Ade"}
    )["action_id"]
    dropped = family("kerry", "add_outcome", {"client_id": "pvt-outcome-0002", "text": f"Not {r[1]}"})
    family("kerry", "remove_outcome", {"outcome_id": dropped["outcome_id"], "revision": 1})
    listen()

    return SimpleNamespace(
        app=room.app,
        room=room,
        id=mid,
        kerry=kerry,
        nan=nan,
        ade=ade,
        dan=dan,
        priya=priya,
        liam=liam,
        screen=screen,
        heard=heard,
        sockets=sockets,
        listen=listen,
        ids=ids,
    )


SHUT_OUT = ("chair", "dan", "priya", "liam")


def forgeries(scene):
    """Every command that reads or changes the meeting, aimed at real items."""
    ids, kerry = scene.ids, scene.kerry
    return [
        ("add_outcome", {"client_id": "forged-outcome01", "text": FORGED}),
        ("add_outcome", {"client_id": "pvt-outcome-0001", "text": FORGED}),  # the family's own id
        ("edit_outcome", {"outcome_id": ids.outcome, "revision": 1, "text": FORGED}),
        ("edit_outcome", {"outcome_id": ids.base_outcome, "revision": 1, "text": FORGED}),
        ("remove_outcome", {"outcome_id": ids.outcome, "revision": 1}),
        ("remove_outcome", {"outcome_id": ids.base_outcome, "revision": 2}),
        ("add_action", {"client_id": "forged-action001", "what": FORGED, "who_text": "Dan"}),
        ("add_action", {"client_id": "pvt-action-00001", "what": FORGED, "who_text": "Dan"}),
        # Dan's own offer, in the plan since before private time: he may change it, but not now.
        ("edit_action", {"action_id": ids.dans_offered, "revision": 1, "what": FORGED, "who_text": "Dan"}),
        ("accept_action", {"action_id": ids.dans_offered, "revision": 1}),
        ("remove_action", {"action_id": ids.dans_offered, "revision": 1}),
        (
            "edit_action",
            {"action_id": ids.dans_action, "revision": 1, "what": FORGED, "who_text": "Dan"},
        ),
        ("edit_action", {"action_id": ids.action, "revision": 1, "what": FORGED, "who_text": "Dan"}),
        ("accept_action", {"action_id": ids.ades_action, "revision": 1}),
        ("remove_action", {"action_id": ids.dans_action, "revision": 3}),
        ("remove_action", {"action_id": ids.action, "revision": 1}),
        ("add_note", {"client_id": "forged-note00001", "text": FORGED, "family_only": False}),
        ("add_note", {"client_id": "pvt-note-000002", "text": FORGED, "family_only": False}),
        ("edit_note", {"note_id": ids.kept_note, "revision": 2, "text": FORGED, "family_only": False}),
        ("remove_note", {"note_id": ids.kept_note, "revision": 2}),
        ("contribute", {"client_id": "forged-answer001", "text": FORGED, "stage_id": ids.offers}),
        ("contribute", {"client_id": "pvt-kerry-offer1", "text": FORGED}),  # Kerry's resend
        ("score", {"value": 5}),
        (
            "record",
            {
                "participant_id": kerry.id,
                "client_id": "forged-record01",
                "text": FORGED,
                "stage_id": ids.offers,
            },
        ),
        ("round", {"display": "unnamed"}),
        ("round", {"talking_piece": True}),
        ("pass_turn", {}),
        ("pass_turn", {"participant_id": kerry.id}),
        ("go_to", {"position": 0}),
        ("timer", {"action": "start"}),
        ("timer", {"action": "add", "minutes": 5}),
        ("reveal", {}),
        ("start", {}),
        ("start_private_time", {"stay": []}),
    ]


# 1. Those shut out receive nothing, and can do nothing


def test_nothing_written_in_private_time_reaches_those_shut_out(app, live, scene):
    room, heard = scene.room, scene.heard
    before = state(app, scene.id)

    # Dan forges every command there is, and the chair tries the same from the console.
    for who, socket in (("dan", scene.dan.socket), ("chair", room.chair)):
        for command, payload in forgeries(scene):
            response = heard[who].ack(socket, command, payload)
            assert refused_as(response, "private_time"), (who, command, response)
            assert state(app, scene.id) == before, (who, command)
    for who, socket in (("dan", scene.dan.socket), ("priya", scene.priya.socket), ("chair", room.chair)):
        assert waiting_snapshot(heard[who].sync(socket), room)
        assert refused_as(heard[who].ack(socket, "sync", {"meeting": scene.id}), "invalid")

    # The chair opens a second tab in the middle of it, and Dan a second phone tab.
    chair_tab = live(auth={"meeting": scene.id})
    dan_tab = live(http_client=scene.dan.http, auth={"meeting": scene.id})
    assert chair_tab.is_connected() and dan_tab.is_connected()
    scene.sockets["chair"].append(chair_tab)
    scene.sockets["dan"].append(dan_tab)
    assert waiting_snapshot(heard["chair"].sync(chair_tab), room)
    assert waiting_snapshot(heard["dan"].sync(dan_tab), room)

    # The family keeps writing after all that.
    more = heard["kerry"].ack(
        scene.kerry.socket,
        "edit_note",
        {
            "note_id": scene.ids.kept_note,
            "revision": 2,
            "text": f"Ours {FAMILY_ONLY[1]}!",
            "family_only": True,
        },
    )
    assert more["ok"], more
    scene.listen()

    assert state(app, scene.id) != before  # the family's edit went through; nobody else's did
    for who in SHUT_OUT:
        assert heard[who].found(WRITTEN + [FORGED]) == [], who
    for who in ("dan", "priya", "liam"):
        assert heard[who].names() <= {"private_time_changed", "hello"}, who
    assert heard["chair"].names() <= {"private_time_changed", "people_changed", "presence_changed", "hello"}
    assert "presence_changed" in heard["chair"].names()  # Priya's phone coming and going
    for who in SHUT_OUT:
        assert "private_time_changed" in heard[who].names(), who

    # Nothing was forged into the family's plan, which everyone else received whole.
    for who in ("screen", "kerry", "nan", "ade"):
        assert heard[who].found(SHARED) == SHARED, who
        assert FORGED not in heard[who].text(), who
    with app.app_context():
        assert FORGED not in state(app, scene.id)


def test_what_those_shut_out_are_sent_when_it_starts_carries_nothing_else(app, room):
    kerry, dan = room.phone("Kerry"), room.phone("Dan", side="professional")
    room.go_to("plan")
    started = ack(room.chair, "start_private_time", {"stay": []})
    assert started["ok"], started
    assert set(started) == {"ok", "version"}
    sent = {socket: received(socket) for socket in (room.chair, dan.socket, kerry.socket)}
    for (changed,) in sent.values():
        assert changed["version"] == started["version"]
        assert list(changed["private_time"]) == ["since"] and type(changed["private_time"]["since"]) is int
    ((news,),) = [sent[kerry.socket]]
    assert news == {"version": started["version"], "private_time": news["private_time"]}
    ((changed,),) = [sent[room.chair]]
    assert set(changed) == {"version", "private_time", "snapshot"}
    assert waiting_snapshot(changed["snapshot"], room) and set(changed["snapshot"]) == {
        "version",
        "meeting",
        "people",
    }
    assert is_the_view(changed, sync(room.chair))
    ((changed,),) = [sent[dan.socket]]
    assert set(changed["snapshot"]) == {"version", "meeting"}  # nothing but the waiting page
    assert changed["snapshot"]["meeting"] == {
        "id": room.meeting.id,
        "title": "FGC for the J. family",
        "private_time": changed["private_time"],
    }
    chair = sync(room.chair)
    assert chair["meeting"] == {
        "id": room.meeting.id,
        "title": "FGC for the J. family",
        "private_time": chair["meeting"]["private_time"],
    }
    assert set(chair) == {"version", "meeting", "people", "can"}
    assert waiting_snapshot(chair, room)
    mine = sync(dan.socket)
    assert set(mine) == {"version", "meeting", "you", "can"} and mine["you"]["id"] == dan.id
    assert "plan" not in mine and "people" not in mine and "contributions" not in mine


def test_a_professional_let_in_during_private_time_is_shut_out_and_family_is_not(app, live, room):
    kerry = room.phone("Kerry")
    room.go_to("plan")
    assert ack(room.chair, "start_private_time", {"stay": []})["ok"]
    late_worker = room.phone("Jo", side="professional", admit=False)
    late_aunt = room.phone("Auntie Bea", side="family", admit=False)
    assert ack(room.chair, "admit", {"participant_id": late_worker.id})["ok"]
    assert [e["name"] for e in late_worker.socket.get_received()] == ["admitted"]
    assert "plan" not in sync(late_worker.socket)  # as the phone does when let in
    assert ack(room.chair, "admit", {"participant_id": late_aunt.id})["ok"]
    # Let in during private time, family too waits for the family to welcome them.
    assert [e["name"] for e in late_aunt.socket.get_received()] == ["admitted"]
    assert "plan" not in sync(late_aunt.socket)
    (seen,) = [p for p in received(kerry.socket, "people_changed")[-1]["people"] if p["id"] == late_aunt.id]
    assert seen["waits_for_family"] is True
    assert refused_as(ack(late_aunt.socket, "welcome", {"participant_id": late_aunt.id}), "private_time")
    welcomed = ack(kerry.socket, "welcome", {"participant_id": late_aunt.id})
    assert welcomed["ok"], welcomed
    assert [e["name"] for e in late_aunt.socket.get_received()] == ["identity_changed", "people_changed"]
    assert "plan" in sync(late_aunt.socket)
    assert late_worker.socket.get_received() == []  # not even who came in
    room.drain()

    written = ack(kerry.socket, "add_outcome", {"client_id": "late-outcome-001", "text": SHARED[0]})
    assert written["ok"], written

    assert received(late_worker.socket) == []
    assert SHARED[0] not in json.dumps(sync(late_worker.socket))
    assert refused_as(
        ack(
            late_worker.socket,
            "add_action",
            {"client_id": "jo-action-00001", "what": FORGED, "who_text": "Jo"},
        ),
        "private_time",
    )
    (saved,) = received(late_aunt.socket, "outcome_saved")
    assert saved["outcome"]["text"] == SHARED[0]
    assert SHARED[0] in texts(sync(late_aunt.socket))


def test_a_professional_chosen_before_the_meeting_but_not_when_it_starts_does_not_stay(app, live, room):
    """The people page can mark someone "may stay" in advance; who stays is decided when
    private time starts. Someone marked but not chosen, who arrives during it by their
    personal link (let in at once), is shut out like the others."""
    kerry = room.phone("Kerry")
    with app.test_request_context():
        meeting = db.session.get(Meeting, room.meeting.id)
        details = people.PersonDetails(
            "Ola", "Interpreter", "professional", frozenset({"may_stay_in_private_time"})
        )
        ola_id = people.add_person(meeting, details).id
        _, token = people.issue_invite(meeting, ola_id)
    room.go_to("plan")
    assert ack(room.chair, "start_private_time", {"stay": []})["ok"]

    phone = app.test_client()
    page = phone.get(f"/join/invite/{token}").get_data(as_text=True)
    assert phone.post(f"/join/invite/{token}", data={"csrf_token": csrf_token(page)}).status_code == 302
    ola = live(http_client=phone, auth={"meeting": room.meeting.id})
    assert ola.is_connected()
    assert [e["name"] for e in ola.get_received()] == ["hello"]
    written = ack(
        kerry.socket, "add_note", {"client_id": "ola-note-000001", "text": SHARED[0], "family_only": False}
    )
    assert written["ok"], written

    assert received(ola) == []
    snapshot = sync(ola)
    assert "plan" not in snapshot and SHARED[0] not in json.dumps(snapshot)
    assert refused_as(
        ack(ola, "contribute", {"client_id": "ola-answer-0001", "text": FORGED}), "private_time"
    )


# 2. Those who stay, and the room screen, receive everything


def test_the_professional_who_stays_and_the_screen_receive_everything(app, scene):
    heard = scene.heard
    for who in ("ade", "screen", "kerry", "nan"):
        assert heard[who].found(WRITTEN) == WRITTEN, who  # family-only and removed ones included

    current_notes = sorted(
        [
            "Bring photos",
            f"Note {SHARED[8]}",
            f"Ours {FAMILY_ONLY[1]}",
            f"Then {FAMILY_ONLY[3]}",
            f"Agreed {SHARED[9]}",
        ]
    )
    for who, socket in (("ade", scene.ade.socket), ("screen", scene.screen), ("kerry", scene.kerry.socket)):
        snapshot = heard[who].sync(socket)
        assert snapshot["meeting"]["private_time"] is not None
        assert note_texts(snapshot) == current_notes, who
        assert [m for m in SHARED if m in texts(snapshot)] == SHARED, who
        assert [m for m in REMOVED if m in texts(snapshot)] == [], who

    # Each family-only note reached them as a note, with its text.
    for who in ("ade", "screen"):
        saved = [e["args"][0]["note"] for e in heard[who].items if e.get("name") == "note_saved"]
        kept = [n for n in saved if n["family_only"]]
        assert {n["text"] for n in kept} >= {f"Ours {FAMILY_ONLY[0]}", f"Ours {FAMILY_ONLY[1]}"}, who


def test_the_professional_who_stays_still_only_proposes(app, scene):
    ade, heard = scene.ade, scene.heard
    before = state(app, scene.id)
    attempts = [
        ("add_outcome", {"client_id": "ade-outcome-0001", "text": FORGED}),
        ("edit_outcome", {"outcome_id": scene.ids.outcome, "revision": 1, "text": FORGED}),
        ("add_note", {"client_id": "ade-note-000001", "text": FORGED, "family_only": False}),
        ("edit_note", {"note_id": scene.ids.kept_note, "revision": 2, "text": FORGED, "family_only": False}),
        ("accept_action", {"action_id": scene.ids.ades_action, "revision": 1}),
        ("end_private_time", {}),
        ("start_private_time", {"stay": []}),
    ]
    for command, payload in attempts:
        assert refused_as(heard["ade"].ack(ade.socket, command, payload), "forbidden"), command
    assert state(app, scene.id) == before


# 3. Inviting everyone back


def assert_everyone_sees_the_shared_plan(scene, since):
    """After private time: the shared plan reaches every socket on sync, but the notes kept
    within the family reach only the family's phones."""
    heard = scene.heard
    for who in ("chair", "dan", "priya", "liam", "ade", "screen"):
        for socket in scene.sockets[who]:
            if not socket.is_connected():
                continue
            snapshot = heard[who].sync(socket)
            assert snapshot["meeting"]["private_time"] is None
            assert [m for m in SHARED if m in texts(snapshot)] == SHARED, who
            assert note_texts(snapshot) == sorted(
                ["Bring photos", f"Note {SHARED[8]}", f"Agreed {SHARED[9]}"]
            )
            assert all(not note["family_only"] for note in snapshot["plan"]["notes"])
    for who in ("kerry", "nan"):
        snapshot = heard[who].sync(scene.sockets[who][0])
        assert f"Ours {FAMILY_ONLY[1]}" in note_texts(snapshot) and f"Then {FAMILY_ONLY[3]}" in note_texts(
            snapshot
        )

    # The family keeps writing notes within the family after it: only the family hears them.
    kept = heard["kerry"].ack(
        scene.kerry.socket,
        "edit_note",
        {
            "note_id": scene.ids.kept_note,
            "revision": 2,
            "text": f"Still {FAMILY_ONLY[0]}",
            "family_only": True,
        },
    )
    assert kept["ok"], kept
    scene.listen()
    for who in ("chair", "dan", "priya", "liam", "ade", "screen"):
        assert heard[who].found(NEVER_SHARED, since=since[who]) == [], who
        removed = [e["args"][0] for e in heard[who].items[since[who] :] if e.get("name") == "note_removed"]
        assert {"version": kept["version"], "id": scene.ids.kept_note} in removed, who
    for who in ("kerry", "nan"):
        saved = [e["args"][0]["note"]["text"] for e in heard[who].items if e.get("name") == "note_saved"]
        assert f"Still {FAMILY_ONLY[0]}" in saved, who


@pytest.mark.parametrize("ender", ["kerry", "chair"])
def test_when_private_time_ends_everyone_sees_the_plan_but_not_the_familys_notes(app, scene, ender):
    heard = scene.heard
    for who in SHUT_OUT:
        assert heard[who].found(WRITTEN) == [], who
    since = {who: heard[who].mark() for who in heard}
    ending = {"kerry": scene.kerry.socket, "chair": scene.room.chair}[ender]

    ended = heard[ender].ack(ending, "end_private_time", {})

    assert ended["ok"], ended
    assert set(ended) == {"ok", "version"}
    assert not in_private_time(app, scene.id)
    scene.listen()
    for who in heard:
        (changed,) = [
            e["args"][0] for e in heard[who].items[since[who] :] if e.get("name") == "private_time_changed"
        ]
        assert changed["version"] == ended["version"] and changed["private_time"] is None, who
        if who in ("kerry", "nan"):
            assert set(changed) == {"version", "private_time"}, who
        else:  # their view of the meeting is back, whole, with the news
            assert is_the_view(changed, heard[who].sync(scene.sockets[who][-1])), who
            assert changed["snapshot"]["meeting"]["stages"], who
    name = {"kerry": "Kerry", "chair": "Sam Patel"}[ender]
    assert history(app, scene.id) == [("private_time_started", "Sam Patel"), ("private_time_ended", name)]
    assert_everyone_sees_the_shared_plan(scene, since)


def test_after_it_ends_everyone_hears_the_meeting_again_without_asking(app, scene):
    """Nobody syncs: the view comes with the news, and every socket is still in its rooms,
    Priya's too, though she reconnected while she was shut out."""
    heard = scene.heard
    ended = heard["kerry"].ack(scene.kerry.socket, "end_private_time", {})
    assert ended["ok"], ended
    scene.listen()
    since = {who: heard[who].mark() for who in heard}

    after = heard["kerry"].ack(
        scene.kerry.socket, "add_outcome", {"client_id": "after-outcome-01", "text": "Back"}
    )
    assert after["ok"], after
    assert after["version"] == ended["version"] + 1
    scene.listen()
    for who in heard:
        saved = [e["args"][0] for e in heard[who].items[since[who] :] if e.get("name") == "outcome_saved"]
        assert [(e["version"], e["outcome"]["text"]) for e in saved] == [(after["version"], "Back")], who


def test_only_the_family_or_the_chair_can_end_it(app, scene):
    heard = scene.heard
    cousin = scene.room.phone("Cousin Tam", side="family", admit=False)  # still in the lobby
    before = state(app, scene.id)
    for who in ("dan", "priya", "liam", "ade"):
        response = heard[who].ack(scene.sockets[who][-1], "end_private_time", {})
        # Shut out, they are refused before anything is asked; staying, they may not end it.
        assert refused_as(response, "forbidden") or refused_as(response, "private_time"), (who, response)
    assert refused_as(heard["screen"].ack(scene.screen, "end_private_time", {}), "forbidden")
    assert refused_as(ack(cousin.socket, "end_private_time", {}), "private_time")  # in the lobby: shut out
    assert cousin.socket.get_received() == []
    assert refused_as(heard["kerry"].ack(scene.kerry.socket, "end_private_time", {"now": True}), "invalid")
    assert state(app, scene.id) == before and in_private_time(app, scene.id)
    scene.listen()
    for who in SHUT_OUT:
        assert heard[who].found(WRITTEN) == [], who


def test_a_minute_taker_cannot_end_it_and_sees_nothing(app, live, scene, other_chair):
    with app.app_context():
        db.session.add(MeetingMember(meeting_id=scene.id, chair_id=other_chair.id, role="minute_taker"))
        db.session.commit()
    laptop = app.test_client()
    AuthActions(laptop).login(email=other_chair.email, password="another long password")
    minutes = live(http_client=laptop, auth={"meeting": scene.id})
    assert minutes.is_connected()
    heard = Heard()
    before = state(app, scene.id)

    assert refused_as(heard.ack(minutes, "end_private_time", {}), "forbidden")
    assert refused_as(
        heard.ack(minutes, "add_outcome", {"client_id": "mins-outcome-01", "text": FORGED}), "private_time"
    )
    assert waiting_snapshot(heard.sync(minutes), scene.room)
    assert state(app, scene.id) == before
    heard.events(minutes)
    assert heard.found(WRITTEN + [FORGED]) == []


# 4. An edit under way when private time starts


def test_an_edit_sent_after_private_time_starts_is_refused_whole(app, room):
    kerry, dan = room.phone("Kerry"), room.phone("Dan", side="professional")
    room.go_to("plan")
    proposed = ack(
        dan.socket, "add_action", {"client_id": "dan-action-00001", "what": "Visit", "who_text": "Dan"}
    )
    outcome = ack(kerry.socket, "add_outcome", {"client_id": "kerry-outcome-01", "text": "Kids safe"})
    assert proposed["ok"] and outcome["ok"]
    # Dan and the chair open their edits from what they see now.
    dans_view = sync(dan.socket)["plan"]["actions"][0]
    chairs_view = sync(room.chair)["plan"]["outcomes"][0]
    assert ack(room.chair, "start_private_time", {"stay": []})["ok"]
    before = state(app, room.meeting.id)
    room.drain()

    change = {
        "action_id": dans_view["id"],
        "revision": dans_view["revision"],
        "what": f"Visit {FORGED}",
        "who_text": "Dan",
        "by_when": "Friday",
        "how_we_know": "Notes",
    }
    assert refused_as(ack(dan.socket, "edit_action", change), "private_time")
    assert refused_as(
        ack(dan.socket, "remove_action", {"action_id": dans_view["id"], "revision": 1}), "private_time"
    )
    assert refused_as(
        ack(room.chair, "edit_outcome", {"outcome_id": chairs_view["id"], "revision": 1, "text": FORGED}),
        "private_time",
    )
    assert state(app, room.meeting.id) == before
    for socket in room.sockets:
        assert received(socket) == []

    # Once everyone is back the same edit applies, from the same revision: nothing was half done.
    assert ack(kerry.socket, "end_private_time", {})["ok"]
    edited = ack(dan.socket, "edit_action", change)
    assert edited["ok"] and edited["revision"] == 2, edited


# 5. Starting and ending: the history, and what is refused


def test_start_and_end_are_recorded_and_cannot_be_repeated(app, room):
    kerry, dan = room.phone("Kerry"), room.phone("Dan", side="professional")
    room.go_to("plan")

    assert refused_as(ack(kerry.socket, "end_private_time", {}), "invalid")
    assert refused_as(ack(room.chair, "end_private_time", {}), "invalid")
    assert refused_as(ack(dan.socket, "end_private_time", {}), "forbidden")
    assert history(app, room.meeting.id) == []

    assert ack(room.chair, "start_private_time", {"stay": [dan.id]})["ok"]
    before = state(app, room.meeting.id)
    assert refused_as(ack(room.chair, "start_private_time", {"stay": []}), "private_time")
    assert refused_as(ack(kerry.socket, "start_private_time", {"stay": []}), "forbidden")
    assert refused_as(ack(dan.socket, "start_private_time", {"stay": []}), "forbidden")
    assert state(app, room.meeting.id) == before
    assert ack(kerry.socket, "end_private_time", {})["ok"]
    assert refused_as(ack(kerry.socket, "end_private_time", {}), "invalid")
    assert refused_as(ack(room.chair, "end_private_time", {}), "invalid")

    assert ack(room.chair, "start_private_time", {})["ok"]  # nobody stays
    assert refused_as(
        ack(dan.socket, "add_outcome", {"client_id": "dan-outcome-0001", "text": "x"}), "private_time"
    )
    assert ack(room.chair, "end_private_time", {})["ok"]

    assert history(app, room.meeting.id) == [
        ("private_time_started", "Sam Patel"),
        ("private_time_ended", "Kerry"),
        ("private_time_started", "Sam Patel"),
        ("private_time_ended", "Sam Patel"),
    ]
    with app.app_context():
        entries = db.session.scalars(select(HistoryEntry).order_by(HistoryEntry.id)).all()
        assert all(entry.at is not None for entry in entries)
        assert [entry.at for entry in entries] == sorted(entry.at for entry in entries)


def test_private_time_needs_a_live_meeting(app, room):
    room.phone("Kerry")
    before = state(app, room.meeting.id)
    assert refused_as(ack(room.chair, "start_private_time", {"stay": []}), "invalid")
    assert state(app, room.meeting.id) == before


def test_who_stays_is_checked_and_a_bad_choice_changes_nothing(app, room, make_meeting, other_chair):
    kerry = room.phone("Kerry")
    dan = room.phone("Dan", side="professional")
    waiting = room.phone("Sue", side="professional", admit=False)
    listed = room.listed("Mo", side="professional")
    elsewhere = make_meeting("Another meeting", owner_id=other_chair.id)
    with app.test_request_context():
        stranger = people.add_person(
            db.session.get(Meeting, elsewhere.id), people.PersonDetails("Pat", "", "professional")
        ).id
    room.go_to("plan")
    before = state(app, room.meeting.id)

    for stay in (
        [kerry.id],  # family always stay; they are not "chosen"
        [dan.id, kerry.id],
        [waiting.id],  # still in the lobby
        [listed],  # not here
        [stranger],  # another meeting's
        [MAX_ROW_ID + 1],
        [2**63],
        [10**40],
        [-dan.id],
        [0],
        [True],
        [float(dan.id)],
        [str(dan.id)],
        [[dan.id]],
        [{"id": dan.id}],
        [None],
        dan.id,
        str(dan.id),
        {"id": dan.id},
        {str(dan.id): True},
        None,
        True,
    ):
        response = ack(room.chair, "start_private_time", {"stay": stay})
        assert refused_as(response, "invalid"), (stay, response)
        assert state(app, room.meeting.id) == before, stay
    assert refused_as(ack(room.chair, "start_private_time", {"stay": [], "family": [kerry.id]}), "invalid")
    assert refused_as(ack(room.chair, "start_private_time", [dan.id]), "invalid")
    assert state(app, room.meeting.id) == before
    for socket in room.sockets:
        assert received(socket, "private_time_changed") == []

    assert ack(room.chair, "start_private_time", {"stay": [dan.id, dan.id]})["ok"]
    with app.app_context():
        assert db.session.get(Participant, dan.id).may_stay_in_private_time


def test_only_chairs_who_run_the_meeting_start_it(app, live, room, other_chair):
    kerry, dan = room.phone("Kerry"), room.phone("Dan", side="professional")
    screen = room.screen()
    room.go_to("plan")
    with app.app_context():
        db.session.add(
            MeetingMember(meeting_id=room.meeting.id, chair_id=other_chair.id, role="minute_taker")
        )
        db.session.commit()
    laptop = app.test_client()
    AuthActions(laptop).login(email=other_chair.email, password="another long password")
    minutes = live(http_client=laptop, auth={"meeting": room.meeting.id})
    before = state(app, room.meeting.id)

    for socket in (minutes, kerry.socket, dan.socket, screen):
        assert refused_as(ack(socket, "start_private_time", {"stay": []}), "forbidden")
    assert state(app, room.meeting.id) == before

    with app.app_context():
        member = db.session.scalar(select(MeetingMember).where(MeetingMember.chair_id == other_chair.id))
        member.role = "co_chair"
        db.session.commit()
    assert ack(minutes, "start_private_time", {"stay": []})["ok"]
    assert history(app, room.meeting.id) == [("private_time_started", "Alex Jones")]


# 6. A note kept within the family after being shared


def test_a_note_kept_within_the_family_is_taken_back_from_the_others(app, room):
    kerry, nan = room.phone("Kerry"), room.phone("Nan")
    dan = room.phone("Dan", side="professional")
    screen = room.screen()
    room.go_to("plan")
    added = ack(
        kerry.socket,
        "add_note",
        {"client_id": "kerry-note-0001", "text": "Shared at first", "family_only": False},
    )
    assert added["ok"], added
    for socket in (room.chair, screen, dan.socket, kerry.socket, nan.socket):
        (saved,) = received(socket, "note_saved")
        assert saved["note"]["text"] == "Shared at first"

    kept = ack(
        kerry.socket,
        "edit_note",
        {"note_id": added["note_id"], "revision": 1, "text": f"Now {FAMILY_ONLY[0]}", "family_only": True},
    )

    assert kept["ok"], kept
    for socket in (room.chair, screen, dan.socket):
        events = socket.get_received()
        assert [(e["name"], e["args"][0]) for e in events] == [
            ("note_removed", {"version": kept["version"], "id": added["note_id"]})
        ]
    for socket in (kerry.socket, nan.socket):
        events = socket.get_received()
        assert [e["name"] for e in events] == ["note_saved"]
        assert events[0]["args"][0]["note"]["text"] == f"Now {FAMILY_ONLY[0]}"
        assert events[0]["args"][0]["note"]["family_only"] is True
    for socket in (room.chair, screen, dan.socket):
        assert sync(socket)["plan"]["notes"] == []
    assert note_texts(sync(nan.socket)) == [f"Now {FAMILY_ONLY[0]}"]


# Pages: nothing of private time over HTTP either


def test_no_page_shows_what_is_written_in_private_time(app, client, post, scene):
    heard, mid = scene.heard, scene.id
    assert in_private_time(app, mid)
    with app.app_context():
        meeting = db.session.get(Meeting, mid)
        code = meeting.join_code
        stage_ids = [stage.id for stage in meeting.stages]
        person_ids = [person.id for person in meeting.participants]
    chair_pages = [
        "/meetings/",
        f"/meetings/{mid}",
        f"/meetings/{mid}/details",
        f"/meetings/{mid}/agenda/",
        *(f"/meetings/{mid}/agenda/{stage_id}" for stage_id in stage_ids),
        f"/meetings/{mid}/people/",
        *(f"/meetings/{mid}/people/{person_id}" for person_id in person_ids),
        f"/meetings/{mid}/sharing/",
        f"/meetings/{mid}/delete",
    ]
    phone_pages = [f"/join/{code}", f"/join/{code}/state", "/join/"]

    for path in chair_pages:
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert [m for m in WRITTEN if m in page] == [], path
    for phone in (scene.dan, scene.priya, scene.liam):
        for path in phone_pages:
            response = phone.http.get(path)
            assert response.status_code == 200, path
            page = response.get_data(as_text=True)
            assert [m for m in WRITTEN if m in page] == [], path
    # The waiting page, for those shut out; the family and those who stay keep the meeting.
    for phone in (scene.dan, scene.priya, scene.liam):
        for path in (f"/join/{code}", f"/join/{code}/state"):
            assert "data-private-wait" in phone.http.get(path).get_data(as_text=True), path
    assert "data-private-wait" in client.get(f"/meetings/{mid}").get_data(as_text=True)
    for phone in (scene.kerry, scene.ade):
        for path in (f"/join/{code}", f"/join/{code}/state"):
            response = phone.http.get(path)
            assert response.status_code == 200 and "data-private-wait" not in response.get_data(as_text=True)

    # A copy of the meeting made now takes nothing said in it.
    copied = post(f"/meetings/{mid}/duplicate")
    assert copied.status_code == 302, copied.status_code
    with app.app_context():
        copy_id = db.session.scalar(select(Meeting.id).where(Meeting.id != mid).order_by(Meeting.id.desc()))
    for path in (f"/meetings/{copy_id}", f"/meetings/{copy_id}/people/", f"/meetings/{copy_id}/agenda/"):
        page = client.get(path).get_data(as_text=True)
        assert [m for m in WRITTEN if m in page] == [], path
    scene.listen()
    for who in SHUT_OUT:
        assert heard[who].found(WRITTEN) == [], who


def test_nobody_is_added_to_who_stays_once_private_time_has_started(app, client, room):
    """Who stays is chosen when it starts: not by changing a side or a flag while it is on."""
    room.phone("Kerry")
    dan = room.phone("Dan", side="professional")
    sue = room.phone("Sue", side="professional", admit=False)
    room.go_to("plan")
    assert ack(room.chair, "start_private_time", {"stay": []})["ok"]
    before = state(app, room.meeting.id)

    with app.test_request_context():
        meeting = db.session.get(Meeting, room.meeting.id)
        for details in (
            people.PersonDetails("Dan", "", "professional", frozenset({"may_stay_in_private_time"})),
            people.PersonDetails("Dan", "", "family"),
        ):
            with pytest.raises(ValidationError):
                people.update_person(meeting, dan.id, details)
        db.session.rollback()

    assert state(app, room.meeting.id) == before
    assert ack(room.chair, "admit", {"participant_id": sue.id})["ok"]  # let in as she is: shut out
    snapshot = sync(sue.socket)
    assert "plan" not in snapshot and snapshot["meeting"]["private_time"] is not None
