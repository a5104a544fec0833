"""On PostgreSQL a command locks its meeting's row before it checks anything, so that private
family time (or closing) started in another process cannot slip in between a professional's
check and their write. Shown by the statements the server sends, in order."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from facilitator.extensions import db
from tests.web.test_joining import join


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_command_locks_the_meeting_before_it_writes(app, auth, live, make_meeting):
    meeting = make_meeting("FGC for the L. family", format_key="family_group_conference")
    phone = app.test_client()
    join(phone, meeting, name="Dan", side="professional")
    auth.login()
    chair = live(auth={"meeting": meeting.id})
    snapshot = chair.emit("sync", {}, callback=True)["snapshot"]
    dan_id = next(p["id"] for p in snapshot["people"] if p["name"] == "Dan")
    assert chair.emit("admit", {"participant_id": dan_id}, callback=True)["ok"]
    assert chair.emit("start", {}, callback=True)["ok"]
    dan = live(http_client=phone, auth={"meeting": meeting.id})
    dan.emit("sync", {}, callback=True)

    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        added = dan.emit(
            "add_action",
            {"client_id": "dan-action-00001", "what": "Visit weekly", "who_text": "Dan"},
            callback=True,
        )
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert added["ok"], added

    locked = next(
        i
        for i, s in enumerate(statements)
        if s.startswith("SELECT meeting.") and s.endswith("FOR UPDATE OF meeting")  # the meeting's row alone
    )
    written = next(i for i, s in enumerate(statements) if s.startswith("INSERT INTO plan_action"))
    assert locked < written
    # The sync that only reads takes no lock: a room of phones syncing never waits on each other.
    statements.clear()
    event.listen(engine, "before_cursor_execute", record)
    try:
        dan.emit("sync", {}, callback=True)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert not any("FOR UPDATE" in s for s in statements)
