"""The baseline: a bare Flask-SocketIO relay under eventlet or gevent (`--async-mode`), served
as `run.py` serves the product.

It does the least a live meeting needs: a socket joins its meeting's room on connect (the
family's too, for a phone on the family side or the room screen), and every submission is
re-emitted to the room it names and acknowledged. No database, no access checks: whatever
the product costs beyond this is its own.

With `--work-ms`, it first spends that much CPU on each submission, holding the event loop as
a handler's own work would: a calibration of how the tail grows with the work done per message
(`python -m bench --only calibrate`). The baseline is always run with none.
"""

import sys
import warnings

# As run.py: the library is chosen, and patches the standard library, before anything else.
ASYNC_MODE = next(
    (sys.argv[i + 1] for i, arg in enumerate(sys.argv[:-1]) if arg == "--async-mode"), "eventlet"
)
if ASYNC_MODE == "eventlet":
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated", category=Warning)
    import eventlet

    eventlet.monkey_patch()
elif ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()
else:
    sys.exit(f"relay: --async-mode must be eventlet or gevent, not {ASYNC_MODE!r}")

import argparse  # noqa: E402
import functools  # noqa: E402
import gc  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402

from flask import Flask, request  # noqa: E402
from flask_socketio import SocketIO, join_room  # noqa: E402

app = Flask(__name__)
socketio = SocketIO(app, async_mode=ASYNC_MODE, cors_allowed_origins=[])
SIDES = {"chair", "screen", "family", "professional"}
meeting_of: dict[str, int] = {}  # socket id -> the meeting it follows
work_seconds = 0.0  # --work-ms

# As the product does (facilitator/live/__init__.py): the Socket.IO path is routed, so that an
# event's request context keeps no routing error and its traceback, a cycle per event.
for websocket, methods in ((False, ["GET", "POST"]), (True, ["GET"])):
    app.add_url_rule(
        "/socket.io/",
        f"socketio{websocket}",
        lambda: ("", 404),
        methods=methods,
        strict_slashes=False,
        websocket=websocket,
    )


@socketio.on("connect")
def connect(auth=None):
    if (
        not isinstance(auth, dict)
        or not isinstance(auth.get("meeting"), int)
        or auth.get("side") not in SIDES
    ):
        return False
    meeting_of[request.sid] = auth["meeting"]
    join_room(f"m{auth['meeting']}")
    if auth["side"] in ("family", "screen"):
        join_room(f"m{auth['meeting']}:family")


@socketio.on("submit")
def submit(data):
    """`{"key", "to": "all"|"family", ...}` -> re-emitted as `relayed` to that room."""
    if not isinstance(data, dict) or data.get("to") not in ("all", "family"):
        return {"ok": False}
    if work_seconds:
        work(work_seconds)
    room = f"m{meeting_of[request.sid]}" + (":family" if data["to"] == "family" else "")
    socketio.emit("relayed", data, to=room)
    return {"ok": True}


def work(seconds: float) -> None:
    """Busy, not asleep: the event loop serves nobody else meanwhile, as in a handler's work."""
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        pass


@socketio.on("disconnect")
def disconnect(reason=None):
    meeting_of.pop(request.sid, None)


@socketio.on("sync")
def sync(data=None):
    return {"ok": True}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--max-connections", type=int, default=20_000)
    parser.add_argument("--work-ms", type=float, default=0.0, help="CPU spent on each submission")
    parser.add_argument("--async-mode", choices=("eventlet", "gevent"), default="eventlet")
    args = parser.parse_args()
    global work_seconds
    work_seconds = args.work_ms / 1000
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, args.max_connections + 256), hard))
    # As run.py: the same backlog and connection ceiling, for either library.
    if ASYNC_MODE == "eventlet":
        eventlet.listen = functools.partial(eventlet.listen, backlog=2048)
        options = {"max_size": args.max_connections}
    else:
        from gevent.pool import Pool

        options = {"backlog": 2048, "spawn": Pool(args.max_connections)}
    gc.collect()  # as run.py: what lives as long as the process is left out of collections,
    gc.freeze()  # and the collector runs at the same pace
    gc.set_threshold(20_000, 10, 1_000)  # facilitator.live.GC_THRESHOLDS, not imported: the relay stays bare
    print(f"relay on {args.port} with {ASYNC_MODE}", flush=True)
    socketio.run(app, host="127.0.0.1", port=args.port, log_output=False, **options)


if __name__ == "__main__":
    main()
