"""The lobby, live: phones wait, the chair lets them in or not, and nobody waiting sees the meeting."""

import pytest
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import Admission, Meeting, MeetingMember, Participant
from tests.conftest import AuthActions
from tests.live.conftest import heard
from tests.web.test_joining import join


def received(socket, name=None):
    return [(e["name"], e["args"][0] if e["args"] else None) for e in heard(socket) if name in (None, e["name"])]


@pytest.fixture
def meeting(make_meeting):
    return make_meeting("FGC for the P. family", purpose="A plan for P.", venue="Family Centre")


@pytest.fixture
def chair_socket(auth, live, meeting):
    auth.login()
    socket = live(auth={"meeting": meeting.id})
    assert socket.is_connected()
    socket.get_received()
    return socket


@pytest.fixture
def waiting(app, live, meeting):
    """Kerry's phone, joined and waiting in the lobby, connected live."""
    phone = app.test_client()
    join(phone, meeting, name="Kerry", relation="Mum")
    socket = live(http_client=phone, auth={"meeting": meeting.id})
    assert socket.is_connected()
    socket.get_received()
    with app.app_context():
        person_id = db.session.scalar(select(Participant.id).where(Participant.name == "Kerry"))
    return phone, socket, person_id


def state_of(app, person_id):
    with app.app_context():
        person = db.session.get(Participant, person_id)
        return person.admission, person.side.value, person.is_interpreter


def test_the_chair_sees_the_lobby_in_the_snapshot(chair_socket, waiting):
    _, _, person_id = waiting
    ack = chair_socket.emit("sync", {}, callback=True)
    assert ack["ok"]
    (kerry,) = ack["snapshot"]["people"]
    assert (kerry["id"], kerry["name"], kerry["admission"]) == (person_id, "Kerry", "lobby")


def test_a_phone_in_the_lobby_gets_nothing_of_the_meeting(app, chair_socket, waiting, live, meeting):
    phone, socket, _ = waiting
    snapshot = socket.emit("sync", {}, callback=True)["snapshot"]
    assert snapshot["you"]["admission"] == "lobby"
    assert "people" not in snapshot and "plan" not in snapshot
    # Only whether the meeting is still on: a page that connects after it closed says so.
    assert snapshot["meeting"] == {"id": meeting.id, "status": "scheduled"}
    other = app.test_client()
    join(other, meeting, name="Dan", side="professional")  # more people join...
    assert received(socket) == []  # ...and the waiting phone hears nothing of it
    announced = [args for name, args in received(chair_socket) if name == "people_changed"]
    assert [p["name"] for p in announced[-1]["people"]] == ["Kerry", "Dan"]  # while the chair sees them arrive


def test_admitting_moves_the_phone_into_the_meeting(app, chair_socket, waiting):
    phone, socket, person_id = waiting
    ack = chair_socket.emit("admit", {"participant_id": person_id}, callback=True)
    assert ack["ok"]
    heard = received(socket)
    assert heard[0] == ("admitted", {"version": ack["version"]})
    # Let in, the phone now hears who is in the meeting: the people let in, nobody from the lobby.
    assert [(name, [p["admission"] for p in args["people"]]) for name, args in heard[1:]] == [
        ("people_changed", ["admitted"])
    ]
    people_changed = [args for name, args in received(chair_socket) if name == "people_changed"][-1]
    assert people_changed["version"] == ack["version"]
    assert people_changed["people"][0]["admission"] == "admitted"
    snapshot = socket.emit("sync", {}, callback=True)["snapshot"]
    assert snapshot["meeting"]["title"] == "FGC for the P. family"
    assert state_of(app, person_id) == (Admission.ADMITTED, "family", False)


def test_a_lobby_correction_is_stored_when_made_and_is_what_admission_lets_in(
    app, chair_socket, waiting, live, meeting
):
    _, _, person_id = waiting
    ack = chair_socket.emit(
        "correct", {"participant_id": person_id, "side": "professional", "flags": ["is_interpreter"]}, callback=True
    )
    assert ack["ok"]
    assert state_of(app, person_id) == (Admission.LOBBY, "professional", True)
    corrected = [args for name, args in received(chair_socket) if name == "people_changed"][-1]
    assert corrected["version"] == ack["version"]
    assert [(p["side"], p["flags"]) for p in corrected["people"]] == [("professional", ["is_interpreter"])]
    # Another chair's console opened now shows the correction; a late joiner changes nothing of it.
    join(app.test_client(), meeting, name="Dan", side="professional")
    assert chair_socket.emit("admit", {"participant_id": person_id}, callback=True)["ok"]
    assert state_of(app, person_id) == (Admission.ADMITTED, "professional", True)


def test_admission_no_longer_takes_a_side_or_flags_of_its_own(app, chair_socket, waiting):
    _, _, person_id = waiting
    refused = chair_socket.emit("admit", {"participant_id": person_id, "side": "professional"}, callback=True)
    assert refused["ok"] is False and refused["error"]["code"] == "invalid"
    assert state_of(app, person_id) == (Admission.LOBBY, "family", False)


def test_declining_tells_the_phone_and_shuts_it_out(app, chair_socket, waiting, live, meeting):
    phone, socket, person_id = waiting
    assert chair_socket.emit("decline", {"participant_id": person_id}, callback=True)["ok"]
    assert [name for name, _ in received(socket)] == ["declined"]
    assert not socket.is_connected()  # told, then disconnected by the server
    assert "has not let you in" in phone.get(f"/join/{meeting.join_code}/state").get_data(as_text=True)
    assert not live(http_client=phone, auth={"meeting": meeting.id}).is_connected()


def test_admit_all_lets_in_everyone_waiting(app, chair_socket, waiting, meeting):
    _, socket, _ = waiting
    join(app.test_client(), meeting, name="Grandad")
    assert chair_socket.emit("admit_all", {}, callback=True)["ok"]
    assert [name for name, _ in received(socket)] == ["admitted", "people_changed"]
    with app.app_context():
        assert {p.admission for p in db.session.scalars(select(Participant))} == {Admission.ADMITTED}


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "1",
        [1],
        {},
        {"participant_id": "1"},
        {"participant_id": True},
        {"participant_id": 999999},
        {"participant_id": "KERRY", "room": "meeting:1:family"},
        {"participant_id": "KERRY", "side": "chair"},
        {"participant_id": "KERRY", "side": 5},
        {"participant_id": "KERRY", "flags": "is_child"},
        {"participant_id": "KERRY", "flags": ["is_owner"]},
        {"participant_id": "KERRY", "side": "professional", "flags": ["is_child"]},
    ],
)
def test_malformed_admissions_are_refused_and_change_nothing(app, chair_socket, waiting, payload):
    _, socket, person_id = waiting
    if isinstance(payload, dict) and payload.get("participant_id") == "KERRY":
        payload = {**payload, "participant_id": person_id}
    ack = chair_socket.emit("admit", payload, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid" and ack["error"]["message"]
    assert state_of(app, person_id) == (Admission.LOBBY, "family", False)
    assert received(socket) == []
    assert chair_socket.is_connected()


def test_a_phone_cannot_admit_anyone(app, waiting, meeting, live):
    _, socket, person_id = waiting
    other = app.test_client()
    join(other, meeting, name="Grandad")
    for command, payload in (
        ("admit", {"participant_id": person_id}),
        ("admit_all", {}),
        ("decline", {"participant_id": person_id}),
    ):
        ack = socket.emit(command, payload, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    assert state_of(app, person_id)[0] is Admission.LOBBY


def test_a_minute_taker_follows_but_cannot_admit(app, live, waiting, meeting, other_chair):
    _, _, person_id = waiting
    with app.app_context():
        db.session.add(MeetingMember(meeting_id=meeting.id, chair_id=other_chair.id, role="minute_taker"))
        db.session.commit()
    laptop = app.test_client()
    AuthActions(laptop).login(email=other_chair.email, password="another long password")
    socket = live(http_client=laptop, auth={"meeting": meeting.id})
    assert socket.is_connected()
    assert socket.emit("admit", {"participant_id": person_id}, callback=True)["error"]["code"] == "forbidden"


def test_a_chair_cannot_follow_another_chairs_meeting(app, live, make_meeting, other_chair, auth):
    theirs = make_meeting("Meeting for the Q. family", owner_id=other_chair.id)
    auth.login()
    assert not live(auth={"meeting": theirs.id}).is_connected()


@pytest.mark.parametrize(
    "auth", [{"meeting": 999999}, {"meeting": "1"}, {"meeting": True}, {"meeting": [1]}, "x"]
)
def test_strangers_and_odd_handshakes_are_refused(live, meeting, auth):
    assert not live(auth=auth).is_connected()


def test_a_forged_device_token_cannot_connect(app, live, meeting):
    forged = app.test_client()
    forged.set_cookie("facilitator_device", "a-token-nobody-was-given-at-all")
    assert not live(http_client=forged, auth={"meeting": meeting.id}).is_connected()


def test_a_phone_of_another_meeting_cannot_follow_this_one(app, live, meeting, make_meeting):
    phone = app.test_client()
    join(phone, make_meeting("FGC for the R. family"), name="Rae")
    assert not live(http_client=phone, auth={"meeting": meeting.id}).is_connected()


def test_a_person_of_another_meeting_cannot_be_admitted_here(app, chair_socket, meeting, make_meeting):
    other = make_meeting("FGC for the S. family")
    join(app.test_client(), other, name="Sol")
    with app.app_context():
        sol = db.session.scalar(select(Participant).where(Participant.name == "Sol"))
        sol_id = sol.id
    ack = chair_socket.emit("admit", {"participant_id": sol_id}, callback=True)
    assert ack["ok"] is False
    with app.app_context():
        assert db.session.get(Participant, sol_id).admission is Admission.LOBBY
        assert db.session.get(Meeting, meeting.id).participants == []
