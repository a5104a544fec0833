"""The app factory and the settings it reads from the environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator import create_app, database
from facilitator.config import ConfigError, load_config
from facilitator.services import accounts

ROOT = Path(__file__).resolve().parents[1]
STRONG_KEY = "k" * 16 + "0123456789abcdef0123"


@pytest.fixture
def environment(monkeypatch):
    """A clean slate: none of the developer's own settings leak into a test."""
    for name in (
        "FACILITATOR_ENV",
        "SECRET_KEY",
        "DATABASE_URL",
        "SOCKETIO_MESSAGE_QUEUE",
        "ASYNC_MODE",
        "PUBLIC_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_factory_builds_a_test_app(app):
    assert app.testing
    assert app.config["ENV_NAME"] == "test"
    assert app.extensions["socketio"].async_mode == "threading"


def test_production_without_secret_key_refuses_to_start(environment, tmp_path):
    environment.setenv("FACILITATOR_ENV", "production")
    with pytest.raises(ConfigError) as refused:
        create_app()
    message = str(refused.value)
    assert "SECRET_KEY" in message
    assert "\n" not in message


@pytest.mark.parametrize("weak", ["dev", "change-me", "short-but-not-empty"])
def test_production_refuses_a_placeholder_or_short_key(environment, tmp_path, weak):
    environment.setenv("SECRET_KEY", weak)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config({"ENV_NAME": "production"}, tmp_path)


def test_production_is_the_default_environment(environment, tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config(None, tmp_path)


def test_production_with_a_real_key_starts_with_secure_cookies(environment, tmp_path):
    environment.setenv("FACILITATOR_ENV", "production")
    environment.setenv("SECRET_KEY", STRONG_KEY)
    environment.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    app = create_app()
    assert app.config["SECRET_KEY"] == STRONG_KEY
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert not app.testing
    with app.app_context():
        database.upgrade_schema()
        chair = accounts.create_chair("chair@council.example", "a long enough password")
        assert chair.password_hash.startswith("scrypt:")
        assert accounts.authenticate("chair@council.example", "a long enough password") == chair


def test_settings_come_from_the_environment(environment, tmp_path):
    environment.setenv("DATABASE_URL", "postgresql://facilitator@db.internal/facilitator")
    environment.setenv("SOCKETIO_MESSAGE_QUEUE", "redis://cache.internal:6379/0")
    environment.setenv("ASYNC_MODE", "gevent")
    environment.setenv("PUBLIC_URL", "https://meet.council.example/")
    settings = load_config({"ENV_NAME": "development"}, tmp_path)
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql://facilitator@db.internal/facilitator"
    assert settings["SOCKETIO_MESSAGE_QUEUE"] == "redis://cache.internal:6379/0"
    assert settings["ASYNC_MODE"] == "gevent"
    assert settings["PUBLIC_URL"] == "https://meet.council.example"


def test_database_defaults_to_sqlite_in_the_instance_folder(environment, tmp_path):
    settings = load_config({"ENV_NAME": "development"}, tmp_path)
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'facilitator.sqlite3'}"
    assert settings["SOCKETIO_MESSAGE_QUEUE"] is None


def test_test_settings_ignore_the_environment(environment, tmp_path):
    """A developer's exported DATABASE_URL must never be what the test suite wipes."""
    environment.setenv("DATABASE_URL", "postgresql://someone@production.example/live")
    settings = load_config({"ENV_NAME": "test"}, tmp_path)
    assert "production.example" not in settings["SQLALCHEMY_DATABASE_URI"]


def test_development_key_is_kept_between_restarts(environment, tmp_path):
    first = load_config({"ENV_NAME": "development"}, tmp_path)["SECRET_KEY"]
    second = load_config({"ENV_NAME": "development"}, tmp_path)["SECRET_KEY"]
    assert first == second
    assert len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(("name", "value"), [("ASYNC_MODE", "asyncio"), ("FACILITATOR_ENV", "staging")])
def test_unknown_values_are_refused_with_the_choices(environment, tmp_path, name, value):
    environment.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        load_config({"ENV_NAME": "development"} if name != "FACILITATOR_ENV" else None, tmp_path)


def test_run_py_without_secret_key_exits_with_one_line(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "DATABASE_URL")}
    env.update(FACILITATOR_ENV="production", DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    result = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("facilitator:")]
    assert len(errors) == 1
    assert "set SECRET_KEY" in errors[0]
    assert "Traceback" not in result.stderr
