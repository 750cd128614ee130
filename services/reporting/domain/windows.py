"""Briefing windows: the week (Monday to Sunday) or the month of the weekly and monthly briefing
("trực báo tuần, tháng"), in Vietnam's civil calendar. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from shared.periods import PeriodKind, ReportingPeriod
from shared.vn import end_of_day, format_date, local_instant


class WindowKind(StrEnum):
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class Window:
    kind: WindowKind
    first_day: date
    last_day: date

    @property
    def starts_at(self) -> datetime:
        return local_instant(self.first_day)

    @property
    def ends_at(self) -> datetime:
        return end_of_day(self.last_day)

    @property
    def label(self) -> str:
        if self.kind is WindowKind.MONTH:
            return ReportingPeriod.containing(PeriodKind.MONTH, self.first_day).label
        return f"Tuần từ {format_date(self.first_day)} đến {format_date(self.last_day)}"

    def next(self) -> Window:
        return window(self.kind, self.last_day + timedelta(days=1))

    def contains(self, instant: datetime) -> bool:
        return self.starts_at <= instant <= self.ends_at


def window(kind: WindowKind, day: date) -> Window:
    if kind is WindowKind.WEEK:
        monday = day - timedelta(days=day.weekday())
        return Window(kind, monday, monday + timedelta(days=6))
    month = ReportingPeriod.containing(PeriodKind.MONTH, day)
    return Window(kind, month.first_day, month.last_day)
