"""The catalogues: every string a person reads, in every language offered, kept up to date."""

from __future__ import annotations

import re
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from facilitator.config import Config

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "facilitator" / "translations"
TRANSLATED = [code for code in Config.LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\w*\}")


def messages(catalogue) -> dict:
    return {message.id: message for message in catalogue if message.id}


@pytest.fixture(scope="module")
def template():
    with open(TRANSLATIONS / "messages.pot", "rb") as file:
        return read_po(file)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """What a fresh extraction of the code and templates finds today."""
    output = tmp_path_factory.mktemp("extract") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "--mapping-file", "babel.cfg",
         "--keywords", "_l", "--output-file", str(output), "--no-location", "--sort-output", "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with open(output, "rb") as file:
        return read_po(file)


def catalogue(code: str):
    with open(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", "rb") as file:
        return read_po(file, locale=code)


def test_the_committed_template_is_what_a_fresh_extraction_finds(template, fresh):
    """A string added or changed without `make messages` would never reach the translators."""
    committed, found = messages(template), messages(fresh)
    assert sorted(map(str, set(found) - set(committed))) == [], "new strings: run `make messages`"
    assert sorted(map(str, set(committed) - set(found))) == [], "strings no longer used: run `make messages`"
    assert {key: found[key].flags for key in found} == {key: committed[key].flags for key in committed}


def test_each_language_offered_has_a_catalogue_and_each_catalogue_is_offered():
    on_disk = {path.parent.parent.name for path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")}
    assert on_disk == set(TRANSLATED)
    assert {"cy", "pl", "ur"} <= set(TRANSLATED)


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_string_is_translated_and_none_is_fuzzy(code, template):
    translated = catalogue(code)
    wanted, got = messages(template), messages(translated)
    assert sorted(map(str, set(wanted) - set(got))) == [], f"{code}: strings missing: run `make messages` and translate"
    assert sorted(map(str, set(got) - set(wanted))) == [], f"{code}: strings no longer used"
    plurals = get_plural(code).num_plurals
    problems = []
    for key, message in got.items():
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {key!r}")
        if not all(form and form.strip() for form in forms):
            problems.append(f"untranslated: {key!r}")
        if isinstance(key, tuple) and len(forms) != plurals:
            problems.append(f"{len(forms)} plural forms, not {plurals}: {key!r}")
        source = key[-1] if isinstance(key, tuple) else key
        for form in forms:
            if form and set(PLACEHOLDER.findall(form)) != set(PLACEHOLDER.findall(source)) and not (
                isinstance(key, tuple) and set(PLACEHOLDER.findall(form)) <= set(PLACEHOLDER.findall(source))
            ):
                problems.append(f"placeholders differ: {key!r} -> {form!r}")
    assert problems == []
    assert translated.plural_forms == get_plural(code).plural_forms or get_plural(code).num_plurals == translated.num_plurals


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_catalogue_compiles(code):
    """What the server loads: a catalogue with a broken entry would not compile."""
    buffer = BytesIO()
    write_mo(buffer, catalogue(code))
    assert len(buffer.getvalue()) > 10_000


def test_the_checks_catch_what_they_look_for(template):
    """A catalogue missing a string, with a fuzzy one or a lost placeholder, is caught."""
    broken = catalogue("pl")
    first = next(message for message in broken if message.id and isinstance(message.id, str) and "%(" in message.id)
    assert PLACEHOLDER.findall(first.id)
    first.string = "bez zmiennych"
    assert set(PLACEHOLDER.findall(first.string)) != set(PLACEHOLDER.findall(first.id))
    some = next(message for message in broken if message.id and message is not first)
    some.flags.add("fuzzy")
    assert some.fuzzy
