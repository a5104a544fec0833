"""Mediation, as Sutton's restorative family coaches offer it."""

from flask_babel import lazy_gettext as _l

from facilitator.formats import Format, StageTemplate
from facilitator.models.agenda import StageKind

FORMAT = Format(
    key="mediation",
    name=_l("Mediation"),
    description=_l("Use this to help two or three family members in conflict talk things through and agree a plan, together in one room. When they are not ready to meet, use shuttle mediation."),
    stages=(
        StageTemplate(
            kind=StageKind.WELCOME,
            title=_l("Welcome and ground rules"),
            questions=(
                _l("Can we agree to take turns, listen without interrupting and be kind?"),
                _l("Did you know you can ask for a break at any time?"),
            ),
            minutes=10,
        ),
        StageTemplate(
            kind=StageKind.QUESTION_ROUND,
            title=_l("What has happened"),
            questions=(
                _l("What has happened, from your point of view?"),
                _l("How has it affected you?"),
            ),
            minutes=20,
        ),
        StageTemplate(
            kind=StageKind.QUESTION_ROUND,
            title=_l("What matters most"),
            questions=(
                _l("What matters most to you now?"),
                _l("What do you think matters most to the other person?"),
            ),
            minutes=15,
        ),
        StageTemplate(
            kind=StageKind.QUESTION_ROUND,
            title=_l("What we could agree"),
            questions=(
                _l("What could we agree on?"),
                _l("What would you be willing to do?"),
                _l("What would you like the other person to do?"),
            ),
            minutes=15,
        ),
        StageTemplate(
            kind=StageKind.PLAN,
            title=_l("What we agree"),
            questions=(
                _l("What have we agreed?"),
                _l("Who will do what, and by when?"),
                _l("What will we do if something goes wrong?"),
            ),
            minutes=15,
        ),
        StageTemplate(
            kind=StageKind.CHECK_OUT,
            title=_l("Check-out"),
            questions=(_l("How are you feeling now?"),),
            minutes=5,
        ),
    ),
    review_after_months=None,
)
