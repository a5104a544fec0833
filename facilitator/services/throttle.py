"""Limits on attempts over a sliding window: failed sign-ins, joins.

Counted in the database, so every server process sees the same count.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from facilitator.extensions import db
from facilitator.models import ThrottleEvent
from facilitator.models.types import utcnow
from facilitator.services.errors import ServiceError

# The longest window any limit uses: older events are deleted as new ones arrive.
KEEP = timedelta(hours=1)


class TooManyAttempts(ServiceError):
    code = "too_many_attempts"

    def __init__(self, minutes: int) -> None:
        super().__init__(_("Too many attempts. Wait %(minutes)d minutes and try again.", minutes=minutes))
        self.minutes = minutes


def key(scope: str, value: str) -> str:
    """A keyed hash, so the table holds neither addresses nor e-mails in the clear."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{scope}:{value}".encode(), hashlib.sha256).hexdigest()


def check(key_hash: str, limit: int, window: timedelta) -> None:
    """Raise TooManyAttempts while `limit` events for this key lie within `window`."""
    now = utcnow()
    count, oldest = db.session.execute(
        select(func.count(), func.min(ThrottleEvent.at)).where(
            ThrottleEvent.key_hash == key_hash, ThrottleEvent.at >= now - window
        )
    ).one()
    if count >= limit:
        wait = oldest + window - now
        raise TooManyAttempts(max(1, math.ceil(wait.total_seconds() / 60)))


def record(*key_hashes: str) -> None:
    """Count an event against each key (the caller commits)."""
    now = utcnow()
    db.session.execute(delete(ThrottleEvent).where(ThrottleEvent.at < now - KEEP))
    db.session.add_all(ThrottleEvent(key_hash=key_hash, at=now) for key_hash in key_hashes)


def clear(key_hash: str) -> None:
    db.session.execute(delete(ThrottleEvent).where(ThrottleEvent.key_hash == key_hash))
