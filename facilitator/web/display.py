"""How stored values read on a page: translated labels, grouped codes."""

import unicodedata
from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from facilitator import formats
from facilitator.formats import words
from facilitator.access import MeetingRole
from facilitator.models import (
    ActionProgress,
    Admission,
    ContributionKind,
    HistoryEntry,
    HistoryKind,
    ItemKind,
    MeetingStatus,
    ReviewDecision,
    RoundDisplay,
    Side,
    StageKind,
)
from facilitator.services import dates
from facilitator.services.summary import Copy, describe_spread

STATUS_LABELS = {
    MeetingStatus.SCHEDULED: _l("Scheduled"),
    MeetingStatus.LIVE: _l("Live"),
    MeetingStatus.CLOSED: _l("Closed"),
}

STAGE_KIND_LABELS = {
    StageKind.WELCOME: _l("Welcome"),
    StageKind.CHECK_IN: _l("Check-in round"),
    StageKind.QUESTION_ROUND: _l("Question round"),
    StageKind.INFORMATION_SHARING: _l("Information sharing"),
    StageKind.OFFERS: _l("\u201cThis is what I can do to help\u2026\u201d round"),
    StageKind.PRIVATE_TIME: _l("Private family time"),
    StageKind.PLAN: _l("The plan"),
    StageKind.PLAN_REVIEW: _l("Reviewing the plan"),
    StageKind.SCALING: _l("Scaling 0 to 10"),
    StageKind.AGREEMENT: _l("Agreement"),
    StageKind.CHECK_OUT: _l("Check-out round"),
    StageKind.OWN_SPACE: _l("Each in their own space (shuttle mediation)"),
    StageKind.CHILDS_VOICE: _l("The child's voice: three houses"),
    StageKind.WORRIES: _l("Mapping: what we are worried about (Signs of Safety)"),
    StageKind.WORKING_WELL: _l("Mapping: what is working well (Signs of Safety)"),
    StageKind.NEEDS_TO_HAPPEN: _l("Mapping: what needs to happen (Signs of Safety)"),
}

SIDE_LABELS = {
    Side.FAMILY: _l("Family and friends"),
    Side.PROFESSIONAL: _l("Professional"),
}

FLAG_LABELS = {
    "is_child": _l("Child or young person"),
    "is_advocate": _l("The child's advocate"),
    "is_interpreter": _l("Interpreter"),
    "is_referrer": _l("Referrer"),
    "may_stay_in_private_time": _l("May stay in private family time"),
}

# Each feeling is a picture (static/img/feelings.svg) shown with its word.
FEELING_LABELS = {
    "happy": _l("Happy"),
    "calm": _l("Calm"),
    "hopeful": _l("Hopeful"),
    "unsure": _l("Unsure"),
    "worried": _l("Worried"),
    "sad": _l("Sad"),
    "angry": _l("Angry"),
    "tired": _l("Tired"),
}

# What an answer is, where a stage collects more than one kind (`behaviour.collects`).
SHARED_AS_LABELS = {
    ContributionKind.WORRY: _l("What we are worried about"),
    ContributionKind.WORKING_WELL: _l("What is working well"),
    ContributionKind.BOTTOM_LINE: _l("Bottom lines"),
    ContributionKind.DANGER_STATEMENT: _l("Danger statement"),
    ContributionKind.NEEDS_TO_HAPPEN: _l("What needs to happen"),
    ContributionKind.SAFETY_GOAL: _l("Safety goal"),
}

DISPLAY_LABELS = {
    RoundDisplay.NAMED: _l("Names and answers"),
    RoundDisplay.UNNAMED: _l("Answers without names"),
    RoundDisplay.NAMES_ONLY: _l("Only who has answered"),
}

ROLE_LABELS = {
    MeetingRole.OWNER: _l("Chair"),
    MeetingRole.CO_CHAIR: _l("Co-chair"),
    MeetingRole.MINUTE_TAKER: _l("Minute-taker"),
}


PROGRESS_LABELS = {
    ActionProgress.DONE: _l("Done"),
    ActionProgress.IN_PROGRESS: _l("In progress"),
    ActionProgress.NOT_STARTED: _l("Not started"),
    ActionProgress.STUCK: _l("Stuck"),
}

DECISION_LABELS = {
    ReviewDecision.KEEP: _l("Keep the plan"),
    ReviewDecision.REVISE: _l("Change the plan"),
    ReviewDecision.STEP_DOWN: _l("Step it down to a child in need plan"),
    ReviewDecision.END: _l("End the plan"),
}

COPY_LABELS = {
    Copy.FAMILY: _l("The family's copy"),
    Copy.PROFESSIONALS: _l("The professionals' copy"),
}

# Words passed on only with consent: what a party kept, and the child's three houses.
ITEM_KIND_LABELS = {
    ItemKind.THOUGHT: _l("A thought"),
    ItemKind.FEELING: _l("A feeling"),
    ItemKind.WORRY: _l("A worry"),
    ItemKind.PROPOSAL: _l("A proposal"),
    ItemKind.HOUSE_OF_WORRIES: _l("House of worries"),
    ItemKind.HOUSE_OF_GOOD_THINGS: _l("House of good things"),
    ItemKind.HOUSE_OF_DREAMS: _l("House of dreams"),
}

ADMISSION_LABELS = {
    Admission.EXPECTED: _l("did not come"),
    Admission.LOBBY: _l("was not let in"),
    Admission.ADMITTED: _l("took part"),
    Admission.DECLINED: _l("turned away"),
}


def history_label(entry: HistoryEntry) -> str:
    labels = {
        HistoryKind.PRIVATE_TIME_STARTED: _("Private family time started by %(name)s", name=entry.by),
        HistoryKind.PRIVATE_TIME_ENDED: _("Private family time ended by %(name)s", name=entry.by),
        HistoryKind.MEETING_CLOSED: _("The meeting was closed by %(name)s", name=entry.by),
        HistoryKind.PLAN_AMENDED: _(
            "The plan was changed by %(name)s: %(what)s", name=entry.by, what=entry.detail
        ),
        HistoryKind.SESSION_ENDED: _("A session was ended by %(name)s", name=entry.by),
        HistoryKind.SESSION_STARTED: _("The next session was started by %(name)s", name=entry.by),
        HistoryKind.MET_TOGETHER: _("The parties met together, brought together by %(name)s", name=entry.by),
        HistoryKind.PERSON_ERASED: _("One person's details were erased at their request, by %(name)s", name=entry.by),
    }
    return labels[entry.kind]


def zone() -> ZoneInfo:
    """The council's time zone: dates and times are typed and shown in it."""
    return dates.council_zone()


def status_label(status: MeetingStatus) -> str:
    return str(STATUS_LABELS[status])


def format_name(key: str) -> str:
    meeting_format = formats.get(key)
    return str(meeting_format.name) if meeting_format else ""


def own_dir(text: str) -> str:
    """The direction people's words run in, from their first letter, for the `dir` of what holds
    them: English words in an Urdu copy (or Urdu in an English one) keep theirs, full stop at
    their own end; the PDF, which cannot work it out itself (`dir="auto"`), is told."""
    for char in text or "":
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "auto"


def group_join_code(code: str) -> str:
    """K7MQTRA reads aloud more easily as K7M QTRA."""
    return f"{code[:3]} {code[3:]}"


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        status_label=status_label,
        format_name=format_name,
        stage_kind_labels=STAGE_KIND_LABELS,
        side_labels=SIDE_LABELS,
        flag_labels=FLAG_LABELS,
        role_labels=ROLE_LABELS,
        feeling_labels=FEELING_LABELS,
        shared_as_labels=SHARED_AS_LABELS,
        display_labels=DISPLAY_LABELS,
        history_label=history_label,
        progress_labels=PROGRESS_LABELS,
        decision_labels=DECISION_LABELS,
        copy_labels=COPY_LABELS,
        admission_labels=ADMISSION_LABELS,
        item_kind_labels=ITEM_KIND_LABELS,
        describe_spread=describe_spread,
        stage_title=words.title,
        stage_questions=words.questions,
        stage_words=words.page_words,
        say_in=words.say_in,
    )
    app.jinja_env.filters["join_code"] = group_join_code
    app.jinja_env.filters["own_dir"] = own_dir
