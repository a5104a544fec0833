"""Live fan-out under load: N meetings of M people on one server process, the product or the
bare relay, driven by real Socket.IO clients in several processes.

Each meeting has a chair's console, a room screen and M phones (two thirds family). Over a
minute it goes through what a Family Group Conference does, at a person's pace: the chair
moves to check-in and everyone answers within five seconds; in the offers round someone
says "This is what I can do to help..." every two seconds; a family member adds an action
to the plan and then changes it; private family time starts, the family adds actions while
the chair and the professionals are shut out, and a family member invites everyone back;
then more offers. Meetings start at random moments within `spread` seconds of each other,
as a council's morning meetings do, and both servers get the very same script.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bench.clients import MEASURED, ClientSpec, Step, WorkerResult, work
from bench.databases import fresh_postgres_database

ROOT = Path(__file__).resolve().parents[1]
FAMILY_SHARE = 2 / 3
DRAIN_SECONDS = 5.0
CHECK_IN, OFFERS = 1, 3  # positions on the Family Group Conference's agenda


@dataclass
class Load:
    meetings: int
    people: int  # phones per meeting; each meeting also has its room screen and its chair
    workers: int = 4
    spread: float = 30.0
    seed: int = 11


# --- the server under test ----------------------------------------------------------------


@dataclass
class Server:
    """One server process, or several behind the benchmark as nginx would spread phones over
    them (`together`): each socket sticks to one, by its index. Their CPU, memory and sockets
    add up."""

    processes: list[subprocess.Popen]
    urls: list[str]
    log: Path
    samples: list[tuple[float, float, int]] = field(default_factory=list)  # (time, cpu seconds, rss bytes)
    _stop: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return self.urls[0]

    def cpu_seconds(self) -> float:
        total = 0.0
        for process in self.processes:
            fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def rss(self) -> int:
        total = 0
        for process in self.processes:
            for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        return total

    def sockets(self) -> int:
        """Open sockets of the processes: their listeners, their databases and their clients."""
        count = 0
        for process in self.processes:
            for fd in Path(f"/proc/{process.pid}/fd").iterdir():
                try:
                    count += os.readlink(fd).startswith("socket:")
                except OSError:
                    pass
        return count

    def sample_every(self, seconds: float) -> None:
        def loop():
            while not self._stop.wait(seconds):
                self.samples.append((time.monotonic(), self.cpu_seconds(), self.rss()))

        threading.Thread(target=loop, daemon=True).start()

    def stop(self) -> None:
        self._stop.set()
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def database_cpu_seconds() -> float:
    """CPU used so far by every PostgreSQL server process on this machine: on a machine of two
    cores it competes with the server under test and the load generators."""
    total = 0.0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if (proc / "comm").read_text().strip() not in ("postgres", "postmaster"):
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def together(servers: list[Server]) -> Server:
    return Server([p for s in servers for p in s.processes], [u for s in servers for u in s.urls], servers[0].log)


def _start(command: list[str], env: dict[str, str], workdir: Path, port: int, health: str, name: str = "server") -> Server:
    log = workdir / f"{name}.log"
    with log.open("w") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, cwd=workdir)
    server = Server([process], [f"http://127.0.0.1:{port}"], log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{log.read_text()}")
        try:
            requests.get(server.url + health, timeout=2)
            return server
        except requests.ConnectionError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"the server did not answer within 60 s:\n{log.read_text()}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def product_environment(workdir: Path, database_url: str | None, queue: str | None = None) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("FACILITATOR_", "SOCKETIO_", "ASYNC_MODE"))
    }
    env.update(
        FACILITATOR_ENV="production",
        SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL=database_url or f"sqlite:///{workdir / 'facilitator.sqlite3'}",
        SESSION_COOKIE_SECURE="false",  # plain HTTP on loopback
    )
    if queue:  # processes of this run alone share this channel
        env.update(SOCKETIO_MESSAGE_QUEUE=queue, SOCKETIO_CHANNEL=f"bench-{secrets.token_hex(4)}")
    return env


def start_product(
    workdir: Path, env: dict[str, str], sockets: int, async_mode: str = "eventlet", processes: int = 1
) -> Server:
    """`processes` product servers on one database; more than one share events through the
    message queue `env` names (SOCKETIO_MESSAGE_QUEUE), as behind nginx."""
    started = []
    try:
        for number in range(processes):
            port = _free_port()
            command = [
                sys.executable,
                str(ROOT / "run.py"),
                "--port",
                str(port),
                "--max-connections",
                str(sockets + 512),
                "--async-mode",
                async_mode,
            ]
            started.append(_start(command, env, workdir, port, "/healthz", name=f"server{number}"))
    except Exception:
        for server in started:
            server.stop()
        raise
    return together(started)


def start_relay(workdir: Path, sockets: int, work_ms: float = 0.0, async_mode: str = "eventlet") -> Server:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "bench.relay",
        "--port",
        str(port),
        "--max-connections",
        str(sockets + 512),
        "--work-ms",
        str(work_ms),
        "--async-mode",
        async_mode,
    ]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    return _start(command, env, workdir, port, "/socket.io/?EIO=4&transport=polling")


# --- who is in each meeting ----------------------------------------------------------------


def roles(people: int) -> list[str]:
    family = round(people * FAMILY_SHARE)
    return ["chair", "screen", *["family"] * family, *["professional"] * (people - family)]


def relay_clients(load: Load) -> list[list[ClientSpec]]:
    rooms, index = [], 0
    for meeting in range(load.meetings):
        room = []
        for role in roles(load.people):
            room.append(ClientSpec(index, meeting, role, {"meeting": meeting, "side": role}, ""))
            index += 1
        rooms.append(room)
    return rooms


def product_clients(
    load: Load, env: dict[str, str]
) -> tuple[list[list[ClientSpec]], dict[int, int], list[list[int]]]:
    """Meetings made in the database as the pages would make them: started, everyone let in,
    each phone with its device cookie, the screen with its token, each chair signed in.
    Returns the clients by meeting, each phone's participant id by client index, and each
    meeting's stage ids by position (phones name the stage they answer)."""
    from flask import session
    from werkzeug.security import generate_password_hash

    from facilitator import access, create_app, database
    from facilitator.extensions import db
    from facilitator.models import Admission, Chair, Participant, Side
    from facilitator.services import meetings, people, running
    from facilitator.services.joining import new_device_token

    app = create_app(
        {
            "ENV_NAME": "production",
            "SECRET_KEY": env["SECRET_KEY"],
            "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
            "SESSION_COOKIE_SECURE": False,
        }
    )
    rooms: list[list[ClientSpec]] = []
    participant_of: dict[int, int] = {}
    stage_ids: list[list[int]] = []
    index = 0
    with app.app_context():
        database.upgrade_schema()
        password = generate_password_hash(secrets.token_hex(16))
        serializer = app.session_interface.get_signing_serializer(app)
        for number in range(load.meetings):
            chair = Chair(
                email=f"chair{number}@council.example", display_name=f"Chair {number}", password_hash=password
            )
            meeting = meetings.create_meeting(
                chair, meetings.Details(title=f"FGC {number}"), "family_group_conference", commit=False
            )
            tokens = []
            for role in roles(load.people)[2:]:
                token = new_device_token()
                side = Side.FAMILY if role == "family" else Side.PROFESSIONAL
                meeting.participants.append(
                    Participant(
                        name=f"{role.title()} {len(tokens) + 1}",
                        side=side,
                        admission=Admission.ADMITTED,
                        device_token_hash=people.hash_token(token),
                    )
                )
                tokens.append((role, token))
            db.session.commit()
            running.start(meeting)
            stage_ids.append([stage.id for stage in meeting.stages])
            screen = running.issue_screen_token(meeting)
            with app.test_request_context():
                access.sign_in(chair)
                chair_cookie = f"{app.config['SESSION_COOKIE_NAME']}={serializer.dumps(dict(session))}"
            room = [
                ClientSpec(index, number, "chair", {"meeting": meeting.id}, chair_cookie),
                ClientSpec(index + 1, number, "screen", {"meeting": meeting.id, "screen": screen}, ""),
            ]
            index += 2
            for person, (role, token) in zip(meeting.participants, tokens, strict=True):
                room.append(
                    ClientSpec(
                        index, number, role, {"meeting": meeting.id}, f"{access.DEVICE_COOKIE}={token}"
                    )
                )
                participant_of[index] = person.id
                index += 1
            rooms.append(room)
    return rooms, participant_of, stage_ids


# --- the script -------------------------------------------------------------------------------


def script(
    rooms: list[list[ClientSpec]], participant_of: dict[int, int], stage_ids: list[list[int]], load: Load
) -> list[Step]:
    """Every meeting's minute, from one seed: the same for the product and the relay."""
    rng = random.Random(load.seed)
    steps: list[Step] = []
    for number, room in enumerate(rooms):
        stages = stage_ids[number] if stage_ids else list(range(8))
        steps += _meeting(number, room, participant_of, stages, rng, rng.uniform(0, load.spread))
    return sorted(steps, key=lambda s: s.at)


def _meeting(
    number: int,
    room: list[ClientSpec],
    participant_of: dict[int, int],
    stages: list[int],
    rng: random.Random,
    at: float,
) -> list[Step]:
    chair, phones = room[0], room[2:]
    family = [c for c in phones if c.role == "family"]
    steps: list[Step] = []

    def step(offset, sender, command, payload, audience="all"):
        steps.append(Step(at + offset, number, sender.index, command, payload, audience))

    def unique(what: str) -> str:  # a client id, as a phone makes one
        return f"bench-{number}-{what}-{len(steps)}-{secrets.token_hex(4)}"

    def action(sender, what, by_when):
        who = participant_of.get(sender.index, sender.index)
        return {"what": what, "who_participant_id": who, "by_when": by_when}

    step(0.0, chair, "go_to", {"position": CHECK_IN})
    for phone in phones:  # the check-in burst: everyone answers within five seconds
        answer = {
            "client_id": unique("in"),
            "stage_id": stages[CHECK_IN],
            "text": "Hopeful",
            "feeling": "hopeful",
        }
        step(rng.uniform(0.5, 5.5), phone, "contribute", answer)
    step(7.0, chair, "go_to", {"position": OFFERS})
    for k in range(12):
        offer = {"client_id": unique("offer"), "stage_id": stages[OFFERS], "text": "I can do the school runs"}
        step(8.0 + 2 * k, rng.choice(phones), "contribute", offer)
    adder = rng.choice(family)
    added = action(adder, f"Take Sam to school on Mondays ({number})", "Monday")
    step(32.0, adder, "add_action", {"client_id": unique("plan"), **added})
    step(34.0, adder, "edit_action", {**added, "by_when": "Every Monday"})
    step(36.0, chair, "start_private_time", {"stay": []}, "everyone")
    for k in range(5):
        writer = rng.choice(family)
        private = action(writer, "Nan has Sam after school on Thursdays", "Thursday")
        step(38.0 + 2 * k, writer, "add_action", {"client_id": unique("family"), **private}, "family")
    step(48.0, rng.choice(family), "end_private_time", {}, "everyone")
    for k in range(6):
        offer = {"client_id": unique("offer"), "stage_id": stages[OFFERS], "text": "I can ring every Friday"}
        step(50.0 + 2 * k, rng.choice(phones), "contribute", offer)
    return steps


# --- one run --------------------------------------------------------------------------------


def drive(server: Server, rooms: list[list[ClientSpec]], steps: list[Step], load: Load, relay: bool) -> dict:
    """Connect every client, play the script, and return what each worker saw."""
    clients = [c for room in rooms for c in room]
    context = multiprocessing.get_context("spawn")
    workers, pipes = [], []
    rss_idle = server.rss()  # before any client exists
    with tempfile.TemporaryDirectory() as scratch:
        outputs = [Path(scratch) / f"worker{n}.pickle" for n in range(load.workers)]
        for n in range(load.workers):
            mine = [c for c in clients if c.index % load.workers == n]
            owned = {c.index for c in mine}
            ours, theirs = context.Pipe()
            process = context.Process(
                target=work,
                args=(
                    server.urls,
                    relay,
                    mine,
                    [s for s in steps if s.sender in owned],
                    theirs,
                    str(outputs[n]),
                ),
            )
            process.start()
            workers.append(process)
            pipes.append(ours)
        began = time.monotonic()
        connected = sum(pipe.recv() for pipe in pipes)
        connect_seconds = time.monotonic() - began
        time.sleep(2.0)  # let the presence broadcasts of the last connects settle
        sockets, rss_connected = server.sockets(), server.rss()
        start = time.monotonic() + 1.0
        cpu_before, database_before = server.cpu_seconds(), database_cpu_seconds()
        server.sample_every(0.5)
        for pipe in pipes:
            pipe.send(start)
        ends = start + max(s.at for s in steps)
        time.sleep(max(0.0, ends - time.monotonic()))
        cpu = server.cpu_seconds() - cpu_before
        database_cpu = database_cpu_seconds() - database_before
        window = time.monotonic() - start
        for pipe in pipes:
            pipe.send(DRAIN_SECONDS)
        for pipe in pipes:
            pipe.recv()  # every socket dropped
        time.sleep(2.0)  # the server has seen them go
        go = time.monotonic() + 0.5
        cpu_before_storm = server.cpu_seconds()
        for pipe in pipes:
            pipe.send(go)
        for pipe in pipes:
            pipe.recv()
        storm_cpu = server.cpu_seconds() - cpu_before_storm
        for process in workers:
            process.join()
        results: list[WorkerResult] = [pickle.loads(path.read_bytes()) for path in outputs]
    return {
        "results": results,
        "connected": connected,
        "connect_seconds": connect_seconds,
        # Every socket back and caught up, from the moment all came back at once.
        "reconnect_seconds": max(r.reconnected_at for r in results) - go,
        "reconnect_cpu_seconds": storm_cpu,
        "reconnect_failures": sum(len(r.reconnect_failures) for r in results),
        # Work the storm makes beyond catching up: each delivery of who came back (the relay sends none).
        "reconnect_news": sum(
            1
            for r in results
            for x in r.received
            if x.event in ("presence_changed", "people_changed") and go <= x.at <= r.reconnected_at
        ),
        "server_sockets": sockets,
        "rss_idle": rss_idle,
        "rss_connected": rss_connected,
        "rss_peak": max([rss_connected, *(s[2] for s in server.samples)]),
        "cpu_percent": 100 * cpu / window,
        "cpu_seconds": cpu,
        "database_cpu_percent": 100 * database_cpu / window,
        "client_cpu_percent": 100 * sum(r.cpu_seconds for r in results) / (window + connect_seconds),
    }


def run(
    target: str,
    load: Load,
    postgres: str | None = None,
    relay_work_ms: float = 0.0,
    async_mode: str = "eventlet",
    processes: int = 1,
    queue: str | None = None,
) -> dict:
    """One measured run of `target` ("product" or "relay") under `load`, served with
    `async_mode` (eventlet or gevent). The product runs on a fresh SQLite file, or on a fresh
    database made on the PostgreSQL server `postgres` names. The relay spends `relay_work_ms`
    of CPU on each submission (none: the baseline)."""
    with tempfile.TemporaryDirectory() as workdir, ExitStack() as held:
        workdir = Path(workdir)
        sockets = load.meetings * (load.people + 2)
        if target == "product":
            url = (
                held.enter_context(fresh_postgres_database(postgres, "facilitator_bench"))
                if postgres
                else None
            )
            env = product_environment(workdir, url, queue if processes > 1 else None)
            rooms, participant_of, stage_ids = product_clients(load, env)
            server = start_product(workdir, env, sockets, async_mode, processes)
        else:
            rooms, participant_of, stage_ids = relay_clients(load), {}, []
            server = start_relay(workdir, sockets, relay_work_ms, async_mode)
        try:
            steps = script(rooms, participant_of, stage_ids, load)
            seen = drive(server, rooms, steps, load, relay=target == "relay")
        finally:
            server.stop()
    return {
        "target": target,
        "async_mode": async_mode,
        "relay_work_ms": relay_work_ms if target == "relay" else None,
        "processes": processes if target == "product" else 1,
        "database": ("postgresql" if postgres else "sqlite") if target == "product" else None,
        "meetings": load.meetings,
        "people": load.people,
        **seen,
        **analyse(rooms, seen["results"], relay=target == "relay"),
    }


# --- what the clients saw -------------------------------------------------------------------


def percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def analyse(rooms: list[list[ClientSpec]], results: list[WorkerResult], relay: bool) -> dict:
    """Latency of every delivery to every other allowed client, what never arrived, and what a
    shut-out socket received during private family time."""
    arrivals: dict[tuple[int, object], float] = {}
    received_by: dict[int, list] = {}
    for result in results:
        for item in result.received:
            received_by.setdefault(item.client, []).append(item)
            if relay or item.event in MEASURED:
                slot = (item.client, item.key)
                arrivals[slot] = min(item.at, arrivals.get(slot, item.at))
    sent = [s for r in results for s in r.sent]
    failed = [s for s in sent if s.error]
    latencies, expected, missing = [], 0, 0
    by_command: dict[str, list[float]] = {}
    private: dict[int, list] = {}
    for s in sent:
        if s.error:
            continue
        room = rooms[s.step.meeting]
        if s.step.audience == "family":
            audience = [c for c in room if c.role in ("screen", "family")]
        else:
            audience = room
        for client in audience:
            if client.index == s.step.sender:
                continue
            expected += 1
            arrived = arrivals.get((client.index, s.key))
            if arrived is None:
                missing += 1
            else:
                latencies.append(arrived - s.sent)
                by_command.setdefault(s.step.command, []).append(1000 * (arrived - s.sent))
        if s.step.command in ("start_private_time", "end_private_time"):
            private.setdefault(s.step.meeting, []).append(s.key)
    leaks = 0 if relay else _leaks(rooms, received_by, private)
    latencies.sort()
    ms = [1000 * x for x in latencies]
    return {
        "steps": len(sent),
        "failed": len(failed),
        "failures": sorted({str(s.error)[:160] for s in failed})[:5],
        "connect_failures": sum(len(r.connect_failures) for r in results),
        "expected": expected,
        "delivered": expected - missing,
        "completeness": 100.0 * (expected - missing) / expected if expected else float("nan"),
        "p50": percentile(ms, 0.50),
        "p95": percentile(ms, 0.95),
        "p99": percentile(ms, 0.99),
        "max": ms[-1] if ms else float("nan"),
        "private_leaks": leaks,
        "by_command": {
            command: {"n": len(xs), "p50": percentile(sorted(xs), 0.5), "p99": percentile(sorted(xs), 0.99)}
            for command, xs in sorted(by_command.items())
        },
        "meetings_in_private_time": len(private),
    }


def _leaks(rooms, received_by, private) -> int:
    """Events a chair or a professional received while their meeting's private time was on,
    by version and by arrival: anything but `private_time_changed` (and, for a chair, who is
    here) is a leak."""
    leaks = 0
    for number, keys in private.items():
        if len(keys) != 2:
            continue
        began, ended = sorted(keys)
        for client in rooms[number]:
            if client.role not in ("chair", "professional"):
                continue
            seen = sorted(received_by.get(client.index, []), key=lambda r: r.at)
            marks = [r.at for r in seen if r.event == "private_time_changed" and r.key in (began, ended)]
            window = (marks[0], marks[-1]) if len(marks) == 2 else (float("inf"), float("-inf"))
            for r in seen:
                allowed = r.event == "private_time_changed" or (
                    r.event == "people_changed" and client.role == "chair"
                )
                if allowed:
                    continue
                if (r.event in MEASURED and began < r.key < ended) or window[0] < r.at < window[1]:
                    leaks += 1
    return leaks
