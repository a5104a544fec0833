"""One meeting on the real server (run.py under eventlet), with several real Socket.IO clients."""

from __future__ import annotations

import re
import threading
import time

import pytest
import requests
import socketio

from tests.conftest import csrf_token
from tests.server.running import EMAIL, PASSWORD, start_server, stop_server

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("live_meeting"))
    yield server
    stop_server(server)


def cookies(session: requests.Session) -> str:
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in session.cookies)


class Client:
    """A real Socket.IO client over WebSocket that records every event it receives."""

    def __init__(self, url: str, cookie: str, meeting_id: int) -> None:
        self.events: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("*", self.record)
        self.url, self.cookie, self.meeting_id = url, cookie, meeting_id

    def record(self, name, data=None):
        with self.lock:
            self.events.append((name, data))

    def connect(self):
        self.sio.connect(
            self.url,
            headers={"Cookie": self.cookie},
            auth={"meeting": self.meeting_id},
            transports=["websocket"],
            wait_timeout=10,
        )
        return self

    def call(self, command, payload=None):
        return self.sio.call(command, {} if payload is None else payload, timeout=10)

    def named(self, name):
        with self.lock:
            return [data for event, data in self.events if event == name]

    def wait_for(self, predicate, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.05)
        return False


def test_a_meeting_runs_over_websockets_on_the_real_server(server):
    chair = requests.Session()
    token = csrf_token(chair.get(server.url + "/login", timeout=5).text)
    chair.post(
        server.url + "/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token}, timeout=10
    )
    page = chair.get(server.url + "/meetings/new", timeout=5).text
    created = chair.post(
        server.url + "/meetings/new",
        data={
            "csrf_token": csrf_token(page),
            "format_key": "check_in_circle",
            "title": "Circle for the V. family",
        },
        allow_redirects=False,
        timeout=10,
    )
    meeting_id = int(re.search(r"/meetings/(\d+)/", created.headers["Location"]).group(1))
    console = chair.get(f"{server.url}/meetings/{meeting_id}", timeout=5).text
    join_url = re.search(r'href="(http://127\.0\.0\.1:\d+/join/[A-Z0-9]+)"', console).group(1)

    phones = []
    for name in ("Kerry", "Pat", "Dan"):
        phone = requests.Session()
        form = phone.get(join_url, timeout=5).text
        phone.post(
            join_url,
            data={"csrf_token": csrf_token(form), "name": name, "relation": "", "side": "family"},
            timeout=10,
        )
        phones.append(phone)

    chair_client = Client(server.url, cookies(chair), meeting_id).connect()
    try:
        assert chair_client.call("admit_all")["ok"]
        clients = [Client(server.url, cookies(phone), meeting_id).connect() for phone in phones]
        assert chair_client.call("start")["ok"]
        assert chair_client.call("go_to", {"position": 1})["ok"]
        for index, client in enumerate(clients):
            answer = {"client_id": f"answer-from-phone-{index}", "text": f"Answer {index}"}
            for _ in range(3):  # resent, as after a dropped connection
                assert client.call("contribute", answer)["ok"]

        everyone = [chair_client, *clients]
        for client in everyone:
            assert client.wait_for(lambda c=client: len(c.named("contribution_added")) >= 3), client.events
        for client in everyone:
            texts = sorted(event["contribution"]["text"] for event in client.named("contribution_added"))
            assert texts == ["Answer 0", "Answer 1", "Answer 2"]  # each once, on every screen
            versions = [data["version"] for name, data in client.events if data and "version" in data]
            assert versions == sorted(versions)

        clients[0].sio.disconnect()
        assert chair_client.call("go_to", {"position": 2})["ok"]
        again = Client(server.url, cookies(phones[0]), meeting_id).connect()
        clients[0] = again
        theirs, mine = chair_client.call("sync")["snapshot"], again.call("sync")["snapshot"]
        assert mine["meeting"] == theirs["meeting"]
        assert mine["contributions"] == theirs["contributions"]
        assert mine["meeting"]["current_position"] == 2
    finally:
        for client in [chair_client, *locals().get("clients", [])]:
            if client.sio.connected:
                client.sio.disconnect()
