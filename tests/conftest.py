"""Fixtures shared by the whole suite: an app on a fresh migrated database,
its clients, and a signed-in chair."""

from __future__ import annotations

import os
import re
from contextlib import ExitStack, contextmanager

import pytest

from facilitator import create_app, database
from facilitator.extensions import db, socketio
from facilitator.models import Chair
from facilitator.services import accounts, meetings

CHAIR_EMAIL = "sam.patel@council.example"
CHAIR_PASSWORD = "a long enough password"


# The model and service tests run on PostgreSQL as well as SQLite.
ON_BOTH_DATABASES = ("tests/services/", "tests/test_database.py")
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://127.0.0.1:5432/test")


def pytest_generate_tests(metafunc):
    path = metafunc.definition.nodeid
    about_sqlite = "sqlite" in metafunc.definition.name
    if "app" in metafunc.fixturenames and path.startswith(ON_BOTH_DATABASES) and not about_sqlite:
        metafunc.parametrize("backend", ["sqlite", "postgresql"])


@pytest.fixture
def backend():
    return "sqlite"


@contextmanager
def fresh_postgres_database(prefix: str):
    """An empty PostgreSQL database of its own, dropped afterwards; a skip (a failure under
    CI=true) when PostgreSQL is not reachable."""
    import psycopg2

    from bench.databases import fresh_postgres_database as fresh

    with ExitStack() as held:
        try:
            url = held.enter_context(fresh(POSTGRES_URL, prefix))
        except psycopg2.OperationalError as error:
            pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_URL}: {error}")
        yield url


@pytest.fixture(scope="session")
def postgres_database():
    """A PostgreSQL database for this run's model tests, built by the real migrations."""
    with fresh_postgres_database("facilitator_test") as url:
        app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            database.upgrade_schema()
            db.engine.dispose()
        yield url


@pytest.fixture
def app(request, tmp_path, backend):
    """An app in test mode on a fresh database built by the real migrations: its own SQLite file,
    or (for the model tests, a second time) the run's PostgreSQL database, emptied after each test."""
    if backend == "postgresql":
        url = request.getfixturevalue("postgres_database")
    else:
        url = f"sqlite:///{tmp_path / 'test.sqlite3'}"
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if backend == "sqlite":
            database.upgrade_schema()
    yield app
    with app.app_context():
        db.session.remove()
        if backend == "postgresql":
            tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
            with db.engine.begin() as connection:
                connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def chair(app):
    with app.app_context():
        chair = accounts.create_chair(CHAIR_EMAIL, CHAIR_PASSWORD, display_name="Sam Patel")
        db.session.refresh(chair)
        db.session.expunge(chair)
    return chair


@pytest.fixture
def make_meeting(app, chair):
    """Set up meetings from a format, owned by the chair unless another owner is named."""

    def make(title="FGC for the J. family", format_key="family_group_conference", owner_id=None, **details):
        with app.app_context():
            owner = db.session.get(Chair, owner_id or chair.id)
            meeting = meetings.create_meeting(owner, meetings.Details(title=title, **details), format_key)
            db.session.refresh(meeting)
            db.session.expunge(meeting)
        return meeting

    return make


def csrf_token(page: str) -> str:
    """The CSRF token a page carries for its scripts and forms."""
    match = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert match, "the page has no CSRF token"
    return match.group(1)


class AuthActions:
    def __init__(self, client, address="127.0.0.1"):
        self._client = client
        self._environ = {"REMOTE_ADDR": address}

    def login(self, email=CHAIR_EMAIL, password=CHAIR_PASSWORD, next_path=None):
        token = csrf_token(self._client.get("/login", environ_base=self._environ).get_data(as_text=True))
        url = "/login" if next_path is None else f"/login?next={next_path}"
        data = {"email": email, "password": password, "csrf_token": token}
        return self._client.post(url, data=data, environ_base=self._environ)

    def logout(self):
        token = csrf_token(self._client.get("/meetings/").get_data(as_text=True))
        return self._client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def post(client):
    """Submit a form as a browser would, with the session's CSRF token."""

    def submit(url, data=None, **kwargs):
        token = csrf_token(client.get("/join/").get_data(as_text=True))
        return client.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)

    return submit


@pytest.fixture
def other_chair(app):
    """A second chair, with meetings of their own."""
    with app.app_context():
        other = accounts.create_chair(
            "alex.jones@council.example", "another long password", display_name="Alex Jones"
        )
        db.session.refresh(other)
        db.session.expunge(other)
    return other


@pytest.fixture
def live(app, client):
    """Connect Socket.IO test clients; each shares the cookies of an HTTP client
    (the signed-in `client` unless another, such as a phone's, is given)."""
    connected = []

    def connect(http_client=None, **kwargs):
        socket = socketio.test_client(app, flask_test_client=http_client or client, **kwargs)
        connected.append(socket)
        return socket

    yield connect
    for socket in connected:
        if socket.is_connected():
            socket.disconnect()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skip is a failure: nothing essential may go untested there."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI", "").lower() == "true" and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where every test must run: {reason}"
