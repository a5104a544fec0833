"""What each kind of stage does, in one table.

The server decides with it (who may answer, what an answer is) and sends it with every stage in
the snapshot (`stage.does`), so the console, the room screen and the phones read the same facts
instead of each keeping its own lists of stage kinds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from facilitator.models.agenda import StageKind


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

    def as_dict(self) -> dict[str, bool]:
        """Only what the stage does: `stage.does.plan` is true or absent on the pages."""
        return {name: True for name, value in asdict(self).items() if value}


BEHAVIOUR: dict[StageKind, Behaviour] = {
    StageKind.WELCOME: Behaviour(answers=True, rounds=True),
    StageKind.CHECK_IN: Behaviour(answers=True, feelings=True, rounds=True),
    StageKind.QUESTION_ROUND: Behaviour(answers=True, rounds=True),
    StageKind.INFORMATION_SHARING: Behaviour(answers=True, sorted=True),
    StageKind.OFFERS: Behaviour(answers=True, offers=True, plan=True),
    StageKind.PRIVATE_TIME: Behaviour(plan=True, terms=True, private_time=True),
    StageKind.PLAN: Behaviour(plan=True, terms=True),
    StageKind.PLAN_REVIEW: Behaviour(plan=True, terms=True, plan_review=True),
    StageKind.SCALING: Behaviour(scaling=True),
    StageKind.AGREEMENT: Behaviour(plan=True, terms=True, agreement=True),
    StageKind.CHECK_OUT: Behaviour(answers=True, feelings=True, rounds=True, terms=True),
    StageKind.OWN_SPACE: Behaviour(own_space=True),
    StageKind.CHILDS_VOICE: Behaviour(houses=True),
}


def of(kind: StageKind) -> Behaviour:
    return BEHAVIOUR[kind]


def kinds(**wanted: bool) -> frozenset[StageKind]:
    """The kinds of stage that do all of `wanted`: `kinds(rounds=True)`."""
    return frozenset(k for k, b in BEHAVIOUR.items() if all(getattr(b, name) == v for name, v in wanted.items()))
