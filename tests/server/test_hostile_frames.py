"""Malformed and hostile Socket.IO frames, sent over a raw WebSocket to the real server (run.py
under eventlet): each is answered with an error ack or dropped, the log stays short (no
traceback), the server keeps serving, and no meeting changes."""

from __future__ import annotations

import json
import re
import sqlite3
import time

import pytest
import requests
import websocket

from tests.conftest import csrf_token
from tests.server.running import EMAIL, PASSWORD, circle_with_a_phone, start_server, stop_server
from tests.server.test_live_meeting_server import Client, cookies

pytestmark = pytest.mark.server

DEEP = 20_000
# Each is something no client of ours sends. Under the server's 64 KB message limit, so each
# reaches the Socket.IO parser rather than being cut off by the Engine.IO one.
HOSTILE = [
    "42[not json",
    "42",
    "42{}",
    "42[]",
    "42[1]",
    "42[null,{}]",
    '42{"name":"sync"}',
    "42" + "[" * DEEP + "]" * DEEP,
    '42["sync",' + "[" * DEEP + "]" * DEEP + "]",
    '42["clock",1,2,3]',
    "43[]",
    "44{}",
    "45",
    '451-["sync",{"_placeholder":true,"num":0}]',
    '461-[{"_placeholder":true,"num":0}]',
    "49[]",
    "4x",
    "4",
    "40{not json",
    '40{"meeting":1}',  # a second connect on a connected socket
    '42/nowhere,["sync"]',
    "9",
]
# A client may not play the server's part: these are refused without a word in the log.
RESERVED = [
    '42["connect"]',
    '42["connect",{},{"meeting":1}]',
    '42["disconnect"]',
    '42["disconnect","transport close"]',
    '42["connect_error",{}]',
]
# With an ack id, each is answered: an error ack, not silence.
ANSWERED = ["4217[]", "4218[1]", '4219["connect"]', '4220["clock",1,2]', '4221["disconnect"]']


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("hostile_frames")
    server = start_server(workdir)
    server.workdir = workdir
    yield server
    stop_server(server)


def sign_in(server) -> requests.Session:
    chair = requests.Session()
    token = csrf_token(chair.get(server.url + "/login", timeout=5).text)
    chair.post(server.url + "/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token}, timeout=10)
    return chair


def open_socket(server, cookie: str | None, meeting_id: int | None) -> websocket.WebSocket:
    """A raw Engine.IO WebSocket, connected to the Socket.IO namespace as our pages connect."""
    url = server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    ws = websocket.create_connection(url, header=[f"Cookie: {cookie}"] if cookie else [], timeout=10)
    assert ws.recv().startswith("0")  # Engine.IO open
    ws.send("40" + (json.dumps({"meeting": meeting_id}) if meeting_id is not None else ""))
    first = [ws.recv(), ws.recv()]  # the connect's answer and the server's hello, in either order
    assert any(frame.startswith("40{") for frame in first), first
    return ws


def receive_all(ws: websocket.WebSocket, wait: float = 0.5) -> list[str]:
    frames = []
    ws.settimeout(wait)
    try:
        while True:
            frame = ws.recv()
            if frame == "2":  # Engine.IO ping
                ws.send("3")
                continue
            frames.append(frame)
    except websocket.WebSocketTimeoutException:
        return frames


def meeting_state(server) -> tuple:
    with sqlite3.connect(server.workdir / "facilitator.sqlite3") as database:
        return (
            database.execute("SELECT id, version, status, current_position FROM meeting ORDER BY id").fetchall(),
            database.execute("SELECT count(*) FROM meeting_event").fetchone(),
            database.execute("SELECT id, name, admission FROM participant ORDER BY id").fetchall(),
        )


def live_connections(server) -> int:
    with sqlite3.connect(server.workdir / "facilitator.sqlite3") as database:
        return database.execute("SELECT count(*) FROM live_connection").fetchone()[0]


def test_hostile_frames_are_refused_quietly_and_change_nothing(server):
    chair = sign_in(server)
    meeting_id, phone = circle_with_a_phone(server.url, chair, "Circle for the V. family")

    phone_socket = open_socket(server, cookies(phone), meeting_id)
    chair_socket = open_socket(server, cookies(chair), meeting_id)
    stranger_socket = open_socket(server, cookies(chair), None)  # a chair's socket following nothing
    time.sleep(0.5)
    for ws in (phone_socket, chair_socket, stranger_socket):
        receive_all(ws, 0.2)
    before = meeting_state(server)
    held = live_connections(server)
    assert held == 1  # the phone
    log_before = len(server.output())

    # Every kind on every socket, then a flood of them: thousands of frames.
    sent = 0
    for ws in (phone_socket, chair_socket, stranger_socket):
        for frame in HOSTILE + RESERVED:
            ws.send(frame)
            sent += 1
    for ws in (phone_socket, chair_socket):
        ws.send_binary(b"\x00\x01\x02 not a packet")
        sent += 1
    flood = [frame for frame in HOSTILE if len(frame) < 100] + RESERVED
    for round_number in range(300):
        for frame in flood:
            chair_socket.send(frame)
            sent += 1
        if round_number % 50 == 0:
            receive_all(chair_socket, 0.05)
    assert sent > 7_000

    # With an ack id, an error ack answers: nothing is left waiting.
    for frame in ANSWERED:
        phone_socket.send(frame)
    answers = [frame for frame in receive_all(phone_socket, 1.0) if frame.startswith("43")]
    assert len(answers) == len(ANSWERED), answers
    for answer in answers:
        ack_id, body = re.match(r"43(\d+)(.*)", answer).groups()
        assert int(ack_id) in range(17, 22)
        [reply] = json.loads(body)
        assert reply["ok"] is False and reply["error"]["code"] == "invalid"
        assert reply["error"]["message"]

    # The phone's socket is still held, and it still works; nothing about the meeting changed.
    assert live_connections(server) == held
    phone_socket.send('4299["clock"]')
    clock = [frame for frame in receive_all(phone_socket, 1.0) if frame.startswith("4399")]
    assert clock and json.loads(clock[0][4:])[0]["ok"] is True
    for ws in (phone_socket, chair_socket, stranger_socket):
        ws.close()
    time.sleep(0.5)
    assert meeting_state(server) == before

    # The server still serves pages and sockets.
    assert requests.get(server.url + "/healthz", timeout=5).status_code == 200
    client = Client(server.url, cookies(chair), meeting_id).connect()
    try:
        assert client.call("sync")["ok"]
    finally:
        client.sio.disconnect()

    # The log: a few short lines, never a traceback.
    log = server.output()[log_before:]
    assert "Traceback" not in log, log[:5000]
    lines = [line for line in log.splitlines() if line.strip()]
    assert len(lines) <= 15, "\n".join(lines[:40])
    assert all(len(line) < 400 for line in lines), lines
    assert any("malformed Socket.IO frames" in line for line in lines)
