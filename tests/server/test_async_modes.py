"""run.py serves with eventlet (the default) or gevent, as ASYNC_MODE or --async-mode says: a
meeting over real WebSockets under each, and a start-up that prints no deprecation notice."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import requests

from tests.conftest import csrf_token
from tests.server.running import EMAIL, PASSWORD, ROOT, circle_with_a_phone, start_server, stop_server
from tests.server.test_live_meeting_server import Client, cookies

pytestmark = pytest.mark.server


def signed_in_chair(url: str) -> requests.Session:
    chair = requests.Session()
    token = csrf_token(chair.get(url + "/login", timeout=5).text)
    signed_in = chair.post(
        url + "/login",
        data={"email": EMAIL, "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert signed_in.status_code == 302, signed_in.text
    return chair


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_a_phone_reaches_the_chair_over_websocket(tmp_path, mode):
    server = start_server(tmp_path, settings={"ASYNC_MODE": mode})
    try:
        health = requests.get(server.url + "/healthz", timeout=5).json()
        assert health["status"] == "ok"
        assert health["async_mode"] == mode

        chair = signed_in_chair(server.url)
        meeting_id, phone = circle_with_a_phone(server.url, chair, "Circle")

        chair_client = Client(server.url, cookies(chair), meeting_id).connect()
        phone_client = None
        try:
            assert chair_client.sio.transport() == "websocket"
            assert chair_client.call("admit_all")["ok"]
            phone_client = Client(server.url, cookies(phone), meeting_id).connect()
            assert phone_client.sio.transport() == "websocket"
            assert chair_client.call("start")["ok"]
            assert chair_client.call("go_to", {"position": 1})["ok"]
            answer = {"client_id": f"kerry-under-{mode}", "text": f"Hopeful, under {mode}"}
            assert phone_client.call("contribute", answer)["ok"]
            received = chair_client.wait_for(lambda: chair_client.named("contribution_added"))
            assert received, chair_client.events
            added = chair_client.named("contribution_added")
            assert [event["contribution"]["text"] for event in added] == [f"Hopeful, under {mode}"]
        finally:
            for client in (chair_client, phone_client):
                if client is not None and client.sio.connected:
                    client.sio.disconnect()
    finally:
        assert stop_server(server) == 0
    output = server.output()
    assert f"with {mode}: open http://127.0.0.1:{server.port}/" in output
    assert "DeprecationWarning" not in output
    assert "deprecated" not in output.lower()
    assert "Traceback" not in output


def test_the_option_wins_over_the_environment(tmp_path):
    server = start_server(tmp_path, settings={"ASYNC_MODE": "eventlet"}, options=("--async-mode", "gevent"))
    try:
        assert requests.get(server.url + "/healthz", timeout=5).json()["async_mode"] == "gevent"
    finally:
        stop_server(server)


@pytest.mark.parametrize(
    ("mode", "says"),
    [("threading", "for the in-process test client only"), ("asyncio", "is not known")],
)
def test_modes_run_py_cannot_serve_are_refused_in_one_line(tmp_path, mode, says):
    env = {**os.environ, "ASYNC_MODE": mode, "FACILITATOR_ENV": "production"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("facilitator: ")
    assert says in line
    assert "eventlet" in line and "gevent" in line
