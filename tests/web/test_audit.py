"""The audit trail through the pages: what viewing, downloading, signing in and changing things
write, who may read it, its CSV export, and that nothing edits or deletes an entry."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from facilitator.extensions import db
from facilitator.models import AuditEntry, Meeting
from facilitator.models.types import utcnow
from facilitator.services import accounts, audit, closing, joining, running
from tests.conftest import CHAIR_EMAIL, CHAIR_PASSWORD, AuthActions
from tests.web.test_joining import join

ADMIN_EMAIL, ADMIN_PASSWORD = "admin@council.example", "the admin's long password"


def entries(app, **where):
    with app.app_context():
        query = select(AuditEntry).filter_by(**where).order_by(AuditEntry.id)
        found = list(db.session.scalars(query))
        for item in found:
            db.session.expunge(item)
        return found


def count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEntry))


@pytest.fixture
def admin(app):
    with app.app_context():
        made = accounts.create_chair(ADMIN_EMAIL, ADMIN_PASSWORD, display_name="Ada Admin", is_admin=True)
        return made.id


@pytest.fixture
def closed(app, make_meeting):
    made = make_meeting("FGC for the J. family")
    with app.test_request_context():
        meeting = db.session.get(Meeting, made.id)
        running.start(meeting)
        closing.close(meeting, "Sam Patel")
    return made


@pytest.fixture
def signed_in(auth, chair):
    assert auth.login().status_code == 302


@pytest.mark.parametrize(
    ("path", "action", "subject"),
    [
        ("summary", audit.SUMMARY_VIEWED, "copy=professionals"),
        ("summary?copy=family", audit.SUMMARY_VIEWED, "copy=family"),
        ("summary.pdf", audit.SUMMARY_PDF, "copy=professionals"),
        ("actions.csv", audit.ACTIONS_CSV, ""),
    ],
)
def test_viewing_or_downloading_a_summary_writes_one_entry(app, client, chair, closed, signed_in, path, action, subject):
    before, started = count(app), utcnow()
    response = client.get(f"/meetings/{closed.id}/{path}", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert response.status_code == 200
    assert count(app) == before + 1
    (entry,) = entries(app, action=action)
    assert (entry.actor_kind, entry.actor_id, entry.meeting_id) == ("chair", chair.id, closed.id)
    assert entry.actor_name == f"Sam Patel <{CHAIR_EMAIL}>"
    assert entry.subject == subject and entry.address == "192.0.2.7"
    assert started - timedelta(seconds=1) <= entry.at <= utcnow()


def test_a_summary_refused_writes_nothing(app, client, other_chair, closed):
    AuthActions(client).login(email="alex.jones@council.example", password="another long password")
    before = count(app)
    assert client.get(f"/meetings/{closed.id}/summary").status_code == 404
    assert count(app) == before


def test_a_persons_own_copy_from_their_phone_is_noted_as_theirs(app, make_meeting):
    made = make_meeting()
    phone = app.test_client()
    join(phone, made, name="Kerry")
    with app.test_request_context():
        meeting = db.session.get(Meeting, made.id)
        person = meeting.participants[0]
        joining.admit(meeting, person.id)
        running.start(meeting)
        closing.close(meeting, "Sam Patel")
        person_id = person.id
    assert phone.get(f"/join/{made.join_code}/summary").status_code == 200
    (entry,) = entries(app, action=audit.SUMMARY_VIEWED)
    assert (entry.actor_kind, entry.actor_id, entry.actor_name) == ("participant", person_id, "Kerry")
    assert entry.subject == "copy=family"


def test_signing_in_writes_one_entry(app, client, auth, chair):
    before = count(app)
    assert auth.login().status_code == 302
    assert count(app) == before + 1
    (entry,) = entries(app, action=audit.SIGN_IN)
    assert (entry.actor_kind, entry.actor_id, entry.address) == ("chair", chair.id, "127.0.0.1")


def test_a_failed_sign_in_writes_one_entry_with_the_address_given_never_the_password(app, auth, chair):
    before = count(app)
    assert auth.login(email=" Sam.Patel@Council.example", password="not the password at all").status_code == 400
    assert count(app) == before + 1
    (entry,) = entries(app, action=audit.SIGN_IN_FAILED)
    assert (entry.actor_kind, entry.actor_id, entry.actor_name) == ("anonymous", None, CHAIR_EMAIL)
    row = " ".join(str(getattr(entry, column)) for column in audit.CSV_COLUMNS)
    assert "not the password" not in row


def test_a_password_typed_as_the_address_is_not_kept(app, auth, chair):
    auth.login(email=CHAIR_PASSWORD, password=CHAIR_PASSWORD)
    (entry,) = entries(app, action=audit.SIGN_IN_FAILED)
    assert entry.actor_name == ""


def test_signing_out_is_noted(app, auth, chair, signed_in):
    auth.logout()
    (entry,) = entries(app, action=audit.SIGN_OUT)
    assert entry.actor_id == chair.id


def test_a_change_through_a_page_writes_one_entry_and_a_refused_one_none(app, client, post, chair, make_meeting, signed_in):
    meeting = make_meeting()
    before = count(app)
    assert post(f"/meetings/{meeting.id}/people/", {"name": "Kerry", "relation": "Mum", "side": "family"}).status_code in (
        302,
        303,
    )
    assert count(app) == before + 1
    (entry,) = entries(app, action=audit.PAGE + "people.add")
    assert (entry.actor_id, entry.meeting_id) == (chair.id, meeting.id)
    assert post(f"/meetings/{meeting.id}/people/", {"name": "", "side": "family"}).status_code == 400
    assert count(app) == before + 1


def test_an_admin_creating_an_account_is_noted(app, client, auth, post, admin):
    auth.login(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
    post("/admin/chairs", {"email": "nia.chair@council.example", "display_name": "Nia Chair"})
    (entry,) = entries(app, action=audit.CHAIR_CREATED)
    assert entry.actor_id == admin and "nia.chair@council.example" in entry.subject
    assert not entries(app, action=audit.PAGE + "account.chairs")


def test_only_admins_read_the_audit_trail(app, client, auth, chair, admin, make_meeting):
    assert client.get("/admin/audit/").status_code == 404
    assert client.get("/admin/audit/export.csv").status_code == 404
    meeting = make_meeting()
    phone = app.test_client()
    join(phone, meeting, name="Kerry")
    assert phone.get("/admin/audit/").status_code == 404
    assert phone.get("/admin/audit/export.csv").status_code == 404
    auth.login()
    assert client.get("/admin/audit/").status_code == 403
    assert client.get("/admin/audit/export.csv").status_code == 403
    assert "/admin/audit/" not in client.get("/meetings/").get_data(as_text=True)
    auth.logout()
    auth.login(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
    page = client.get("/admin/audit/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html
    assert 'href="/admin/audit/"' in client.get("/meetings/").get_data(as_text=True)


def _seed(app, rows):
    with app.app_context():
        db.session.add_all(AuditEntry(**row) for row in rows)
        db.session.commit()


def test_the_page_filters_and_pages(app, client, auth, admin):
    now = utcnow()
    _seed(
        app,
        [
            {"action": audit.SUMMARY_PDF, "actor_kind": "chair", "actor_name": "Sam Patel", "meeting_id": 7, "at": now}
            for _ in range(audit.PAGE_SIZE + 3)
        ]
        + [{"action": audit.ACTIONS_CSV, "actor_kind": "chair", "actor_name": "Alex Jones", "meeting_id": 8, "at": now}],
    )
    auth.login(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
    first = client.get("/admin/audit/?meeting=7").get_data(as_text=True)
    assert first.count("<td>Summary downloaded as PDF</td>") == audit.PAGE_SIZE and "Alex Jones" not in first
    assert 'rel="next"' in first and "page=2" in first
    second = client.get("/admin/audit/?meeting=7&page=2").get_data(as_text=True)
    assert second.count("<td>Summary downloaded as PDF</td>") == 3 and 'rel="prev"' in second
    only = client.get("/admin/audit/?actor=alex").get_data(as_text=True)
    assert "Alex Jones" in only and "<td>Summary downloaded as PDF</td>" not in only
    assert client.get("/admin/audit/?meeting=seven").status_code == 400
    assert client.get("/admin/audit/?action=delete_everything").status_code == 400


def test_the_export_holds_what_the_filter_matches_with_formulas_neutralised(app, client, auth, admin):
    now = utcnow()
    _seed(
        app,
        [
            {"action": audit.ACTIONS_CSV, "actor_kind": "anonymous", "actor_name": name, "meeting_id": 5, "at": at}
            for name, at in (
                ("=HYPERLINK(\"http://evil.example\")", now),
                ("+1+1", now),
                ("-2", now),
                ("@SUM(A1)", now),
                ("Plain Name", now),
                ("Too old", now - timedelta(days=40)),
            )
        ]
        + [{"action": audit.SUMMARY_PDF, "actor_kind": "chair", "actor_name": "Other meeting", "meeting_id": 6, "at": now}],
    )
    auth.login(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
    since = (now - timedelta(days=2)).date().isoformat()
    response = client.get(f"/admin/audit/export.csv?meeting=5&action={audit.ACTIONS_CSV}&since={since}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == list(audit.CSV_COLUMNS)
    names = [row[audit.CSV_COLUMNS.index("actor_name")] for row in rows[1:]]
    assert names == ["'=HYPERLINK(\"http://evil.example\")", "'+1+1", "'-2", "'@SUM(A1)", "Plain Name"]
    for row in rows[1:]:
        assert all(not cell or cell[0] not in "=+-@" for cell in row)
    (noted,) = entries(app, action=audit.AUDIT_EXPORTED)
    assert noted.actor_id == admin and "meeting=5" in noted.subject


def test_no_route_edits_or_deletes_an_entry(app):
    for rule in app.url_map.iter_rules():
        if "audit" in rule.rule or rule.endpoint.startswith("audit."):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule
    own = [name for name, value in vars(audit).items() if getattr(value, "__module__", None) == audit.__name__]
    assert "purge_older_than" in own
    assert not [name for name in own if name.lower().startswith(("update", "edit", "change", "delete", "remove"))]


def test_the_purge_deletes_only_entries_older_than_the_cutoff(app):
    now = utcnow()
    _seed(
        app,
        [
            {"action": audit.SIGN_IN, "actor_kind": "chair", "at": now - timedelta(days=400)},
            {"action": audit.SIGN_IN, "actor_kind": "chair", "at": now},
        ],
    )
    with app.app_context():
        assert audit.purge_older_than(now - timedelta(days=365)) == 1
    assert [entry.at >= now - timedelta(seconds=1) for entry in entries(app)] == [True]
