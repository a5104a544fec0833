"""The shipped meeting formats, and meetings made from them."""

import pytest

from facilitator import formats
from facilitator.formats import behaviour
from facilitator.extensions import db
from facilitator.models import Chair, Meeting, StageKind
from facilitator.services import meetings
from facilitator.services.errors import ValidationError

FORMAT_KEYS = [f.key for f in formats.all_formats()]


def test_the_formats_councils_use_are_shipped():
    assert {
        "family_group_conference",
        "restorative_cp_conference",
        "review_conference",
        "restorative_conversation",
        "pathway_to_change",
        "signs_of_safety",
        "check_in_circle",
    } <= set(FORMAT_KEYS)


@pytest.mark.parametrize("key", FORMAT_KEYS)
def test_each_format_creates_a_meeting_with_its_stages(app, make_meeting, key):
    meeting_format = formats.get(key)
    made = make_meeting(f"Meeting in the {key} format", format_key=key)
    with app.app_context():
        meeting = db.session.get(Meeting, made.id)
        assert meeting.format_key == key
        assert [(s.position, s.kind, s.title) for s in meeting.stages] == [
            (position, template.kind, str(template.title))
            for position, template in enumerate(meeting_format.stages)
        ]
        for stage, template in zip(meeting.stages, meeting_format.stages, strict=True):
            assert stage.questions == [str(question) for question in template.questions]
            assert stage.minutes == template.minutes


@pytest.mark.parametrize("key", FORMAT_KEYS)
def test_each_format_reads_well(app, key):
    meeting_format = formats.get(key)
    with app.test_request_context():
        titles = [str(stage.title) for stage in meeting_format.stages]
        assert str(meeting_format.name) and str(meeting_format.description)
        assert len(titles) == len(set(titles)), "stage titles repeat"
        assert all(0 < len(title) <= 120 for title in titles)
        assert all(1 <= stage.minutes <= 240 for stage in meeting_format.stages)
        assert all(str(question).strip() for stage in meeting_format.stages for question in stage.questions)
        assert meeting_format.stages[-1].kind is StageKind.CHECK_OUT


def kinds(key):
    return [stage.kind for stage in formats.get(key).stages]


def questions(app, key):
    with app.test_request_context():
        return " ".join(str(q) for stage in formats.get(key).stages for q in stage.questions).lower()


def test_family_group_conference_follows_the_fgc_model(app):
    sequence = kinds("family_group_conference")
    order = [
        StageKind.CHECK_IN,
        StageKind.INFORMATION_SHARING,
        StageKind.PRIVATE_TIME,
        StageKind.PLAN,
        StageKind.AGREEMENT,
        StageKind.CHECK_OUT,
    ]
    assert [kind for kind in sequence if kind in order] == order
    said = questions(app, "family_group_conference")
    # Contingency, monitor and review date, in plain words.
    for words in (
        "worried",
        "working well",
        "bottom line",
        "if the plan is not working",
        "keep an eye",
        "meet again",
    ):
        assert words in said, words


def test_restorative_conference_asks_the_portsmouth_questions(app):
    said = questions(app, "restorative_cp_conference")
    for words in ("what has happened", "impact on the children", "how do you feel", "make the children safe"):
        assert words in said, words
    assert StageKind.OFFERS in kinds("restorative_cp_conference")
    assert formats.get("restorative_cp_conference").review_after_months == 3


def test_pathway_to_change_has_two_scales_and_signs_of_safety_one(app):
    assert kinds("pathway_to_change").count(StageKind.SCALING) == 2
    assert kinds("signs_of_safety").count(StageKind.SCALING) == 1
    assert "0" in questions(app, "signs_of_safety") and "10" in questions(app, "signs_of_safety")


def test_review_conference_starts_from_the_plan(app):
    assert StageKind.PLAN_REVIEW in kinds("review_conference")
    assert "stuck" in questions(app, "review_conference")


def test_an_unknown_format_is_refused_and_nothing_is_saved(app, chair):
    with app.test_request_context():
        owner = db.session.get(Chair, chair.id)
        with pytest.raises(ValidationError) as refused:
            meetings.create_meeting(owner, meetings.Details(title="J. family"), "no_such_format")
        assert refused.value.field == "format_key"
        assert db.session.query(Meeting).count() == 0


def test_every_kind_of_stage_says_what_it_does():
    assert set(behaviour.BEHAVIOUR) == set(StageKind)
    # Sent to the pages as only what is true, so a page reads `stage.does.plan`.
    assert behaviour.of(StageKind.OFFERS).as_dict() == {"answers": True, "offers": True, "plan": True}
    assert behaviour.kinds(rounds=True) == {StageKind.WELCOME, StageKind.CHECK_IN, StageKind.QUESTION_ROUND, StageKind.CHECK_OUT}
    # Scores are not answers until they are revealed: that is decided per stage, not per kind.
    assert StageKind.SCALING not in behaviour.kinds(answers=True)


def test_whether_a_format_is_a_review_is_a_field_of_the_format():
    assert [f.key for f in formats.all_formats() if f.review] == ["review_conference"]
