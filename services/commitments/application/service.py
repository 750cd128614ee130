"""The commitments application: the event store of tasks and the questions asked of it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, ClassVar, cast
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import EventStore, JSONTranscoder, Mapper
from eventsourcing.postgres import PostgresFactory

from commitments.application.views import pending_facts, status_of, summary_of, task_facts, with_status
from commitments.domain.errors import TaskNotFound
from commitments.domain.task import Task
from commitments.integration.translator import translate
from commitments.persistence.memory import MemoryCommitmentsRecorder
from commitments.persistence.postgres import PostgresCommitmentsRecorder, select_latest_snapshots
from commitments.persistence.records import CommitmentsRecorder, TaskSummary
from commitments.persistence.signing import EventSigner, SigningMapper
from commitments.persistence.snapshots import TrustedSnapshots
from commitments.persistence.transcodings import register_domain_transcodings
from shared.contracts.v1 import TaskEventV1


class CommitmentsApp(Application[UUID]):
    name = "commitments"
    # A snapshot every 100 versions bounds the cost of loading a task with a long history.
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {Task: 100}

    def __init__(self, env: Mapping[str, str] | None = None, *, signer: EventSigner | None = None,
                 snapshot_keys: dict[bytes, Ed25519PublicKey] | None = None) -> None:
        """`snapshot_keys`: whose signed snapshots to use (default: the signer's own key; none: no snapshots)."""
        self._signer = signer
        self._snapshot_keys = dict(snapshot_keys or {})
        if signer is not None:
            self._snapshot_keys[signer.key_id] = signer.public_key
        super().__init__(env)

    # --- construction hooks of the library ---------------------------------------------------

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_domain_transcodings(transcoder)

    def construct_mapper(self) -> Mapper[UUID]:
        mapper = super().construct_mapper()
        return SigningMapper(mapper, self._signer) if self._signer else mapper

    def construct_snapshot_store(self) -> EventStore[UUID]:
        # Only signed snapshots are used: see commitments.persistence.snapshots for why.
        return TrustedSnapshots(self.mapper, self.factory.aggregate_recorder(purpose="snapshots"),
                                self._snapshot_keys)

    @property
    def trusted_snapshots(self) -> TrustedSnapshots | None:
        return cast("TrustedSnapshots | None", self.snapshots)

    def construct_recorder(self) -> Any:
        if isinstance(self.factory, PostgresFactory):
            recorder = PostgresCommitmentsRecorder(self.factory.datastore,
                                                   events_table_name=f"{self.name}_events")
            if self.factory.env_create_table():
                recorder.create_table()
            return recorder
        return MemoryCommitmentsRecorder()

    @property
    def store(self) -> CommitmentsRecorder:
        return cast("CommitmentsRecorder", self.recorder)

    # --- queries -----------------------------------------------------------------------------

    def get_task(self, task_id: UUID) -> Task:
        try:
            return cast("Task", self.repository.get(task_id))
        except AggregateNotFoundError:
            raise TaskNotFound(task_id) from None

    def load_many(self, task_ids: list[UUID]) -> dict[UUID, Task]:
        """Many tasks in two queries (newest snapshots, then the events after them); absent ids are left out."""
        if not isinstance(self.recorder, PostgresCommitmentsRecorder):
            return {t.id: t for t in (self._get_or_none(i) for i in task_ids) if t is not None}
        tasks: dict[UUID, Task | None] = dict.fromkeys(task_ids)
        if (snapshots := self.trusted_snapshots) is not None:
            for stored in select_latest_snapshots(cast(Any, snapshots.recorder), task_ids):
                snapshot: Any = snapshots.decode(stored)  # None: not trusted, the task comes from its events
                if snapshot is not None:
                    tasks[snapshot.originator_id] = cast(Task, snapshot.mutate(None))
        after = {i: (t.version if t else 0) for i, t in tasks.items()}
        for stored in self.recorder.select_events_after(after):
            event: Any = self.mapper.to_domain_event(stored)
            tasks[event.originator_id] = cast(Task, event.mutate(tasks[event.originator_id]))
        return {i: t for i, t in tasks.items() if t is not None}

    def _get_or_none(self, task_id: UUID) -> Task | None:
        try:
            return self.get_task(task_id)
        except TaskNotFound:
            return None

    def task_view(self, task_id: UUID, now: datetime) -> dict[str, Any]:
        task = self.get_task(task_id)
        return with_status(task_facts(task) | pending_facts(task), status_of(summary_of(task), now))

    def history(self, task_id: UUID) -> list[TaskEventV1]:
        """Every change to the task as its public event: actor, recorded time, reason, version."""
        task: Task | None = None
        entries = []
        for event in self._events_of(task_id):
            task = cast("Task", event.mutate(task))
            entries.append(translate(event, task))
        if not entries:
            raise TaskNotFound(task_id)
        return entries

    def list_tasks(self, org: str, now: datetime, *, program_year: int | None = None, unit: str | None = None,
                   status: str | None = None) -> list[dict[str, Any]]:
        rows: Iterable[TaskSummary] = self.store.list_summaries(org, program_year, unit)
        views = [with_status(row.view, status_of(row, now)) for row in rows]
        return [v for v in views if status is None or v["status"] == status]

    def _events_of(self, task_id: UUID) -> list[Task.Event]:
        return cast("list[Task.Event]", list(self.events.get(task_id)))
