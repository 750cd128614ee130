"""The instants and days a request may ask about, checked once for every service.

Python's datetime ends at years 1 and 9999: `0001-01-01T00:00:00+07:00` parses, but converting it to
UTC overflows, and so does stepping a day past 9999-12-31 — a 500 in every route that took such a
value. The program's years run from 2000 on; nothing was recorded before 1970 and nothing can be due
after 2200, so a value outside those bounds is refused (422 naming the field) before any arithmetic.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

EARLIEST_DAY, LATEST_DAY = date(1970, 1, 1), date(2200, 12, 31)
RANGE = f"{EARLIEST_DAY.isoformat()} to {LATEST_DAY.isoformat()}"


class InvalidInstant(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message, self.field = message, field


def civil_day(value: date, field: str) -> date:
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        raise InvalidInstant(f"{field} {value.isoformat()} is out of range ({RANGE})", field)
    return value


def utc_instant(value: datetime, field: str) -> datetime:
    """An instant with its UTC offset, in range, as UTC."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInstant(f"{field} needs a UTC offset, e.g. 2025-06-30T23:59:59+07:00", field)
    civil_day(value.date(), field)  # before the conversion, which overflows at the ends of the calendar
    return value.astimezone(UTC)
