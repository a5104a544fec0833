"""Check-in circle, as Wokingham and Warwickshire use to open their meetings."""

from flask_babel import lazy_gettext as _l

from facilitator.formats import Format, StageTemplate
from facilitator.models.agenda import StageKind

FORMAT = Format(
    key="check_in_circle",
    name=_l("Check-in circle"),
    description=_l("Use this for a short round at the start of any meeting, including team meetings, so that everyone is heard."),
    stages=(
        StageTemplate(
            kind=StageKind.WELCOME,
            title=_l("Welcome"),
            questions=(_l("When you hold the talking piece, it is your turn to speak. You can pass if you want to."),),
            minutes=2,
        ),
        StageTemplate(
            kind=StageKind.CHECK_IN,
            title=_l("Check-in round"),
            questions=(
                _l("How are you arriving today?"),
                _l("What would make today a good meeting for you?"),
            ),
            minutes=10,
        ),
        StageTemplate(
            kind=StageKind.CHECK_OUT,
            title=_l("Check-out"),
            questions=(_l("What will you take away with you?"),),
            minutes=3,
        ),
    ),
    review_after_months=None,
)
