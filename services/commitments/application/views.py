"""What the API shows of a task: its facts (stored with the summary) plus the status at a given time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from commitments.application.records import TaskSummary
from commitments.domain.lifecycle import Lifecycle
from commitments.domain.task import Task
from commitments.integration.values import actor_v1, deadline_v1, evidence_file_v1, target_v1
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


def pending_facts(task: Task) -> dict[str, Any]:
    """What waits for the Board: the open revision proposal and the completion request (or None).
    Kept apart from `task_facts`, whose keys are fixed by the stored-event fixtures."""
    proposal = task.open_proposal if not task.lifecycle.closed else None
    request = task.completion_request if task.lifecycle is Lifecycle.AWAITING_CONFIRMATION else None
    return {
        "open_proposal": None if proposal is None else {
            "proposal_id": str(proposal.proposal_id), "reason": proposal.reason, "version": proposal.version,
            "proposed_target": _json(target_v1(proposal.target)) if proposal.target else None,
            "proposed_deadline": _json(deadline_v1(proposal.deadline, task.program_year)) if proposal.deadline
            else None,
            "evidence_files": [_json(evidence_file_v1(f)) for f in proposal.evidence_files],
            "proposed_by": _json(actor_v1(proposal.actor))},
        "completion_request": None if request is None else {
            "completed_on": request.completed_on.isoformat(), "note": request.note, "version": request.version,
            "evidence": list(request.evidence),
            "evidence_files": [_json(evidence_file_v1(f)) for f in request.evidence_files],
            "requested_by": _json(actor_v1(request.actor))},
    }


def _json(value: Any) -> Any:
    return value.model_dump(mode="json")


def summary_of(task: Task) -> TaskSummary:
    return TaskSummary(task_id=task.id, org=task.org, program_year=task.program_year, unit=task.unit, ref=task.ref,
                       lifecycle=task.lifecycle.value, version=task.version, due_at=task.effective_deadline(),
                       started=has_started(task.last_report_as_of), completed_on=task.completed_on,
                       view=task_facts(task) | pending_facts(task))


def status_of(summary: TaskSummary, now: datetime) -> TaskStatus:
    return status_at(StatusFacts(lifecycle=summary.lifecycle, due_at=summary.due_at, started=summary.started,
                                 completed_on=summary.completed_on), now)


def with_status(view: dict[str, Any], status: TaskStatus) -> dict[str, Any]:
    return view | {"status": status.value, "status_label": status.label, "status_colour": status.colour}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
