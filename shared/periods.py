"""Reporting periods of Vietnamese government reporting: tháng, quý, 6 tháng, 9 tháng, năm.

A period is written in codes on the wire ("2025-06", "2025-Q2", "2025-H1", "2025-9M", "2025") and in
Vietnamese on the page ("Tháng 6/2025", "Quý II/2025", "6 tháng đầu năm 2025", "9 tháng năm 2025",
"Năm 2025"). Its bounds are civil days in Vietnam, returned as UTC instants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from shared.vn import end_of_day, local_date, local_instant

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}  # quarters, the one table: "Quý III/2025"
FROM_ROMAN = {numeral: number for number, numeral in ROMAN.items()}


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    NINE_MONTHS = "nine_months"
    YEAR = "year"


_CODE = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<q>[1-4])|H(?P<h>[12])|(?P<nine>9M)))?$")


class InvalidPeriod(ValueError):
    pass


@dataclass(frozen=True, order=True)
class ReportingPeriod:
    year: int
    kind: PeriodKind
    number: int = 0  # month 1–12, quarter 1–4, half 1–2; 0 for nine months and year

    def __post_init__(self) -> None:
        limits = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.HALF: 2}
        if not 1900 <= self.year <= 2200:
            raise InvalidPeriod(f"year out of range: {self.year}")
        top = limits.get(self.kind)
        if top is None and self.number != 0:
            raise InvalidPeriod(f"a {self.kind} period has no number")
        if top is not None and not 1 <= self.number <= top:
            raise InvalidPeriod(f"{self.kind} number must be 1..{top}, got {self.number}")

    @classmethod
    def parse(cls, code: str) -> ReportingPeriod:
        m = _CODE.match(code.strip())
        if not m:
            raise InvalidPeriod(f"not a period code (2025-06, 2025-Q2, 2025-H1, 2025-9M, 2025): {code!r}")
        year = int(m["year"])
        if m["month"]:
            return cls(year, PeriodKind.MONTH, int(m["month"]))
        if m["q"]:
            return cls(year, PeriodKind.QUARTER, int(m["q"]))
        if m["h"]:
            return cls(year, PeriodKind.HALF, int(m["h"]))
        if m["nine"]:
            return cls(year, PeriodKind.NINE_MONTHS)
        return cls(year, PeriodKind.YEAR)

    @classmethod
    def containing(cls, kind: PeriodKind, day: date) -> ReportingPeriod:
        match kind:
            case PeriodKind.MONTH:
                return cls(day.year, kind, day.month)
            case PeriodKind.QUARTER:
                return cls(day.year, kind, (day.month - 1) // 3 + 1)
            case PeriodKind.HALF:
                return cls(day.year, kind, 1 if day.month <= 6 else 2)
            case _:
                return cls(day.year, kind)

    @property
    def code(self) -> str:
        match self.kind:
            case PeriodKind.MONTH:
                return f"{self.year}-{self.number:02d}"
            case PeriodKind.QUARTER:
                return f"{self.year}-Q{self.number}"
            case PeriodKind.HALF:
                return f"{self.year}-H{self.number}"
            case PeriodKind.NINE_MONTHS:
                return f"{self.year}-9M"
            case _:
                return str(self.year)

    @property
    def label(self) -> str:
        match self.kind:
            case PeriodKind.MONTH:
                return f"Tháng {self.number}/{self.year}"
            case PeriodKind.QUARTER:
                return f"Quý {ROMAN[self.number]}/{self.year}"
            case PeriodKind.HALF:
                half = "đầu" if self.number == 1 else "cuối"
                return f"6 tháng {half} năm {self.year}"
            case PeriodKind.NINE_MONTHS:
                return f"9 tháng năm {self.year}"
            case _:
                return f"Năm {self.year}"

    @property
    def first_day(self) -> date:
        month = {
            PeriodKind.MONTH: self.number,
            PeriodKind.QUARTER: 3 * self.number - 2,
            PeriodKind.HALF: 6 * self.number - 5,
        }.get(self.kind, 1)
        return date(self.year, month, 1)

    @property
    def last_day(self) -> date:
        last_month = {
            PeriodKind.MONTH: self.number,
            PeriodKind.QUARTER: 3 * self.number,
            PeriodKind.HALF: 6 * self.number,
            PeriodKind.NINE_MONTHS: 9,
        }.get(self.kind, 12)
        return last_day_of_month(self.year, last_month)

    @property
    def starts_at(self) -> datetime:
        return local_instant(self.first_day)

    @property
    def ends_at(self) -> datetime:
        return end_of_day(self.last_day)

    def contains(self, instant: datetime) -> bool:
        return self.first_day <= local_date(instant) <= self.last_day

    def next(self) -> ReportingPeriod:
        """The period of the same kind that follows (nine months and year step by a year)."""
        return ReportingPeriod.containing(self.kind, self.last_day + timedelta(days=1)) if self.kind in (
            PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF
        ) else ReportingPeriod(self.year + 1, self.kind)


def last_day_of_month(year: int, month: int) -> date:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)
