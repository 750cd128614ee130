"""Private domain events → public integration events (contracts v1). Pure: no I/O.

The translator is given each event with the task's state right after it, because public events
carry what a subscriber needs (unit, program year, reference) without calling back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from commitments.domain.task import Task
from commitments.integration.values import (
    actor_v1,
    approval_v1,
    asks_for_less,
    deadline_v1,
    evidence_files_v1,
    optional_approval_v1,
    period_v1,
    snapshot_v1,
    target_v1,
)
from shared.contracts import v1
from shared.status import completed_on_time
from shared.vn import end_of_day, local_instant

EVENT_ID_NAMESPACE = uuid5(NAMESPACE_URL, "urn:camket:task-event")


def event_id(task_id: UUID, version: int) -> UUID:
    """Stable across re-sends: the same stored event always gets the same public id."""
    return uuid5(EVENT_ID_NAMESPACE, f"{task_id}/{version}")


def translate(event: Task.Event, task: Task) -> v1.TaskEventV1:
    name = type(event).__name__
    common = _common(event, task)
    state: dict[str, Any] = event.__dict__
    match name:
        case "TaskRegistered":
            return v1.TaskRegisteredV1(
                **common, title=task.title, description=task.description, target=target_v1(task.target),
                deadline=deadline_v1(task.deadline, task.program_year),
                cooperating_units=list(task.cooperating_units), legal_basis=list(task.legal_basis))
        case "TargetRevised":
            old_due = state["old_deadline"].effective_end(task.program_year)
            new_due = state["new_deadline"].effective_end(task.program_year)
            return v1.TargetRevisedV1(
                **common | {"effective_at": local_instant(state["effective_on"])},
                old_target=target_v1(state["old_target"]), new_target=target_v1(state["new_target"]),
                old_deadline=deadline_v1(state["old_deadline"], task.program_year),
                new_deadline=deadline_v1(state["new_deadline"], task.program_year),
                target_lowered=asks_for_less(state["old_target"], state["new_target"]),
                deadline_extended=new_due > old_due, reason=state["reason"],
                approval=approval_v1(state["approval"]), effective_on=state["effective_on"],
                proposal_id=state.get("proposal_id"))
        case "ProgressReported":
            return v1.ProgressReportedV1(
                **common | {"effective_at": end_of_day(state["as_of"])},
                achieved_value=state["achieved_value"], previous_value=state["previous_value"],
                as_of=state["as_of"], period=period_v1(state["period"]), note=state["note"],
                evidence=list(state["evidence"]), evidence_files=evidence_files_v1(state.get("evidence_files", ())))
        case "CompletionRequested":
            return v1.CompletionRequestedV1(
                **common | {"effective_at": end_of_day(state["completed_on"])},
                completed_on=state["completed_on"], note=state["note"], evidence=list(state["evidence"]),
                evidence_files=evidence_files_v1(state.get("evidence_files", ())))
        case "CompletionConfirmed":
            return v1.CompletionConfirmedV1(
                **common, completed_on=state["completed_on"], note=state["note"],
                on_time=completed_on_time(state["completed_on"], task.effective_deadline()))
        case "CompletionRejected":
            return v1.CompletionRejectedV1(**common, reason=state["reason"])
        case "TaskCancelled":
            return v1.TaskCancelledV1(**common, reason=state["reason"], approval=approval_v1(state["approval"]))
        case "TaskSuspended":
            return v1.TaskSuspendedV1(**common, reason=state["reason"], approval=approval_v1(state["approval"]))
        case "TaskResumed":
            return v1.TaskResumedV1(**common, note=state["note"])
        case "TaskReassigned":
            return v1.TaskReassignedV1(
                **common, from_unit=state["from_unit"], to_unit=state["to_unit"], reason=state["reason"],
                approval=optional_approval_v1(state["approval"]), task=snapshot_v1(task))
        case "RevisionProposed":
            target, deadline = state["new_target"], state["new_deadline"]
            return v1.RevisionProposedV1(
                **common, proposal_id=state["proposal_id"], reason=state["reason"],
                proposed_target=target_v1(target) if target is not None else None,
                proposed_deadline=deadline_v1(deadline, task.program_year) if deadline is not None else None,
                evidence_files=evidence_files_v1(state["evidence_files"]))
        case "RevisionDeclined":
            return v1.RevisionDeclinedV1(**common, proposal_id=state["proposal_id"], reason=state["reason"])
    raise ValueError(f"no public contract for domain event {name}")


def _common(event: Task.Event, task: Task) -> dict[str, Any]:
    recorded_at: datetime = event.timestamp
    return {
        "event_id": event_id(event.originator_id, event.originator_version),
        "org": task.org, "task_id": event.originator_id, "task_ref": task.ref,
        "program_year": task.program_year, "unit": task.unit, "task_version": event.originator_version,
        "actor": actor_v1(event.__dict__["actor"]), "recorded_at": recorded_at, "effective_at": recorded_at,
    }
