"""The audit trail of a live meeting: a command that changes the plan, the people, private time
or closing writes one entry, by one more INSERT in its own transaction; a refused command writes
none, and answers in rounds stay as they were."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, func, select

from facilitator.extensions import db
from facilitator.models import AuditEntry, Meeting
from facilitator.models.types import utcnow
from facilitator.services import audit
from tests.live.conftest import ack


def entries(app):
    with app.app_context():
        found = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        for item in found:
            db.session.expunge(item)
        return found


def version_of(app, meeting_id):
    with app.app_context():
        return db.session.scalar(select(Meeting.version).where(Meeting.id == meeting_id))


class Statements:
    """What a command says to the database: each statement's first words, and COMMIT."""

    def __init__(self, app):
        with app.app_context():
            self.engine = db.engine
        self.said: list[str] = []

    def _statement(self, _conn, _cursor, statement, *_args):
        self.said.append(" ".join(statement.split()[:3]).upper())

    def _commit(self, _conn):
        self.said.append("COMMIT")

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._statement)
        event.listen(self.engine, "commit", self._commit)
        return self

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._statement)
        event.remove(self.engine, "commit", self._commit)


def test_changing_the_plan_writes_one_entry_in_the_changes_own_transaction(app, room):
    kerry = room.phone("Kerry")
    room.go_to("plan")
    before, started = len(entries(app)), utcnow()
    with Statements(app) as statements:
        added = ack(kerry.socket, "add_outcome", {"client_id": "kerry-outcome-01", "text": "Kids safe at home"})
    assert added["ok"], added
    found = entries(app)
    assert len(found) == before + 1
    entry = found[-1]
    assert entry.action == audit.LIVE + "add_outcome"
    assert (entry.actor_kind, entry.actor_id, entry.actor_name) == ("participant", kerry.id, "Kerry")
    assert entry.meeting_id == room.meeting.id and entry.meeting_version == added["version"]
    assert started - timedelta(seconds=1) <= entry.at <= utcnow()
    assert "Kids safe" not in " ".join(str(getattr(entry, c)) for c in audit.CSV_COLUMNS)
    # One more statement than without the trail: its INSERT, after the change's event and
    # before the one COMMIT.
    said = statements.said
    assert said.count("COMMIT") == 1 and said.count("INSERT INTO AUDIT_ENTRY") == 1, said
    assert said.index("INSERT INTO MEETING_EVENT") < said.index("INSERT INTO AUDIT_ENTRY") < said.index("COMMIT")
    assert len([s for s in said if s != "COMMIT"]) == 12, said


def test_a_refused_or_repeated_change_writes_nothing(app, room):
    kerry, dan = room.phone("Kerry"), room.phone("Dan", side="professional")
    room.go_to("plan")
    before = len(entries(app))
    refused = ack(dan.socket, "add_outcome", {"client_id": "dan-outcome-0001", "text": "Mine"})
    assert refused["error"]["code"] == "forbidden"
    stale = ack(kerry.socket, "edit_outcome", {"outcome_id": 999999, "revision": 0, "text": "No such"})
    assert not stale["ok"]
    assert len(entries(app)) == before
    for _ in range(3):
        assert ack(kerry.socket, "add_outcome", {"client_id": "kerry-outcome-01", "text": "Kids safe"})["ok"]
    assert len(entries(app)) == before + 1


def test_an_edit_names_what_it_changed_by_id(app, room, chair):
    room.phone("Kerry")
    room.go_to("plan")
    added = ack(room.chair, "add_outcome", {"client_id": "chair-outcome-01", "text": "Kids safe"})
    edited = ack(
        room.chair, "edit_outcome", {"outcome_id": added["outcome_id"], "revision": 1, "text": "Children safe"}
    )
    assert edited["ok"], edited
    entry = entries(app)[-1]
    assert entry.action == audit.LIVE + "edit_outcome" and entry.subject == f"outcome_id={added['outcome_id']}"
    assert (entry.actor_kind, entry.actor_id) == ("chair", chair.id)


def test_answers_in_rounds_and_moving_on_write_nothing(app, room):
    kerry = room.phone("Kerry")
    room.go_to("check_in")
    before = len(entries(app))
    answered = ack(kerry.socket, "contribute", {"client_id": "kerry-check-in-01", "text": "Hopeful", "feeling": "hopeful"})
    assert answered["ok"], answered
    assert ack(room.chair, "go_to", {"position": 2})["ok"]
    assert len(entries(app)) == before


def test_the_people_private_time_and_closing_each_write_one_entry(app, room, chair):
    kerry = room.phone("Kerry", admit=False)
    assert ack(room.chair, "admit", {"participant_id": kerry.id})["ok"]
    room.go_to("plan")
    assert ack(room.chair, "start_private_time", {"stay": []})["ok"]
    assert ack(kerry.socket, "end_private_time")["ok"]
    assert ack(room.chair, "close_meeting")["ok"]
    found = [(e.action, e.actor_kind, e.actor_id, e.subject) for e in entries(app) if e.action != audit.SIGN_IN]
    assert found == [
        (audit.LIVE + "admit", "chair", chair.id, f"participant_id={kerry.id}"),
        (audit.LIVE + "start_private_time", "chair", chair.id, ""),
        (audit.LIVE + "end_private_time", "participant", kerry.id, ""),
        (audit.LIVE + "close_meeting", "chair", chair.id, ""),
    ]
    assert entries(app)[-1].meeting_version == version_of(app, room.meeting.id)


def test_an_entry_outlives_its_meeting(app, room):
    """An entry names the meeting by id alone: deleting the meeting leaves its trail."""
    room.phone("Kerry", admit=False)
    assert ack(room.chair, "admit_all")["ok"]
    assert not AuditEntry.__table__.foreign_keys
    with app.app_context():
        db.session.delete(db.session.get(Meeting, room.meeting.id))
        db.session.commit()
        left = db.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.meeting_id == room.meeting.id)
        )
    assert left == 1
