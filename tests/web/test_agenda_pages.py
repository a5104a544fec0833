"""The agenda editor, used with forms and buttons only (the keyboard way)."""

import pytest

from facilitator.extensions import db
from facilitator.models import Meeting, MeetingStatus


@pytest.fixture
def circle(app, auth, make_meeting):
    """A check-in circle (welcome, check-in, check-out) and its chair signed in."""
    meeting = make_meeting("Circle for the L. family", format_key="check_in_circle")
    auth.login()
    return meeting


def stages(app, meeting_id):
    with app.app_context():
        return [(s.id, s.title) for s in db.session.get(Meeting, meeting_id).stages]


def test_move_buttons_reorder_and_bring_the_chair_back_to_the_stage(app, client, post, circle):
    (welcome, _), (check_in, _), (check_out, _) = stages(app, circle.id)
    response = post(f"/meetings/{circle.id}/agenda/{check_out}/move", {"direction": "up"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/agenda/#stage-{check_out}")
    assert [i for i, _ in stages(app, circle.id)] == [welcome, check_out, check_in]
    post(f"/meetings/{circle.id}/agenda/{welcome}/move", {"direction": "down"})
    assert [i for i, _ in stages(app, circle.id)] == [check_out, welcome, check_in]


def test_moving_past_either_end_is_refused_with_a_message(app, client, post, circle):
    before = stages(app, circle.id)
    first, last = before[0][0], before[-1][0]
    post(f"/meetings/{circle.id}/agenda/{first}/move", {"direction": "up"})
    response = post(f"/meetings/{circle.id}/agenda/{last}/move", {"direction": "down"}, follow_redirects=True)
    assert "can only move among the stages not yet reached" in response.get_data(as_text=True)
    for bad in ({"direction": "sideways"}, {"position": "banana"}, {}):
        post(f"/meetings/{circle.id}/agenda/{first}/move", bad)
    assert stages(app, circle.id) == before


def test_a_dragged_stage_moves_to_its_new_position(app, post, circle):
    (welcome, _), (check_in, _), (check_out, _) = stages(app, circle.id)
    post(f"/meetings/{circle.id}/agenda/{welcome}/move", {"position": "2"})
    assert [i for i, _ in stages(app, circle.id)] == [check_in, check_out, welcome]


def test_a_stage_is_renamed_and_its_questions_edited(app, client, post, circle):
    _, (check_in, _), _ = stages(app, circle.id)
    form = client.get(f"/meetings/{circle.id}/agenda/{check_in}").get_data(as_text=True)
    assert 'name="title"' in form and 'name="prompt"' in form
    response = post(
        f"/meetings/{circle.id}/agenda/{check_in}",
        {
            "title": "Round the circle",
            "prompt": "How are you arriving?\nWhat do you hope for today?",
            "minutes": "12",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/meetings/{circle.id}/agenda/").get_data(as_text=True)
    assert "Round the circle" in page and "What do you hope for today?" in page and "12 minutes" in page


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"title": "", "minutes": "10"}, "Give the stage a title"),
        ({"title": "Round", "minutes": "ten"}, "Suggest a time from 1 to 240 minutes"),
        ({"title": "Round", "minutes": "-5"}, "Suggest a time from 1 to 240 minutes"),
        ({"title": "Round", "minutes": "99999999999999999999"}, "Suggest a time from 1 to 240 minutes"),
    ],
)
def test_a_bad_edit_says_why_and_keeps_the_stage(app, post, circle, form, message):
    before = stages(app, circle.id)
    response = post(f"/meetings/{circle.id}/agenda/{before[1][0]}", form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert stages(app, circle.id) == before


def test_a_stage_is_added_at_the_end_and_another_removed(app, post, circle):
    (welcome, _), _, _ = stages(app, circle.id)
    added = post(
        f"/meetings/{circle.id}/agenda/",
        {"kind": "offers", "title": "What I can do to help", "prompt": "", "minutes": "15"},
    )
    assert added.status_code == 302
    assert stages(app, circle.id)[-1][1] == "What I can do to help"
    assert post(f"/meetings/{circle.id}/agenda/{welcome}/remove").status_code == 302
    assert welcome not in [i for i, _ in stages(app, circle.id)]


def test_adding_an_unknown_kind_of_stage_is_refused(app, post, circle):
    before = stages(app, circle.id)
    response = post(f"/meetings/{circle.id}/agenda/", {"kind": "party", "title": "Cake", "minutes": "5"})
    assert response.status_code == 400
    assert "Choose what kind of stage this is" in response.get_data(as_text=True)
    assert stages(app, circle.id) == before


def test_during_the_meeting_reached_stages_show_as_reached_and_cannot_change(app, client, post, circle):
    (welcome, welcome_title), (check_in, _), (check_out, _) = stages(app, circle.id)
    with app.app_context():
        meeting = db.session.get(Meeting, circle.id)
        meeting.status, meeting.current_position = MeetingStatus.LIVE, 1
        db.session.commit()
    page = client.get(f"/meetings/{circle.id}/agenda/").get_data(as_text=True)
    assert page.count("Reached") == 2
    assert f"/agenda/{welcome}/remove" not in page and f"/agenda/{check_out}/remove" in page
    assert (
        post(f"/meetings/{circle.id}/agenda/{welcome}", {"title": "Rewritten", "minutes": "5"}).status_code
        == 400
    )
    refused = post(f"/meetings/{circle.id}/agenda/{check_in}/remove", follow_redirects=True)
    assert "already reached that stage" in refused.get_data(as_text=True)
    post(f"/meetings/{circle.id}/agenda/{check_out}/move", {"direction": "up"})
    assert stages(app, circle.id)[0] == (welcome, welcome_title)
    assert [i for i, _ in stages(app, circle.id)] == [welcome, check_in, check_out]
    assert (
        post(
            f"/meetings/{circle.id}/agenda/{check_out}", {"title": "Goodbye round", "minutes": "5"}
        ).status_code
        == 302
    )
