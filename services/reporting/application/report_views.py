"""What the period reports, briefings and the year-end evaluation return (see views.py for the rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from reporting.application.views import CountsView, HistoryEntry, RevisionView, TaskView, UnitSummary


@dataclass(frozen=True, slots=True)
class PeriodView:
    code: str  # "2025-06", "2025-Q2", "2025-H1", "2025-9M", "2025"
    kind: str
    label: str  # "Quý II/2025"
    first_day: date
    last_day: date


@dataclass(frozen=True, slots=True)
class ActivityView:
    """What happened in a period: counted on the day each event is about."""

    progress_reports: int = 0
    completion_requests: int = 0
    completions: int = 0
    completed_on_time: int = 0
    completed_late: int = 0
    rejections: int = 0
    revisions: int = 0
    targets_lowered: int = 0
    deadlines_extended: int = 0
    cancellations: int = 0
    suspensions: int = 0
    reassignments_in: int = 0


@dataclass(frozen=True, slots=True)
class UnitActivity:
    unit: str
    unit_name: str
    activity: ActivityView


@dataclass(frozen=True, slots=True)
class PeriodReport:
    org: str
    org_name: str
    place: str
    program_year: int
    unit: str | None  # the report of one unit, or of the whole program
    period: PeriodView
    as_of: datetime  # the period's end, or now while it runs
    final: bool  # the period has ended
    summary: CountsView  # every task of the program year, at as_of
    units: list[UnitSummary]
    due_in_period: list[TaskView]
    due_summary: CountsView  # the tasks that fell due in the period, at as_of
    completed_in_period: list[TaskView]
    overdue: list[TaskView]
    exceeding: list[TaskView]
    activity: ActivityView
    activity_by_unit: list[UnitActivity]
    revisions: list[RevisionView]


@dataclass(frozen=True, slots=True)
class ChangeEntry(HistoryEntry):
    task_id: UUID
    ref: str
    title: str
    unit_name: str


@dataclass(frozen=True, slots=True)
class BriefingWindow:
    kind: str  # week | month
    label: str
    first_day: date
    last_day: date


@dataclass(frozen=True, slots=True)
class Briefing:
    """The weekly or monthly briefing (trực báo tuần, tháng)."""

    org: str
    org_name: str
    window: BriefingWindow
    next_window: BriefingWindow
    as_of: datetime
    summary: CountsView
    changes: list[ChangeEntry]  # newest first
    overdue: list[TaskView]
    due_next: list[TaskView]  # not completed, falling due in the next window
    revisions: list[RevisionView]  # made (recorded) in the window


@dataclass(frozen=True, slots=True)
class UnitEvaluationView:
    rank: int
    unit: str
    unit_name: str
    assigned: int
    cancelled: int
    suspended: int
    completed: int
    completed_on_time: int
    completed_late: int
    quantitative: int
    exceeding_target: int
    on_time_share: float | None
    exceeding_share: float | None
    completed_share: float | None


@dataclass(frozen=True, slots=True)
class Evaluation:
    org: str
    org_name: str
    program_year: int
    rule: str  # the rule used, in Vietnamese, to be shown with the results
    units: list[UnitEvaluationView]
