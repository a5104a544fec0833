"""After the meeting, through the chair's forms: amendments to a closed meeting's plan, each
recorded with who made it and what changed, and setting up the meeting's review."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from facilitator.extensions import db
from facilitator.models import HistoryEntry, HistoryKind, Meeting
from facilitator.models.types import utcnow
from facilitator.services import closing, meetings, plan, running
from tests.conftest import AuthActions, csrf_token

REVIEW_ON = utcnow().date() + timedelta(days=90)


@pytest.fixture
def closed(app, make_meeting):
    """A closed FGC whose plan has two actions and its terms."""
    made = make_meeting("FGC for the J. family")
    with app.test_request_context():
        meeting = db.session.get(Meeting, made.id)
        running.start(meeting)
        safe, _ = plan.add_outcome(meeting, "outcome-0000001", "The children are safe", "Kerry")
        for client_id, what, who, by_when in (
            ("action-00000001", "Nan collects the children", "Nan", "Fridays"),
            ("action-00000002", "Walk J. to school", "Kerry", "Every weekday"),
        ):
            details = plan.ActionDetails(what=what, who_text=who, by_when=by_when, outcome_id=safe.id)
            plan.add_action(meeting, client_id, details, "Kerry")
        plan.save_terms(
            meeting,
            0,
            {"contingency": "Nan steps in", "monitor": "Aunt Jo", "review_on": REVIEW_ON.isoformat()},
            "Kerry",
        )
        closing.close(meeting, "Sam Patel")
    return made


@pytest.fixture
def signed_in(auth, chair):
    """The meeting's owner, signed in on `client`."""
    response = auth.login()
    assert response.status_code == 302


def action_ids(app, meeting_id):
    with app.app_context():
        return [a.id for a in plan.actions_of(db.session.get(Meeting, meeting_id))]


def stored_plan(app, meeting_id):
    """The plan as stored, and its amendments, to show what a request changed (or did not)."""
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        terms = plan.terms_of(meeting)
        return {
            "actions": [
                (a.what, a.who_name, a.by_when, a.how_we_know, a.revision) for a in plan.actions_of(meeting)
            ],
            "terms": (terms.contingency, terms.monitor, terms.review_on, terms.revision),
            "amended": [
                (e.by, e.detail)
                for e in db.session.scalars(
                    select(HistoryEntry)
                    .where(
                        HistoryEntry.meeting_id == meeting_id, HistoryEntry.kind == HistoryKind.PLAN_AMENDED
                    )
                    .order_by(HistoryEntry.id)
                )
            ],
        }


def section(page, heading):
    """The part of a page from a heading to the end of its section."""
    return page.split(heading, 1)[1].split("</section>", 1)[0]


def action_form(action_id, revision=1, **fields):
    values = {"what": "", "who": "", "who_text": "", "by_when": "", "how_we_know": ""} | fields
    return {f"a{action_id}-revision": str(revision)} | {f"a{action_id}-{k}": v for k, v in values.items()}


def test_changing_an_actions_date_is_saved_and_recorded_with_the_chairs_name(
    app, client, post, signed_in, closed
):
    """Every copy of the summary says who changed the plan after the meeting, and from what."""
    nan_id, _walk_id = action_ids(app, closed.id)
    page = client.get(f"/meetings/{closed.id}/amend")
    assert page.status_code == 200
    assert 'value="Fridays"' in page.get_data(as_text=True)

    response = post(
        f"/meetings/{closed.id}/amend/actions/{nan_id}",
        action_form(nan_id, what="Nan collects the children", who_text="Nan", by_when="Fridays and Mondays"),
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/meetings/{closed.id}/amend"
    detail = "Action changed: Nan collects the children (by when: \u201cFridays\u201d to \u201cFridays and Mondays\u201d)"
    stored = stored_plan(app, closed.id)
    assert stored["actions"][0] == ("Nan collects the children", "Nan", "Fridays and Mondays", "", 2)
    assert stored["amended"] == [("Sam Patel", detail)]
    with app.app_context():  # still under its outcome: the form changes words, not where it sits
        assert plan.find_action(db.session.get(Meeting, closed.id), nan_id).outcome_id is not None
    assert "recorded in the meeting" in client.get(f"/meetings/{closed.id}/amend").get_data(as_text=True)

    summary = client.get(f"/meetings/{closed.id}/summary").get_data(as_text=True)
    changes = section(summary, "Changes to the plan after the meeting")
    assert f"Sam Patel: {detail}" in changes


def test_adding_and_removing_an_action_is_recorded(app, post, signed_in, closed):
    """A resent form adds the action once; the record names the action added or removed."""
    _nan_id, walk_id = action_ids(app, closed.id)
    new = {
        "client_id": "amend-new-action-1",
        "new-what": "Dad takes them on Mondays",
        "new-who": "",
        "new-who_text": "Dad",
        "new-by_when": "Mondays",
        "new-how_we_know": "",
    }
    assert post(f"/meetings/{closed.id}/amend/actions", new).status_code == 302
    assert post(f"/meetings/{closed.id}/amend/actions", new).status_code == 302  # sent twice: added once
    removed = post(f"/meetings/{closed.id}/amend/actions/{walk_id}", action_form(walk_id) | {"remove": "yes"})
    assert removed.status_code == 302

    stored = stored_plan(app, closed.id)
    assert [a[:3] for a in stored["actions"]] == [
        ("Nan collects the children", "Nan", "Fridays"),
        ("Dad takes them on Mondays", "Dad", "Mondays"),
    ]
    assert stored["amended"] == [
        ("Sam Patel", "Action added: Dad takes them on Mondays \u00b7 Dad \u00b7 Mondays"),
        ("Sam Patel", "Action removed: Walk J. to school \u00b7 Kerry \u00b7 Every weekday"),
    ]


def test_amending_the_terms_records_each_change(app, client, post, signed_in, closed):
    """Only what changed is named in the record."""
    later = REVIEW_ON + timedelta(days=14)
    response = post(
        f"/meetings/{closed.id}/amend/terms",
        {
            "terms-revision": "1",
            "terms-contingency": "Grandad steps in",
            "terms-monitor": "Aunt Jo",
            "terms-review_on": later.isoformat(),
        },
    )

    assert response.status_code == 302
    stored = stored_plan(app, closed.id)
    assert stored["terms"] == ("Grandad steps in", "Aunt Jo", later, 2)
    [(by, detail)] = stored["amended"]
    assert by == "Sam Patel"
    assert "\u201cNan steps in\u201d to \u201cGrandad steps in\u201d" in detail
    assert f"\u201c{REVIEW_ON.isoformat()}\u201d to \u201c{later.isoformat()}\u201d" in detail
    assert "Aunt Jo" not in detail  # unchanged, so not named
    assert "Grandad steps in" in client.get(f"/meetings/{closed.id}/summary").get_data(as_text=True)


def test_a_stale_revision_is_refused_with_a_message_and_changes_nothing(app, post, signed_in, closed):
    """Two chairs amending the same action: the second, working from the old version, is told
    and overwrites nothing."""
    nan_id, _walk_id = action_ids(app, closed.id)
    first = action_form(nan_id, what="Nan collects the children", who_text="Nan", by_when="Saturdays")
    assert post(f"/meetings/{closed.id}/amend/actions/{nan_id}", first).status_code == 302
    before = stored_plan(app, closed.id)

    stale = action_form(nan_id, what="Grandad collects the children", who_text="Grandad", by_when="Fridays")
    response = post(f"/meetings/{closed.id}/amend/actions/{nan_id}", stale)

    assert response.status_code == 400
    assert "Sam Patel changed this while you were editing" in response.get_data(as_text=True)
    assert stored_plan(app, closed.id) == before


@pytest.fixture
def open_meeting(app, make_meeting):
    """A meeting under way, its plan still being written in the room."""
    made = make_meeting("FGC for the K. family")
    with app.test_request_context():
        meeting = db.session.get(Meeting, made.id)
        running.start(meeting)
        details = plan.ActionDetails(what="Nan collects the children", who_text="Nan")
        plan.add_action(meeting, "action-00000001", details, "Kerry")
    return made


def amend_requests(meeting_id, action_id):
    return [
        ("get", f"/meetings/{meeting_id}/amend", {}),
        ("post", f"/meetings/{meeting_id}/amend/actions/{action_id}", action_form(action_id, what="Changed")),
        (
            "post",
            f"/meetings/{meeting_id}/amend/actions",
            {"client_id": "amend-new-action-1", "new-what": "New"},
        ),
        ("post", f"/meetings/{meeting_id}/amend/terms", {"terms-revision": "1", "terms-monitor": "Someone"}),
    ]


def send(client, method, url, data, token):
    if method == "get":
        return client.get(url)
    return client.post(url, data=data | {"csrf_token": token})


def token_for(client):
    return csrf_token(client.get("/join/").get_data(as_text=True))


def test_a_meeting_still_open_has_no_amendments(app, client, signed_in, open_meeting):
    """While it is on, the plan is changed in the room, not behind it."""
    [action_id] = action_ids(app, open_meeting.id)
    before = stored_plan(app, open_meeting.id)
    token = token_for(client)
    for method, url, data in amend_requests(open_meeting.id, action_id):
        assert send(client, method, url, data, token).status_code == 404, url
    assert stored_plan(app, open_meeting.id) == before


@pytest.fixture
def other(app, other_chair):
    """Alex, another chair, signed in on a browser of their own."""
    browser = app.test_client()
    AuthActions(browser).login(email=other_chair.email, password="another long password")
    return browser


def share(app, meeting, other_chair, role):
    with app.app_context():
        meetings.share_meeting(db.session.get(Meeting, meeting.id), other_chair.email, role)


@pytest.mark.parametrize(("role", "status"), [("minute_taker", 403), (None, 404)])
def test_only_a_chair_who_runs_the_meeting_amends_it(app, closed, other_chair, other, role, status):
    """A minute-taker follows the meeting but does not change its plan; a chair with no part
    in it is not told it exists."""
    if role is not None:
        share(app, closed, other_chair, role)
    nan_id, _walk_id = action_ids(app, closed.id)
    before = stored_plan(app, closed.id)

    token = token_for(other)
    for method, url, data in [
        *amend_requests(closed.id, nan_id),
        ("post", f"/meetings/{closed.id}/review", {}),
    ]:
        assert send(other, method, url, data, token).status_code == status, url

    assert stored_plan(app, closed.id) == before
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Meeting)) == 1


def test_a_co_chairs_amendment_is_recorded_under_their_name(app, closed, other_chair, other):
    share(app, closed, other_chair, "co_chair")
    nan_id, _walk_id = action_ids(app, closed.id)
    data = action_form(
        nan_id, what="Nan collects the children", who_text="Nan", how_we_know="Nan texts Kerry"
    )
    response = send(other, "post", f"/meetings/{closed.id}/amend/actions/{nan_id}", data, token_for(other))

    assert response.status_code == 302
    [(by, detail)] = stored_plan(app, closed.id)["amended"]
    assert by == "Alex Jones"
    assert "how we will know: \u201c\u201d to \u201cNan texts Kerry\u201d" in detail


def test_signed_out_the_amend_pages_send_to_sign_in(app, client, closed):
    """Nothing about a closed meeting is shown or changed without a chair signed in."""
    nan_id, _walk_id = action_ids(app, closed.id)
    token = token_for(client)
    for method, url, data in amend_requests(closed.id, nan_id):
        response = send(client, method, url, data, token)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login?next="), url


def test_an_amendment_without_the_csrf_token_is_refused(app, client, signed_in, closed):
    """Another site cannot make the signed-in chair's browser change the plan."""
    nan_id, _walk_id = action_ids(app, closed.id)
    before = stored_plan(app, closed.id)
    for _method, url, data in amend_requests(closed.id, nan_id)[1:]:
        assert client.post(url, data=data).status_code == 400, url
    assert client.post(f"/meetings/{closed.id}/review").status_code == 400
    assert stored_plan(app, closed.id) == before
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Meeting)) == 1


@pytest.fixture
def review_set_up(app, post, signed_in, closed):
    """The chair sets up the closed meeting's review from its console: where it leads, and
    the review's id and title."""
    response = post(f"/meetings/{closed.id}/review")
    assert response.status_code == 302
    with app.app_context():
        review = db.session.scalar(select(Meeting).where(Meeting.review_of_id == closed.id))
        assert review.format_key == "review_conference"
        return response.headers["Location"], review.id, review.title


def test_setting_up_the_review_opens_it_and_the_meeting_links_to_it(app, client, post, closed, review_set_up):
    location, review_id, review_title = review_set_up
    assert location == f"/meetings/{review_id}"
    new_console = client.get(location).get_data(as_text=True)
    assert "The review is set up with the plan from FGC for the J. family" in new_console

    old_console = client.get(f"/meetings/{closed.id}").get_data(as_text=True)
    family = section(old_console, "This family's meetings")
    assert f'<a href="/meetings/{review_id}">{review_title}</a>' in family
    assert "Open the review" in old_console


def test_setting_up_the_review_again_opens_the_same_one(app, client, post, closed, review_set_up):
    """A second click finds the review already there; no second meeting is made."""
    _location, review_id, _title = review_set_up
    again = post(f"/meetings/{closed.id}/review")
    assert again.headers["Location"] == f"/meetings/{review_id}"
    assert "already set up" in client.get(again.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Meeting)) == 2


def test_the_reviews_console_links_back_to_the_meeting_it_reviews(client, closed, review_set_up):
    location, _review_id, _title = review_set_up
    new_console = client.get(location).get_data(as_text=True)
    assert f'<a href="/meetings/{closed.id}">FGC for the J. family</a>' in new_console
