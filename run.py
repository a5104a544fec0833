import eventlet

eventlet.monkey_patch()

# psycopg2 talks to PostgreSQL through libpq's own sockets, which monkey_patch cannot reach: without
# this, one slow query would stop every connection of the process.
from psycogreen.eventlet import patch_psycopg  # noqa: E402

patch_psycopg()

# The production entry point: eventlet is patched in above, before anything
# else is imported; the app itself never imports eventlet.
import argparse  # noqa: E402
import functools  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402

import eventlet.hubs  # noqa: E402
import greenlet  # noqa: E402

from facilitator import __version__, create_app  # noqa: E402
from facilitator.config import ConfigError  # noqa: E402
from facilitator.extensions import socketio  # noqa: E402
from facilitator.live import collect_garbage_seldom, keep_presence  # noqa: E402

# eventlet's default ceiling is 1024 simultaneous connections: about a
# thousand phones. Each phone holds one.
DEFAULT_MAX_CONNECTIONS = 10_000
# Connections waiting to be accepted. eventlet.listen's default of 50 drops the
# SYNs of a burst (a room of phones scanning at once, every phone reconnecting
# after a restart), and each dropped one waits a second or more to retry.
DEFAULT_BACKLOG = 2048


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Serve facilitator with eventlet.")
    parser.add_argument(
        "--host", default=os.environ.get("HOST", "127.0.0.1"), help="address to listen on [HOST, 127.0.0.1]"
    )
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("PORT", "5000")), help="port to listen on [PORT, 5000]"
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


def listen_with_backlog(backlog: int) -> None:
    """socketio.run() opens its socket with eventlet.listen(): give that call our backlog."""
    eventlet.listen = functools.partial(eventlet.listen, backlog=backlog)


def stop_on_signals() -> None:
    """Ctrl-C and systemd's SIGTERM both leave cleanly, whatever is running when they come.

    Python runs a signal handler in whichever green thread is current. Raising
    in the hub (idle) or the main green thread stops the server; raising in a
    green thread serving a request would only end that request, so the exit is
    handed to the hub to raise on its next turn.
    """
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


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        app = create_app({"ASYNC_MODE": "eventlet"})
    except ConfigError as error:
        print(f"facilitator: {error}", file=sys.stderr)
        return 2
    collect_garbage_seldom()
    files = raise_open_file_limit(args.max_connections + 256)
    if files < args.max_connections:
        logging.warning("open-file limit %d is below --max-connections %d", files, args.max_connections)
    stop_on_signals()
    listen_with_backlog(args.backlog)
    keep_presence(app)
    print(
        f"facilitator {__version__} on {app.config['ENV_NAME']}: open {address_to_open(args.host, args.port)}",
        flush=True,
    )
    socketio.run(
        app,
        host=args.host,
        port=args.port,
        max_size=args.max_connections,
        log_output=args.access_log,
        debug=False,
        use_reloader=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
