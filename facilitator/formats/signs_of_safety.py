"""Signs of Safety mapping, as used at child protection conferences across the UK."""

from flask_babel import lazy_gettext as _l

from facilitator.formats import Format, StageTemplate
from facilitator.models.agenda import StageKind

FORMAT = Format(
    key="signs_of_safety",
    name=_l("Signs of Safety mapping"),
    description=_l("Use this at a child protection meeting to map the worries, what is working well and what needs to happen, and to score how safe the children are."),
    stages=(
        StageTemplate(
            kind=StageKind.WELCOME,
            title=_l("Welcome"),
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
            kind=StageKind.WORRIES,
            title=_l("What are we worried about?"),
            questions=(
                _l("What are you worried about?"),
                _l("What has happened to the children that worries you?"),
                _l("What are you worried could happen to the children if nothing changes?"),
                _l("Professionals: say each danger, plainly: who is worried, what could happen, and why."),
            ),
            minutes=20,
        ),
        StageTemplate(
            kind=StageKind.WORKING_WELL,
            title=_l("What's working well?"),
            questions=(
                _l("What is working well?"),
                _l("When have the children been safe, even when things were hard?"),
                _l("Who helps the family?"),
            ),
            minutes=20,
        ),
        StageTemplate(
            kind=StageKind.NEEDS_TO_HAPPEN,
            title=_l("What needs to happen?"),
            questions=(
                _l("What needs to happen for the children to be safe?"),
                _l("What do you need to see to know the children are safe enough?"),
                _l("Professionals: for each danger, the safety goal: what must be seen, and for how long."),
            ),
            minutes=20,
        ),
        StageTemplate(
            kind=StageKind.SCALING,
            title=_l("Safety scale"),
            questions=(
                _l("From 0 to 10, where are things now? 10 means everyone knows the children are safe enough to close the case. 0 means things are so bad the children must be kept safe somewhere else."),
                _l("Choose your number on your own. We will show everyone's numbers together."),
                _l("Why did you choose that number?"),
            ),
            minutes=15,
        ),
        StageTemplate(
            kind=StageKind.PLAN,
            title=_l("Next steps"),
            questions=(
                _l("What would move your number up by one?"),
                _l("What are the next steps?"),
                _l("Who will do what, and by when?"),
            ),
            minutes=20,
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
