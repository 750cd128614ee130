"""Facts and rows → views, with "now" applied: the Vietnamese status, the pace, days left."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from reporting.application.read_store import HistoryRow, RevisionRow
from reporting.application.report_views import ChangeEntry
from reporting.application.views import (
    CountsView,
    DeadlineView,
    HistoryEntry,
    PaceView,
    RevisionView,
    StatusCount,
    StatusView,
    TargetView,
    TaskView,
)
from reporting.domain import targets
from reporting.domain.pace import forecast
from reporting.domain.summary import Assessed, StatusCounts, assess
from reporting.domain.task_state import TaskState
from shared.catalog import organisation
from shared.status import TaskStatus, status_at
from shared.vn import local_date

EVENT_LABELS = {
    "TaskRegistered": "Giao nhiệm vụ",
    "TargetRevised": "Điều chỉnh chỉ tiêu, thời hạn",
    "ProgressReported": "Báo cáo tiến độ",
    "CompletionRequested": "Đề nghị xác nhận hoàn thành",
    "CompletionConfirmed": "Xác nhận hoàn thành",
    "CompletionRejected": "Không xác nhận hoàn thành",
    "TaskCancelled": "Hủy nhiệm vụ",
    "TaskSuspended": "Tạm hoãn nhiệm vụ",
    "TaskResumed": "Tiếp tục thực hiện",
    "TaskReassigned": "Chuyển đơn vị chủ trì",
    "RevisionProposed": "Đề xuất điều chỉnh chỉ tiêu, thời hạn",
    "RevisionDeclined": "Không chấp thuận đề xuất điều chỉnh",
}


def unit_name(org: str, unit: str) -> str:
    try:
        return organisation(org).unit_name(unit)
    except FileNotFoundError:  # an organisation without reference data: show its codes
        return unit


def org_name(org: str) -> str:
    try:
        return organisation(org).name
    except FileNotFoundError:
        return org


def unit_order(org: str, unit: str) -> tuple[int, str]:
    """The order of the organisation's own list of units (unknown units last, by code)."""
    try:
        codes = [u.code for u in organisation(org).units]
    except FileNotFoundError:
        codes = []
    return (codes.index(unit) if unit in codes else len(codes), unit)


def status_view(status: TaskStatus) -> StatusView:
    return StatusView(code=status.value, label=status.label, colour=status.colour)


def task_view(state: TaskState, now: datetime) -> TaskView:
    status = status_at(state.status_facts(), now)
    pace = forecast(state, now)
    closed = state.lifecycle in ("completed", "cancelled")
    return TaskView(
        task_id=state.task_id, ref=state.ref, org=state.org, program_year=state.program_year, unit=state.unit,
        unit_name=unit_name(state.org, state.unit), title=state.title,
        target=target_view(state),
        deadline=DeadlineView(kind=state.deadline.kind, text=state.deadline.text, due_at=state.due_at,
                              due_on=local_date(state.due_at)),
        lifecycle=state.lifecycle, achieved_value=state.achieved_value, percent_of_target=state.percent_of_target,
        target_met=state.target_met, exceeds_target=state.exceeds_target,
        over_achievement=targets.over_achievement(state.target, state.achieved_value), started=state.started,
        last_report_as_of=state.last_report_as_of, completion_requested_on=state.completion_requested_on,
        completed_on=state.completed_on, on_time=state.on_time, status=status_view(status),
        pace=PaceView(code=pace.pace.value, label=pace.pace.label, elapsed_percent=pace.elapsed_percent,
                      achieved_percent=pace.achieved_percent, projected_value=pace.projected_value),
        days_left=None if closed else (local_date(state.due_at) - local_date(now)).days,
        revisions=state.revisions, previous_units=list(state.previous_units),
        open_proposal_id=state.open_proposal_id, version=state.version,
        registered_at=state.registered_at, updated_at=state.updated_at, as_of=now)


def target_view(state: TaskState) -> TargetView:
    t = state.target
    return TargetView(kind=t.kind, text=t.text, measure=t.measure, minimum=t.minimum, maximum=t.maximum, per=t.per)


def counts_view(counts: StatusCounts) -> CountsView:
    return CountsView(
        total=counts.total, counted=counts.counted,
        by_status=[StatusCount(code=s.value, label=s.label, colour=s.colour, count=n)
                   for s, n in counts.by_status.items()],
        completed=counts.completed, completed_on_time=counts.completed_on_time, completed_late=counts.completed_late,
        completion_rate=counts.completion_rate, on_time_rate=counts.on_time_rate,
        exceeding_target=counts.exceeding_target, at_risk=counts.at_risk)


def history_entry(row: HistoryRow) -> HistoryEntry:
    return HistoryEntry(**_entry(row))


def change_entry(row: HistoryRow, task: TaskState, unit_name: str) -> ChangeEntry:
    """An event in a briefing's list of changes: the history entry with its task named."""
    return ChangeEntry(**_entry(row), task_id=row.task_id, ref=task.ref, title=task.title, unit_name=unit_name)


def _entry(row: HistoryRow) -> dict[str, Any]:
    return {"version": row.version, "event_type": row.event_type,
            "event_label": EVENT_LABELS.get(row.event_type, row.event_type), "unit": row.unit,
            "recorded_at": row.recorded_at, "effective_at": row.effective_at, "as_of": row.as_of,
            "actor_name": row.actor_name, "actor_role": row.actor_role, "note": row.note,
            "achieved_value": row.achieved_value, "percent_of_target": row.percent_of_target, "details": row.details}


def revision_view(org: str, row: RevisionRow) -> RevisionView:
    return RevisionView(
        task_id=row.task_id, ref=row.ref, version=row.version, unit=row.unit, unit_name=unit_name(org, row.unit),
        recorded_at=row.recorded_at, effective_on=row.effective_on, old_target=row.old_target["text"],
        new_target=row.new_target["text"], old_deadline=row.old_deadline["text"], new_deadline=row.new_deadline["text"],
        old_due_at=datetime.fromisoformat(row.old_deadline["due_at"]),
        new_due_at=datetime.fromisoformat(row.new_deadline["due_at"]), target_lowered=row.target_lowered,
        deadline_extended=row.deadline_extended, reason=row.reason, approved_by=row.approved_by,
        document=row.document, signed_on=row.signed_on, actor_name=row.actor_name)


def assessed(states: Iterable[TaskState], now: datetime) -> list[Assessed]:
    return [assess(s, now) for s in states]
