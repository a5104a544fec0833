"""Settings, read from the environment once, when the app is created.

Each environment (development, test, production) is a class of defaults;
`load_config` picks one from ``FACILITATOR_ENV``, lays the environment over it
and checks the result, so a misconfigured server stops at start-up with one
line that says what to set, not later with a half-working meeting.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

ENVIRONMENTS = ("development", "production", "test")
ASYNC_MODES = ("eventlet", "gevent", "threading")
# What erasing a person does with their words (`Config.ERASURE_WORDS`).
ERASURE_POLICIES = ("replace", "keep-unnamed")
# Placeholders people copy from examples; none of them is a secret.
WEAK_SECRET_KEYS = {"dev", "change-me", "changeme", "secret", "secret-key", "test"}
MIN_SECRET_KEY_LENGTH = 32

# Setting name -> environment variable that sets it.
FROM_ENVIRONMENT = {
    "SECRET_KEY": "SECRET_KEY",
    "SQLALCHEMY_DATABASE_URI": "DATABASE_URL",
    "SOCKETIO_MESSAGE_QUEUE": "SOCKETIO_MESSAGE_QUEUE",
    "SOCKETIO_CHANNEL": "SOCKETIO_CHANNEL",
    "ASYNC_MODE": "ASYNC_MODE",
    "PUBLIC_URL": "PUBLIC_URL",
    "BABEL_DEFAULT_TIMEZONE": "TIMEZONE",
    "QUICK_EXIT_URL": "QUICK_EXIT_URL",
    "ERASURE_WORDS": "ERASURE_WORDS",
}
FLAGS_FROM_ENVIRONMENT = {"SESSION_COOKIE_SECURE": "SESSION_COOKIE_SECURE"}
SECONDS_FROM_ENVIRONMENT = {
    "PRESENCE_BEAT_SECONDS": "PRESENCE_BEAT_SECONDS",
    "PRESENCE_STALE_SECONDS": "PRESENCE_STALE_SECONDS",
}
DAYS_FROM_ENVIRONMENT = {
    "MEETING_RETENTION_DAYS": "MEETING_RETENTION_DAYS",
    "AUDIT_RETENTION_DAYS": "AUDIT_RETENTION_DAYS",
}


class ConfigError(RuntimeError):
    """The environment does not describe a server that can start safely."""


class Config:
    """Defaults shared by every environment; production uses them as they are."""

    ENV_NAME = "production"
    SECRET_KEY: str | None = None
    # None means "a SQLite file in the instance folder".
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    SOCKETIO_MESSAGE_QUEUE: str | None = None
    # Every process sharing one message queue must use the same channel.
    SOCKETIO_CHANNEL = "facilitator"
    # Each server process says it is alive this often; one silent for the stale limit has died,
    # and another takes its phones off "who is here" (they reconnect to a living process).
    PRESENCE_BEAT_SECONDS = 10
    PRESENCE_STALE_SECONDS = 30
    # Phones of a meeting that come or go within this long are told to it as one event: after a
    # restart, a room's thirty phones come back within a second (docs/performance.md).
    PRESENCE_BATCH_SECONDS = 0.25
    ASYNC_MODE = "threading"
    # The address phones use to reach this server (printed, encoded in QR codes).
    # Empty: taken from each request.
    PUBLIC_URL = ""
    # How many proxies in front of the app to believe about the client's address (the last
    # X-Forwarded-For entries): 1 behind deploy/nginx.conf. 0 (no proxy) ignores the header, which
    # anyone could send. Limits per network address (services/throttle.py) count what this gives.
    TRUSTED_PROXIES = 0
    # A phone never needs to send more than a few kilobytes at once.
    SOCKETIO_MAX_MESSAGE_BYTES = 64 * 1024
    # Werkzeug's scrypt: slow on purpose, so a stolen table resists guessing.
    PASSWORD_HASH_METHOD = "scrypt"
    # Where "Exit this page" goes: a neutral site, as on GOV.UK services.
    QUICK_EXIT_URL = "https://www.bbc.co.uk/weather"
    # How long a phone is remembered as the same person in a meeting.
    DEVICE_COOKIE_DAYS = 30
    # How long a closed meeting is kept before `flask purge-expired` deletes it, every row of it
    # (services/retention.py). The council's record is its own case system's: this tool holds
    # the meeting, not the file. Ninety days is time to print or export the summary, check it,
    # make amendments and set up the review; a meeting a kept review carries on from is kept
    # with it. Open meetings are never deleted by age.
    MEETING_RETENTION_DAYS = 90
    # How long an audit entry (who did what to which meeting, when) is kept. Longer than the
    # content: a complaint, a subject access request or an inquiry about how a meeting was
    # handled can come well after the meeting itself has been deleted.
    AUDIT_RETENTION_DAYS = 730
    # When one person's details are erased at their request (services/erasure.py), what becomes
    # of their words in the meeting's record, as the council's policy says: "replace" puts the
    # chair's marker ("Removed at the person's request.") in place of each thing they said or
    # wrote; "keep-unnamed" keeps the words, under the marker that replaces their name.
    ERASURE_WORDS = "replace"

    SESSION_COOKIE_NAME = "facilitator_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    PERMANENT_SESSION_LIFETIME = 12 * 60 * 60
    MAX_CONTENT_LENGTH = 1024 * 1024
    WTF_CSRF_TIME_LIMIT = 12 * 60 * 60

    # The languages a person may choose, each with a catalogue in facilitator/translations/
    # (docs/translating.md). English first: it is the language of the format's own words.
    LANGUAGES = ("en", "cy", "pl", "ur")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/London"
    TESTING = False


class DevelopmentConfig(Config):
    """A laptop: SQLite, one process, plain HTTP, a key kept in the instance folder."""

    ENV_NAME = "development"
    SESSION_COOKIE_SECURE = False


class TestConfig(Config):
    """The test suite: ignores the environment, so it can never touch a real database."""

    ENV_NAME = "test"
    TESTING = True
    SESSION_COOKIE_SECURE = False
    # Hundreds of sign-ins per run; the tests check which password works, not the hash's cost.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    # The in-process tests read what a connect sent as soon as it returns; one test batches.
    PRESENCE_BATCH_SECONDS = 0.0


class ProductionConfig(Config):
    """A council's server: every setting explicit, nothing guessed."""


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "test": TestConfig,
}


def load_config(overrides: dict[str, Any] | None, instance_path: Path) -> dict[str, Any]:
    """Return the checked settings for the environment named by FACILITATOR_ENV.

    `overrides` (from tests or run.py) win over the environment; an
    ``ENV_NAME`` among them picks the environment. Raises ConfigError with a
    one-line explanation when the settings are unsafe or unknown.
    """
    overrides = dict(overrides or {})
    env_name = overrides.get("ENV_NAME") or os.environ.get("FACILITATOR_ENV") or "production"
    if env_name not in CONFIGS:
        raise ConfigError(
            f"FACILITATOR_ENV={env_name!r} is not known: set it to one of {', '.join(ENVIRONMENTS)}."
        )
    cls = CONFIGS[env_name]
    settings = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
    if env_name != "test":
        settings.update(_from_environment())
    settings.update(overrides)

    if settings["ASYNC_MODE"] not in ASYNC_MODES:
        raise ConfigError(
            f"ASYNC_MODE={settings['ASYNC_MODE']!r} is not known: set it to one of {', '.join(ASYNC_MODES)}."
        )
    if settings["ERASURE_WORDS"] not in ERASURE_POLICIES:
        raise ConfigError(
            f"ERASURE_WORDS={settings['ERASURE_WORDS']!r} is not known: set it to one of {', '.join(ERASURE_POLICIES)}."
        )
    if not settings["SQLALCHEMY_DATABASE_URI"]:
        settings["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance_path / 'facilitator.sqlite3'}"
    settings["PUBLIC_URL"] = settings["PUBLIC_URL"].rstrip("/")
    settings["SECRET_KEY"] = _secret_key(settings["SECRET_KEY"], env_name, instance_path)
    return settings


def _from_environment() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for setting, variable in FROM_ENVIRONMENT.items():
        value = os.environ.get(variable, "").strip()
        if value:
            found[setting] = value
    for setting, variable in SECONDS_FROM_ENVIRONMENT.items():
        value = os.environ.get(variable, "").strip()
        if value:
            if not value.isdigit() or int(value) < 1:
                raise ConfigError(f"{variable}={value!r} is not a whole number of seconds.")
            found[setting] = int(value)
    for setting, variable in DAYS_FROM_ENVIRONMENT.items():
        value = os.environ.get(variable, "").strip()
        if value:
            if not value.isdigit() or int(value) < 1:
                raise ConfigError(f"{variable}={value!r} is not a whole number of days (1 or more).")
            found[setting] = int(value)
    for setting, variable in FLAGS_FROM_ENVIRONMENT.items():
        value = os.environ.get(variable, "").strip().lower()
        if value:
            found[setting] = value in {"1", "true", "yes", "on"}
    proxies = os.environ.get("TRUSTED_PROXIES", "").strip()
    if proxies:
        if not proxies.isdigit():
            raise ConfigError(f"TRUSTED_PROXIES={proxies!r} is not a whole number (1 behind nginx).")
        found["TRUSTED_PROXIES"] = int(proxies)
    return found


def _secret_key(value: str | None, env_name: str, instance_path: Path) -> str:
    """Insist on a real key in production; elsewhere make one and keep it between restarts."""
    if value and value.lower() not in WEAK_SECRET_KEYS and len(value) >= MIN_SECRET_KEY_LENGTH:
        return value
    if env_name == "production":
        raise ConfigError(
            "SECRET_KEY is missing or too weak: set SECRET_KEY to a random value of at least "
            f"{MIN_SECRET_KEY_LENGTH} characters, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`."
        )
    if env_name == "test":
        return secrets.token_hex(32)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_hex(32))
    return key_file.read_text().strip()
