"""Reading the event store's notification log, in notification-id order, as outgoing messages.

Why no event can be skipped: the publisher asks only for "the events after the last one the stream
holds", in notification-id order, and it can do that because notification-id order is commit
order. Every transaction that inserts events takes an EXCLUSIVE lock on the events table before
its insert draws ids from the sequence, and holds it until it commits: the eventsourcing library's
`PostgresApplicationRecorder._lock_table` runs `lock_table_statements` (`LOCK TABLE … IN EXCLUSIVE
MODE`; the commitments recorder takes the same lock through a SECURITY DEFINER function, so that an
append-only role can, see `commitments.audit.adapters.protection`). So one writing transaction draws all
its ids and commits before the next can draw any (PostgreSQL makes a commit visible before it
releases the transaction's locks): a reader that sees id n has already seen every id below n that
will ever exist. The gap problem of PostgreSQL logs (an id drawn early, committed late, passed over
by a reader that already moved on) cannot happen. A rolled-back transaction leaves a permanent hole
in the ids, which is harmless: nothing ever fills it. (With the lock taken out, the concurrent
writers test sees events skipped.)

This relies on every writer going through the recorder's `insert_events` with its table lock. The
library's `POSTGRES_ENABLE_DB_FUNCTIONS` path inserts without that lock (and skips the commitments
recorder's command records), so the commitments service must not enable it.

The lock does not block readers (SELECT takes ACCESS SHARE), so reading never slows writers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast
from uuid import UUID

from eventsourcing.persistence import Notification

from commitments.application.service import CommitmentsApp
from commitments.domain.task import Task
from commitments.integration.translator import event_id, translate
from commitments.publisher.direct import progress_reported_json
from commitments.publisher.outgoing import Outgoing, envelope, outgoing
from commitments.publisher.states import TaskStates
from shared.subjects import Subjects

TraceLookup = Callable[[Sequence[tuple[UUID, int]]], dict[tuple[UUID, int], str]]


class ForeignOrganisation(RuntimeError):
    """The store holds a task of another organisation than the one this publisher publishes for."""


class NotificationLog:
    def __init__(self, app: CommitmentsApp, subjects: Subjects, traces: TraceLookup | None = None,
                 *, cache_size: int = 10_000) -> None:
        self.app, self.subjects = app, subjects
        self._traces = traces
        self.states = TaskStates(self._task_at, cache_size)

    def read(self, after: int, limit: int, stop: int | None = None, part: int = 0, parts: int = 1) -> list[Outgoing]:
        """The next events after notification id `after` (at most `limit`, none after `stop`), ready to
        publish; with `parts` > 1, only the events of the tasks in partition `part` (by task id)."""
        notifications = self.app.recorder.select_notifications(after, limit, stop=stop, inclusive_of_start=False)
        if parts > 1:
            notifications = [n for n in notifications if _number(n.originator_id) % parts == part]
        events = [cast("Task.Event", self.app.mapper.to_domain_event(n)) for n in notifications]
        parents = self._traces([(e.originator_id, e.originator_version) for e in events]) if (
            self._traces and events) else {}
        return [self._outgoing(n, e, parents.get((e.originator_id, e.originator_version)))
                for n, e in zip(notifications, events, strict=True)]

    def event_id_at(self, notification_id: int) -> str | None:
        """The public id of the event at this notification id, or None when the store has no such event."""
        found = self.app.recorder.select_notifications(notification_id, 1, stop=notification_id)
        return str(event_id(UUID(str(found[0].originator_id)), found[0].originator_version)) if found else None

    def last_id(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    def _outgoing(self, notification: Notification, event: Task.Event, parent: str | None) -> Outgoing:
        task = self.states.after(event)
        if task.org != self.subjects.org:
            raise ForeignOrganisation(f"task {task.id} belongs to {task.org!r}, but this publisher "
                                      f"publishes for {self.subjects.org!r} (CAMKET_ORG)")
        if type(event).__name__ == "ProgressReported":  # nearly every event: written directly (see `direct`)
            public_id = event_id(event.originator_id, event.originator_version)
            if (data := progress_reported_json(event, task, public_id)) is not None:
                return envelope(notification.id, "ProgressReported", public_id, task.org, event.originator_id,
                                task.unit, event.timestamp, data, self.subjects, parent)
        return outgoing(notification.id, translate(event, task), self.subjects, parent)

    def _task_at(self, task_id: UUID, version: int) -> Task:
        return cast("Task", self.app.repository.get(task_id, version=version))


def _number(task_id: UUID | str) -> int:
    return task_id.int if isinstance(task_id, UUID) else UUID(task_id).int
