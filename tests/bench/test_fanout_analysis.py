"""The load benchmark's judgement of what the clients saw: a delivery that never came, and
anything a shut-out professional received in private family time, must show in its figures."""

import pytest

from bench.clients import ClientSpec, Received, Sent, Step, WorkerResult
from bench.fanout import Load, analyse, relay_clients, script

ROLES = ("chair", "screen", "family", "family", "professional")


@pytest.fixture
def room():
    return [ClientSpec(index, 0, role, {"meeting": 1}, "") for index, role in enumerate(ROLES)]


def step(command, sender, audience="all"):
    return Step(0.0, 0, sender, command, {}, audience)


def arrivals(event, key, clients, at=1.0):
    return [Received(client, key, event, at) for client in clients]


def test_every_other_client_counts_and_a_missing_one_shows(room):
    said = Sent(step("contribute", sender=2), sent=0.0, key=7)
    complete = analyse(
        [room], [WorkerResult(sent=[said], received=arrivals("contribution_added", 7, [0, 1, 3, 4]))], False
    )
    assert (complete["expected"], complete["delivered"], complete["completeness"]) == (4, 4, 100.0)
    assert complete["p50"] == pytest.approx(1000.0)

    lost = analyse(
        [room], [WorkerResult(sent=[said], received=arrivals("contribution_added", 7, [0, 1, 3]))], False
    )
    assert (lost["expected"], lost["delivered"]) == (4, 3) and lost["completeness"] == 75.0


def test_in_private_time_only_the_screen_and_the_family_are_expected(room):
    family_only = Sent(step("add_action", sender=2, audience="family"), sent=0.0, key=6)
    result = analyse(
        [room], [WorkerResult(sent=[family_only], received=arrivals("action_saved", 6, [1, 3]))], False
    )
    assert (result["expected"], result["delivered"]) == (2, 2)


def private_time(received):
    sent = [
        Sent(step("start_private_time", sender=0, audience="everyone"), sent=0.0, key=5),
        Sent(step("add_action", sender=2, audience="family"), sent=1.0, key=6),
        Sent(step("end_private_time", sender=2, audience="everyone"), sent=2.0, key=7),
    ]
    everyone = [
        *arrivals("private_time_changed", 5, [0, 1, 2, 3, 4], at=0.5),
        *arrivals("action_saved", 6, [1, 3], at=1.5),
        *arrivals("private_time_changed", 7, [0, 1, 2, 3, 4], at=2.5),
    ]
    return sent, everyone + received


def test_a_professional_given_the_familys_action_in_private_time_is_a_leak(room):
    sent, received = private_time([])
    clean = analyse([room], [WorkerResult(sent=sent, received=received)], False)
    assert clean["private_leaks"] == 0 and clean["completeness"] == 100.0

    sent, received = private_time([Received(4, 6, "action_saved", 1.5)])
    assert analyse([room], [WorkerResult(sent=sent, received=received)], False)["private_leaks"] == 1

    sent, received = private_time(
        [Received(0, 3, "contribution_added", 1.8)]
    )  # old news, but mid private time
    assert analyse([room], [WorkerResult(sent=sent, received=received)], False)["private_leaks"] == 1


def test_both_servers_get_the_same_script():
    load = Load(meetings=3, people=30, seed=5)
    rooms = relay_clients(load)
    first, again = script(rooms, {}, [], load), script(rooms, {}, [], load)
    assert [(s.at, s.sender, s.command) for s in first] == [(s.at, s.sender, s.command) for s in again]
    per_meeting = [s for s in first if s.meeting == 0]
    assert sum(s.command == "contribute" for s in per_meeting) == 30 + 12 + 6  # check-in, offers, offers
    assert [s.command for s in per_meeting if "private" in s.command] == [
        "start_private_time",
        "end_private_time",
    ]
