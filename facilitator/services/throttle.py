"""Limits on attempts over a sliding window: failed sign-ins, join code lookups, joins.

Counted where every server process sees the same count when there are several: in Redis,
when the deployment has one (SOCKETIO_MESSAGE_QUEUE is a redis:// address, as when it runs
several processes); otherwise in this process's memory (one process, as `make run` serves).
Each count is kept under a keyed hash of what is limited (an e-mail address, a network
address), so neither store holds personal data in the clear, and only as long as the longest
window. Should Redis stop answering, each process counts on its own until it answers again.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import secrets
import threading
import time
from datetime import timedelta
from typing import Protocol

from flask import Flask, current_app
from flask_babel import gettext as _

from facilitator.services.errors import ServiceError

log = logging.getLogger(__name__)

# The longest window any limit uses: older events are forgotten as new ones arrive.
KEEP = timedelta(hours=1)
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
EXTENSION = "facilitator.throttle"


def now() -> float:
    """Seconds since the epoch: the same clock on every process (tests move it)."""
    return time.time()


class TooManyAttempts(ServiceError):
    code = "too_many_attempts"

    def __init__(self, minutes: int) -> None:
        super().__init__(_("Too many attempts. Wait %(minutes)d minutes and try again.", minutes=minutes))
        self.minutes = minutes


class Store(Protocol):
    def count(self, key_hash: str, since: float) -> tuple[int, float | None]:
        """How many events for this key at or after `since`, and when the oldest of them was."""

    def add(self, key_hashes: tuple[str, ...], at: float) -> None: ...

    def clear(self, key_hash: str) -> None: ...


class MemoryStore:
    """One process's counts."""

    def __init__(self) -> None:
        self._events: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self._swept = 0.0

    def count(self, key_hash: str, since: float) -> tuple[int, float | None]:
        with self._lock:
            recent = [at for at in self._events.get(key_hash, ()) if at >= since]
        return len(recent), min(recent, default=None)

    def add(self, key_hashes: tuple[str, ...], at: float) -> None:
        keep_from = at - KEEP.total_seconds()
        with self._lock:
            for key_hash in key_hashes:
                events = [t for t in self._events.get(key_hash, ()) if t >= keep_from]
                events.append(at)
                self._events[key_hash] = events
            if at - self._swept > 60:  # forget keys nobody has tried for an hour
                self._swept = at
                self._events = {k: v for k, v in self._events.items() if v and v[-1] >= keep_from}

    def clear(self, key_hash: str) -> None:
        with self._lock:
            self._events.pop(key_hash, None)


class RedisStore:
    """Counts in Redis, shared by every process: one sorted set a key, scored by time, expiring
    once its newest event is older than KEEP. Falls back to this process's memory while Redis
    does not answer."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self._errors = (redis.RedisError, OSError)
        self.redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix
        self.fallback = MemoryStore()
        self._complained = 0.0

    def _name(self, key_hash: str) -> str:
        return self.prefix + key_hash

    def _unavailable(self, error: Exception) -> None:
        if time.monotonic() - self._complained > 60:
            self._complained = time.monotonic()
            log.warning("throttle counts kept in this process only: Redis did not answer (%s)", error)

    def count(self, key_hash: str, since: float) -> tuple[int, float | None]:
        try:
            with self.redis.pipeline(transaction=False) as pipe:
                pipe.zcount(self._name(key_hash), since, "+inf")
                pipe.zrangebyscore(self._name(key_hash), since, "+inf", start=0, num=1, withscores=True)
                count, oldest = pipe.execute()
        except self._errors as error:
            self._unavailable(error)
            return self.fallback.count(key_hash, since)
        return int(count), (oldest[0][1] if oldest else None)

    def add(self, key_hashes: tuple[str, ...], at: float) -> None:
        keep = KEEP.total_seconds()
        try:
            with self.redis.pipeline(transaction=False) as pipe:
                for key_hash in key_hashes:
                    name = self._name(key_hash)
                    pipe.zadd(name, {f"{at:.6f}:{secrets.token_hex(4)}": at})
                    pipe.zremrangebyscore(name, "-inf", f"({at - keep}")
                    pipe.expire(name, math.ceil(keep))
                pipe.execute()
        except self._errors as error:
            self._unavailable(error)
            self.fallback.add(key_hashes, at)

    def clear(self, key_hash: str) -> None:
        self.fallback.clear(key_hash)
        try:
            self.redis.delete(self._name(key_hash))
        except self._errors as error:
            self._unavailable(error)


def store_for(app: Flask) -> Store:
    """The app's store: Redis when its message queue is a Redis server, else memory."""
    store = app.extensions.get(EXTENSION)
    if store is None:
        queue = app.config.get("SOCKETIO_MESSAGE_QUEUE") or ""
        if queue.startswith(REDIS_SCHEMES):
            # One installation's counts apart from another's on the same Redis.
            store = RedisStore(queue, f"{app.config['SOCKETIO_CHANNEL']}:throttle:")
        else:
            store = MemoryStore()
        store = app.extensions.setdefault(EXTENSION, store)
    return store


def key(scope: str, value: str) -> str:
    """A keyed hash, so the store holds neither addresses nor e-mails in the clear."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{scope}:{value}".encode(), hashlib.sha256).hexdigest()


def count(key_hash: str, window: timedelta) -> int:
    """How many events for this key lie within `window`."""
    return store_for(current_app).count(key_hash, now() - window.total_seconds())[0]


def check(key_hash: str, limit: int, window: timedelta) -> None:
    """Raise TooManyAttempts while `limit` events for this key lie within `window`."""
    at = now()
    found, oldest = store_for(current_app).count(key_hash, at - window.total_seconds())
    if found >= limit:
        wait = (oldest if oldest is not None else at) + window.total_seconds() - at
        raise TooManyAttempts(max(1, math.ceil(wait / 60)))


def record(*key_hashes: str) -> None:
    """Count an event against each key."""
    store_for(current_app).add(key_hashes, now())


def clear(key_hash: str) -> None:
    store_for(current_app).clear(key_hash)
