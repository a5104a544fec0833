"""Shuttle mediation, as Sutton's restorative family coaches offer it: "the mediators assist
the parties to reach agreement without them being present in the same room", usually across
two or three sessions, for a family network of two or three people.

Each party writes in their own space; nothing leaves it unless they agree (`access.py`,
`services/consent.py`). The agreement builds up from terms every party has accepted.
"""

from flask_babel import lazy_gettext as _l

from facilitator.formats import Format, StageTemplate
from facilitator.models.agenda import StageKind

FORMAT = Format(
    key="shuttle_mediation",
    name=_l("Shuttle mediation"),
    description=_l("Use this when two or three family members are not ready to meet: each writes in their own space on their phone, the mediator goes between them, and nothing is passed on without its author's agreement. It can continue over several sessions, and the parties can meet together when they are ready."),
    stages=(
        StageTemplate(
            kind=StageKind.WELCOME,
            title=_l("How this works"),
            questions=(
                _l("What you write stays in your own space: only you and the mediator can read it."),
                _l("You decide what is passed on, and to whom."),
            ),
            minutes=10,
        ),
        StageTemplate(
            kind=StageKind.OWN_SPACE,
            title=_l("What has happened, and how it feels"),
            questions=(
                _l("What has happened, from your point of view?"),
                _l("How has it affected you?"),
                _l("What worries you most?"),
            ),
            minutes=30,
        ),
        StageTemplate(
            kind=StageKind.OWN_SPACE,
            title=_l("What could help"),
            questions=(
                _l("What would you like to happen now?"),
                _l("What would you be willing to do?"),
            ),
            minutes=30,
        ),
        StageTemplate(
            kind=StageKind.OWN_SPACE,
            title=_l("What we agree"),
            questions=(
                _l("Can you accept each part of the agreement as it is worded?"),
                _l("If not, what would need to change?"),
            ),
            minutes=20,
        ),
        StageTemplate(
            kind=StageKind.CHECK_OUT,
            title=_l("Check-out"),
            questions=(_l("How are you feeling now? Tell the mediator in your own space."),),
            minutes=5,
        ),
    ),
    review_after_months=None,
    apart=True,
)
