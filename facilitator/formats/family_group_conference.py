"""Family Group Conference, as Sutton, Wokingham and Warwickshire describe it."""

from flask_babel import lazy_gettext as _l

from facilitator.formats import Format, StageTemplate
from facilitator.models.agenda import StageKind

FORMAT = Format(
    key="family_group_conference",
    name=_l("Family Group Conference"),
    description=_l("Use this when the family and their friends meet to make their own plan for the children, with private family time."),
    stages=(
        StageTemplate(
            kind=StageKind.WELCOME,
            title=_l("Welcome, introductions and ground rules"),
            questions=(
                _l("Who are you, and how do you know the children?"),
                _l("What do we all agree to, so that everyone feels safe to speak?"),
            ),
            minutes=15,
        ),
        StageTemplate(
            kind=StageKind.CHECK_IN,
            title=_l("Check-in"),
            questions=(
                _l("How are you feeling as we start?"),
                _l("What do you hope we can do together today?"),
            ),
            minutes=10,
        ),
        StageTemplate(
            kind=StageKind.INFORMATION_SHARING,
            title=_l("Information sharing"),
            questions=(
                _l("What are you worried about?"),
                _l("What is working well?"),
                _l("What are the bottom lines: what must happen for the children to be safe?"),
                _l("What questions does the family want to ask?"),
            ),
            minutes=30,
        ),
        StageTemplate(
            kind=StageKind.OFFERS,
            title=_l("What I can do to help"),
            questions=(
                _l("This is what I can do to help..."),
                _l("What support can services offer the family?"),
            ),
            minutes=15,
        ),
        StageTemplate(
            kind=StageKind.PRIVATE_TIME,
            title=_l("Private family time"),
            questions=(
                _l("Would you like your advocate or interpreter to stay with you?"),
                _l("What do the children need to be safe and well?"),
                _l("How will your plan meet each bottom line?"),
                _l("Who in the family will do what, and by when?"),
            ),
            minutes=60,
        ),
        StageTemplate(
            kind=StageKind.PLAN,
            title=_l("The family's plan"),
            questions=(
                _l("Please tell everyone your plan, in your own words."),
                _l("Is there anything in the plan that is not clear?"),
            ),
            minutes=20,
        ),
        StageTemplate(
            kind=StageKind.AGREEMENT,
            title=_l("Agreeing the plan"),
            questions=(
                _l("Can you agree this plan? If not, please say why, so the family can change it."),
                _l("What will happen if the plan is not working?"),
                _l("Who will keep an eye on how the plan is going?"),
                _l("When would you like to meet again to look at the plan?"),
            ),
            minutes=20,
        ),
        StageTemplate(
            kind=StageKind.CHECK_OUT,
            title=_l("Check-out"),
            questions=(
                _l("How are you feeling now?"),
                _l("What will you take away from today?"),
            ),
            minutes=10,
        ),
    ),
    review_after_months=None,
)
