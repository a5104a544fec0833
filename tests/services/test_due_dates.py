"""When an action is due, read from the words the family wrote: the order of "Who will do what"
in the family's copy. The words are shown as written; only the order comes from here."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from facilitator.services.due import due_on, soonest_first

HELD = date(2026, 12, 1)  # a Tuesday


@pytest.mark.parametrize(
    ("words", "due"),
    [
        # Dates, as people write them: day first, the year when they give it.
        ("Friday 15 January 2027", date(2027, 1, 15)),
        ("by 21 December", date(2026, 12, 21)),
        ("21st of December", date(2026, 12, 21)),
        ("March 3rd, 2027", date(2027, 3, 3)),
        ("3 Jan", date(2027, 1, 3)),
        ("11/12/2026", date(2026, 12, 11)),
        ("11/12/26", date(2026, 12, 11)),
        ("1/2", date(2027, 2, 1)),  # 1 February: day first, and ahead of the meeting
        ("14.03.2027", date(2027, 3, 14)),
        ("2027-01-05", date(2027, 1, 5)),
        # A day without a year is the first one on or after the meeting.
        ("1 December", date(2026, 12, 1)),
        ("30 November", date(2027, 11, 30)),
        # A month, after a word that says when.
        ("by March", date(2027, 3, 1)),
        ("by the end of March", date(2027, 3, 31)),
        ("in December", date(2026, 12, 1)),
        ("By the end of January 2027", date(2027, 1, 31)),
        # Days said against the meeting's.
        ("today", HELD),
        ("Straight away", HELD),
        ("tomorrow", date(2026, 12, 2)),
        ("Every Friday", date(2026, 12, 4)),
        ("Every Friday from 5pm", date(2026, 12, 4)),
        ("Next Tuesday", date(2026, 12, 8)),  # the first Tuesday after the meeting
        ("within 3 days", date(2026, 12, 4)),
        ("in two weeks", date(2026, 12, 15)),
        ("a fortnight", date(2026, 12, 15)),
        ("in 2 months", date(2027, 2, 1)),
        ("From next week", date(2026, 12, 7)),
        ("By the end of the month", date(2026, 12, 31)),
        ("next month", date(2027, 1, 1)),
        ("every day", date(2026, 12, 2)),
        ("weekly", date(2026, 12, 8)),
        # Two days named: the sooner.
        ("from 3 January to 1 January", date(2027, 1, 1)),
    ],
)
def test_the_day_an_action_is_due_is_read_from_its_words(words, due):
    assert due_on(words, HELD) == due


@pytest.mark.parametrize(
    "words",
    [
        "",
        "Soon",
        "When Jay is ready",
        "Jan will ring the school",  # a name, not January
        "Nan may help",  # a verb, not May
        "March in the parade",  # a verb, not a month
        "at 5.30 pm",  # a time, not 5 March
        "31/2",  # no such day
        "ongoing",
    ],
)
def test_words_with_no_day_in_them_have_none(words):
    assert due_on(words, HELD) is None


@pytest.mark.parametrize(
    ("words", "due"),
    [
        ("14 marca", date(2027, 3, 14)),  # Polish, as written in a date
        ("do 14 marca 2027", date(2027, 3, 14)),
        ("w piątek", date(2026, 12, 4)),
        ("14 Mawrth 2027", date(2027, 3, 14)),  # Welsh
        ("dydd Gwener", date(2026, 12, 4)),
        ("14 مارچ 2027", date(2027, 3, 14)),  # Urdu
    ],
)
def test_month_and_day_names_are_read_in_every_language_offered(words, due):
    app = Flask(__name__)
    app.config["LANGUAGES"] = ("en", "cy", "pl", "ur")
    with app.app_context():
        assert due_on(words, HELD) == due


def test_soonest_first_puts_those_without_a_day_last_in_the_order_written():
    actions = ["club", "course", "bike", "school run", "GP"]
    when = ["When Jay is ready", "15 January 2027", "", "Every Monday", "11/12/2026"]
    assert soonest_first(actions, when, HELD) == ["school run", "GP", "course", "club", "bike"]


def test_the_same_words_give_the_same_order_whenever_the_copy_is_opened():
    """Read against the day the meeting was held, never today: a copy opened months later lists
    its actions as it did on the day."""
    when = ["Next Tuesday", "by 21 December"]
    assert soonest_first(["a", "b"], when, HELD) == ["a", "b"]
    assert soonest_first(["a", "b"], when, date(2026, 12, 15)) == ["b", "a"]  # held a fortnight on
