"""What each kind of event says beyond the task's facts, for the history and the period counters."""

from __future__ import annotations

from datetime import date
from typing import Any

from reporting.domain import events as e
from shared.vn import local_date


def reference_day(event: e.TaskEvent) -> date:
    """The civil day an event is about: a report's as-of day, the day the work was completed, the day a
    revision takes effect; otherwise the day it was recorded (in Vietnam)."""
    match event:
        case e.ProgressReported():
            return event.as_of
        case e.CompletionRequested() | e.CompletionConfirmed():
            return event.completed_on
        case e.TargetRevised():
            return event.effective_on
    return local_date(event.effective_at)


# Which field holds an event's reason or note (no event has both).
_NOTE = {cls.type: name for name, classes in (
    ("reason", (e.TargetRevised, e.CompletionRejected, e.TaskCancelled, e.TaskSuspended, e.TaskReassigned,
                e.RevisionProposed, e.RevisionDeclined)),
    ("note", (e.ProgressReported, e.CompletionRequested, e.CompletionConfirmed, e.TaskResumed)),
) for cls in classes}


def note_of(event: e.TaskEvent) -> str:
    """The reason or note an event carries ('' if none)."""
    name = _NOTE.get(event.type)
    return str(getattr(event, name)) if name else ""


def details(event: e.TaskEvent) -> dict[str, Any]:
    match event:
        case e.TaskRegistered():
            return {"target": event.target.text, "deadline": event.deadline.text}
        case e.TargetRevised():
            return {"old_target": event.old_target.text, "new_target": event.new_target.text,
                    "old_deadline": event.old_deadline.text, "new_deadline": event.new_deadline.text,
                    "target_lowered": event.target_lowered, "deadline_extended": event.deadline_extended,
                    "effective_on": event.effective_on.isoformat(), "approval": _approval(event.approval),
                    "proposal_id": str(event.proposal_id) if event.proposal_id else None}
        case e.ProgressReported():
            return {"previous_value": event.previous_value, "period": event.period,
                    "evidence": list(event.evidence), "evidence_files": _files(event.evidence_files)}
        case e.CompletionRequested():
            return {"completed_on": event.completed_on.isoformat(), "evidence": list(event.evidence),
                    "evidence_files": _files(event.evidence_files)}
        case e.RevisionProposed():
            return {"proposal_id": str(event.proposal_id),
                    "new_target": event.proposed_target.text if event.proposed_target else None,
                    "new_deadline": event.proposed_deadline.text if event.proposed_deadline else None,
                    "evidence_files": _files(event.evidence_files)}
        case e.RevisionDeclined():
            return {"proposal_id": str(event.proposal_id)}
        case e.CompletionConfirmed():
            return {"completed_on": event.completed_on.isoformat(), "on_time": event.on_time}
        case e.TaskCancelled() | e.TaskSuspended():
            return {"approval": _approval(event.approval)}
        case e.TaskReassigned():
            return {"from_unit": event.from_unit, "to_unit": event.to_unit, "approval": _approval(event.approval)}
    return {}


def _files(files: tuple[e.EvidenceFile, ...]) -> list[dict[str, Any]]:
    """Name, size and hash: the dashboard links each to its download through the commitments API."""
    return [{"name": f.name, "media_type": f.media_type, "size": f.size, "sha256": f.sha256} for f in files]


def _approval(approval: e.Approval | None) -> dict[str, Any] | None:
    if approval is None:
        return None
    return {"approved_by": approval.approved_by, "document": approval.document,
            "signed_on": approval.signed_on.isoformat() if approval.signed_on else None}
