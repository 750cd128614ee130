"""The one translator from the public task contracts (`shared.contracts.v1`) to this service's own
task events (`notifications.domain.task_events`). A v2 contract gets its translator here, beside."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from psycopg import AsyncConnection

from notifications.application.ports import UnitOfWork
from notifications.application.projection import FactsProjection
from notifications.domain import task_events as own
from shared.contracts import v1
from shared.contracts.common import DeadlineV1, TargetV1, TaskSnapshotV1
from shared.stream_consumer import Delivery


def task_event(e: v1.TaskEventV1) -> own.TaskEvent:
    common: dict[str, Any] = {"event_id": e.event_id, "org": e.org, "task_id": e.task_id,
                              "program_year": e.program_year, "unit": e.unit, "task_version": e.task_version,
                              "recorded_at": e.recorded_at}
    match e:
        case v1.TaskRegisteredV1():
            return own.TaskRegistered(**common, ref=e.task_ref, title=e.title, target=target(e.target),
                                      deadline=deadline(e.deadline))
        case v1.ProgressReportedV1():
            return own.ProgressReported(**common, achieved_value=e.achieved_value, as_of=e.as_of)
        case v1.TargetRevisedV1():
            return own.TargetRevised(
                **common, old_target=target(e.old_target), new_target=target(e.new_target),
                old_deadline=deadline(e.old_deadline), new_deadline=deadline(e.new_deadline),
                target_lowered=e.target_lowered, deadline_extended=e.deadline_extended, reason=e.reason,
                document=e.approval.document, effective_on=e.effective_on)
        case v1.CompletionRequestedV1():
            return own.CompletionRequested(**common, completed_on=e.completed_on)
        case v1.CompletionConfirmedV1():
            return own.CompletionConfirmed(**common, completed_on=e.completed_on)
        case v1.CompletionRejectedV1():
            return own.CompletionRejected(**common)
        case v1.TaskCancelledV1():
            return own.TaskCancelled(**common, reason=e.reason, document=e.approval.document)
        case v1.TaskSuspendedV1():
            return own.TaskSuspended(**common)
        case v1.TaskResumedV1():
            return own.TaskResumed(**common)
        case v1.TaskReassignedV1():
            return own.TaskReassigned(**common, from_unit=e.from_unit, to_unit=e.to_unit, reason=e.reason,
                                      document=e.approval.document if e.approval else None, task=snapshot(e.task))
    return own.OtherTaskEvent(**common, type=type(e).__name__.removesuffix("V1"))


def target(t: TargetV1) -> own.Target:
    return own.Target(kind=t.kind, text=t.text, minimum=t.minimum, measure=t.measure)


def deadline(d: DeadlineV1) -> own.Deadline:
    return own.Deadline(text=d.text, due_at=d.due_at, starts_at=d.starts_at)


def snapshot(s: TaskSnapshotV1) -> own.TaskSnapshot:
    return own.TaskSnapshot(ref=s.ref, title=s.title, target=target(s.target), deadline=deadline(s.deadline),
                            lifecycle=s.lifecycle, achieved_value=s.achieved_value,
                            last_report_as_of=s.last_report_as_of, completed_on=s.completed_on,
                            registered_at=s.registered_at)


class TaskEventHandler:
    """The stream consumer's handler (shared.stream_consumer.BatchHandler): translates the batch and
    hands it to the projection inside the consumer's transaction."""

    def __init__(self, projection: FactsProjection, join: Callable[[AsyncConnection[Any]], Awaitable[UnitOfWork]]
                 ) -> None:
        self.projection, self.join = projection, join

    async def apply(self, conn: AsyncConnection[Any], deliveries: Sequence[Delivery]) -> None:
        await self.projection.apply(await self.join(conn), [task_event(d.event) for d in deliveries])
