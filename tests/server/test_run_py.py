"""The production entry point, for real: run.py in a subprocess, under eventlet (the default)
and under gevent, each test once for each.

In-process tests use the threading mode; only these exercise eventlet and gevent, the
WebSocket transport and the connection ceiling that production runs with.
"""

from __future__ import annotations

import resource
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests
import socketio

from tests.conftest import csrf_token
from tests.server.running import EMAIL, PASSWORD, Server, start_server, stop_server

pytestmark = pytest.mark.server

MODES = ("eventlet", "gevent")


@pytest.fixture(scope="module", params=MODES)
def async_mode(request):
    return request.param


@pytest.fixture(scope="module")
def server(tmp_path_factory, async_mode):
    workdir = tmp_path_factory.mktemp(f"run_py_{async_mode}")
    server = start_server(workdir, settings={"ASYNC_MODE": async_mode})
    yield server
    stop_server(server)


def signed_in_cookie(server: Server) -> str:
    session = requests.Session()
    token = csrf_token(session.get(server.url + "/login", timeout=5).text)
    response = session.post(
        server.url + "/login",
        data={"email": EMAIL, "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in session.cookies)


def test_prints_the_address_to_open(server):
    assert f"open http://127.0.0.1:{server.port}/" in server.output()


def test_health_reports_the_async_mode(server, async_mode):
    body = requests.get(server.url + "/healthz", timeout=5).json()
    assert body["status"] == "ok"
    assert body["async_mode"] == async_mode


def test_chair_connects_over_websocket_and_is_greeted(server):
    greeted = threading.Event()
    hello = {}
    client = socketio.Client(reconnection=False)

    @client.on("hello")
    def on_hello(data):
        hello.update(data)
        greeted.set()

    client.connect(
        server.url, headers={"Cookie": signed_in_cookie(server)}, transports=["websocket"], wait_timeout=10
    )
    try:
        assert client.transport() == "websocket"
        assert greeted.wait(10), "no hello from the server"
        assert hello["viewer"] == "chair"
        ack = client.call("clock", {}, timeout=10)
        assert ack["ok"] is True
        assert abs(ack["server_time"] - time.time() * 1000) < 5000
    finally:
        client.disconnect()


def test_anonymous_socket_is_refused(server):
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(server.url, transports=["websocket"], wait_timeout=10)
    assert not client.connected


@pytest.mark.parametrize("same_site", [True, False], ids=["same-site", "another-site"])
def test_only_the_sites_own_pages_may_open_a_socket(server, same_site):
    """A page on another site cannot ride a chair's cookie into a meeting.

    Polling, because the WebSocket client library adds an Origin header of its own.
    """
    origin = server.url if same_site else "https://evil.example"
    client = socketio.Client(reconnection=False)
    headers = {"Cookie": signed_in_cookie(server), "Origin": origin}
    if same_site:
        client.connect(server.url, headers=headers, transports=["polling"], wait_timeout=10)
        assert client.connected
        client.disconnect()
    else:
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(server.url, headers=headers, transports=["polling"], wait_timeout=10)
        assert not client.connected


def hold_open(port: int, count: int, held: list[socket.socket]) -> None:
    """Open `count` connections whose request never finishes, so that each keeps its place."""
    for _ in range(count):
        connection = socket.create_connection(("127.0.0.1", port), timeout=10)
        connection.sendall(b"GET /healthz HTTP/1.1\r\n")
        held.append(connection)


def test_holds_more_connections_than_eventlets_default_ceiling(server):
    """eventlet serves 1024 connections at once unless told otherwise: a thousand phones. Under
    gevent, the ceiling is run.py's own too."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 2048:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(2048, hard), hard))
    held = []
    try:
        hold_open(server.port, 1100, held)
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as latest:
            latest.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            assert latest.recv(64).startswith(b"HTTP/1.1 200")
    finally:
        for connection in held:
            connection.close()


def test_queues_a_burst_of_connections(server):
    """A room of phones scanning at once must not overflow the accept queue (eventlet's is 50,
    gevent's 128)."""
    listening = subprocess.run(
        ["ss", "-ltnH", f"sport = :{server.port}"], capture_output=True, text=True, check=True
    ).stdout.split()
    somaxconn = int(Path("/proc/sys/net/core/somaxconn").read_text())
    assert int(listening[2]) == min(2048, somaxconn)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_shuts_down_cleanly(tmp_path, sig, mode):
    server = start_server(tmp_path, settings={"ASYNC_MODE": mode})
    client = socketio.Client(reconnection=False)
    client.connect(
        server.url, headers={"Cookie": signed_in_cookie(server)}, transports=["websocket"], wait_timeout=10
    )
    assert stop_server(server, sig) == 0
    assert "Traceback" not in server.output()
    client.disconnect()
    # When the server closes first, the client library leaves its own end of the socket open.
    client.eio.ws.shutdown()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_stops_even_while_serving_requests(tmp_path, sig, mode):
    """A signal that lands while a request is being served still stops the server."""
    server = start_server(tmp_path, settings={"ASYNC_MODE": mode})
    busy = threading.Event()
    stop = threading.Event()

    def hammer():
        with requests.Session() as session:
            while not stop.is_set():
                try:
                    session.get(server.url + "/login", timeout=2)
                    busy.set()
                except requests.RequestException:
                    return

    workers = [threading.Thread(target=hammer) for _ in range(4)]
    for worker in workers:
        worker.start()
    try:
        assert busy.wait(10)
        time.sleep(0.5)
        assert stop_server(server, sig) == 0
    finally:
        stop.set()
        for worker in workers:
            worker.join(10)


@pytest.mark.parametrize("mode", MODES)
def test_accepts_no_more_than_max_connections(tmp_path, mode):
    """A full process leaves the next connection waiting until one of its own ends."""
    server = start_server(tmp_path, settings={"ASYNC_MODE": mode}, options=("--max-connections", "20"))
    held = []
    try:
        hold_open(server.port, 20, held)
        time.sleep(0.5)
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as waiting:
            waiting.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            waiting.settimeout(1.5)
            with pytest.raises(TimeoutError):
                waiting.recv(64)
            held.pop().close()
            waiting.settimeout(10)
            assert waiting.recv(64).startswith(b"HTTP/1.1 200")
    finally:
        for connection in held:
            connection.close()
        stop_server(server)


@pytest.mark.parametrize(("mode", "files_per_connection"), [("eventlet", 1), ("gevent", 2)])
def test_lifts_the_open_file_limit_for_every_connection(tmp_path, mode, files_per_connection):
    """Each connection is a file descriptor; under gevent a WebSocket holds two (simple-websocket
    works on a duplicate of the accepted socket)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 3000 * files_per_connection + 256
    if hard != resource.RLIM_INFINITY and hard < wanted:
        pytest.skip(f"the hard open-file limit {hard} is below the {wanted} this test asks for")
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))  # what run.py inherits
    try:
        server = start_server(
            tmp_path, settings={"ASYNC_MODE": mode}, options=("--max-connections", "3000")
        )
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    try:
        limits = Path(f"/proc/{server.process.pid}/limits").read_text().splitlines()
        line = next(line for line in limits if line.startswith("Max open files"))
        assert int(line.split()[3]) == wanted
    finally:
        stop_server(server)
