"""A live meeting in a room, shared by the rounds and plan tests: the chair's laptop,
the room screen, phones let in, and people listed without a phone."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import (
    AgreementResponse,
    Contribution,
    CoreGroupMember,
    HistoryEntry,
    Meeting,
    Outcome,
    Participant,
    PlanAction,
    PlanTerms,
    Score,
)
from facilitator.services import joining, people, running
from tests.web.test_joining import join


@dataclass
class Phone:
    http: object
    socket: object
    id: int
    name: str


class Room:
    """One meeting, followed live by its chair and whoever joins."""

    def __init__(self, app, live, meeting, chair_socket):
        self.app, self._live, self.meeting, self.chair = app, live, meeting, chair_socket
        self.sockets = [chair_socket]

    def phone(self, name, side="family", admit=True):
        """A phone that joins by the code and, unless told otherwise, is let in."""
        http = self._app_client()
        join(http, self.meeting, name=name, side=side)
        with self.app.test_request_context():
            person_id = db.session.scalar(
                select(Participant.id).where(
                    Participant.meeting_id == self.meeting.id, Participant.name == name
                )
            )
            if admit:
                joining.admit(db.session.get(Meeting, self.meeting.id), person_id)
        socket = self._follow(http)
        return Phone(http, socket, person_id, name)

    def screen(self):
        with self.app.app_context():
            token = running.issue_screen_token(db.session.get(Meeting, self.meeting.id))
        return self._follow(self._app_client(), screen=token)

    def listed(self, name, side="family"):
        """Someone the chair listed before the meeting, here without a phone."""
        with self.app.test_request_context():
            meeting = db.session.get(Meeting, self.meeting.id)
            return people.add_person(meeting, people.PersonDetails(name, "", side)).id

    def go_to(self, kind, nth=0):
        """Start the meeting if needed and move to the nth stage of this kind; its id."""
        stages = sync(self.chair)["meeting"]["stages"]
        stage = [s for s in stages if s["kind"] == kind][nth]
        if sync(self.chair)["meeting"]["status"] != "live":
            assert ack(self.chair, "start")["ok"]
        if stage["position"] != 0:
            assert ack(self.chair, "go_to", {"position": stage["position"]})["ok"]
        self.drain()
        return stage["id"]

    def back(self, phone, since):
        """The phone's page coming back after its connection dropped, naming the version it has."""
        socket = self._live(http_client=phone.http, auth={"meeting": self.meeting.id, "since": since})
        assert socket.is_connected()
        self.sockets.append(socket)
        return socket

    def drain(self):
        for socket in self.sockets:
            heard(socket)

    def _app_client(self):
        return self.app.test_client()

    def _follow(self, http, screen=None):
        auth = (
            {"meeting": self.meeting.id} if screen is None else {"meeting": self.meeting.id, "screen": screen}
        )
        socket = self._live(http_client=http, auth=auth)
        assert socket.is_connected()
        self.sockets.append(socket)
        self.drain()
        return socket


@pytest.fixture
def format_key():
    """The meeting's format; a test parametrizes it to meet other stages (scaling)."""
    return "family_group_conference"


@pytest.fixture
def room(app, auth, live, make_meeting, format_key):
    meeting = make_meeting("FGC for the J. family", format_key=format_key)
    auth.login()
    chair_socket = live(auth={"meeting": meeting.id})
    assert chair_socket.is_connected()
    chair_socket.get_received()
    return Room(app, live, meeting, chair_socket)


def ack(socket, command, payload=None):
    return socket.emit(command, {} if payload is None else payload, callback=True)


def sync(socket):
    response = ack(socket, "sync")
    assert response["ok"], response
    return response["snapshot"]


def received(socket, name=None):
    """The payloads of the events a socket received since last asked, optionally of one name."""
    return [e["args"][0] for e in heard(socket) if name in (None, e["name"])]


def heard(socket):
    """Everything the socket was sent since last asked, even if the server has since
    disconnected it (the test client refuses to say, then)."""
    if socket.is_connected():
        return socket.get_received()
    packets, socket.queue = socket.queue, []
    return packets


def everything_stored(app, meeting_id):
    """Every row about a meeting that a command could change, to show that nothing did."""
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)

        def rows(model, *columns):
            found = db.session.scalars(select(model).where(model.meeting_id == meeting_id).order_by(model.id))
            return [[str(getattr(item, column)) for column in columns] for item in found]

        return json.dumps(
            {
                "meeting": [
                    meeting.version,
                    meeting.status.value,
                    meeting.current_position,
                    meeting.plan_revision,
                    str(meeting.closed_at),
                    meeting.lobby_open,
                ],
                "stages": [
                    [s.id, s.display.value, s.talking_piece, s.turn_participant_id, str(s.revealed_at)]
                    for s in meeting.stages
                ],
                "people": [[p.id, p.name, p.side.value, p.admission.value] for p in meeting.participants],
                "said": rows(
                    Contribution,
                    "id",
                    "stage_id",
                    "participant_id",
                    "text",
                    "kind",
                    "feeling",
                    "recorded_by_id",
                ),
                "scores": rows(Score, "id", "stage_id", "participant_id", "value"),
                "outcomes": rows(Outcome, "id", "text", "revision", "edited_by"),
                "actions": rows(
                    PlanAction,
                    "id",
                    "outcome_id",
                    "who_participant_id",
                    "who_text",
                    "what",
                    "by_when",
                    "how_we_know",
                    "status",
                    "proposed_by_id",
                    "offer_id",
                    "revision",
                    "edited_by",
                    "progress",
                    "progress_note",
                ),
                "terms": rows(
                    PlanTerms,
                    "contingency",
                    "monitor",
                    "review_on",
                    "core_group_meets_on",
                    "core_group_every_weeks",
                    "decision",
                    "decision_on",
                    "decision_why",
                    "revision",
                ),
                "core_group": [
                    list(row)
                    for row in db.session.execute(
                        select(CoreGroupMember.terms_id, CoreGroupMember.participant_id)
                        .join(PlanTerms, PlanTerms.id == CoreGroupMember.terms_id)
                        .where(PlanTerms.meeting_id == meeting_id)
                        .order_by(CoreGroupMember.id)
                    )
                ],
                "agreement": rows(
                    AgreementResponse, "id", "participant_id", "agreed", "reasons", "plan_revision"
                ),
                "history": rows(HistoryEntry, "id", "kind", "by", "detail"),
            }
        )
