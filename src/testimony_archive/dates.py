"""Partial dates: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as testimonies and reports give them."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

_PARTIAL = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


@functools.total_ordering
@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key < other._key

    @property
    def _key(self) -> tuple[int, int, int]:
        """A year sorts before its months, a month before its days."""
        return (self.year, self.month or 0, self.day or 0)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    @property
    def sort_key(self) -> int:
        """An integer yyyymmdd of the first day, for sorting and range filters."""
        first = self.first_day
        return first.year * 10000 + first.month * 100 + first.day


def parse_date(value: object) -> PartialDate:
    """Parse a partial date from text, an int year or a `datetime.date`.

    Raises ValueError with a message that says what form is expected.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:04d}"
    if not isinstance(value, str):
        raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    match = _PARTIAL.fullmatch(value.strip())
    if not match:
        raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    if month is not None and not 1 <= month <= 12:
        raise ValueError(
            f"month {month} out of range in {value!r}; write a real date as YYYY-MM-DD, "
            "YYYY-MM or YYYY"
        )
    if month is not None and day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise ValueError(
                f"day {day} out of range in {value!r} (no such day in that month); write "
                "a real date as YYYY-MM-DD, or YYYY-MM if the day is not known"
            )
    if year < 1000:
        raise ValueError(f"year {year} out of range in {value!r}")
    return PartialDate(year, month, day)


def parse_loose_date(value: object) -> PartialDate | None:
    """For imports: accept a partial date or an ISO timestamp; None where none is given."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        text = value.strip()
        stamp = re.match(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]", text)
        if stamp:
            text = stamp.group(1)
        return parse_date(text)
    return parse_date(value)
