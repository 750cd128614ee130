"""What each kind of event says beyond the task's facts, for the history and the period counters."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.contracts import v1
from shared.contracts.common import ApprovalV1, EvidenceFileV1
from shared.vn import local_date


def reference_day(event: v1.TaskEventV1) -> date:
    """The civil day an event is about: a report's as-of day, the day the work was completed, the day a
    revision takes effect; otherwise the day it was recorded (in Vietnam)."""
    match event:
        case v1.ProgressReportedV1():
            return event.as_of
        case v1.CompletionRequestedV1() | v1.CompletionConfirmedV1():
            return event.completed_on
        case v1.TargetRevisedV1():
            return event.effective_on
    return local_date(event.effective_at)


def note_of(event: v1.TaskEventV1) -> str:
    """The reason or note an event carries ('' if none). Read from the instance's fields: getattr of a
    missing attribute on a pydantic model, and model_fields, take slow paths."""
    fields = event.__dict__
    return str(fields.get("reason") or fields.get("note") or "")


def details(event: v1.TaskEventV1) -> dict[str, Any]:
    match event:
        case v1.TaskRegisteredV1():
            return {"target": event.target.text, "deadline": event.deadline.text}
        case v1.TargetRevisedV1():
            return {"old_target": event.old_target.text, "new_target": event.new_target.text,
                    "old_deadline": event.old_deadline.text, "new_deadline": event.new_deadline.text,
                    "target_lowered": event.target_lowered, "deadline_extended": event.deadline_extended,
                    "effective_on": event.effective_on.isoformat(), "approval": _approval(event.approval),
                    "proposal_id": str(event.proposal_id) if event.proposal_id else None}
        case v1.ProgressReportedV1():
            return {"previous_value": event.previous_value, "period": event.period.code,
                    "evidence": list(event.evidence), "evidence_files": _files(event.evidence_files)}
        case v1.CompletionRequestedV1():
            return {"completed_on": event.completed_on.isoformat(), "evidence": list(event.evidence),
                    "evidence_files": _files(event.evidence_files)}
        case v1.RevisionProposedV1():
            return {"proposal_id": str(event.proposal_id),
                    "new_target": event.proposed_target.text if event.proposed_target else None,
                    "new_deadline": event.proposed_deadline.text if event.proposed_deadline else None,
                    "evidence_files": _files(event.evidence_files)}
        case v1.RevisionDeclinedV1():
            return {"proposal_id": str(event.proposal_id)}
        case v1.CompletionConfirmedV1():
            return {"completed_on": event.completed_on.isoformat(), "on_time": event.on_time}
        case v1.TaskCancelledV1() | v1.TaskSuspendedV1():
            return {"approval": _approval(event.approval)}
        case v1.TaskReassignedV1():
            return {"from_unit": event.from_unit, "to_unit": event.to_unit, "approval": _approval(event.approval)}
    return {}


def _files(files: list[EvidenceFileV1]) -> list[dict[str, Any]]:
    """Name, size and hash: the dashboard links each to its download through the commitments API."""
    return [f.model_dump(mode="json") for f in files]


def _approval(approval: ApprovalV1 | None) -> dict[str, Any] | None:
    if approval is None:
        return None
    return {"approved_by": approval.approved_by, "document": approval.document,
            "signed_on": approval.signed_on.isoformat() if approval.signed_on else None}
