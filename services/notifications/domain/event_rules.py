"""Rules over events: pure functions of one public task event. Their key is the event's id, so a
redelivered event never fires twice."""

from __future__ import annotations

from collections.abc import Callable

from notifications.domain.rules import Firing, Rule, Severity
from shared.contracts import v1


def target_lowered(e: v1.TaskEventV1) -> Firing | None:
    if not isinstance(e, v1.TargetRevisedV1) or not e.target_lowered:
        return None
    return Firing(Rule.TARGET_LOWERED, str(e.event_id), e.recorded_at, Severity.INFO, {
        "old_target": e.old_target.text, "new_target": e.new_target.text, "reason": e.reason,
        "document": e.approval.document, "effective_on": e.effective_on})


def deadline_extended(e: v1.TaskEventV1) -> Firing | None:
    if not isinstance(e, v1.TargetRevisedV1) or not e.deadline_extended:
        return None
    return Firing(Rule.DEADLINE_EXTENDED, str(e.event_id), e.recorded_at, Severity.INFO, {
        "old_due_at": e.old_deadline.due_at, "new_due_at": e.new_deadline.due_at,
        "old_deadline": e.old_deadline.text, "new_deadline": e.new_deadline.text, "reason": e.reason,
        "document": e.approval.document, "effective_on": e.effective_on})


def task_reassigned(e: v1.TaskEventV1) -> Firing | None:
    if not isinstance(e, v1.TaskReassignedV1):
        return None
    return Firing(Rule.TASK_REASSIGNED, str(e.event_id), e.recorded_at, Severity.INFO, {
        "from_unit": e.from_unit, "to_unit": e.to_unit, "reason": e.reason,
        "document": e.approval.document if e.approval else None})


def task_cancelled(e: v1.TaskEventV1) -> Firing | None:
    if not isinstance(e, v1.TaskCancelledV1):
        return None
    return Firing(Rule.TASK_CANCELLED, str(e.event_id), e.recorded_at, Severity.INFO, {
        "reason": e.reason, "document": e.approval.document})


EventRule = Callable[[v1.TaskEventV1], Firing | None]
EVENT_RULES: tuple[EventRule, ...] = (target_lowered, deadline_extended, task_reassigned, task_cancelled)


def event_firings(e: v1.TaskEventV1) -> list[Firing]:
    return [firing for rule in EVENT_RULES if (firing := rule(e)) is not None]
