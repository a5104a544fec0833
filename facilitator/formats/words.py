"""A format's words in each viewer's language.

A stage copied from a format keeps its format's English words and the key of the template
it came from (`Stage.template`, "family_group_conference/3"). Shown, a title or question
line that is still the template's own is translated into the viewer's language; a line the
chair typed or changed is shown as written. People's own words are never translated.
"""

from __future__ import annotations

from functools import cache

from flask_babel import force_locale, gettext

from facilitator import formats
from facilitator.formats import Format, StageTemplate
from facilitator.models import Meeting, Stage


def key_of(meeting_format: Format, index: int) -> str:
    return f"{meeting_format.key}/{index}"


def _template(key: str | None) -> StageTemplate | None:
    if not key:
        return None
    format_key, _, index = key.partition("/")
    meeting_format = formats.get(format_key)
    if meeting_format is None or not index.isdigit() or int(index) >= len(meeting_format.stages):
        return None
    return meeting_format.stages[int(index)]


@cache
def _sources(key: str) -> tuple[str, frozenset[str]]:
    """The template's words as written in the format (English): what a stage stores."""
    template = _template(key)
    if template is None:
        return "", frozenset()
    with force_locale("en"):
        return str(template.title), frozenset(str(question) for question in template.questions)


def source_title(template: StageTemplate) -> str:
    with force_locale("en"):
        return str(template.title)


def source_prompt(template: StageTemplate) -> str:
    with force_locale("en"):
        return "\n".join(str(question) for question in template.questions)


def title(stage: Stage) -> str:
    source, _ = _sources(stage.template) if stage.template else ("", frozenset())
    return gettext(stage.title) if source and stage.title == source else stage.title


def questions(stage: Stage) -> list[str]:
    _, sources = _sources(stage.template) if stage.template else ("", frozenset())
    return [gettext(line) if line in sources else line for line in stage.questions]


def page_words(meeting: Meeting, language: str | None = None) -> dict[str, str]:
    """English to this viewer's language (or `language`) for the format words in the meeting's
    agenda: the live pages translate a stage's words with it when the stage comes from a format."""
    sources = {text for stage in meeting.stages if stage.template for text in _all(stage.template)}
    if language is None:
        return {text: gettext(text) for text in sorted(sources)}
    with force_locale(language):
        return {text: gettext(text) for text in sorted(sources)}


def _all(key: str) -> tuple[str, ...]:
    source, sources = _sources(key)
    return tuple(text for text in (source, *sources) if text)


def say_in(language: str, text: str) -> str:
    """One of the catalogue's strings in another language than the page's (the bilingual room
    screen's second language); the string must also be marked for translation where it is used."""
    with force_locale(language):
        return gettext(text)


def as_written(stage: Stage, typed_title: str, typed_prompt: str) -> tuple[str, str]:
    """What to store for what a chair saved: a line left as the format's words (shown to them
    in their language) stays the format's, and so keeps following each viewer's language."""
    if not stage.template:
        return typed_title, typed_prompt
    source, sources = _sources(stage.template)
    back = {gettext(text): text for text in (source, *sources) if text}
    stored_title = stage.title if typed_title == title(stage) else typed_title
    lines = [back.get(line, line) if line in back and back[line] in sources else line for line in typed_prompt.splitlines()]
    return stored_title, "\n".join(lines)
