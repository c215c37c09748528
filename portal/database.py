"""Column types shared by every model."""

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.exc import IntegrityError
from sqlalchemy.types import TypeDecorator

from portal.extensions import db


def utcnow():
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Store instants as UTC on every database and hand them back time-zone aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a naive datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def commit_or_raise(error):
    """Commit; if a constraint refuses it (a request alongside won the race), roll
    back and raise the given domain error instead."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise error from None
