"""The real server (run.py, under eventlet unless told otherwise) in a subprocess, for the tests
that need it: the entry point itself, the browser, and several processes sharing PostgreSQL and
Redis."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "chair@council.example"
PASSWORD = "a long enough password"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    url: str
    port: int
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text()


def start_server(
    workdir: Path,
    *,
    settings: dict[str, str] | None = None,
    set_up: bool = True,
    options: tuple[str, ...] = (),
) -> Server:
    """Start run.py on a free port and wait until it answers. With `set_up`, first make a fresh
    database with one chair; `settings` overrides the environment (a shared DATABASE_URL, a
    message queue, a SECRET_KEY shared by several processes, ASYNC_MODE); `options` are added to
    run.py's command line."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("FACILITATOR_", "SOCKETIO_", "ASYNC_MODE"))
    }
    env.update(
        FACILITATOR_ENV="production",
        SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL=f"sqlite:///{workdir / 'facilitator.sqlite3'}",
        SESSION_COOKIE_SECURE="false",  # plain HTTP on loopback
    )
    env.update(settings or {})
    if set_up:
        flask = [sys.executable, "-m", "flask", "--app", "facilitator"]
        subprocess.run([*flask, "init-db"], env=env, check=True, capture_output=True, timeout=120)
        subprocess.run(
            [*flask, "create-chair", EMAIL],
            env=env,
            input=PASSWORD + "\n",
            text=True,
            check=True,
            capture_output=True,
            timeout=120,
        )

    port = free_port()
    log = workdir / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "run.py"), "--host", "127.0.0.1", "--port", str(port), *options],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=workdir,
        )
    server = Server(f"http://127.0.0.1:{port}", port, process, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"run.py exited early:\n{server.output()}"
        try:
            if requests.get(server.url + "/healthz", timeout=2).status_code == 200:
                return server
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError(f"run.py did not answer within 60 s:\n{server.output()}")


def stop_server(server: Server, sig: int = signal.SIGINT) -> int:
    if server.process.poll() is None:
        server.process.send_signal(sig)
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
            raise AssertionError(f"run.py did not stop within 15 s:\n{server.output()}")
    return server.process.returncode


def circle_with_a_phone(url: str, chair: requests.Session, title: str) -> tuple[int, requests.Session]:
    """A check-in circle the signed-in chair sets up through the pages, and Kerry's phone in its
    lobby, joined by the address on the console: the meeting's id and the phone's session."""
    from tests.conftest import csrf_token

    page = chair.get(url + "/meetings/new", timeout=5).text
    created = chair.post(
        url + "/meetings/new",
        data={"csrf_token": csrf_token(page), "format_key": "check_in_circle", "title": title},
        allow_redirects=False,
        timeout=10,
    )
    meeting_id = int(re.search(r"/meetings/(\d+)/", created.headers["Location"]).group(1))
    console = chair.get(f"{url}/meetings/{meeting_id}", timeout=5).text
    join_url = re.search(r'href="(http://127\.0\.0\.1:\d+/join/[A-Z0-9]+)"', console).group(1)
    phone = requests.Session()
    form = phone.get(join_url, timeout=5).text
    phone.post(
        join_url,
        data={"csrf_token": csrf_token(form), "name": "Kerry", "relation": "Mum", "side": "family"},
        timeout=10,
    )
    return meeting_id, phone
