"""What the API shows of a task: its facts (stored with the summary) plus the status at a given time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from commitments.domain.task import Task
from commitments.integration.values import deadline_v1, target_v1
from commitments.persistence.records import TaskSummary
from shared.status import StatusFacts, TaskStatus, has_started, status_at


def task_facts(task: Task) -> dict[str, Any]:
    """The calendar-independent view of a task (JSON-ready)."""
    target = task.target
    return {
        "task_id": str(task.id), "ref": task.ref, "org": task.org, "program_year": task.program_year,
        "unit": task.unit, "title": task.title, "description": task.description,
        "target": target_v1(target).model_dump(mode="json"),
        "deadline": deadline_v1(task.deadline, task.program_year).model_dump(mode="json"),
        "cooperating_units": list(task.cooperating_units), "legal_basis": list(task.legal_basis),
        "lifecycle": task.lifecycle.value, "achieved_value": task.achieved_value,
        "percent_of_target": target.percent_of(task.achieved_value),
        "target_met": target.is_met(task.achieved_value), "exceeds_target": target.exceeds(task.achieved_value),
        "last_report_as_of": _iso(task.last_report_as_of), "completion_requested_on": _iso(
            task.completion_requested_on), "completed_on": _iso(task.completed_on),
        "version": task.version, "registered_at": task.created_on.isoformat(),
        "updated_at": task.modified_on.isoformat(),
    }


def summary_of(task: Task) -> TaskSummary:
    return TaskSummary(task_id=task.id, org=task.org, program_year=task.program_year, unit=task.unit, ref=task.ref,
                       lifecycle=task.lifecycle.value, version=task.version, due_at=task.effective_deadline(),
                       started=has_started(task.last_report_as_of), completed_on=task.completed_on,
                       view=task_facts(task))


def status_of(summary: TaskSummary, now: datetime) -> TaskStatus:
    return status_at(StatusFacts(lifecycle=summary.lifecycle, due_at=summary.due_at, started=summary.started,
                                 completed_on=summary.completed_on), now)


def with_status(view: dict[str, Any], status: TaskStatus) -> dict[str, Any]:
    return view | {"status": status.value, "status_label": status.label, "status_colour": status.colour}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
