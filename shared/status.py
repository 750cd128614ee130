"""The official status wording of Vietnamese government task tracking, computed from facts and "now".

Status depends on the calendar, so it is computed when asked, never stored: a dashboard opened a day
later must not show yesterday's status. Every service uses this one definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from shared.vn import local_date

DUE_SOON_DAYS = 3


class TaskStatus(StrEnum):
    COMPLETED_ON_TIME = "completed_on_time"
    COMPLETED_LATE = "completed_late"
    IN_PROGRESS_ON_TIME = "in_progress_on_time"
    IN_PROGRESS_OVERDUE = "in_progress_overdue"
    DUE_SOON = "due_soon"
    NOT_STARTED = "not_started"
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def colour(self) -> str:
        return _COLOURS[self]

    @property
    def completed(self) -> bool:
        return self in (TaskStatus.COMPLETED_ON_TIME, TaskStatus.COMPLETED_LATE)


_LABELS = {
    TaskStatus.COMPLETED_ON_TIME: "Hoàn thành đúng hạn",
    TaskStatus.COMPLETED_LATE: "Hoàn thành quá hạn",
    TaskStatus.IN_PROGRESS_ON_TIME: "Đang thực hiện trong hạn",
    TaskStatus.IN_PROGRESS_OVERDUE: "Đang thực hiện quá hạn",
    TaskStatus.DUE_SOON: "Sắp quá hạn",
    TaskStatus.NOT_STARTED: "Chưa thực hiện",
    TaskStatus.AWAITING_CONFIRMATION: "Chờ xác nhận",
    TaskStatus.SUSPENDED: "Tạm hoãn",
    TaskStatus.CANCELLED: "Đã hủy",
}
# green on time, blue in progress, orange late, red overdue, grey not started (the design's legend)
_COLOURS = {
    TaskStatus.COMPLETED_ON_TIME: "green",
    TaskStatus.COMPLETED_LATE: "orange",
    TaskStatus.IN_PROGRESS_ON_TIME: "blue",
    TaskStatus.IN_PROGRESS_OVERDUE: "red",
    TaskStatus.DUE_SOON: "amber",
    TaskStatus.NOT_STARTED: "grey",
    TaskStatus.AWAITING_CONFIRMATION: "purple",
    TaskStatus.SUSPENDED: "slate",
    TaskStatus.CANCELLED: "slate",
}


@dataclass(frozen=True)
class StatusFacts:
    lifecycle: str  # active | awaiting_confirmation | completed | suspended | cancelled
    due_at: datetime  # the effective deadline within the program year (UTC)
    started: bool  # at least one progress report
    completed_on: date | None = None  # the day the work was done, once confirmed


def has_started(last_report_as_of: date | None) -> bool:
    """Started: at least one progress report has been recorded (with a value or only a note)."""
    return last_report_as_of is not None


def status_facts(lifecycle: str, due_at: datetime, last_report_as_of: date | None,
                 completed_on: date | None) -> StatusFacts:
    """The inputs as every service holds them. The day the work was done counts only once the Board
    has confirmed it: a claim awaiting confirmation is not yet a completion."""
    return StatusFacts(lifecycle=lifecycle, due_at=due_at, started=has_started(last_report_as_of),
                       completed_on=completed_on if lifecycle == "completed" else None)


def status_at(facts: StatusFacts, now: datetime) -> TaskStatus:
    match facts.lifecycle:
        case "cancelled":
            return TaskStatus.CANCELLED
        case "suspended":
            return TaskStatus.SUSPENDED
        case "completed":
            assert facts.completed_on is not None
            on_time = completed_on_time(facts.completed_on, facts.due_at)
            return TaskStatus.COMPLETED_ON_TIME if on_time else TaskStatus.COMPLETED_LATE
        case "awaiting_confirmation":
            return TaskStatus.AWAITING_CONFIRMATION
    if now > facts.due_at:
        return TaskStatus.IN_PROGRESS_OVERDUE
    if facts.due_at - now <= timedelta(days=DUE_SOON_DAYS):
        return TaskStatus.DUE_SOON
    return TaskStatus.IN_PROGRESS_ON_TIME if facts.started else TaskStatus.NOT_STARTED


def completed_on_time(completed_on: date, due_at: datetime) -> bool:
    return completed_on <= local_date(due_at)
