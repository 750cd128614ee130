"""Reading a task's stored history for the audit views, checking every row's signature on the way.

The version a task had at an instant is found by a binary search over its versions (recorded times
grow with the version), reading one event per probe; the task is then loaded from the nearest snapshot
at or below that version (every 100 versions), so an as-of costs O(log n) probes plus at most one
snapshot interval of events, however long the task's history.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository
from eventsourcing.persistence import EventStore, Mapper, StoredEvent

from commitments.application.service import CommitmentsApp
from commitments.audit.domain.errors import ForgedRecord, NotRecorded
from commitments.audit.domain.keys import KeyRing
from commitments.audit.domain.replay import replay
from commitments.domain.signed_records import split_signed, verify_stored
from commitments.domain.task import Task

SCAN_LIMIT = 32  # a history this short is read whole: one query beats a dozen probes
# How the library's JSON transcoder writes an event's time, first in the stored state.
STORED_TIMESTAMP = re.compile(rb'^\{"timestamp":\{"_type_":"datetime_iso","_data_":"([^"]{19,40})"\}')


class VerifyingMapper(Mapper[UUID]):
    """Decodes stored events only if they carry a valid service signature; never encodes (read-only)."""

    def __init__(self, base: Mapper[Any], keys: KeyRing | None) -> None:
        super().__init__(transcoder=base.transcoder, compressor=base.compressor, cipher=base.cipher)
        self.keys = keys

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        raise TypeError("the audit reads history; it never writes events")

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        if self.keys is not None and not verify_stored(stored_event, self.keys):
            raise ForgedRecord(UUID(str(stored_event.originator_id)), stored_event.originator_version)
        parts = split_signed(stored_event.state)
        if parts is not None:
            stored_event = StoredEvent(originator_id=stored_event.originator_id,
                                       originator_version=stored_event.originator_version,
                                       topic=stored_event.topic, state=parts[0])
        return super().to_domain_event(stored_event)


class TaskReader:
    """A task's events, versions and states, from the application's store; `keys=None` skips the checks."""

    def __init__(self, app: CommitmentsApp, keys: KeyRing | None) -> None:
        self.mapper = VerifyingMapper(app.mapper, keys)
        self.recorder = app.recorder
        self.events: EventStore[UUID] = EventStore(self.mapper, app.recorder)
        # The application's snapshot store uses only snapshots with a valid signature (never raises on one).
        self.repository: Repository[UUID] = Repository(self.events, snapshot_store=app.snapshots)

    def latest_version(self, task_id: UUID) -> int:
        rows = self.recorder.select_events(task_id, desc=True, limit=1)
        return int(rows[0].originator_version) if rows else 0

    def event(self, task_id: UUID, version: int) -> Task.Event:
        found = list(self.events.get(task_id, gt=version - 1, lte=version))
        if not found:
            raise NotRecorded(f"task {task_id} has no version {version}", "after")
        return cast("Task.Event", found[0])

    def history(self, task_id: UUID, after: int = 0, upto: int | None = None) -> list[Task.Event]:
        return cast("list[Task.Event]", list(self.events.get(task_id, gt=after or None, lte=upto)))

    def task_at(self, task_id: UUID, version: int) -> Task:
        try:
            return cast("Task", self.repository.get(task_id, version=version))
        except AggregateNotFoundError:
            raise NotRecorded(f"task {task_id} has no version {version}", "after") from None

    def recorded_at(self, task_id: UUID, version: int) -> datetime:
        """When a version was recorded. A probe only steers the search (what is shown is read and checked
        after it), so it reads the time from the stored JSON without decoding the whole event."""
        rows = self.recorder.select_events(task_id, gt=version - 1, lte=version)
        if not rows:
            raise NotRecorded(f"task {task_id} has no version {version}", "after")
        match = STORED_TIMESTAMP.search(rows[0].state, 0, 200)
        if match is not None:
            return datetime.fromisoformat(match[1].decode())
        return cast("datetime", self.mapper.to_domain_event(rows[0]).timestamp)

    def version_at(self, task_id: UUID, instant: datetime, latest: int | None = None) -> int:
        """The last version recorded at or before the instant (0: the task did not exist yet)."""
        latest = self.latest_version(task_id) if latest is None else latest
        if latest == 0 or self.recorded_at(task_id, 1) > instant:
            return 0
        if self.recorded_at(task_id, latest) <= instant:
            return latest
        low, high = 1, latest  # invariant: time(low) ≤ instant < time(high)
        while high - low > 1:
            middle = (low + high) // 2
            if self.recorded_at(task_id, middle) <= instant:
                low = middle
            else:
                high = middle
        return low

    def task_as_of(self, task_id: UUID, instant: datetime) -> Task | None:
        """The task as recorded by the instant, or None if it was not registered yet."""
        latest = self.latest_version(task_id)
        if latest <= SCAN_LIMIT:
            events = [e for e in self.history(task_id) if e.timestamp <= instant]
            return replay(events)
        version = self.version_at(task_id, instant, latest)
        return self.task_at(task_id, version) if version else None


class ProgramSummaries:
    """The program's tasks as the commitments store lists them (its summaries table)."""

    def __init__(self, app: CommitmentsApp, org: str) -> None:
        self.app, self.org = app, org

    def task_ids(self, program_year: int | None) -> list[UUID]:
        return [s.task_id for s in self.app.store.list_summaries(self.org, program_year)]
