"""Languages: every string a person reads goes through Flask-Babel."""

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale

from facilitator.extensions import babel


def select_locale() -> str | None:
    """The browser's preferred language among those the app has translations for."""
    if not has_request_context():
        return None
    return request.accept_languages.best_match(current_app.config["LANGUAGES"])


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.context_processor(lambda: {"html_lang": html_lang(), "date_locale": date_locale()})


def date_locale() -> str:
    """How the live pages' scripts write times and dates, as the server's pages do: a British
    council's, so "en-GB" (24-hour clock, day before month) where the language names no region."""
    locale = get_locale()
    if not locale:
        return "en-GB"
    return f"{locale.language}-{locale.territory or 'GB'}"


def html_lang() -> str:
    """The page language as HTML writes it: en-GB, not en_GB."""
    locale = get_locale()
    return str(locale).replace("_", "-") if locale else "en"
