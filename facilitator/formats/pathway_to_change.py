"""Warwickshire's Pathway to Change."""

from flask_babel import lazy_gettext as _l

from facilitator.formats import Format, StageTemplate
from facilitator.models.agenda import StageKind

FORMAT = Format(
    key="pathway_to_change",
    name=_l("Pathway to Change"),
    description=_l("Use this to build one shared plan with a family by looking at the situation, understanding it, and agreeing the actions."),
    stages=(
        StageTemplate(
            kind=StageKind.WELCOME,
            title=_l("Welcome"),
            questions=(
                _l("Who are you, and how do you know the family?"),
                _l("What do we all agree to, so that everyone feels safe to speak?"),
            ),
            minutes=5,
        ),
        StageTemplate(
            kind=StageKind.CHECK_IN,
            title=_l("Check-in"),
            questions=(_l("How are you feeling as we start?"),),
            minutes=10,
        ),
        StageTemplate(
            kind=StageKind.QUESTION_ROUND,
            title=_l("Situation"),
            questions=(
                _l("What happened in the past?"),
                _l("What is happening now?"),
                _l("What triggers this now?"),
                _l("Who is affected, and how?"),
            ),
            minutes=25,
        ),
        StageTemplate(
            kind=StageKind.QUESTION_ROUND,
            title=_l("Understanding"),
            questions=(
                _l("What keeps the issue going?"),
                _l("What positives and strengths are there?"),
                _l("What could happen if things don't change?"),
            ),
            minutes=20,
        ),
        StageTemplate(
            kind=StageKind.SCALING,
            title=_l("How likely is it to happen again?"),
            questions=(
                _l("How likely is it to happen again? 0 means not likely at all. 10 means it is sure to happen."),
                _l("Why did you choose that number?"),
            ),
            minutes=10,
        ),
        StageTemplate(
            kind=StageKind.SCALING,
            title=_l("How serious is it?"),
            questions=(
                _l("How serious is it? 0 means not serious at all. 10 means extremely serious."),
                _l("Why did you choose that number?"),
            ),
            minutes=10,
        ),
        StageTemplate(
            kind=StageKind.PLAN,
            title=_l("Actions"),
            questions=(
                _l("What changes need to happen?"),
                _l("How will we do it?"),
                _l("What will it look like when it has changed?"),
            ),
            minutes=25,
        ),
        StageTemplate(
            kind=StageKind.CHECK_OUT,
            title=_l("Check-out"),
            questions=(
                _l("How are you feeling now?"),
                _l("What is the first thing you will do?"),
            ),
            minutes=10,
        ),
    ),
    review_after_months=None,
)
