"""What the query functions return: frozen dataclasses, the same for the pages and the JSON API (which
serialises them: `response_model=` in api/routes).

Values are raw (UTC instants, ISO days, percentages as numbers 0–100+); the pages format them the
Vietnamese way with shared.vn (dd/mm/yyyy, 98,62%). Labels are already Vietnamese.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID


@dataclass(frozen=True, slots=True)
class Label:
    code: str
    label: str  # Vietnamese


@dataclass(frozen=True, slots=True)
class StatusView(Label):
    colour: str


@dataclass(frozen=True, slots=True)
class TargetView:
    kind: str
    text: str
    measure: str
    minimum: float | None
    maximum: float | None
    per: str | None


@dataclass(frozen=True, slots=True)
class DeadlineView:
    kind: str
    text: str
    due_at: datetime
    due_on: date  # the civil day in Vietnam


@dataclass(frozen=True, slots=True)
class PaceView(Label):
    elapsed_percent: float | None
    achieved_percent: float | None
    projected_value: float | None


@dataclass(frozen=True, slots=True)
class TaskView:
    task_id: UUID
    ref: str
    org: str
    program_year: int
    unit: str
    unit_name: str
    title: str
    target: TargetView
    deadline: DeadlineView
    lifecycle: str
    achieved_value: float | None
    percent_of_target: float | None
    target_met: bool | None
    exceeds_target: bool
    over_achievement: float | None  # how far above the target's ceiling, in its measure
    started: bool
    last_report_as_of: date | None
    completion_requested_on: date | None
    completed_on: date | None
    on_time: bool | None
    status: StatusView
    pace: PaceView
    days_left: int | None  # civil days to the deadline (negative once overdue); None when closed
    revisions: int
    previous_units: list[str]
    open_proposal_id: UUID | None  # a revision proposal waiting for the Board (Chờ phê duyệt)
    version: int
    registered_at: datetime
    updated_at: datetime
    as_of: datetime  # the instant the status and pace were computed for


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    version: int
    event_type: str
    event_label: str
    unit: str
    recorded_at: datetime
    effective_at: datetime
    as_of: date
    actor_name: str
    actor_role: str
    note: str
    achieved_value: float | None
    percent_of_target: float | None
    details: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ChartPoint:
    as_of: date
    achieved_value: float | None
    percent_of_target: float | None
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class RevisionView:
    task_id: UUID
    ref: str
    version: int
    unit: str
    unit_name: str
    recorded_at: datetime
    effective_on: date
    old_target: str
    new_target: str
    old_deadline: str
    new_deadline: str
    old_due_at: datetime
    new_due_at: datetime
    target_lowered: bool
    deadline_extended: bool
    reason: str
    approved_by: str
    document: str
    signed_on: date | None
    actor_name: str


@dataclass(frozen=True, slots=True)
class TaskDetail:
    task: TaskView
    description: str
    cooperating_units: list[str]
    history: list[HistoryEntry]
    chart: list[ChartPoint]
    revisions: list[RevisionView]


@dataclass(frozen=True, slots=True)
class StatusCount(StatusView):
    count: int


@dataclass(frozen=True, slots=True)
class CountsView:
    total: int
    counted: int  # the denominator of the rates: less cancelled and suspended
    by_status: list[StatusCount]
    completed: int
    completed_on_time: int
    completed_late: int
    completion_rate: float | None
    on_time_rate: float | None
    exceeding_target: int
    at_risk: int


@dataclass(frozen=True, slots=True)
class UnitSummary:
    unit: str
    unit_name: str
    counts: CountsView


@dataclass(frozen=True, slots=True)
class ProgramSummary:
    org: str
    org_name: str
    program_year: int | None
    as_of: datetime
    total: CountsView
    units: list[UnitSummary]
    pace_rule: str
