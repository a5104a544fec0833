"""Languages: every string a person reads goes through Flask-Babel, in the viewer's language.

Whose language a page is in, decided here once: a room screen shows its meeting's language
(the view says so with `use_language`); everyone else has the language chosen on this device
(a cookie set by `web/language.py` or the join form), else the browser's first preference we
have a catalogue for, else English.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale, refresh

from facilitator.extensions import babel

LANGUAGE_COOKIE = "facilitator_language"


@dataclass(frozen=True)
class Language:
    code: str
    # The language's name in itself ("Cymraeg", "اردو"): how a speaker finds it in a list.
    name: str
    direction: str  # "ltr" or "rtl"


def languages() -> list[Language]:
    """The languages on offer, as configured, each named in its own words."""
    out = []
    for code in current_app.config["LANGUAGES"]:
        locale = Locale.parse(code)
        name = locale.get_display_name(locale) or code
        out.append(Language(code, name[:1].upper() + name[1:], locale.text_direction))
    return out


def choices() -> list[tuple[str, str, dict]]:
    """The languages as a form's options, each option marked with its own language."""
    return [(language.code, language.name, {"lang": language.code}) for language in languages()]


def known(code: str | None) -> str | None:
    """The code if it is one of ours, else None: nothing else reaches a cookie or a column."""
    return code if code in current_app.config["LANGUAGES"] else None


def browser_language() -> str:
    return request.accept_languages.best_match(current_app.config["LANGUAGES"]) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_locale() -> str | None:
    if not has_request_context():
        return None
    return g.get("language") or known(request.cookies.get(LANGUAGE_COOKIE)) or browser_language()


def use_language(code: str) -> None:
    """Show this request's page in `code` whatever the device chose (a room screen)."""
    g.language = known(code) or current_app.config["BABEL_DEFAULT_LOCALE"]
    refresh()


def remember_language(response, code: str):
    """Remember a device's choice for a year: a phone keeps its language from one meeting to the next."""
    response.set_cookie(
        LANGUAGE_COOKIE,
        code,
        max_age=365 * 24 * 3600,
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
    )
    return response


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.context_processor(
        lambda: {
            "html_lang": html_lang(),
            "html_dir": html_dir(),
            "date_locale": date_locale(),
            "languages": languages,
            "current_language": current_language,
        }
    )


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale else "en"


def date_locale() -> str:
    """How the live pages' scripts write times and dates, as the server's pages do: English as a
    British council writes it ("en-GB": 24-hour clock, day before month); other languages by
    their own rules."""
    locale = get_locale()
    if not locale or locale.language == "en":
        return "en-GB"
    return html_lang()


def html_lang() -> str:
    """The page language as HTML writes it: en-GB, not en_GB."""
    locale = get_locale()
    return str(locale).replace("_", "-") if locale else "en"


def html_dir() -> str:
    locale = get_locale()
    return locale.text_direction if locale else "ltr"
