"""Subject access and erasure on the people pages: a chair who runs the meeting (or an admin)
exports what is held about one person, as a page, a PDF and JSON, and erases their details after
a confirm step that says what will happen; nobody else can do either."""

import io
import json
import uuid

import pypdf
import pytest
from sqlalchemy import select

from facilitator.extensions import db
from facilitator.models import AuditEntry, Contribution, Meeting, Participant, StageKind
from facilitator.services import accounts, closing, meetings, running
from tests.conftest import AuthActions, csrf_token
from tests.live.conftest import Room, heard, sync


@pytest.fixture
def room(app, auth, live, make_meeting):
    meeting = make_meeting("FGC for the J. family")
    auth.login()
    chair_socket = live(auth={"meeting": meeting.id})
    assert chair_socket.is_connected()
    chair_socket.get_received()
    return Room(app, live, meeting, chair_socket)


def said_by(app, meeting_id, person_id, text):
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        stage = next(stage for stage in meeting.stages if stage.kind is StageKind.CHECK_IN)
        db.session.add(
            Contribution(
                meeting_id=meeting_id,
                stage_id=stage.id,
                participant_id=person_id,
                client_id=str(uuid.uuid4()),
                text=text,
            )
        )
        db.session.commit()


def close(app, meeting_id):
    with app.test_request_context():
        meeting = db.session.get(Meeting, meeting_id)
        running.start(meeting)
        closing.close(meeting, "Sam Patel")


def pdf_text(response):
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.data)).pages)


def urls(meeting_id, person_id):
    base = f"/meetings/{meeting_id}/people/{person_id}"
    return [f"{base}/export", f"{base}/export.pdf", f"{base}/export.json", f"{base}/erase"]


def test_a_chair_exports_a_persons_data_as_a_page_a_pdf_and_json(app, client, room):
    kerry = room.phone("Kerry")
    dan = room.phone("Dan", side="professional")
    said_by(app, room.meeting.id, kerry.id, "I want the boys home")
    said_by(app, room.meeting.id, dan.id, "Dan's own answer")
    base = f"/meetings/{room.meeting.id}/people/{kerry.id}"

    people = client.get(f"/meetings/{room.meeting.id}/people/").get_data(as_text=True)
    assert f'href="{base}/export"' in people and f'href="{base}/erase"' in people
    page = client.get(f"{base}/export").get_data(as_text=True)
    assert "Information held about Kerry" in page and "I want the boys home" in page
    assert "Dan&#39;s own answer" not in page and "Dan's own answer" not in page

    exported = client.get(f"{base}/export.json")
    assert exported.mimetype == "application/json" and "attachment" in exported.headers["Content-Disposition"]
    data = json.loads(exported.data)
    assert data["person"]["name"] == "Kerry" and [s["text"] for s in data["said"]] == ["I want the boys home"]
    assert "Dan's own answer" not in exported.get_data(as_text=True)

    text = pdf_text(client.get(f"{base}/export.pdf"))
    assert "I want the boys home" in text and "Kerry" in text and "Dan's own answer" not in text
    # Each export is in the audit trail: which person, in which form, by whom.
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry).filter_by(action="person_exported").order_by(AuditEntry.id)
        ).all()
        assert [(e.meeting_id, e.subject, e.detail, e.actor_kind) for e in entries] == [
            (room.meeting.id, f"person={kerry.id}", form, "chair") for form in ("page", "json", "pdf")
        ]


def test_only_a_chair_who_runs_the_meeting_or_an_admin_may_export_or_erase(app, client, room, other_chair):
    kerry = room.phone("Kerry")
    said_by(app, room.meeting.id, kerry.id, "I want the boys home")
    pages = urls(room.meeting.id, kerry.id)

    # A phone in the meeting: not a chair, so signed-out; nothing of the data.
    for url in pages:
        answer = kerry.http.get(url)
        assert answer.status_code in (302, 403, 404) and b"boys home" not in answer.data
    token = csrf_token(kerry.http.get(f"/join/{room.meeting.join_code}").get_data(as_text=True))
    assert kerry.http.post(pages[3], data={"csrf_token": token, "confirm": "yes"}).status_code in (302, 403, 404)

    # Another meeting's chair: as if it did not exist. A minute-taker: not theirs to do.
    other = app.test_client()
    AuthActions(other).login("alex.jones@council.example", "another long password")
    for url in pages:
        assert other.get(url).status_code == 404
    with app.app_context():
        meetings.share_meeting(db.session.get(Meeting, room.meeting.id), "alex.jones@council.example", "minute_taker")
    for url in pages:
        assert other.get(url).status_code == 403
    token = csrf_token(other.get("/meetings/").get_data(as_text=True))
    assert other.post(pages[3], data={"csrf_token": token, "confirm": "yes"}).status_code == 403

    # An admin with no part in the meeting may.
    with app.app_context():
        accounts.create_chair("admin@council.example", "an admin's long password", is_admin=True)
    admin = app.test_client()
    AuthActions(admin).login("admin@council.example", "an admin's long password")
    assert b"boys home" in admin.get(pages[2]).data
    with app.app_context():
        assert db.session.get(Participant, kerry.id).name == "Kerry"


def test_erasure_is_confirmed_then_final_and_the_name_is_gone_everywhere(app, client, room, post):
    kerry = room.phone("Kerry")
    room.phone("Dan", side="professional")
    said_by(app, room.meeting.id, kerry.id, "I want the boys home")
    erase_url = urls(room.meeting.id, kerry.id)[3]

    page = client.get(erase_url).get_data(as_text=True)
    assert "Erased person 1" in page and "final" in page and "Removed at the person&#39;s request." in page
    # No CSRF token: refused. No confirmation: refused, said why, nothing changed.
    assert client.post(erase_url, data={"confirm": "yes"}).status_code == 400
    refused = post(erase_url, {"marker": "Removed on request"})
    assert refused.status_code == 400 and "Tick the box" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Participant, kerry.id).name == "Kerry"

    done = post(erase_url, {"marker": "Removed on request", "confirm": "yes"})
    assert done.status_code == 302
    # Their phone is told and disconnected; the chairs' snapshot names them by the marker only.
    assert "removed" in [event["name"] for event in heard(kerry.socket)]
    assert not kerry.socket.is_connected()
    snapshot = json.dumps(sync(room.chair))
    assert "Kerry" not in snapshot and "Erased person 1" in snapshot and "I want the boys home" not in snapshot
    assert "Removed on request" in snapshot
    listed = client.get(f"/meetings/{room.meeting.id}/people/").get_data(as_text=True)
    assert "Kerry" not in listed and "Erased person 1" in listed and "Details erased" in listed
    # Final: no second erasure, no edits, no new link.
    assert client.get(erase_url).status_code == 302
    assert post(erase_url, {"marker": "x", "confirm": "yes"}).status_code == 302
    assert client.get(f"/meetings/{room.meeting.id}/people/{kerry.id}").status_code == 302

    close(app, room.meeting.id)
    summary = client.get(f"/meetings/{room.meeting.id}/summary").get_data(as_text=True)
    assert "Kerry" not in summary and "Erased person 1" in summary and "Removed on request" in summary
    assert "erased at their request" in summary
    text = pdf_text(client.get(f"/meetings/{room.meeting.id}/summary.pdf"))
    assert "Kerry" not in text and "Erased person 1" in text and "I want the boys home" not in text
    # Their export afterwards holds the marker, not their name or words.
    exported = client.get(urls(room.meeting.id, kerry.id)[2]).get_data(as_text=True)
    assert "Kerry" not in exported and "boys home" not in exported


def test_keep_unnamed_keeps_their_words_without_their_name(app, client, room, post):
    app.config["ERASURE_WORDS"] = "keep-unnamed"
    kerry = room.phone("Kerry")
    said_by(app, room.meeting.id, kerry.id, "I want the boys home")
    erase_url = urls(room.meeting.id, kerry.id)[3]
    page = client.get(erase_url).get_data(as_text=True)
    assert 'name="marker"' not in page and "without their name" in page
    assert post(erase_url, {"confirm": "yes"}).status_code == 302
    close(app, room.meeting.id)
    summary = client.get(f"/meetings/{room.meeting.id}/summary").get_data(as_text=True)
    assert "Kerry" not in summary and "I want the boys home" in summary and "Erased person 1" in summary
