"""Deadlines as the program writes them, stored as written and as their effective end.

"6/2025" ends at 23:59:59 on 30/06/2025 in Vietnam; "Quý III/2025" on 30/09/2025; "năm 2025" on
31/12/2025; "15h00 ngày 24/12/2025" at that minute (08:00 UTC); "2026 - 2030" at the end of 2030;
"từ năm 2025" recurs every year from 2025 on, and its end in a given program year is that year's
last day. A task with no deadline is due by the end of its program year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from commitments.domain.errors import InvalidValue, require
from shared.periods import FROM_ROMAN, PeriodKind, ReportingPeriod
from shared.vn import end_of_day, local_date, local_instant, nfc


class DeadlineKind(StrEnum):
    NONE = "none"
    DAY = "day"
    EXACT = "exact"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"
    RECURRING_YEARLY = "recurring_yearly"
    MULTI_YEAR = "multi_year"


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    text: str = ""  # as written
    starts_at: datetime | None = None  # UTC; the first instant of the period written, when there is one
    ends_at: datetime | None = None  # UTC; the effective end (for a recurring deadline, of its first year)

    def __post_init__(self) -> None:
        if self.kind is DeadlineKind.NONE:
            require(self.ends_at is None, "no deadline has no end", "deadline")
        else:
            require(self.ends_at is not None, f"a {self.kind} deadline needs its end", "deadline")
        if self.starts_at and self.ends_at:
            require(self.starts_at <= self.ends_at, "a deadline cannot end before it starts", "deadline")

    @property
    def recurring(self) -> bool:
        return self.kind is DeadlineKind.RECURRING_YEARLY

    def effective_end(self, program_year: int) -> datetime:
        """When the task falls due within its program year."""
        if self.kind is DeadlineKind.NONE:
            return end_of_day(date(program_year, 12, 31))
        assert self.ends_at is not None
        if self.recurring:
            return end_of_day(date(max(program_year, self._first_year), 12, 31))
        return self.ends_at

    @property
    def _first_year(self) -> int:
        assert self.ends_at is not None
        return local_date(self.ends_at).year


NO_DEADLINE = Deadline(DeadlineKind.NONE)

_YEAR = r"(?P<y>\d{4})"
_Q = r"[1-4]|IV|III|II|I"
_PATTERNS: list[tuple[DeadlineKind, re.Pattern[str]]] = [
    # Wordings of other notices: "trước ngày 10 tháng 12 năm 2025", "Quý I–IV/2025", "tháng 11 - 12/2025".
    (DeadlineKind.DAY, re.compile(
        r"^(?:chậm nhất\s+|trước\s+)?(?:ngày\s+)?(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+" + _YEAR + "$")),
    (DeadlineKind.QUARTER, re.compile(
        rf"^(?:trong\s+)?(?:các\s+)?quý\s+(?P<q1>{_Q})\s*(?:[-–—]|đến)\s*(?:quý\s+)?(?P<q>{_Q})\s*(?:/|năm\s+)"
        + _YEAR + "$")),
    (DeadlineKind.MONTH, re.compile(
        r"^(?:trong\s+)?(?:các\s+)?tháng\s+(?P<m1>\d{1,2})\s*(?:[-–—]|đến)\s*(?:tháng\s+)?(?P<m>\d{1,2})\s*(?:/|năm\s+)"
        + _YEAR + "$")),
    (DeadlineKind.EXACT, re.compile(
        r"^(?:chậm nhất\s+|trước\s+)?(?P<h>\d{1,2})\s*(?:h|giờ)\s*(?P<mi>\d{2})?(?:\s*phút)?\s*(?:,\s*)?(?:ngày\s+)?"
        r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/" + _YEAR + "$")),
    (DeadlineKind.DAY, re.compile(
        r"^(?:chậm nhất\s+|trước\s+)?(?:ngày\s+)?(?P<d>\d{1,2})/(?P<m>\d{1,2})/" + _YEAR + "$")),
    (DeadlineKind.RECURRING_YEARLY, re.compile(r"^(?:kể\s+)?từ\s+năm\s+" + _YEAR + r"(?:\s+trở\s+đi)?$")),
    (DeadlineKind.MULTI_YEAR, re.compile(r"^(?:giai\s+đoạn\s+)?(?P<y1>\d{4})\s*[-–—]\s*(?P<y2>\d{4})$")),
    (DeadlineKind.QUARTER, re.compile(r"^(?:trong\s+)?quý\s+(?P<q>[1-4]|IV|III|II|I)\s*(?:/|năm\s+)" + _YEAR + "$")),
    (DeadlineKind.HALF_YEAR, re.compile(r"^6\s+tháng\s+(?P<half>đầu|cuối)\s+năm\s+" + _YEAR + "$")),
    (DeadlineKind.MONTH, re.compile(r"^(?:trong\s+)?(?:tháng\s+)?(?P<m>\d{1,2})\s*(?:/|năm\s+)" + _YEAR + "$")),
    (DeadlineKind.YEAR, re.compile(r"^(?:trong\s+|đến\s+)?(?:năm\s+)?" + _YEAR + "$")),
]


_EVERY_YEAR = re.compile(r"^(?:thường xuyên|hằng năm|hàng năm|định kỳ hằng năm|định kỳ hàng năm)$")


def parse_deadline(text: str | None, year: int | None = None) -> Deadline:
    """Reads a deadline as the notice writes it; raises InvalidValue naming `deadline`.

    `year` is the program year, which "Thường xuyên" and "hằng năm" need: they recur every year of the
    program from that year on (without it they are refused)."""
    written = nfc(" ".join((text or "").split()))
    if not written:
        return NO_DEADLINE
    lowered = _lower_keep_roman(written)
    if _EVERY_YEAR.match(lowered):
        require(year is not None, f"the deadline {written!r} needs the program year", "deadline")
        assert year is not None
        period = _year(year)
        return Deadline(DeadlineKind.RECURRING_YEARLY, written, period.starts_at, period.ends_at)
    for kind, pattern in _PATTERNS:
        if m := pattern.match(lowered):
            return _build(kind, written, m)
    raise InvalidValue(f"cannot read the deadline {written!r}", "deadline")


def _lower_keep_roman(text: str) -> str:
    """Lower-cases the words but keeps Roman numerals (I, II, III, IV) upper-case."""
    spaced = re.sub(r"\s*([-–—])\s*", r" \1 ", text)  # "Quý I–IV/2025": each numeral its own word
    words = spaced.strip(" .").split()
    return " ".join(w if re.fullmatch(r"(?:IV|III|II|I)(?:/\d{4})?", w) else w.lower() for w in words)


def _build(kind: DeadlineKind, written: str, m: re.Match[str]) -> Deadline:
    try:
        start, end = _bounds(kind, m)
    except ValueError as error:  # 31/02/2025, 25h00, month 13
        raise InvalidValue(f"the deadline {written!r} is not a real date: {error}", "deadline") from None
    return Deadline(kind=kind, text=written, starts_at=start, ends_at=end)


def _bounds(kind: DeadlineKind, m: re.Match[str]) -> tuple[datetime | None, datetime]:
    """A written period's bounds are the reporting period's (`shared.periods`): one calendar for both."""
    match kind:
        case DeadlineKind.EXACT:
            day = date(int(m["y"]), int(m["m"]), int(m["d"]))
            return None, local_instant(day, time(int(m["h"]), int(m["mi"] or 0)))
        case DeadlineKind.DAY:
            day = date(int(m["y"]), int(m["m"]), int(m["d"]))
            return None, end_of_day(day)
        case DeadlineKind.MULTI_YEAR:
            y1, y2 = int(m["y1"]), int(m["y2"])
            require(y1 <= y2, f"a period cannot end ({y2}) before it starts ({y1})", "deadline")
            return _year(y1).starts_at, _year(y2).ends_at
    period = _period(kind, m)
    if first := _first_of_span(kind, m):  # "Quý I–IV/2025": from the first period to the end of the last
        require(first.starts_at <= period.starts_at, "a span of periods cannot end before it starts", "deadline")
        return first.starts_at, period.ends_at
    return period.starts_at, period.ends_at


def _first_of_span(kind: DeadlineKind, m: re.Match[str]) -> ReportingPeriod | None:
    names = m.groupdict()
    if kind is DeadlineKind.QUARTER and names.get("q1"):
        return ReportingPeriod(int(m["y"]), PeriodKind.QUARTER, FROM_ROMAN.get(m["q1"]) or int(m["q1"]))
    if kind is DeadlineKind.MONTH and names.get("m1"):
        return ReportingPeriod(int(m["y"]), PeriodKind.MONTH, int(m["m1"]))
    return None


def _period(kind: DeadlineKind, m: re.Match[str]) -> ReportingPeriod:
    """Raises InvalidPeriod, a ValueError (month 13, year 3000), which `_build` reports."""
    year = int(m["y"])
    match kind:
        case DeadlineKind.MONTH:
            return ReportingPeriod(year, PeriodKind.MONTH, int(m["m"]))
        case DeadlineKind.QUARTER:
            return ReportingPeriod(year, PeriodKind.QUARTER, FROM_ROMAN.get(m["q"]) or int(m["q"]))
        case DeadlineKind.HALF_YEAR:
            return ReportingPeriod(year, PeriodKind.HALF, 1 if m["half"] == "đầu" else 2)
    return _year(year)  # YEAR and RECURRING_YEARLY: the (first) year


def _year(year: int) -> ReportingPeriod:
    return ReportingPeriod(year, PeriodKind.YEAR)
