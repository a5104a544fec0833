"""`sync` loads a meeting in a fixed number of SQL statements, however long its plan: a query
per item (for its person, its proposer, its outcome) would make a big meeting's snapshot slow."""

from __future__ import annotations

from sqlalchemy import event

from facilitator.extensions import db
from facilitator.models import Meeting, Participant
from facilitator.services import plan
from tests.live.conftest import sync


def write_plan(app, meeting_id, family_id, professional_id, start, count):
    """Items numbered from `start`: outcomes, actions for a person, for words and proposed by a
    professional (some accepted), and notes (some kept within the family)."""
    with app.test_request_context():
        meeting = db.session.get(Meeting, meeting_id)
        professional = db.session.get(Participant, professional_id)
        outcome_id = None
        for n in range(start, start + count):
            if n % 5 == 0:
                outcome_id = plan.add_outcome(meeting, f"outcome-{n:04d}", f"Outcome {n}", "Kerry")[0].id
            elif n % 5 == 4:
                plan.add_note(meeting, f"note-{n:04d}", f"Note {n}", n % 2 == 0, "Kerry")
            else:
                proposer = professional if n % 3 == 0 else None
                details = plan.ActionDetails(
                    what=f"Action {n}",
                    who_participant_id=None if n % 4 == 0 else (professional_id if proposer else family_id),
                    who_text="Nan and Grandad" if n % 4 == 0 else "",
                    by_when="every Monday",
                    outcome_id=outcome_id,
                )
                action = plan.add_action(meeting, f"action-{n:04d}", details, "Kerry", proposer=proposer)[0]
                if proposer is not None and n % 2 == 0:
                    plan.accept_action(meeting, action.id, action.revision, "Kerry")


def statements_per_sync(app, sockets):
    """The SQL statements one `sync` issues, for each socket, and the plan items it received."""
    with app.app_context():
        engine = db.engine
    counted = [0]

    def count(*_args):
        counted[0] += 1

    found = {}
    event.listen(engine, "before_cursor_execute", count)
    try:
        for name, socket in sockets.items():
            counted[0] = 0
            received = sync(socket)["plan"]
            found[name] = (counted[0], sum(len(received[key]) for key in ("outcomes", "actions", "notes")))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return found


def test_the_statements_of_a_sync_do_not_grow_with_the_plan(room):
    kerry, dan = room.phone("Kerry"), room.phone("Dan", side="professional")
    sockets = {"chair": room.chair, "family phone": kerry.socket, "room screen": room.screen()}
    sockets["professional phone"] = dan.socket
    room.go_to("plan")

    write_plan(room.app, room.meeting.id, kerry.id, dan.id, 0, 5)
    small = statements_per_sync(room.app, sockets)
    write_plan(room.app, room.meeting.id, kerry.id, dan.id, 5, 55)
    large = statements_per_sync(room.app, sockets)

    assert {name: items for name, (_, items) in small.items()} == {
        "chair": 4,  # the note kept within the family is not the chairs'
        "family phone": 5,
        "room screen": 4,
        "professional phone": 4,
    }
    assert large["family phone"][1] == 60
    assert {name: statements for name, (statements, _) in large.items()} == {
        name: statements for name, (statements, _) in small.items()
    }
