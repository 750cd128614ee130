"""Version 1 of the public contract (`shared.contracts.v1`) → the reporting side's own event types.

The one place the consumer reads the wire contract: the domain, the projections, the rebuild and the
as-of views see only `reporting.domain.events`. A `v2` contract gets a translator beside this one.

The stream consumer has already decoded each message into its v1 model; this copies fields across
(no second decode, no validation: the contract validated them) into slotted frozen dataclasses.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from reporting.domain import events as e
from reporting.domain.terms import Deadline, Target
from shared.contracts import v1
from shared.contracts.common import ActorV1, ApprovalV1, DeadlineV1, EvidenceFileV1, TargetV1

__all__ = ["deadline", "target", "translate"]


def translate(event: v1.TaskEventV1) -> e.TaskEvent:
    """The reporting side's event for a v1 contract event."""
    return _BY_TYPE[type(event)](event)


def target(t: TargetV1) -> Target:
    return Target(kind=t.kind, text=t.text, measure=t.measure, minimum=t.minimum, maximum=t.maximum, per=t.per)


def deadline(d: DeadlineV1) -> Deadline:
    return Deadline(kind=d.kind, text=d.text, starts_at=d.starts_at, ends_at=d.ends_at, recurring=d.recurring,
                    due_at=d.due_at)


def _actor(a: ActorV1) -> e.Actor:
    return _actor_of(a.name, a.role)


@lru_cache(maxsize=4096)
def _actor_of(name: str, role: str) -> e.Actor:
    """A few people make most events: one (frozen) Actor each instead of one per event."""
    return e.Actor(name=name, role=role)


def _approval(a: ApprovalV1) -> e.Approval:
    return e.Approval(approved_by=a.approved_by, document=a.document, signed_on=a.signed_on)


def _files(files: list[EvidenceFileV1]) -> tuple[e.EvidenceFile, ...]:
    return tuple(e.EvidenceFile(name=f.name, media_type=f.media_type, size=f.size, sha256=f.sha256) for f in files)


def _common(ev: v1.TaskEventV1) -> dict[str, Any]:
    return {"task_id": ev.task_id, "org": ev.org, "task_ref": ev.task_ref, "program_year": ev.program_year,
            "unit": ev.unit, "version": ev.task_version, "actor": _actor(ev.actor), "recorded_at": ev.recorded_at,
            "effective_at": ev.effective_at}


def _registered(ev: v1.TaskRegisteredV1) -> e.TaskRegistered:
    return e.TaskRegistered(**_common(ev), title=ev.title, description=ev.description, target=target(ev.target),
                            deadline=deadline(ev.deadline), cooperating_units=tuple(ev.cooperating_units))


def _revised(ev: v1.TargetRevisedV1) -> e.TargetRevised:
    return e.TargetRevised(**_common(ev), old_target=target(ev.old_target), new_target=target(ev.new_target),
                           old_deadline=deadline(ev.old_deadline), new_deadline=deadline(ev.new_deadline),
                           target_lowered=ev.target_lowered, deadline_extended=ev.deadline_extended,
                           reason=ev.reason, approval=_approval(ev.approval), effective_on=ev.effective_on,
                           proposal_id=ev.proposal_id)


def _reported(ev: v1.ProgressReportedV1) -> e.ProgressReported:
    return e.ProgressReported(**_common(ev), achieved_value=ev.achieved_value, previous_value=ev.previous_value,
                              as_of=ev.as_of, period=ev.period.code, note=ev.note, evidence=tuple(ev.evidence),
                              evidence_files=_files(ev.evidence_files))


def _requested(ev: v1.CompletionRequestedV1) -> e.CompletionRequested:
    return e.CompletionRequested(**_common(ev), completed_on=ev.completed_on, note=ev.note,
                                 evidence=tuple(ev.evidence), evidence_files=_files(ev.evidence_files))


def _confirmed(ev: v1.CompletionConfirmedV1) -> e.CompletionConfirmed:
    return e.CompletionConfirmed(**_common(ev), completed_on=ev.completed_on, on_time=ev.on_time, note=ev.note)


def _rejected(ev: v1.CompletionRejectedV1) -> e.CompletionRejected:
    return e.CompletionRejected(**_common(ev), reason=ev.reason)


def _cancelled(ev: v1.TaskCancelledV1) -> e.TaskCancelled:
    return e.TaskCancelled(**_common(ev), reason=ev.reason, approval=_approval(ev.approval))


def _suspended(ev: v1.TaskSuspendedV1) -> e.TaskSuspended:
    return e.TaskSuspended(**_common(ev), reason=ev.reason, approval=_approval(ev.approval))


def _resumed(ev: v1.TaskResumedV1) -> e.TaskResumed:
    return e.TaskResumed(**_common(ev), note=ev.note)


def _reassigned(ev: v1.TaskReassignedV1) -> e.TaskReassigned:
    s = ev.task
    snapshot = e.TaskSnapshot(ref=s.ref, title=s.title, description=s.description, target=target(s.target),
                              deadline=deadline(s.deadline), cooperating_units=tuple(s.cooperating_units),
                              lifecycle=s.lifecycle, achieved_value=s.achieved_value,
                              last_report_as_of=s.last_report_as_of, completed_on=s.completed_on,
                              registered_at=s.registered_at)
    return e.TaskReassigned(**_common(ev), from_unit=ev.from_unit, to_unit=ev.to_unit, reason=ev.reason,
                            approval=_approval(ev.approval) if ev.approval else None, task=snapshot)


def _proposed(ev: v1.RevisionProposedV1) -> e.RevisionProposed:
    return e.RevisionProposed(**_common(ev), proposal_id=ev.proposal_id,
                              proposed_target=target(ev.proposed_target) if ev.proposed_target else None,
                              proposed_deadline=deadline(ev.proposed_deadline) if ev.proposed_deadline else None,
                              reason=ev.reason, evidence_files=_files(ev.evidence_files))


def _declined(ev: v1.RevisionDeclinedV1) -> e.RevisionDeclined:
    return e.RevisionDeclined(**_common(ev), proposal_id=ev.proposal_id, reason=ev.reason)


_BY_TYPE: dict[type[v1.TaskEventV1], Callable[[Any], e.TaskEvent]] = {
    v1.TaskRegisteredV1: _registered, v1.TargetRevisedV1: _revised, v1.ProgressReportedV1: _reported,
    v1.CompletionRequestedV1: _requested, v1.CompletionConfirmedV1: _confirmed,
    v1.CompletionRejectedV1: _rejected, v1.TaskCancelledV1: _cancelled, v1.TaskSuspendedV1: _suspended,
    v1.TaskResumedV1: _resumed, v1.TaskReassignedV1: _reassigned, v1.RevisionProposedV1: _proposed,
    v1.RevisionDeclinedV1: _declined,
}
