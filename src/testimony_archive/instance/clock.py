"""Time stamps of the instance database: UTC, ISO 8601, microseconds, sortable as text."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime | None = None) -> str:
    return (moment or utc_now()).astimezone(UTC).isoformat(timespec="microseconds")


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text)
