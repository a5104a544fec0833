"""Column types shared by the models."""

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

# The largest id a row can have on every database (SQLite and PostgreSQL bigint).
MAX_ROW_ID = 2**63 - 1


def utcnow() -> datetime:
    return datetime.now(UTC)


def is_row_id(value: object) -> bool:
    """Whether a value from a client could be a row's id: a whole number the database can
    compare (SQLite fails on a larger one, instead of finding nothing)."""
    return type(value) is int and 0 < value <= MAX_ROW_ID


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every database; SQLite alone would hand back naive ones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous: pass an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
