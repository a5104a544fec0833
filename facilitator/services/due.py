"""When an action of the plan is due, read from the words the family wrote ("by 14 March",
"14/3", "next Tuesday", "every Friday", "in two weeks"), so that the family's copy can list who
does what soonest first. The words themselves are shown as written; the day read from them only
orders the list. Words with no day in them ("when Jay is ready", "soon") have none: they come
last.

Days are read against the day the meeting was held, not today, so a copy lists its actions in
the same order whenever it is opened: "Tuesday" is the first Tuesday after the meeting, and a
date without a year the first one on or after it. Numbers are read day first (14/3 is 14 March),
as in every language the product speaks; month and weekday names in any of them.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import lru_cache
from typing import TypeVar

from babel import Locale
from babel.dates import get_day_names, get_month_names
from flask import current_app, has_app_context

T = TypeVar("T")

NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a couple of": 2, "a few": 3,
}  # fmt: skip
UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}


def _languages() -> tuple[str, ...]:
    codes = current_app.config.get("LANGUAGES", ("en",)) if has_app_context() else ("en",)
    return tuple(dict.fromkeys(("en", *codes)))


@lru_cache(maxsize=8)
def _names(languages: tuple[str, ...]) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Month names to their number, wide and short ("March", "Mar"; written beside a day), wide
    month names alone, and weekday names (Monday 0), lower-cased, in every language the product
    speaks, as written in a date and on their own. Short weekday names are left out: "sat",
    "sun" and "wed" are words too."""
    months: dict[str, int] = {}
    wide: dict[str, int] = {}
    days: dict[str, int] = {}
    for code in languages:
        locale = Locale.parse(code)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in get_month_names(width, context, locale).items():
                    months.setdefault(name.lower().rstrip("."), number)
                    if width == "wide":
                        wide.setdefault(name.lower(), number)
            for number, name in get_day_names("wide", context, locale).items():
                days.setdefault(name.lower(), number)
    months.setdefault("sept", 9)
    return months, wide, days


def _alternatives(names: Iterable[str]) -> str:
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


def _year(written: str | None) -> int | None:
    if not written:
        return None
    number = int(written)
    return number + 2000 if number < 100 else number


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _on_or_after(held: date, month: int, day: int, year: int | None) -> date | None:
    """The day named; without a year, the first one on or after the meeting."""
    if year is not None:
        return _day(year, month, day)
    found = _day(held.year, month, day)
    if found is not None and found >= held:
        return found
    return _day(held.year + 1, month, day)


def _last_of(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_ORDINAL = r"(?:st|nd|rd|th|ed|af|ydd|fed|eg|\.)?"
_BOUND = r"(?<![\w])"
_END = r"(?![\w])"


def due_on(text: str, held: date) -> date | None:
    """The earliest day the words name, or None where they name none."""
    if not text:
        return None
    words = " ".join(text.lower().split())
    months, wide, days = _names(_languages())
    month_names, day_names = _alternatives(months), _alternatives(days)
    found: list[date] = []

    def add(day: date | None) -> None:
        if day is not None:
            found.append(day)

    for year, month, day in re.findall(rf"{_BOUND}(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_END}", words):
        add(_day(int(year), int(month), int(day)))
    # 14/3, 14.03.2027; never a time ("at 5.30", "5.30 pm").
    numeric = rf"{_BOUND}(?<!at\s)(\d{{1,2}})[/.](\d{{1,2}})(?:[/.](\d{{4}}|\d{{2}}))?{_END}"
    numeric += rf"(?!\s*[ap]\.?m{_END})"
    for day, month, year in re.findall(numeric, words):
        if 1 <= int(month) <= 12:
            add(_on_or_after(held, int(month), int(day), _year(year)))
    year_after = r"(?:,?\s+(\d{4}))?"
    day_month = rf"{_BOUND}(\d{{1,2}}){_ORDINAL}(?:\s+of)?\s+({month_names}){_END}{year_after}"
    for day, month, year in re.findall(day_month, words):
        add(_on_or_after(held, months[month], int(day), _year(year)))
    month_day = rf"{_BOUND}({month_names})\s+(\d{{1,2}}){_ORDINAL}{_END}{year_after}"
    for month, day, year in re.findall(month_day, words):
        add(_on_or_after(held, months[month], int(day), _year(year)))
    if not found:
        # A month on its own, after a word that says when ("in March", "by the end of March",
        # "from March 2027"): never a name alone, as "Jan" or "May" may be someone, or a verb.
        said_when = r"(?:in|by|from|before|until|till|during|(?:the\s+)?(?:end|start|beginning)\s+of)"
        alone = rf"{_BOUND}({said_when}(?:\s+(?:the\s+)?(?:end|start|beginning)\s+of)?)"
        alone += rf"\s+({_alternatives(wide)}){_END}(?:\s+(\d{{4}}))?"
        for said, month, year in re.findall(alone, words):
            first = _on_or_after(held, wide[month], 1, _year(year))
            if first is not None and not year and (first.year, first.month) == (held.year + 1, held.month):
                first = held  # "in December", said in December
            if first is not None:
                add(_last_of(first.year, first.month) if re.search(r"\bend\b", said) else first)
    if not found:
        add(_relative(words, held, day_names, days))
    return min(found) if found else None


def _relative(words: str, held: date, day_names: str, days: dict[str, int]) -> date | None:
    """Days said against the meeting's: today, tomorrow, a weekday, in two weeks, next month."""
    if re.search(rf"{_BOUND}(today|tonight|now|straight away|right away|asap|immediately){_END}", words):
        return held
    if re.search(rf"{_BOUND}tomorrow{_END}", words):
        return held + timedelta(days=1)
    match = re.search(rf"{_BOUND}({day_names}){_END}", words)
    if match:
        # "Tuesday", "next Tuesday", "every Tuesday": the first one after the meeting.
        return held + timedelta(days=(days[match.group(1)] - held.weekday() - 1) % 7 + 1)
    number = _alternatives(NUMBERS)
    match = re.search(rf"{_BOUND}(\d+|{number})\s+(day|week|fortnight|month)s?{_END}", words)
    if match:
        count = int(match.group(1)) if match.group(1).isdigit() else NUMBERS[match.group(1)]
        unit = match.group(2)
        if unit == "month":
            return _add_months(held, count)
        return held + timedelta(days=count * UNIT_DAYS[unit])
    # Again and again from now: first due a day, a week or a month after the meeting.
    if re.search(rf"{_BOUND}(every\s+day|daily|each\s+day){_END}", words):
        return held + timedelta(days=1)
    if re.search(rf"{_BOUND}(every\s+week|weekly|each\s+week){_END}", words):
        return held + timedelta(days=7)
    if re.search(rf"{_BOUND}(every\s+fortnight|fortnightly){_END}", words):
        return held + timedelta(days=14)
    if re.search(rf"{_BOUND}(every\s+month|monthly|each\s+month){_END}", words):
        return _add_months(held, 1)
    if re.search(rf"{_BOUND}(end\s+of\s+(the|this)\s+week|this\s+week){_END}", words):
        return held + timedelta(days=(4 - held.weekday()) % 7)  # the Friday
    if re.search(rf"{_BOUND}next\s+week{_END}", words):
        return held + timedelta(days=7 - held.weekday())  # the Monday after
    if re.search(rf"{_BOUND}(a\s+)?fortnight{_END}", words):
        return held + timedelta(days=14)
    if re.search(rf"{_BOUND}(end\s+of\s+(the|this)\s+month|this\s+month){_END}", words):
        return _last_of(held.year, held.month)
    if re.search(rf"{_BOUND}next\s+month{_END}", words):
        return _add_months(held.replace(day=1), 1)
    if re.search(rf"{_BOUND}(end\s+of\s+(the|this)\s+year|this\s+year){_END}", words):
        return date(held.year, 12, 31)
    if re.search(rf"{_BOUND}next\s+year{_END}", words):
        return date(held.year + 1, 1, 1)
    return None


def soonest_first(items: Sequence[T], when: Iterable[str], held: date) -> list[T]:
    """The items in the order they are due, each due as its words say (`when`, in the same
    order); those without a day last, in the order they were written."""
    due = [due_on(words, held) for words in when]
    order = sorted(range(len(items)), key=lambda n: (due[n] is None, due[n] or held, n))
    return [items[n] for n in order]
