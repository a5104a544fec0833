"""Retention: `flask purge-expired` deletes a closed meeting past MEETING_RETENTION_DAYS from
every table, keeps the rest, and is harmless run again or as a dry run. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from facilitator.config import ConfigError, load_config
from facilitator.extensions import db
from facilitator.models import (
    AgreementResponse,
    AuditEntry,
    ConsentItem,
    Contribution,
    CoreGroupMember,
    ItemKind,
    LiveConnection,
    LiveNode,
    Meeting,
    MeetingStatus,
    Participant,
    PlanTerms,
    Score,
    Term,
    TermAnswer,
)
from facilitator.models.types import utcnow
from facilitator.services import accounts, audit, closing, joining, meetings, people, plan, retention, running
from tests.conftest import CHAIR_EMAIL



@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    """Every test here that needs the app runs on both databases."""
    return request.param


DAYS = 90


@pytest.fixture
def hold(app, chair, make_meeting, other_chair):
    """A meeting with a row in every table a meeting has, its phone's device token, room screen
    token and a personal link; closed `closed_days_ago` days ago, or left open."""

    def held(title, closed_days_ago=None, *, started=True):
        made = make_meeting(title)
        with app.test_request_context():
            meeting = db.session.get(Meeting, made.id)
            meetings.share_meeting(meeting, other_chair.email, "co_chair")
            nan = people.add_person(meeting, people.PersonDetails("Nan", "Kerry's mum", "family"))
            _, invite = people.issue_invite(meeting, nan.id)
            device = joining.new_device_token()
            kerry = joining.join(meeting, "Kerry", "Mum", "family", device, "192.0.2.10")
            joining.admit(meeting, kerry.id)
            screen = running.issue_screen_token(meeting)
            stage = meeting.stages[0]
            if started:
                running.start(meeting)
                plan.add_outcome(meeting, f"outcome-{made.id:07d}", "J. is safe", "Kerry")
                walk = plan.ActionDetails(what="Walk J. to school", who_text="Kerry")
                plan.add_action(meeting, f"action-{made.id:08d}", walk, "Kerry")
                plan.add_note(meeting, f"note-{made.id:010d}", "Nan's number is by the phone", False, "Kerry")
            # The rest as rows, whatever the format: what matters here is that they go.
            item = ConsentItem(
                meeting_id=meeting.id, client_id="item-1", author_id=kerry.id, kind=ItemKind.THOUGHT, text="A"
            )
            db.session.add(item)
            db.session.flush()
            term = Term(meeting_id=meeting.id, client_id="term-1", text="A term", from_item_id=item.id)
            terms = db.session.scalar(select(PlanTerms).where(PlanTerms.meeting_id == meeting.id))
            if terms is None:
                terms = PlanTerms(meeting_id=meeting.id)
            db.session.add_all([term, terms])
            db.session.flush()
            node = db.session.get(LiveNode, "node-1") or LiveNode(id="node-1")
            db.session.add_all(
                [
                    node,
                    TermAnswer(term_id=term.id, participant_id=kerry.id, revision=1, accepted=True),
                    CoreGroupMember(terms_id=terms.id, participant_id=kerry.id),
                    Contribution(
                        meeting_id=meeting.id,
                        stage_id=stage.id,
                        participant_id=kerry.id,
                        client_id="said-1",
                        text="We love J.",
                    ),
                    Score(meeting_id=meeting.id, stage_id=stage.id, participant_id=kerry.id, value=7),
                    AgreementResponse(
                        meeting_id=meeting.id,
                        participant_id=kerry.id,
                        name="Dan",
                        agreed=True,
                        plan_revision=0,
                    ),
                ]
            )
            db.session.flush()
            db.session.add(LiveConnection(node_id="node-1", sid=f"sid-{meeting.id}", participant_id=kerry.id))
            db.session.commit()
            if closed_days_ago is not None:
                if not started:
                    running.start(meeting)
                closing.close(meeting, "Sam Patel")
                closed_at = utcnow() - timedelta(days=closed_days_ago)
                back_then = update(Meeting).where(Meeting.id == meeting.id).values(closed_at=closed_at)
                db.session.execute(back_then)
                db.session.commit()
            return Held(meeting.id, meeting.join_code, device, screen, invite)

    return held


class Held:
    def __init__(self, id, join_code, device, screen, invite):
        self.id, self.join_code, self.device, self.screen, self.invite = id, join_code, device, screen, invite


def rows_of(meeting_id: int) -> dict[str, set]:
    """Every row, in every table, that belongs to the meeting or points at one that does: found
    by following the foreign keys from the meeting's row, whatever tables there are."""
    owned: dict[str, set] = {"meeting": {meeting_id}}
    for table in db.metadata.sorted_tables:
        if table.name == "meeting":
            continue
        conditions = [
            key.parent.in_(owned[key.column.table.name])
            for key in table.foreign_keys
            if key.column.table.name in owned and owned[key.column.table.name]
        ]
        if not conditions:
            continue
        primary = list(table.primary_key.columns)
        found = set()
        for condition in conditions:
            found |= {tuple(row) for row in db.session.execute(select(*primary).where(condition))}
        if found:
            owned[table.name] = {row[0] if len(row) == 1 else row for row in found}
    db.session.rollback()
    return owned


# The audit trail names a meeting by its id on purpose, without a foreign key: its entries are
# kept for AUDIT_RETENTION_DAYS, counted from when each was written (tested below).
OUTLIVES_THE_MEETING = {"audit_entry"}


def tables_of_a_meeting() -> set[str]:
    """The meeting's table, and every table with a foreign key to one of these."""
    found = {"meeting"}
    for table in db.metadata.sorted_tables:
        if any(key.column.table.name in found for key in table.foreign_keys):
            found.add(table.name)
    return found


def assert_gone(meeting_id: int) -> None:
    """No table holds a row with the meeting's id, nor a row pointing at it."""
    for table in db.metadata.sorted_tables:
        if table.name in OUTLIVES_THE_MEETING:
            continue
        for column in table.columns:
            points_at_meeting = any(key.column.table.name == "meeting" for key in column.foreign_keys)
            is_its_id = table.name == "meeting" and column.name == "id"
            if points_at_meeting or is_its_id or column.name == "meeting_id":
                count = db.session.scalar(select(func.count()).select_from(table).where(column == meeting_id))
                assert count == 0, f"{table.name}.{column.name} still holds meeting {meeting_id}"
    db.session.rollback()


def purge(runner, *args):
    result = runner.invoke(args=["purge-expired", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_meeting_past_its_retention_is_gone_from_every_table(app, runner, hold):
    old = hold("FGC for the A. family", closed_days_ago=DAYS + 1)
    with app.app_context():
        before = rows_of(old.id)
        # Every table whose rows can belong to a meeting holds one of this one, so each one's
        # deletion is checked below (a new table of a meeting's fails here until it is filled).
        assert set(before) == tables_of_a_meeting()

    output = purge(runner)

    assert f"Deleted meeting {old.id}," in output
    assert "FGC for the A. family" not in output and "Kerry" not in output  # no personal data
    with app.app_context():
        assert_gone(old.id)
        after = rows_of(old.id)
        assert after == {"meeting": {old.id}}
        for table, rows in before.items():
            model_table = db.metadata.tables[table]
            primary = list(model_table.primary_key.columns)
            left = {tuple(row) for row in db.session.execute(select(*primary))}
            keys = {row if isinstance(row, tuple) else (row,) for row in rows}
            assert not keys & left, f"{table} still holds rows of the meeting"
        assert db.session.get(LiveNode, "node-1") is not None  # a process, not the meeting's


def test_a_meeting_inside_its_retention_is_untouched(app, runner, hold):
    kept = hold("FGC for the B. family", closed_days_ago=DAYS - 1)
    with app.app_context():
        before = rows_of(kept.id)

    purge(runner)

    with app.app_context():
        assert rows_of(kept.id) == before
        assert db.session.get(Meeting, kept.id).status is MeetingStatus.CLOSED


def test_an_open_meeting_is_never_purged_however_old(app, runner, hold):
    scheduled = hold("FGC for the C. family", started=False)
    live = hold("FGC for the D. family")
    with app.app_context():
        long_ago = utcnow() - timedelta(days=10 * 365)
        db.session.execute(update(Meeting).values(created_at=long_ago, started_at=long_ago))
        db.session.commit()
        before = {meeting_id: rows_of(meeting_id) for meeting_id in (scheduled.id, live.id)}

    output = purge(runner)

    assert "Deleted 0 meetings" in output
    with app.app_context():
        assert {meeting_id: rows_of(meeting_id) for meeting_id in (scheduled.id, live.id)} == before


def test_the_dry_run_lists_what_would_go_and_deletes_nothing(app, runner, hold):
    old = hold("FGC for the E. family", closed_days_ago=DAYS + 30)
    kept = hold("FGC for the F. family", closed_days_ago=10)
    with app.app_context():
        before = {meeting_id: rows_of(meeting_id) for meeting_id in (old.id, kept.id)}
        closed_on = db.session.get(Meeting, old.id).closed_at.date().isoformat()

    output = purge(runner, "--dry-run")

    assert "nothing deleted" in output
    assert f'would delete meeting {old.id} "FGC for the E. family", closed {closed_on}' in output
    assert "participant 2" in output
    assert "F. family" not in output and f"meeting {kept.id} " not in output
    assert "Would delete 1 meetings." in output
    with app.app_context():
        assert {meeting_id: rows_of(meeting_id) for meeting_id in (old.id, kept.id)} == before


def test_running_twice_is_harmless(app, runner, hold):
    old = hold("FGC for the G. family", closed_days_ago=DAYS + 1)
    kept = hold("FGC for the H. family", closed_days_ago=1)
    with app.app_context():
        kept_rows = rows_of(kept.id)

    first = purge(runner)
    second = purge(runner)

    assert f"Deleted meeting {old.id}," in first and "Deleted 1 meetings" in first
    assert "Deleted 0 meetings" in second
    with app.app_context():
        assert_gone(old.id)
        assert rows_of(kept.id) == kept_rows


def test_the_retention_is_the_councils_setting(app, runner, hold):
    recent = hold("FGC for the I. family", closed_days_ago=8)
    app.config["MEETING_RETENTION_DAYS"] = 7

    assert f"Deleted meeting {recent.id}," in purge(runner)


def test_a_meeting_a_kept_review_carries_on_from_is_kept_with_it(app, runner, hold):
    first = hold("FGC for the J. family", closed_days_ago=DAYS + 100)
    review = hold("Review for the J. family", closed_days_ago=DAYS - 10)
    with app.app_context():
        db.session.execute(update(Meeting).where(Meeting.id == review.id).values(review_of_id=first.id))
        db.session.commit()

    assert "Deleted 0 meetings" in purge(runner)

    app.config["MEETING_RETENTION_DAYS"] = DAYS - 20
    output = purge(runner)
    assert f"Deleted meeting {first.id}," in output and f"Deleted meeting {review.id}," in output


def test_what_is_purged_cannot_be_read_back(app, client, auth, runner, hold):
    old = hold("FGC for the K. family", closed_days_ago=DAYS + 1)
    kept = hold("FGC for the L. family", closed_days_ago=1)
    auth.login(CHAIR_EMAIL)
    # Inside its retention a closed meeting's summary is still there for its chairs, its phones
    # and its room screen; a personal link lets nobody in once the meeting has closed.
    client.set_cookie("facilitator_device", kept.device)
    assert client.get(f"/meetings/{kept.id}/summary").status_code == 200
    assert client.get(f"/join/{kept.join_code}").status_code == 200
    assert client.get(f"/screen/{kept.screen}").status_code == 200
    assert client.get(f"/join/invite/{kept.invite}").status_code == 404

    purge(runner)

    client.set_cookie("facilitator_device", old.device)
    for url in (
        f"/meetings/{old.id}",
        f"/meetings/{old.id}/summary",
        f"/meetings/{old.id}/actions.csv",
        f"/join/{old.join_code}",
        f"/join/{old.join_code}/summary",
        f"/screen/{old.screen}",
        f"/join/invite/{old.invite}",
    ):
        assert client.get(url).status_code == 404, url
    with app.app_context():
        device_hash = joining.device_hash(old.device)
        on_device = select(Participant).where(Participant.device_token_hash == device_hash)
        assert db.session.scalar(on_device) is None
        assert running.meeting_for_screen(old.screen) is None
        assert people.find_invited(old.invite) is None
        assert accounts.find_chair(CHAIR_EMAIL) is not None  # the chair's account is not the meeting's


def test_the_service_reports_ids_dates_and_counts(app, hold):
    old = hold("FGC for the M. family", closed_days_ago=DAYS + 1)
    with app.app_context():
        (expired,) = retention.expired_meetings()
        assert (expired.id, expired.title) == (old.id, "FGC for the M. family")
        assert expired.rows["meeting"] == 1 and expired.rows["participant"] == 2
        assert retention.purge_meeting(old.id) is not None
        assert retention.purge_meeting(old.id) is None
        assert retention.expired_meetings() == []


def test_audit_entries_are_kept_for_their_own_retention(app, runner, hold):
    old = hold("FGC for the N. family", closed_days_ago=DAYS + 1)
    with app.test_request_context():
        audit.record("summary_viewed", old.id, subject="copy=family")
        audit.record("summary_pdf", old.id, subject="copy=family")
        db.session.execute(
            update(AuditEntry)
            .where(AuditEntry.action == "summary_pdf")
            .values(at=utcnow() - timedelta(days=app.config["AUDIT_RETENTION_DAYS"] + 1))
        )
        db.session.commit()

    output = purge(runner, "--dry-run")
    assert "Would delete 1 audit entries" in output

    output = purge(runner)

    assert "Deleted 1 audit entries" in output
    with app.app_context():
        assert_gone(old.id)
        kept = db.session.scalars(select(AuditEntry.action).where(AuditEntry.meeting_id == old.id)).all()
        assert "summary_viewed" in kept and "summary_pdf" not in kept
    assert "Deleted 0 audit entries" in purge(runner)


def test_the_retention_settings_come_from_the_environment(monkeypatch, tmp_path):
    for name in ("MEETING_RETENTION_DAYS", "AUDIT_RETENTION_DAYS", "FACILITATOR_ENV"):
        monkeypatch.delenv(name, raising=False)
    defaults = load_config({"ENV_NAME": "development"}, tmp_path)
    assert (defaults["MEETING_RETENTION_DAYS"], defaults["AUDIT_RETENTION_DAYS"]) == (90, 730)

    monkeypatch.setenv("MEETING_RETENTION_DAYS", "30")
    monkeypatch.setenv("AUDIT_RETENTION_DAYS", "2190")
    settings = load_config({"ENV_NAME": "development"}, tmp_path)
    assert (settings["MEETING_RETENTION_DAYS"], settings["AUDIT_RETENTION_DAYS"]) == (30, 2190)


@pytest.mark.parametrize("value", ["0", "-5", "ninety", "1.5"])
def test_a_retention_that_is_not_whole_days_is_refused(monkeypatch, tmp_path, value):
    monkeypatch.setenv("MEETING_RETENTION_DAYS", value)
    with pytest.raises(ConfigError, match="MEETING_RETENTION_DAYS"):
        load_config({"ENV_NAME": "development"}, tmp_path)
