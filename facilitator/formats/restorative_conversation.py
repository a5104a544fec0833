"""Restorative conversation, with the three questions in Warwickshire's guide."""

from flask_babel import lazy_gettext as _l

from facilitator.formats import Format, StageTemplate
from facilitator.models.agenda import StageKind

FORMAT = Format(
    key="restorative_conversation",
    name=_l("Restorative conversation"),
    description=_l("Use this when two or three people want to talk calmly about something that has gone wrong between them and how to put it right."),
    stages=(
        StageTemplate(
            kind=StageKind.WELCOME,
            title=_l("Welcome"),
            questions=(_l("Can we agree to take turns and listen to each other?"),),
            minutes=3,
        ),
        StageTemplate(
            kind=StageKind.QUESTION_ROUND,
            title=_l("What happened?"),
            questions=(
                _l("What happened?"),
                _l("What were you thinking at the time?"),
                _l("What have you thought about since?"),
            ),
            minutes=10,
        ),
        StageTemplate(
            kind=StageKind.QUESTION_ROUND,
            title=_l("Who was affected and how?"),
            questions=(
                _l("Who has been affected by what happened?"),
                _l("How have they been affected?"),
                _l("How has it affected you?"),
            ),
            minutes=10,
        ),
        StageTemplate(
            kind=StageKind.QUESTION_ROUND,
            title=_l("What do we want to be different?"),
            questions=(
                _l("What do we want to be different?"),
                _l("What needs to happen to put things right?"),
            ),
            minutes=10,
        ),
        StageTemplate(
            kind=StageKind.PLAN,
            title=_l("What we will each do"),
            questions=(
                _l("What will you do?"),
                _l("When will you do it?"),
            ),
            minutes=10,
        ),
        StageTemplate(
            kind=StageKind.CHECK_OUT,
            title=_l("Check-out"),
            questions=(_l("How are you feeling now?"),),
            minutes=3,
        ),
    ),
    review_after_months=None,
)
