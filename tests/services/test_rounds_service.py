"""Rounds at the service level: the talking piece round the circle, late answers, and
private scores, for the edge cases that are awkward to reach over a socket."""

import uuid

import pytest
from sqlalchemy import func, select

from facilitator.extensions import db
from facilitator.models import Admission, Contribution, Meeting, RoundDisplay, Score, Stage, StageKind
from facilitator.services import contributions, people, rounds, running
from facilitator.services.errors import ValidationError


@pytest.fixture
def meeting(app, make_meeting):
    """A live check-in circle (welcome, check-in, check-out), at its check-in round."""
    made = make_meeting("Circle for the T. family", format_key="check_in_circle")
    with app.test_request_context():
        meeting = db.session.get(Meeting, made.id)
        running.start(meeting)
        running.go_to(meeting, 1)
        yield meeting


def person(meeting, name, side="family", admission=Admission.ADMITTED):
    added = people.add_person(meeting, people.PersonDetails(name, "", side))
    added.admission = admission
    db.session.commit()
    return added


def say(meeting, who, text, **details):
    return contributions.add(meeting, who, str(uuid.uuid4()), text, **details)[0]


@pytest.fixture
def circle(meeting):
    """Ann, Ben, Cat and Dev, let in in that order."""
    return [person(meeting, name) for name in ("Ann", "Ben", "Cat", "Dev")]


def test_the_piece_goes_round_the_circle_and_wraps_to_whoever_is_left(meeting, circle):
    ann, ben, cat, dev = circle
    stage = meeting.current_stage
    say(meeting, ben, "Here for the kids")
    say(meeting, dev, "Hopeful")

    assert rounds.next_turn(meeting, stage, None) == ann.id
    assert rounds.next_turn(meeting, stage, ann.id) == cat.id
    assert rounds.next_turn(meeting, stage, cat.id) == ann.id  # past the end, round to the start
    say(meeting, ann, "Tired")
    assert rounds.next_turn(meeting, stage, dev.id) == cat.id
    say(meeting, cat, "Calm")
    assert rounds.next_turn(meeting, stage, None) is None


def test_the_circle_leaves_out_people_waiting_turned_away_or_gone(meeting, circle):
    ann, ben, cat, _ = circle
    person(meeting, "Lee", admission=Admission.LOBBY)
    person(meeting, "Rob", admission=Admission.DECLINED)
    person(meeting, "Gus", admission=Admission.EXPECTED)
    running.leave(ben)

    assert [p.name for p in rounds.circle(meeting)] == ["Ann", "Cat", "Dev"]
    assert rounds.next_turn(meeting, meeting.current_stage, ann.id) == cat.id
    assert rounds.next_turn(meeting, meeting.current_stage, ben.id) == ann.id  # gone: start again


def test_turning_the_piece_on_and_off_moves_the_version_once_each(meeting, circle):
    version = meeting.version
    stage = rounds.set_talking_piece(meeting, True)
    assert (stage.talking_piece, stage.turn_participant_id, meeting.version) == (
        True,
        circle[0].id,
        version + 1,
    )
    rounds.set_talking_piece(meeting, True)
    assert meeting.version == version + 1
    stage = rounds.set_talking_piece(meeting, False)
    assert (stage.talking_piece, stage.turn_participant_id, meeting.version) == (False, None, version + 2)


def test_changing_display_and_piece_together_is_one_change(meeting, circle):
    version = meeting.version
    stage = rounds.set_round(meeting, display="unnamed", talking_piece=True)
    assert (stage.display, stage.talking_piece, meeting.version) == (RoundDisplay.UNNAMED, True, version + 1)


def test_a_partly_wrong_round_change_changes_nothing(meeting, circle):
    version = meeting.version
    with pytest.raises(ValidationError):
        rounds.set_round(meeting, display="unnamed", talking_piece="on")
    db.session.rollback()
    db.session.expire_all()
    assert (meeting.current_stage.display, meeting.version) == (RoundDisplay.NAMED, version)


def test_out_of_turn_is_refused_but_a_late_answer_to_an_earlier_round_is_not(meeting, circle):
    ann, ben, _, _ = circle
    check_in = meeting.current_stage
    rounds.set_talking_piece(meeting, True)
    with pytest.raises(rounds.NotYourTurn, match="Ann"):
        say(meeting, ben, "Me first")
    db.session.rollback()
    running.go_to(meeting, 2)  # check-out; the check-in round still has the piece with Ann

    late = say(meeting, ben, "Sent late", stage_id=check_in.id)

    assert late.stage_id == check_in.id
    assert db.session.get(Stage, check_in.id).turn_participant_id == ann.id


def test_passing_to_someone_outside_the_circle_is_refused(meeting, circle):
    ann, ben, _, _ = circle
    lee = person(meeting, "Lee", admission=Admission.LOBBY)
    rounds.set_talking_piece(meeting, True)
    running.leave(ben)
    for someone in (lee.id, ben.id, 0, -1, True, "1", [ann.id], 10**20):
        with pytest.raises(ValidationError):
            rounds.pass_turn(meeting, someone)
        db.session.rollback()
    assert meeting.current_stage.turn_participant_id == ann.id


def test_nothing_is_asked_of_a_round_before_the_meeting_starts(app, make_meeting):
    made = make_meeting("Circle for the V. family", format_key="check_in_circle")
    with app.test_request_context():
        meeting = db.session.get(Meeting, made.id)
        for attempt in (
            lambda: rounds.set_display(meeting, "unnamed"),
            lambda: rounds.set_talking_piece(meeting, True),
            lambda: rounds.pass_turn(meeting),
            lambda: rounds.reveal(meeting),
        ):
            with pytest.raises(ValidationError):
                attempt()


@pytest.fixture
def scale(app, make_meeting):
    """A live Signs of Safety meeting at its safety scale, with Kerry and Dan let in."""
    made = make_meeting("SoS for the W. family", format_key="signs_of_safety")
    with app.test_request_context():
        meeting = db.session.get(Meeting, made.id)
        running.start(meeting)
        position = next(s.position for s in meeting.stages if s.kind is StageKind.SCALING)
        running.go_to(meeting, position)
        yield meeting, person(meeting, "Kerry"), person(meeting, "Dan", side="professional")


def test_a_score_is_kept_once_per_person_and_changes_until_the_reveal(scale):
    meeting, kerry, dan = scale
    version = meeting.version
    rounds.score(meeting, kerry, 6)
    rounds.score(meeting, kerry, 6)
    assert meeting.version == version + 1
    rounds.score(meeting, kerry, 2)
    rounds.score(meeting, dan, 9)
    assert meeting.version == version + 3
    assert [(s.participant_id, s.value) for s in rounds.scores_of(meeting.current_stage)] == [
        (kerry.id, 2),
        (dan.id, 9),
    ]
    assert db.session.scalar(select(func.count()).select_from(Score)) == 2

    rounds.reveal(meeting)
    revealed_at = meeting.current_stage.revealed_at
    rounds.reveal(meeting)
    assert meeting.version == version + 4 and meeting.current_stage.revealed_at == revealed_at
    with pytest.raises(ValidationError):
        rounds.score(meeting, kerry, 3)
    db.session.rollback()
    assert [s.value for s in rounds.scores_by(kerry)] == [2]


def test_a_why_is_only_taken_once_the_scores_are_shown(scale):
    meeting, kerry, _ = scale
    stage = meeting.current_stage
    assert contributions.takes_answers(stage) is False
    with pytest.raises(ValidationError):
        say(meeting, kerry, "Because")
    db.session.rollback()
    rounds.reveal(meeting)
    assert contributions.takes_answers(stage) is True
    assert say(meeting, kerry, "Because").kind.value == "reason"


def test_two_resends_racing_store_one_answer(meeting, circle, monkeypatch):
    """The second of two identical sends arriving at once hits the unique key, and is answered
    with the stored answer; the meeting's version moves once, for the first."""
    ann = circle[0]
    first, _ = contributions.add(meeting, ann, "ann-check-in-0001", "Hopeful")
    version = meeting.version
    looked_up = []
    stored_answer = contributions._stored

    def not_yet_seen(meeting, client_id):
        looked_up.append(client_id)
        return None if len(looked_up) == 1 else stored_answer(meeting, client_id)

    monkeypatch.setattr(contributions, "_stored", not_yet_seen)

    stored, is_new = contributions.add(meeting, ann, "ann-check-in-0001", "Hopeful")

    assert (stored.id, is_new) == (first.id, False)
    assert len(looked_up) == 2  # it did try to store it, and then found the other one's
    assert db.session.scalars(select(Contribution.id)).all() == [first.id]
    assert db.session.get(Meeting, meeting.id).version == version
