"""Meeting formats: the councils' templates of stages, as data.

Each module in this package describes one format with a ``FORMAT`` constant.
Texts are lazy translations: a meeting copies them in the chair's language
when it is created, and from then on the agenda is the meeting's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString

from facilitator.models.agenda import StageKind


@dataclass(frozen=True)
class StageTemplate:
    kind: StageKind
    title: LazyString
    # Plain-word questions, one per line on the room screen.
    questions: tuple[LazyString, ...] = ()
    minutes: int = 10


@dataclass(frozen=True)
class Format:
    key: str
    name: LazyString
    description: LazyString
    stages: tuple[StageTemplate, ...]
    # Months from the meeting to its first review, when practice sets one.
    review_after_months: int | None = None
    # The parties start apart, each in their own space (shuttle mediation).
    apart: bool = False
    # It looks at how the plan before it went (a review conference, a core group).
    review: bool = False
    # Its plan names a core group: who in the meeting works on the plan between meetings,
    # when they first (at a review, next) meet, and how often (a child protection plan's).
    core_group: bool = False


def _load() -> dict[str, Format]:
    from facilitator.formats import (
        check_in_circle,
        family_group_conference,
        mediation,
        pathway_to_change,
        restorative_conversation,
        restorative_cp_conference,
        review_conference,
        shuttle_mediation,
        signs_of_safety,
    )

    modules = (
        family_group_conference,
        restorative_cp_conference,
        review_conference,
        restorative_conversation,
        pathway_to_change,
        signs_of_safety,
        mediation,
        shuttle_mediation,
        check_in_circle,
    )
    return {module.FORMAT.key: module.FORMAT for module in modules}


FORMATS: dict[str, Format] = _load()


def get(key: str) -> Format | None:
    return FORMATS.get(key)


def all_formats() -> list[Format]:
    """Every format, in the order the chair is offered them."""
    return list(FORMATS.values())
