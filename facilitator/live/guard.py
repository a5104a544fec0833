"""Frames no client of ours sends: answered or dropped, quietly.

python-socketio decodes each Socket.IO packet as it arrives and trusts its shape: a frame that
is not JSON, an event with no name, a name that is not a string, a binary frame (the protocol
has none), JSON nested thousands deep, each raised inside the Engine.IO server and was logged
with its traceback. A script sending thousands of them could fill the server's log. And an
event named `connect` or `disconnect` sent by a client ran the app's own connect and
disconnect handlers, as if the socket had connected again or gone.

`install` puts a check in front of the packet decoding: a well-formed frame is dispatched as
python-socketio would; anything else is answered with an error ack when it carries an ack id,
or dropped, counted by `Quiet` (at most one short line per connection a minute, and a count of
the rest), never a traceback.
"""

from __future__ import annotations

import logging
import threading
import time

import socketio
from flask_babel import gettext as _
from socketio import packet

from facilitator.live.acks import refused

log = logging.getLogger(__name__)

# Event names the Socket.IO protocol keeps for itself: never a command, whoever sends them.
RESERVED_EVENTS = frozenset(
    {"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"}
)
# Every command takes at most one argument, its details (live/events/).
MAX_EVENT_ARGUMENTS = 1


class Quiet:
    """Say what was dropped in one short line, at most once a connection a minute and
    `lines_per_minute` times in all; count the rest, and say the count with the next line
    after each minute."""

    def __init__(
        self,
        logger: logging.Logger,
        what: str,
        *,
        level: int = logging.WARNING,
        lines_per_minute: int = 10,
        every: float = 60.0,
    ):
        self.logger, self.what, self.level = logger, what, level
        self.lines_per_minute, self.every = lines_per_minute, every
        self._lock = threading.Lock()
        self._said_to: dict[str, float] = {}
        self._window_start = time.monotonic()
        self._lines = 0
        self._unsaid = 0
        self.total = 0

    def note(self, sid: str, reason: str, *, exc_info: BaseException | None = None) -> bool:
        """Count one; return whether it was logged."""
        now = time.monotonic()
        with self._lock:
            self.total += 1
            if now - self._window_start >= self.every:
                if self._unsaid:
                    self.logger.log(
                        self.level,
                        "%d more %s in the last %d seconds, not logged one by one",
                        self._unsaid,
                        self.what,
                        round(now - self._window_start),
                    )
                self._window_start, self._lines, self._unsaid = now, 0, 0
                self._said_to = {s: at for s, at in self._said_to.items() if now - at < self.every}
            last = self._said_to.get(sid)
            if self._lines >= self.lines_per_minute or (last is not None and now - last < self.every):
                self._unsaid += 1
                return False
            self._said_to[sid] = now
            self._lines += 1
        self.logger.log(self.level, "%s from connection %s: %s", self.what, sid, reason[:200], exc_info=exc_info)
        return True


dropped = Quiet(log, "malformed Socket.IO frames")


def install(server: socketio.Server) -> None:
    """Check every Socket.IO packet this server receives before it is handled."""
    server.eio.on("message", lambda eio_sid, data: _receive(server, eio_sid, data))


def _receive(server: socketio.Server, eio_sid: str, data: str | bytes) -> None:
    if not isinstance(data, str):
        dropped.note(eio_sid, "a binary frame (the protocol has none)")
        return
    try:
        pkt = server.packet_class(encoded_packet=data)
    except Exception as error:  # noqa: BLE001 - whatever the decoder raises, incl. RecursionError
        dropped.note(eio_sid, f"undecodable ({type(error).__name__})")
        return
    namespace = pkt.namespace or "/"
    kind = pkt.packet_type
    try:
        if kind == packet.EVENT:
            problem = _event_problem(pkt.data)
            if problem is None:
                server._handle_event(eio_sid, pkt.namespace, pkt.id, pkt.data)
            elif problem != "quiet":
                _refuse(server, eio_sid, pkt, problem)
            elif pkt.id is not None:
                _refuse(server, eio_sid, pkt, None)
        elif kind == packet.CONNECT:
            if server.manager.sid_from_eio_sid(eio_sid, namespace) is None:
                server._handle_connect(eio_sid, pkt.namespace, pkt.data)
            else:
                dropped.note(eio_sid, "a second connect to the same namespace")
        elif kind == packet.DISCONNECT:
            server._handle_disconnect(eio_sid, pkt.namespace, server.reason.CLIENT_DISCONNECT)
        elif kind == packet.ACK:
            server._handle_ack(eio_sid, pkt.namespace, pkt.id, pkt.data)
        else:  # binary events and acks (the protocol has none), CONNECT_ERROR, unknown types
            dropped.note(eio_sid, f"packet type {kind} is not accepted")
    except Exception as error:  # noqa: BLE001 - the library's, not a handler's: handlers answer for theirs
        dropped.note(eio_sid, f"could not be handled ({type(error).__name__}: {error})")


def _event_problem(data: object) -> str | None:
    """Why an event cannot be a command: None when it can; "quiet" for a reserved name."""
    if not isinstance(data, list) or not data or not isinstance(data[0], str):
        return "an event without a name"
    if data[0] in RESERVED_EVENTS:
        return "quiet"
    if len(data) - 1 > MAX_EVENT_ARGUMENTS:
        return "an event with more than one argument"
    return None


def _refuse(server: socketio.Server, eio_sid: str, pkt: packet.Packet, problem: str | None) -> None:
    """An error ack when the frame asked for one; dropped (and counted) otherwise. A reserved
    name (`problem` None) is refused without a log line: it is one client's mistake or probe."""
    if problem is not None:
        dropped.note(eio_sid, problem)
    if pkt.id is None:
        return
    environ = server.environ.get(eio_sid)
    app = environ.get("flask.app") if environ else None
    if app is None:
        return
    with app.request_context(environ):
        answer = refused("invalid", _("This command was not understood."))
    server._send_packet(eio_sid, server.packet_class(packet.ACK, namespace=pkt.namespace, id=pkt.id, data=[answer]))
