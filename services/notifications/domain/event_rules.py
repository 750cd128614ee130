"""Rules over events: pure functions of one task event. Their key is the event's id, so a
redelivered event never fires twice."""

from __future__ import annotations

from collections.abc import Callable

from notifications.domain import task_events as ev
from notifications.domain.rules import Firing, Rule, Severity


def target_lowered(e: ev.TaskEvent) -> Firing | None:
    if not isinstance(e, ev.TargetRevised) or not e.target_lowered:
        return None
    return Firing(Rule.TARGET_LOWERED, str(e.event_id), e.recorded_at, Severity.INFO, {
        "old_target": e.old_target.text, "new_target": e.new_target.text, "reason": e.reason,
        "document": e.document, "effective_on": e.effective_on})


def deadline_extended(e: ev.TaskEvent) -> Firing | None:
    if not isinstance(e, ev.TargetRevised) or not e.deadline_extended:
        return None
    return Firing(Rule.DEADLINE_EXTENDED, str(e.event_id), e.recorded_at, Severity.INFO, {
        "old_due_at": e.old_deadline.due_at, "new_due_at": e.new_deadline.due_at,
        "old_deadline": e.old_deadline.text, "new_deadline": e.new_deadline.text, "reason": e.reason,
        "document": e.document, "effective_on": e.effective_on})


def task_reassigned(e: ev.TaskEvent) -> Firing | None:
    if not isinstance(e, ev.TaskReassigned):
        return None
    return Firing(Rule.TASK_REASSIGNED, str(e.event_id), e.recorded_at, Severity.INFO, {
        "from_unit": e.from_unit, "to_unit": e.to_unit, "reason": e.reason,
        "document": e.document})


def task_cancelled(e: ev.TaskEvent) -> Firing | None:
    if not isinstance(e, ev.TaskCancelled):
        return None
    return Firing(Rule.TASK_CANCELLED, str(e.event_id), e.recorded_at, Severity.INFO, {
        "reason": e.reason, "document": e.document})


EventRule = Callable[[ev.TaskEvent], Firing | None]
EVENT_RULES: tuple[EventRule, ...] = (target_lowered, deadline_extended, task_reassigned, task_cancelled)


def event_firings(e: ev.TaskEvent) -> list[Firing]:
    return [firing for rule in EVENT_RULES if (firing := rule(e)) is not None]
