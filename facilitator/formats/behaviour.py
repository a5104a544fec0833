"""What each kind of stage does, in one table.

The server decides with it (who may answer, what an answer is) and sends it with every stage in
the snapshot (`stage.does`), so the console, the room screen and the phones read the same facts
instead of each keeping its own lists of stage kinds.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from facilitator.models.agenda import StageKind
from facilitator.models.contribution import ContributionKind as Said
from facilitator.models.people import Side


@dataclass(frozen=True)
class Behaviour:
    answers: bool = False  # phones answer the stage's questions
    feelings: bool = False  # an answer may carry how the person feels
    sorted: bool = False  # answers are sorted: worries, what is working well, bottom lines
    rounds: bool = False  # a round: the talking piece can go around the room
    offers: bool = False  # answers are offers of help, each an action in the plan at once
    plan: bool = False  # the room looks at the plan
    terms: bool = False  # the end of the plan: what if it is not working, who checks, the review
    agreement: bool = False  # everyone is asked to agree the plan
    scaling: bool = False  # private 0-10 scores, revealed together
    private_time: bool = False  # the family alone: professionals are shut out
    plan_review: bool = False  # how each action of the plan before went
    houses: bool = False  # the child's three houses
    own_space: bool = False  # each party in their own space
    map: bool = False  # a part of the Signs of Safety map: the room sees the whole map
    # What an answer in it is, the first unless the person chooses another (`GIVEN_BY` says
    # who may give each); one kind means nothing to choose.
    collects: tuple[Said, ...] = ()

    def as_dict(self) -> dict[str, bool]:
        """Only what the stage does: `stage.does.plan` is true or absent on the pages."""
        return {f.name: True for f in fields(self) if f.type == "bool" and getattr(self, f.name)}


ANSWER = (Said.ANSWER,)

BEHAVIOUR: dict[StageKind, Behaviour] = {
    StageKind.WELCOME: Behaviour(answers=True, rounds=True, collects=ANSWER),
    StageKind.CHECK_IN: Behaviour(answers=True, feelings=True, rounds=True, collects=ANSWER),
    StageKind.QUESTION_ROUND: Behaviour(answers=True, rounds=True, collects=ANSWER),
    StageKind.INFORMATION_SHARING: Behaviour(
        answers=True, sorted=True, collects=(Said.WORRY, Said.WORKING_WELL, Said.BOTTOM_LINE)
    ),
    StageKind.OFFERS: Behaviour(answers=True, offers=True, plan=True, collects=(Said.OFFER,)),
    StageKind.PRIVATE_TIME: Behaviour(plan=True, terms=True, private_time=True),
    StageKind.PLAN: Behaviour(plan=True, terms=True),
    StageKind.PLAN_REVIEW: Behaviour(plan=True, terms=True, plan_review=True),
    # Answers ("why that number?") once the scores are revealed.
    StageKind.SCALING: Behaviour(scaling=True, collects=(Said.REASON,)),
    StageKind.AGREEMENT: Behaviour(plan=True, terms=True, agreement=True),
    StageKind.CHECK_OUT: Behaviour(answers=True, feelings=True, rounds=True, terms=True, collects=ANSWER),
    StageKind.OWN_SPACE: Behaviour(own_space=True),
    StageKind.CHILDS_VOICE: Behaviour(houses=True),
    StageKind.WORRIES: Behaviour(answers=True, map=True, collects=(Said.WORRY, Said.DANGER_STATEMENT)),
    StageKind.WORKING_WELL: Behaviour(answers=True, map=True, collects=(Said.WORKING_WELL,)),
    StageKind.NEEDS_TO_HAPPEN: Behaviour(
        answers=True, map=True, collects=(Said.NEEDS_TO_HAPPEN, Said.SAFETY_GOAL)
    ),
}

ANYONE = frozenset(Side)
PROFESSIONALS = frozenset({Side.PROFESSIONAL})

# Who may give each kind of answer: the side of the person it is from (a chair recording an
# answer for someone gives it as that person). Checked by the server on every answer.
GIVEN_BY: dict[Said, frozenset[Side]] = {
    Said.ANSWER: ANYONE,
    Said.WORRY: ANYONE,
    Said.WORKING_WELL: ANYONE,
    Said.BOTTOM_LINE: PROFESSIONALS,  # a Family Group Conference's: what must happen
    Said.OFFER: ANYONE,
    Said.REASON: ANYONE,
    Said.DANGER_STATEMENT: PROFESSIONALS,
    Said.NEEDS_TO_HAPPEN: ANYONE,
    Said.SAFETY_GOAL: PROFESSIONALS,
}


def of(kind: StageKind) -> Behaviour:
    return BEHAVIOUR[kind]


def may_give(side: Side, kind: Said) -> bool:
    return side in GIVEN_BY[kind]


def collected(kind: StageKind) -> list[dict]:
    """What a stage's answers may be, the default first, and which sides may give each: sent with
    every stage, so a page offers each person only what they may give."""
    return [
        {"kind": said.value, "by": sorted(side.value for side in GIVEN_BY[said])} for said in of(kind).collects
    ]


def kinds(**wanted: bool) -> frozenset[StageKind]:
    """The kinds of stage that do all of `wanted`: `kinds(rounds=True)`."""
    return frozenset(k for k, b in BEHAVIOUR.items() if all(getattr(b, name) == v for name, v in wanted.items()))
