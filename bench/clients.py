"""A load-generating process: its share of the meetings' sockets, and the steps they send.

Each worker is its own process with its own asyncio loop, so the load generator is spread
over the machine's cores and is not the bottleneck. Every client is a real Socket.IO
client over WebSocket. It notes when it receives each event (`time.monotonic`, one clock
for every process on the machine), and each sender notes when it sent; the harness joins
the two into latencies afterwards.

The same clients drive the product and the bare relay: only `Target` differs.
"""

from __future__ import annotations

import asyncio
import gc
import pickle
import resource
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import socketio

# The product's events that a step causes; their `version` identifies the step.
MEASURED = {"contribution_added", "action_saved", "meeting_changed", "private_time_changed"}
CONNECTS_AT_ONCE = 24


@dataclass(frozen=True)
class ClientSpec:
    index: int  # across the whole run
    meeting: int  # index of its meeting in the run
    role: str  # chair, screen, family, professional
    auth: dict[str, Any]
    cookie: str


@dataclass(frozen=True)
class Step:
    """One thing someone in a meeting does, `at` seconds after the run starts."""

    at: float
    meeting: int
    sender: int  # ClientSpec.index
    command: str
    payload: dict[str, Any]
    audience: str  # all, family (private time), everyone (private time starts or ends)


@dataclass
class Sent:
    step: Step
    sent: float
    key: Any = None  # the product: the meeting's version from the ack; the relay: the step's own key
    error: str | None = None


@dataclass
class Received:
    client: int
    key: Any
    event: str
    at: float


@dataclass
class WorkerResult:
    sent: list[Sent] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    connect_failures: list[str] = field(default_factory=list)
    cpu_seconds: float = 0.0
    # The reconnect storm: when this worker's sockets were all back and caught up, and how many failed.
    reconnected_at: float = 0.0
    reconnect_failures: list[str] = field(default_factory=list)


class Client:
    """One socket: a phone, the room screen or the chair's console."""

    def __init__(self, spec: ClientSpec, relay: bool, result: WorkerResult):
        self.spec, self.relay, self.result = spec, relay, result
        # Each its own HTTP session: the client keeps the cookie it connects with in its session's jar.
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("*", self.on_event)
        self.actions: dict[int, dict] = {}  # the plan's actions as this client last saw them
        self.version = -1  # the last version this page applied, as meeting.js keeps it
        self.caught_up: int | None = None  # what the last `hello` said this page is caught up to

    async def connect(self, url: str, *, catch_up: bool = False) -> None:
        """Connect and `sync`, as every page does; coming back (`catch_up`), naming the version the
        page has as it connects, as meeting.js does after a dropped connection or a restart: a
        `hello` that says the page is caught up spares the `sync`."""
        coming_back = catch_up and not self.relay and self.version >= 0
        self.caught_up = None
        await self.sio.connect(
            url,
            headers={"Cookie": self.spec.cookie} if self.spec.cookie else {},
            auth={**self.spec.auth, "since": self.version} if coming_back else self.spec.auth,
            transports=["websocket"],
            wait_timeout=60,
        )
        if not self.relay and self.caught_up is None:
            ack = await self.sio.call("sync", {}, timeout=60)
            if ack.get("ok"):
                self.version = max(self.version, ack.get("snapshot", {}).get("version", -1))

    def on_event(self, event: str, data: Any = None) -> None:
        at = time.monotonic()
        if self.relay:
            if event == "relayed":
                self.result.received.append(Received(self.spec.index, data["key"], event, at))
                if data.get("sync"):
                    self.sync_as_a_page_does()
            return
        if isinstance(data, dict) and isinstance(data.get("version"), int):
            self.version = max(self.version, data["version"])
        if event == "hello" and isinstance(data.get("caught_up"), int):
            self.caught_up = data["caught_up"]
            self.version = max(self.version, self.caught_up)
        if event in MEASURED or event in ("people_changed", "presence_changed"):
            self.result.received.append(Received(self.spec.index, data.get("version"), event, at))
        if event == "action_saved":
            self.actions[data["action"]["id"]] = data["action"]
        if event == "private_time_changed":
            self.sync_as_a_page_does()

    def sync_as_a_page_does(self) -> None:
        """Private time started or ended: the chair's console loads again, and asks again (here,
        a `sync`). Every other page is sent its new view with the news, or takes the news as
        it is (meeting.js)."""
        if self.spec.role == "chair":
            asyncio.ensure_future(self.sio.call("sync", {}, timeout=60))

    async def send(self, step: Step, key: str) -> Sent:
        if self.relay:
            to = "family" if step.audience == "family" else "all"
            message = {"key": key, "to": to, "body": step.payload, "sync": step.audience == "everyone"}
            sent = time.monotonic()
            ack = await self.sio.call("submit", message, timeout=60)
            return Sent(step, sent, key=key, error=None if ack.get("ok") else str(ack))
        payload = dict(step.payload)
        if step.command == "edit_action":  # the action this phone added, at the revision it last saw
            mine = [
                a for a in self.actions.values() if a["proposed_by"] is None and a["what"] == payload["what"]
            ]
            if not mine:
                return Sent(step, time.monotonic(), error="the action to edit never arrived")
            payload.update(
                action_id=mine[-1]["id"], revision=mine[-1]["revision"], what=payload["what"] + " (changed)"
            )
        sent = time.monotonic()
        ack = await self.sio.call(step.command, payload, timeout=60)
        if not ack.get("ok"):
            return Sent(step, sent, error=str(ack.get("error")))
        return Sent(step, sent, key=ack["version"])


async def _run(urls: list[str], relay: bool, specs: list[ClientSpec], steps: list[Step], pipe, out: Path) -> None:
    result = WorkerResult()
    clients = {spec.index: Client(spec, relay, result) for spec in specs}
    gate = asyncio.Semaphore(CONNECTS_AT_ONCE)

    async def connect(client: Client) -> None:
        async with gate:
            try:
                await client.connect(urls[client.spec.index % len(urls)])
            except Exception as error:  # noqa: BLE001 - counted and reported: a refused socket is a finding
                result.connect_failures.append(f"{client.spec.role} {client.spec.index}: {error!r}")

    await asyncio.gather(*(connect(c) for c in clients.values()))
    # A full collection in a load generator holding hundreds of sockets pauses it for a tenth of
    # a second, and every arrival it notes in that time would look late: none while measuring.
    gc.collect()
    gc.freeze()
    gc.disable()
    loop = asyncio.get_running_loop()
    pipe.send(len(clients) - len(result.connect_failures))
    start = await loop.run_in_executor(None, pipe.recv)  # time.monotonic() at which the script starts
    result.received.clear()  # what arrived while connecting belongs to no step

    async def perform(number: int, step: Step) -> None:
        await asyncio.sleep(max(0.0, start + step.at - time.monotonic()))
        try:
            result.sent.append(await clients[step.sender].send(step, f"{step.sender}-{number}"))
        except Exception as error:  # noqa: BLE001 - a step that fails is counted, and the run goes on
            result.sent.append(Sent(step, time.monotonic(), error=repr(error)))

    await asyncio.gather(*(perform(n, s) for n, s in enumerate(steps)))
    drain = await loop.run_in_executor(None, pipe.recv)  # seconds to keep listening
    await asyncio.sleep(drain)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result.cpu_seconds = usage.ru_utime + usage.ru_stime

    # The reconnect storm: every socket drops, and all come back at one moment, as after a
    # restart or a deploy; each page catches up as it would.
    await asyncio.gather(*(c.sio.disconnect() for c in clients.values() if c.sio.connected))
    pipe.send("dropped")
    go = await loop.run_in_executor(None, pipe.recv)
    await asyncio.sleep(max(0.0, go - time.monotonic()))

    async def come_back(client: Client) -> None:
        async with gate:
            try:
                await client.connect(urls[client.spec.index % len(urls)], catch_up=True)
            except Exception as error:  # noqa: BLE001 - counted and reported
                result.reconnect_failures.append(f"{client.spec.role} {client.spec.index}: {error!r}")

    await asyncio.gather(*(come_back(c) for c in clients.values()))
    result.reconnected_at = time.monotonic()
    await asyncio.gather(*(c.sio.disconnect() for c in clients.values() if c.sio.connected))
    out.write_bytes(pickle.dumps(result))
    pipe.send("done")


def work(urls: list[str], relay: bool, specs: list[ClientSpec], steps: list[Step], pipe, out: str) -> None:
    """A worker process's body (multiprocessing target)."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    asyncio.run(_run(urls, relay, specs, steps, pipe, Path(out)))
