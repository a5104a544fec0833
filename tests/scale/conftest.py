"""What the tests of several processes share: two run.py processes on a fresh PostgreSQL
database and one Redis channel, and a meeting set up through the first."""

from __future__ import annotations

import os
import re
import secrets

import pytest
import redis
import requests

from tests.conftest import csrf_token, fresh_postgres_database
from tests.server.running import EMAIL, PASSWORD, start_server, stop_server
from tests.server.test_live_meeting_server import Client, cookies

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def shared_database():
    """A fresh PostgreSQL database for the processes to share."""
    with fresh_postgres_database("facilitator_cluster") as url:
        yield url


@pytest.fixture
def cluster_async_mode():
    """What serves both processes: run.py's default, unless a test module says otherwise."""
    return "eventlet"


def redis_reachable() -> None:
    """Skip (a failure under CI=true) when the message queue the processes share is away."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {error}")


@pytest.fixture
def cluster(tmp_path, shared_database, cluster_async_mode):
    """Process A sets the database up (migrations, one chair); B joins it. Both share the
    secret key, the database and the Redis channel, as nginx's upstreams do."""
    redis_reachable()
    settings = {
        "DATABASE_URL": shared_database,
        "SECRET_KEY": secrets.token_hex(32),
        "SOCKETIO_MESSAGE_QUEUE": REDIS_URL,
        "SOCKETIO_CHANNEL": f"facilitator-test-{secrets.token_hex(4)}",
        "PRESENCE_BEAT_SECONDS": "1",
        "PRESENCE_STALE_SECONDS": "3",
        "ASYNC_MODE": cluster_async_mode,
    }
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = start_server(tmp_path / "a", settings=settings)
    b = start_server(tmp_path / "b", settings=settings, set_up=False)
    yield a, b
    for process in (a, b):
        stop_server(process)


def signed_in(url: str) -> requests.Session:
    chair = requests.Session()
    token = csrf_token(chair.get(url + "/login", timeout=5).text)
    chair.post(url + "/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token}, timeout=10)
    return chair


def joined(join_url: str, name: str, side: str) -> requests.Session:
    phone = requests.Session()
    form = phone.get(join_url, timeout=5).text
    phone.post(
        join_url,
        data={"csrf_token": csrf_token(form), "name": name, "relation": "", "side": side},
        timeout=10,
    )
    return phone


class Meeting:
    """An FGC set up through process A, with Kerry and Dan (a professional) joined."""

    def __init__(self, a, b):
        self.a, self.b = a, b
        self.chair = signed_in(a.url)
        page = self.chair.get(a.url + "/meetings/new", timeout=5).text
        created = self.chair.post(
            a.url + "/meetings/new",
            data={
                "csrf_token": csrf_token(page),
                "format_key": "family_group_conference",
                "title": "FGC for the P. family",
            },
            allow_redirects=False,
            timeout=10,
        )
        self.id = int(re.search(r"/meetings/(\d+)/", created.headers["Location"]).group(1))
        console = self.chair.get(f"{a.url}/meetings/{self.id}", timeout=5).text
        self.join_url = re.search(r'href="(http://127\.0\.0\.1:\d+/join/[A-Z0-9]+)"', console).group(1)
        self.clients: list[Client] = []

    def follow(self, server, session) -> Client:
        client = Client(server.url, cookies(session), self.id).connect()
        self.clients.append(client)
        return client

    def close(self):
        for client in self.clients:
            if client.sio.connected:
                client.sio.disconnect()


@pytest.fixture
def meeting(cluster):
    held = Meeting(*cluster)
    yield held
    held.close()


def person_id(snapshot, name):
    return next(p["id"] for p in snapshot["people"] if p["name"] == name)
