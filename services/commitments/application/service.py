"""The commitments application: the event store of tasks and the questions asked of it.

Where the events are stored is the infrastructure factory's business: the library builds the one that
the environment's PERSISTENCE_MODULE names, and bootstrap.py names one of the two task storages
(commitments.persistence.postgres or .memory). The application only asks for the interfaces of
`commitments.application.ports`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    ApplicationRecorder,
    EventStore,
    InfrastructureFactory,
    InfrastructureFactoryError,
    JSONTranscoder,
    Mapper,
)
from eventsourcing.utils import Environment

from commitments.application.ports import (
    EventSigner,
    KeyRing,
    PublicEvents,
    SnapshotStore,
    TaskRecorder,
    TaskStorage,
)
from commitments.application.records import CommandRecord, TaskSummary
from commitments.application.views import TaskViews, status_of, task_status, with_status
from commitments.domain.errors import TaskNotFound
from commitments.domain.task import Task


class CommitmentsApp(Application[UUID]):
    name = "commitments"
    # A snapshot every 100 versions bounds the cost of loading a task with a long history.
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {Task: 100}

    def __init__(self, env: Mapping[str, str] | None = None, *, views: TaskViews, signer: EventSigner | None = None,
                 snapshot_keys: KeyRing | None = None, public_events: PublicEvents | None = None) -> None:
        """`views`: what the API and the summaries show of a task; `snapshot_keys`: whose signed snapshots
        to use (default: the signer's own key; none: no snapshots); `public_events`: the translator
        `history` answers with. commitments.bootstrap.task_store wires them."""
        self.views = views
        self._signer = signer
        self._snapshot_keys = dict(snapshot_keys or {})
        if signer is not None:
            self._snapshot_keys[signer.key_id] = signer.public_key
        self._public_events = public_events
        self.trusted_snapshots: SnapshotStore | None = None  # set while the library constructs the stores
        super().__init__(env)

    # --- construction hooks of the library ---------------------------------------------------

    def construct_factory(self, env: Environment) -> InfrastructureFactory[Any]:
        factory = super().construct_factory(env)
        if not isinstance(factory, TaskStorage):
            raise InfrastructureFactoryError(
                f"PERSISTENCE_MODULE names {type(factory).__qualname__}, not a store of tasks: the commitments "
                "application is built by commitments.bootstrap (PostgreSQL or memory task storage)")
        self.storage: TaskStorage = factory
        return factory

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        self.storage.register_transcodings(transcoder)

    def construct_mapper(self) -> Mapper[UUID]:
        mapper = super().construct_mapper()
        return self.storage.signing_mapper(mapper, self._signer) if self._signer else mapper

    def construct_recorder(self) -> ApplicationRecorder:
        recorder = super().construct_recorder()
        assert isinstance(recorder, TaskRecorder), recorder  # a TaskStorage makes TaskRecorders
        self.store: TaskRecorder = recorder
        return recorder

    def construct_snapshot_store(self) -> EventStore[UUID]:
        # Only signed snapshots are used: see commitments.persistence.snapshots for why.
        self.trusted_snapshots = self.storage.snapshot_store(self.mapper, self._snapshot_keys)
        return self.trusted_snapshots

    # --- the unit of work of the group commit (ports.TaskStore) ---------------------------------

    def commit(self, tasks: Sequence[Task], commands: Sequence[CommandRecord]) -> None:
        self.save(*tasks, commands=commands, summaries=[self.views.summary(t) for t in tasks])

    def has_task(self, task_id: UUID) -> bool:
        return task_id in self.repository

    def find_commands(self, command_ids: list[str]) -> dict[str, CommandRecord]:
        return self.store.find_commands(command_ids)

    def list_summaries(self, org: str, program_year: int | None = None,
                       unit: str | None = None) -> list[TaskSummary]:
        return self.store.list_summaries(org, program_year, unit)

    def catch_up(self, tasks: Sequence[Task]) -> None:
        """Applies to each task the events recorded after its version (by another process), in one query."""
        by_id = {t.id: t for t in tasks}
        for stored in self.store.select_events_after({i: t.version for i, t in by_id.items()}):
            event: Any = self.mapper.to_domain_event(stored)
            event.mutate(by_id[event.originator_id])

    # --- queries -----------------------------------------------------------------------------

    def get_task(self, task_id: UUID) -> Task:
        try:
            return cast("Task", self.repository.get(task_id))
        except AggregateNotFoundError:
            raise TaskNotFound(task_id) from None

    def load_many(self, task_ids: list[UUID]) -> dict[UUID, Task]:
        """Many tasks in two queries (newest snapshots, then the events after them); absent ids are left out."""
        tasks: dict[UUID, Task | None] = dict.fromkeys(task_ids)
        if self.trusted_snapshots is not None:
            for snapshot in self.trusted_snapshots.latest(task_ids):
                tasks[snapshot.originator_id] = cast(Task, snapshot.mutate(None))
        after = {i: (t.version if t else 0) for i, t in tasks.items()}
        for stored in self.store.select_events_after(after):
            event: Any = self.mapper.to_domain_event(stored)
            tasks[event.originator_id] = cast(Task, event.mutate(tasks[event.originator_id]))
        return {i: t for i, t in tasks.items() if t is not None}

    def task_view(self, task_id: UUID, now: datetime) -> dict[str, Any]:
        task = self.get_task(task_id)
        return with_status(self.views.facts(task) | self.views.pending(task), task_status(task, now))

    def history(self, task_id: UUID) -> list[Any]:
        """Every change to the task as its public event: actor, recorded time, reason, version."""
        if self._public_events is None:
            raise RuntimeError("this store was built without a public-event translator (see commitments.bootstrap)")
        task: Task | None = None
        entries = []
        for event in self._events_of(task_id):
            task = cast("Task", event.mutate(task))
            entries.append(self._public_events(event, task))
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
