"""Portsmouth's restorative child protection conference."""

from flask_babel import lazy_gettext as _l

from facilitator.formats import Format, StageTemplate
from facilitator.models.agenda import StageKind

FORMAT = Format(
    key="restorative_cp_conference",
    name=_l("Restorative child protection conference"),
    description=_l("Use this at an initial child protection conference, when the family and the people they chose meet to talk about the harm and plan how to make the children safe."),
    stages=(
        StageTemplate(
            kind=StageKind.WELCOME,
            title=_l("Welcome and introductions"),
            questions=(
                _l("Who are you, and how do you know the children?"),
                _l("What do we all agree to, so that everyone feels safe to speak?"),
            ),
            minutes=10,
        ),
        StageTemplate(
            kind=StageKind.CHECK_IN,
            title=_l("Check-in"),
            questions=(_l("How are you feeling about today's meeting?"),),
            minutes=10,
        ),
        StageTemplate(
            kind=StageKind.QUESTION_ROUND,
            title=_l("What has happened?"),
            questions=(
                _l("What has happened?"),
                _l("What harm do we need to talk about today?"),
            ),
            minutes=20,
        ),
        StageTemplate(
            kind=StageKind.QUESTION_ROUND,
            title=_l("The impact"),
            questions=(
                _l("What has been the impact on the children?"),
                _l("What has been the impact on you?"),
                _l("What has been the impact on anyone else?"),
            ),
            minutes=20,
        ),
        StageTemplate(
            kind=StageKind.QUESTION_ROUND,
            title=_l("How people feel"),
            questions=(
                _l("How do you feel about this?"),
                _l("How do you think the children feel about this?"),
                _l("What have the children said about how they feel?"),
                _l("How might anyone else feel about this?"),
            ),
            minutes=20,
        ),
        StageTemplate(
            kind=StageKind.QUESTION_ROUND,
            title=_l("Making it better"),
            questions=(
                _l("How do we make it better?"),
                _l("How do we make the children safe?"),
                _l("What would better look like?"),
            ),
            minutes=20,
        ),
        StageTemplate(
            kind=StageKind.OFFERS,
            title=_l("What I can do to help"),
            questions=(
                _l("This is what I can do to help..."),
                _l("What help do you need from the people here?"),
            ),
            minutes=15,
        ),
        StageTemplate(
            kind=StageKind.PLAN,
            title=_l("The plan"),
            questions=(
                _l("What do you want to be better for the children? Please say it in your own words."),
                _l("Who will do what, and by when?"),
                _l("Does each action help to put right the harm and keep the children safe?"),
                _l("Who will be in the core group that works on this plan with you?"),
            ),
            minutes=30,
        ),
        StageTemplate(
            kind=StageKind.AGREEMENT,
            title=_l("Agreeing the plan"),
            questions=(
                _l("Do we all agree this plan?"),
                _l("When will the core group first meet?"),
                _l("When will we meet again to review the plan?"),
            ),
            minutes=10,
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
    review_after_months=3,
    core_group=True,
)
