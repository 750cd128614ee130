"""The weekly and monthly briefing ("trực báo tuần, tháng"): its windows and what each section holds.
Pure. The dashboard's briefing page and the briefing the Office and the Board receive by mail both
call it.

- A window is a week (Monday to Sunday) or a month of Vietnam's civil calendar, with one wording
  ("Tuần từ 02/06/2025 đến 08/06/2025", "Tháng 6/2025"; `phrase` inside a sentence). It holds an
  instant when the instant's civil date falls in it: the bounds are whole days, so an event at
  23:59:59.5 on Sunday is in the week, and one at 00:00 on Monday is in the next.
- "What changed" lists what was recorded within the window.
- "Overdue" lists the tasks whose status, at the briefing's instant, is "Đang thực hiện quá hạn".
- "Due next" lists the tasks still being worked on (active) that fall due within the following
  window. A task awaiting the Board's confirmation is not listed: its unit has reported the work
  done (it appears among the completion requests), and whether it was on time is settled by the day
  the work was done, not by the confirmation. Suspended and cancelled tasks are never due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from shared.periods import PeriodKind, ReportingPeriod
from shared.status import TaskStatus
from shared.vn import end_of_day, format_date, local_date, local_instant


class WindowKind(StrEnum):
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class Window:
    kind: WindowKind
    first_day: date
    last_day: date  # inclusive

    @property
    def starts_at(self) -> datetime:
        return local_instant(self.first_day)

    @property
    def ends_at(self) -> datetime:
        """The last second of the window's last day (as a reporting period's end)."""
        return end_of_day(self.last_day)

    @property
    def code(self) -> str:
        if self.kind is WindowKind.MONTH:
            return f"{self.first_day:%Y-%m}"
        return f"{self.first_day.isoformat()}/{self.last_day.isoformat()}"

    @property
    def label(self) -> str:
        if self.kind is WindowKind.MONTH:
            return ReportingPeriod.containing(PeriodKind.MONTH, self.first_day).label
        return f"Tuần từ {format_date(self.first_day)} đến {format_date(self.last_day)}"

    @property
    def phrase(self) -> str:
        """The label inside a sentence: "Trực báo tuần từ 02/06/2025 đến 08/06/2025"."""
        return self.label[0].lower() + self.label[1:]

    def next(self) -> Window:
        return window(self.kind, self.last_day + timedelta(days=1))

    def previous(self) -> Window:
        return window(self.kind, self.first_day - timedelta(days=1))

    def contains(self, instant: datetime) -> bool:
        return self.first_day <= local_date(instant) <= self.last_day


def window(kind: WindowKind, day: date) -> Window:
    """The week or month that holds `day`."""
    if kind is WindowKind.WEEK:
        monday = day - timedelta(days=day.weekday())
        return Window(kind, monday, monday + timedelta(days=6))
    month = ReportingPeriod.containing(PeriodKind.MONTH, day)
    return Window(kind, month.first_day, month.last_day)


def changed_within(mark: datetime | None, span: Window) -> bool:
    return mark is not None and span.contains(mark)


def is_overdue(status: TaskStatus) -> bool:
    return status is TaskStatus.IN_PROGRESS_OVERDUE


def due_next(lifecycle: str, due_at: datetime, following: Window) -> bool:
    return lifecycle == "active" and following.contains(due_at)
