"""Portsmouth's review child protection conference and core group meeting."""

from flask_babel import lazy_gettext as _l

from facilitator.formats import Format, StageTemplate
from facilitator.models.agenda import StageKind

FORMAT = Format(
    key="review_conference",
    name=_l("Review conference or core group"),
    description=_l("Use this at a review conference or core group meeting to look at how the plan from the last meeting is going and decide what happens next."),
    stages=(
        StageTemplate(
            kind=StageKind.WELCOME,
            title=_l("Welcome"),
            questions=(
                _l("Who are you, and how do you know the children?"),
                _l("What do we all agree to, so that everyone feels safe to speak?"),
            ),
            minutes=5,
        ),
        StageTemplate(
            kind=StageKind.CHECK_IN,
            title=_l("Check-in"),
            questions=(_l("How are you feeling about today's meeting?"),),
            minutes=10,
        ),
        StageTemplate(
            kind=StageKind.PLAN_REVIEW,
            title=_l("How the plan is going"),
            questions=(
                _l("For each action: is it done, in progress, not started or stuck?"),
                _l("If it is not started or stuck, why?"),
                _l("Has anything happened since the last meeting that hurt the children or put them at risk?"),
                _l("What is going well, and what is hard?"),
            ),
            minutes=30,
        ),
        StageTemplate(
            kind=StageKind.QUESTION_ROUND,
            title=_l("Is it still the right plan?"),
            questions=(
                _l("Is this still the right plan for you?"),
                _l("What has changed since the last meeting?"),
                _l("Are the children safer now?"),
            ),
            minutes=20,
        ),
        StageTemplate(
            kind=StageKind.PLAN,
            title=_l("Changing the plan"),
            questions=(
                _l("What do you want to change in the plan?"),
                _l("Who will do what, and by when?"),
            ),
            minutes=20,
        ),
        StageTemplate(
            kind=StageKind.AGREEMENT,
            title=_l("What happens next"),
            questions=(
                _l("Should we keep the plan, change it, step it down to a child in need plan, or end it?"),
                _l("Why do you think that?"),
                _l("When will we meet again?"),
            ),
            minutes=15,
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
    review_after_months=6,
    review=True,
    core_group=True,
)
