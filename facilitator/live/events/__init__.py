"""Client -> server commands, one module per part of the meeting. Each handler is thin:
identify (`live/commands.py`), validate, call one service, broadcast, ack."""

from facilitator.live.events import closing, connection, consent, meeting, plan, private_time, rounds  # noqa: F401
