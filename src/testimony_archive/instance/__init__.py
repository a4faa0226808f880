"""The instance database seam: users, sessions, the audit trail and tag history behind
SQLAlchemy Core, with Alembic migrations. Nothing outside this package builds an engine."""

from . import tables
from .clock import parse, stamp, utc_now
from .database import DatabaseNotCurrent, DatabaseUnavailable, InstanceDatabase, sqlite_url

__all__ = [
    "DatabaseNotCurrent",
    "DatabaseUnavailable",
    "InstanceDatabase",
    "parse",
    "sqlite_url",
    "stamp",
    "tables",
    "utc_now",
]
