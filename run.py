"""The production entry point: serves facilitator with eventlet (the default) or gevent.

The async mode comes from `--async-mode` or ASYNC_MODE and is read first, because the
library it names must patch the standard library before anything else is imported; the app
itself never imports either library (it uses Flask-SocketIO's start_background_task and sleep).
"""

import os
import sys
import warnings

SERVED_MODES = ("eventlet", "gevent")
DEFAULT_ASYNC_MODE = "eventlet"


def async_mode_from(argv: list[str], environ: dict[str, str]) -> str:
    """`--async-mode MODE` or `--async-mode=MODE`, else ASYNC_MODE, else eventlet."""
    mode = environ.get("ASYNC_MODE", "").strip() or DEFAULT_ASYNC_MODE
    for index, arg in enumerate(argv):
        if arg == "--async-mode" and index + 1 < len(argv):
            mode = argv[index + 1]
        elif arg.startswith("--async-mode="):
            mode = arg.split("=", 1)[1]
    return mode.strip()


def refuse(message: str) -> None:
    print(f"facilitator: {message}", file=sys.stderr)
    sys.exit(2)


ASYNC_MODE = async_mode_from(sys.argv[1:], os.environ)
if ASYNC_MODE == "threading":
    refuse(
        "run.py serves with eventlet or gevent; ASYNC_MODE=threading is for the in-process test "
        "client only. Set ASYNC_MODE=eventlet (the default) or ASYNC_MODE=gevent."
    )
if ASYNC_MODE not in SERVED_MODES:
    refuse(f"ASYNC_MODE={ASYNC_MODE!r} is not known: set it to one of {', '.join(SERVED_MODES)}.")

if ASYNC_MODE == "eventlet":
    # eventlet announces on import that it is in maintenance mode upstream; docs/deployment.md
    # says so once, for whoever chooses, instead of every start saying it again.
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated", category=Warning)
    import eventlet

    eventlet.monkey_patch()
    from psycogreen.eventlet import patch_psycopg
else:
    from gevent import monkey

    monkey.patch_all()
    from psycogreen.gevent import patch_psycopg

# psycopg2 talks to PostgreSQL through libpq's own sockets, which monkey-patching cannot
# reach: without this, one slow query would stop every connection of the process.
patch_psycopg()

import argparse  # noqa: E402
import functools  # noqa: E402
import logging  # noqa: E402
import resource  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
from typing import Any  # noqa: E402

import greenlet  # noqa: E402

from facilitator import __version__, create_app  # noqa: E402
from facilitator.config import ConfigError  # noqa: E402
from facilitator.extensions import socketio  # noqa: E402
from facilitator.live import collect_garbage_seldom, keep_presence  # noqa: E402

# eventlet's default ceiling is 1024 simultaneous connections: about a
# thousand phones. Each phone holds one. (gevent has no ceiling of its own: it gets this one.)
DEFAULT_MAX_CONNECTIONS = 10_000
# Connections waiting to be accepted. eventlet.listen's default of 50 (gevent's: 128) drops the
# SYNs of a burst (a room of phones scanning at once, every phone reconnecting after a
# restart), and each dropped one waits a second or more to retry.
DEFAULT_BACKLOG = 2048


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Serve facilitator with eventlet or gevent.")
    parser.add_argument(
        "--host", default=os.environ.get("HOST", "127.0.0.1"), help="address to listen on [HOST, 127.0.0.1]"
    )
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("PORT", "5000")), help="port to listen on [PORT, 5000]"
    )
    parser.add_argument(
        "--async-mode",
        choices=SERVED_MODES,
        default=ASYNC_MODE,
        help=f"the library that serves every connection [ASYNC_MODE, {DEFAULT_ASYNC_MODE}]",
    )
    parser.add_argument(
        "--max-connections",
        type=int,
        default=int(os.environ.get("MAX_CONNECTIONS", DEFAULT_MAX_CONNECTIONS)),
        help=f"simultaneous connections this process accepts [MAX_CONNECTIONS, {DEFAULT_MAX_CONNECTIONS}]",
    )
    parser.add_argument(
        "--backlog",
        type=int,
        default=DEFAULT_BACKLOG,
        help=f"connections queued for accepting (capped by net.core.somaxconn) [{DEFAULT_BACKLOG}]",
    )
    parser.add_argument(
        "--access-log", action="store_true", help="log every request (off by default: URLs carry join codes)"
    )
    return parser.parse_args(argv)


def raise_open_file_limit(wanted: int) -> int:
    """Each connection is a file descriptor: lift the soft limit towards what we serve."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft


def address_to_open(host: str, port: int) -> str:
    if host in ("0.0.0.0", "::", ""):
        host = socket.gethostname()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def files_per_connection() -> int:
    """A WebSocket under gevent holds two file descriptors: simple-websocket works on a
    duplicate of the socket the server accepted. Under eventlet it holds one."""
    return 2 if ASYNC_MODE == "gevent" else 1


def server_options(max_connections: int, backlog: int) -> dict[str, Any]:
    """What socketio.run() passes on to the mode's WSGI server: the connection ceiling and the
    listening socket's backlog."""
    if ASYNC_MODE == "eventlet":
        # socketio.run() opens its socket with eventlet.listen(): give that call our backlog.
        eventlet.listen = functools.partial(eventlet.listen, backlog=backlog)
        return {"max_size": max_connections}
    from gevent.pool import Pool

    # gevent's pywsgi server: WebSocket through simple-websocket (python-engineio's gevent driver).
    # A full pool stops accepting until a connection ends, as eventlet's max_size does.
    return {"backlog": backlog, "spawn": Pool(max_connections)}


def stop_on_signals() -> None:
    """Ctrl-C and systemd's SIGTERM both leave cleanly, whatever is running when they come."""
    if ASYNC_MODE == "eventlet":
        _stop_eventlet_on_signals()
    else:
        _stop_gevent_on_signals()


def _stop_eventlet_on_signals() -> None:
    """Python runs a signal handler in whichever green thread is current. Raising in the hub
    (idle) or the main green thread stops the server; raising in a green thread serving a
    request would only end that request, so the exit is handed to the hub to raise on its
    next turn."""
    import eventlet.hubs

    main = greenlet.getcurrent()

    def exit_now():
        raise SystemExit(0)

    def stop(_signum, _frame):
        hub = eventlet.hubs.get_hub()
        if greenlet.getcurrent() in (main, hub.greenlet):
            exit_now()
        hub.schedule_call_global(0, exit_now)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def _stop_gevent_on_signals() -> None:
    """gevent's hub turns the signal into a call in a green thread of its own. Once serving,
    stopping the server closes the listening socket, gives open connections a second and
    returns from socketio.run(); before that, the main green thread exits."""
    import gevent

    main = greenlet.getcurrent()

    def stop():
        server = getattr(socketio, "wsgi_server", None)
        if server is not None and server.started:
            server.stop()
        else:
            main.throw(SystemExit(0))

    gevent.signal_handler(signal.SIGTERM, stop)
    gevent.signal_handler(signal.SIGINT, stop)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        app = create_app({"ASYNC_MODE": ASYNC_MODE})
    except ConfigError as error:
        print(f"facilitator: {error}", file=sys.stderr)
        return 2
    collect_garbage_seldom()
    wanted = args.max_connections * files_per_connection()
    files = raise_open_file_limit(wanted + 256)
    if files < wanted:
        logging.warning(
            "open-file limit %d is below the %d that --max-connections %d needs under %s",
            files,
            wanted,
            args.max_connections,
            ASYNC_MODE,
        )
    stop_on_signals()
    options = server_options(args.max_connections, args.backlog)
    keep_presence(app)
    print(
        f"facilitator {__version__} on {app.config['ENV_NAME']} with {ASYNC_MODE}: "
        f"open {address_to_open(args.host, args.port)}",
        flush=True,
    )
    socketio.run(
        app,
        host=args.host,
        port=args.port,
        log_output=args.access_log,
        debug=False,
        use_reloader=False,
        **options,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
