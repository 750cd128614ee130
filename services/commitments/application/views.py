"""What the API shows of a task: its facts (stored with the summary) plus the status at a given time.

The values inside (target, deadline, evidence files, actors) are shown in their public contract's JSON
shape, which the integration layer owns: the application asks it through `ports.ValueViews`, handed in
by bootstrap, so the API, the stored summaries and the public events show a value alike.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from commitments.application.ports import ValueViews
from commitments.application.records import TaskSummary
from commitments.domain.lifecycle import Lifecycle
from commitments.domain.task import Task
from shared.status import StatusFacts, TaskStatus, has_started, status_at


class TaskViews:
    def __init__(self, values: ValueViews) -> None:
        self.values = values

    def facts(self, task: Task) -> dict[str, Any]:
        """The calendar-independent view of a task (JSON-ready)."""
        target, values = task.target, self.values
        return {
            "task_id": str(task.id), "ref": task.ref, "org": task.org, "program_year": task.program_year,
            "unit": task.unit, "title": task.title, "description": task.description,
            "target": values.target(target), "deadline": values.deadline(task.deadline, task.program_year),
            "cooperating_units": list(task.cooperating_units), "legal_basis": list(task.legal_basis),
            "lifecycle": task.lifecycle.value, "achieved_value": task.achieved_value,
            "percent_of_target": target.percent_of(task.achieved_value),
            "target_met": target.is_met(task.achieved_value), "exceeds_target": target.exceeds(task.achieved_value),
            "last_report_as_of": _iso(task.last_report_as_of), "completion_requested_on": _iso(
                task.completion_requested_on), "completed_on": _iso(task.completed_on),
            "version": task.version, "registered_at": task.created_on.isoformat(),
            "updated_at": task.modified_on.isoformat(),
        }

    def pending(self, task: Task) -> dict[str, Any]:
        """What waits for the Board: the open revision proposal and the completion request (or None).
        Kept apart from `facts`, whose keys are fixed by the stored-event fixtures."""
        proposal = task.open_proposal if not task.lifecycle.closed else None
        request = task.completion_request if task.lifecycle is Lifecycle.AWAITING_CONFIRMATION else None
        values = self.values
        return {
            "open_proposal": None if proposal is None else {
                "proposal_id": str(proposal.proposal_id), "reason": proposal.reason, "version": proposal.version,
                "proposed_target": values.target(proposal.target) if proposal.target else None,
                "proposed_deadline": values.deadline(proposal.deadline, task.program_year) if proposal.deadline
                else None,
                "evidence_files": [values.evidence_file(f) for f in proposal.evidence_files],
                "proposed_by": values.actor(proposal.actor)},
            "completion_request": None if request is None else {
                "completed_on": request.completed_on.isoformat(), "note": request.note, "version": request.version,
                "evidence": list(request.evidence),
                "evidence_files": [values.evidence_file(f) for f in request.evidence_files],
                "requested_by": values.actor(request.actor)},
        }

    def summary(self, task: Task) -> TaskSummary:
        facts = status_facts(task)
        return TaskSummary(task_id=task.id, org=task.org, program_year=task.program_year, unit=task.unit,
                           ref=task.ref, lifecycle=facts.lifecycle, version=task.version, due_at=facts.due_at,
                           started=facts.started, completed_on=facts.completed_on,
                           view=self.facts(task) | self.pending(task))


def status_facts(task: Task) -> StatusFacts:
    """What a task's status depends on (`shared.status`), as the summary stores it."""
    return StatusFacts(lifecycle=task.lifecycle.value, due_at=task.effective_deadline(),
                       started=has_started(task.last_report_as_of), completed_on=task.completed_on)


def task_status(task: Task, now: datetime) -> TaskStatus:
    return status_at(status_facts(task), now)


def status_of(summary: TaskSummary, now: datetime) -> TaskStatus:
    return status_at(StatusFacts(lifecycle=summary.lifecycle, due_at=summary.due_at, started=summary.started,
                                 completed_on=summary.completed_on), now)


def with_status(view: dict[str, Any], status: TaskStatus) -> dict[str, Any]:
    return view | {"status": status.value, "status_label": status.label, "status_colour": status.colour}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
