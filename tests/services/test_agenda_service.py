"""Editing an agenda: before the meeting, and for stages not yet reached during it."""

import pytest

from facilitator.extensions import db
from facilitator.models import Meeting, MeetingStatus, Stage
from facilitator.services import agenda
from facilitator.services.errors import ValidationError


@pytest.fixture
def meeting(app, make_meeting):
    """A check-in circle (welcome, check-in, check-out), loaded in a request context."""
    made = make_meeting("Circle for the team", format_key="check_in_circle")
    with app.test_request_context():
        yield db.session.get(Meeting, made.id)


def titles(meeting):
    db.session.expire_all()
    return [stage.title for stage in db.session.get(Meeting, meeting.id).stages]


def reach(meeting, position):
    """The meeting has moved on to the stage at this position."""
    meeting.status, meeting.current_position = MeetingStatus.LIVE, position
    db.session.commit()


def test_add_puts_a_stage_at_the_end_and_raises_the_version(meeting):
    version = meeting.version
    agenda.add_stage(
        meeting, "scaling", agenda.StageText("How safe is home?", "0 means not safe\n10 means safe", 5)
    )
    assert titles(meeting)[-1] == "How safe is home?"
    assert meeting.stages[-1].questions == ["0 means not safe", "10 means safe"]
    assert meeting.version == version + 1


def test_rename_and_edit_questions(meeting):
    stage = meeting.stages[1]
    agenda.update_stage(
        meeting,
        stage.id,
        agenda.StageText("  Opening round ", "How are you today?\n\n  Who is here for you?  ", 8),
    )
    db.session.expire_all()
    stage = db.session.get(Stage, stage.id)
    assert (stage.title, stage.questions, stage.minutes) == (
        "Opening round",
        ["How are you today?", "Who is here for you?"],
        8,
    )


def test_move_reorders_and_keeps_positions_dense(meeting):
    first, second, third = titles(meeting)
    agenda.move_stage(meeting, meeting.stages[2].id, 0)
    assert titles(meeting) == [third, first, second]
    assert [stage.position for stage in db.session.get(Meeting, meeting.id).stages] == [0, 1, 2]


def test_remove_closes_the_gap(meeting):
    first, _, third = titles(meeting)
    agenda.remove_stage(meeting, meeting.stages[1].id)
    assert titles(meeting) == [first, third]
    assert [stage.position for stage in db.session.get(Meeting, meeting.id).stages] == [0, 1]


def test_the_last_stage_cannot_be_removed(meeting):
    agenda.remove_stage(meeting, meeting.stages[0].id)
    agenda.remove_stage(meeting, meeting.stages[0].id)
    with pytest.raises(ValidationError):
        agenda.remove_stage(meeting, meeting.stages[0].id)
    assert len(titles(meeting)) == 1


BAD_TEXTS = [
    (agenda.StageText("   "), "title"),
    (agenda.StageText("x" * 121), "title"),
    (agenda.StageText("Round", "?" * 2001), "prompt"),
    (agenda.StageText("Round", "", 0), "minutes"),
    (agenda.StageText("Round", "", 241), "minutes"),
    (agenda.StageText("Round", "", None), "minutes"),
]


@pytest.mark.parametrize(
    ("kind", "text", "field"),
    [("check_in", *bad) for bad in BAD_TEXTS] + [("coffee", agenda.StageText("Round"), "kind")],
)
def test_a_bad_new_stage_is_refused_with_the_field_and_nothing_changes(meeting, kind, text, field):
    before, version = titles(meeting), meeting.version
    with pytest.raises(ValidationError) as refused:
        agenda.add_stage(meeting, kind, text)
    assert refused.value.field == field and refused.value.message
    db.session.rollback()
    assert titles(meeting) == before
    assert db.session.get(Meeting, meeting.id).version == version


@pytest.mark.parametrize(("text", "field"), BAD_TEXTS)
def test_a_bad_edit_is_refused_and_the_stage_keeps_its_text(meeting, text, field):
    stage_id, before = meeting.stages[0].id, titles(meeting)
    with pytest.raises(ValidationError) as refused:
        agenda.update_stage(meeting, stage_id, text)
    assert refused.value.field == field
    db.session.rollback()
    assert titles(meeting) == before


def test_during_the_meeting_reached_stages_are_history(meeting):
    welcome, check_in, check_out = meeting.stages
    reach(meeting, 1)
    for change in (
        lambda: agenda.update_stage(meeting, welcome.id, agenda.StageText("Hello")),
        lambda: agenda.update_stage(meeting, check_in.id, agenda.StageText("Changed while it runs")),
        lambda: agenda.move_stage(meeting, check_in.id, 2),
        lambda: agenda.remove_stage(meeting, welcome.id),
        lambda: agenda.move_stage(meeting, check_out.id, 1),  # in front of the current stage
    ):
        with pytest.raises(ValidationError):
            change()
        db.session.rollback()
    assert titles(meeting) == [welcome.title, check_in.title, check_out.title]


def test_during_the_meeting_stages_ahead_can_still_change(meeting):
    welcome, check_in, check_out = meeting.stages
    reach(meeting, 1)
    added = agenda.add_stage(meeting, "offers", agenda.StageText("What I can do to help"))
    agenda.move_stage(meeting, added.id, 2)
    agenda.update_stage(meeting, check_out.id, agenda.StageText("Closing round", "One word for today?", 5))
    assert titles(meeting) == [welcome.title, check_in.title, "What I can do to help", "Closing round"]


def test_a_closed_meeting_keeps_its_agenda(meeting):
    meeting.status = MeetingStatus.CLOSED
    db.session.commit()
    with pytest.raises(ValidationError):
        agenda.add_stage(meeting, "check_in", agenda.StageText("Late round"))
    with pytest.raises(ValidationError):
        agenda.update_stage(meeting, meeting.stages[2].id, agenda.StageText("Late round"))


def test_a_stage_of_another_meeting_is_not_found(app, meeting, make_meeting):
    other = make_meeting("Another family", format_key="check_in_circle")
    other_stage_id = db.session.get(Meeting, other.id).stages[0].id
    with pytest.raises(ValidationError):
        agenda.update_stage(meeting, other_stage_id, agenda.StageText("Hijacked"))
    assert db.session.get(Stage, other_stage_id).title != "Hijacked"
