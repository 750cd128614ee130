"""The interfaces the application depends on. persistence/ and integration/ implement them; bootstrap.py
picks the implementations (PostgreSQL or memory, which signer) and hands them in. The clock that stamps
events is `commitments.domain.clock.Clock`.

The eventsourcing library's Application is the application's own framework, so its persistence
interfaces (ApplicationRecorder, EventStore, Mapper, InfrastructureFactory) are used as they are; what
is declared here is what this application asks beyond them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from eventsourcing.persistence import ApplicationRecorder, EventStore, JSONTranscoder, Mapper, StoredEvent

from commitments.application.records import CommandRecord, TaskSummary
from commitments.domain.actor import Actor
from commitments.domain.deadlines import Deadline
from commitments.domain.evidence import EvidenceFile
from commitments.domain.targets import Target
from commitments.domain.task import Task

KeyRing = dict[bytes, Ed25519PublicKey]  # key id → public key of the signers whose rows are trusted


class TaskRecorder(ApplicationRecorder, ABC):
    """The recorder of the tasks' events, with the command records and task summaries that commit in
    the same transaction (passed to `insert_events` as `commands=` and `summaries=`)."""

    @abstractmethod
    def find_commands(self, command_ids: list[str]) -> dict[str, CommandRecord]:
        """The records of the commands already answered, by command id."""

    @abstractmethod
    def list_summaries(self, org: str, program_year: int | None = None,
                       unit: str | None = None) -> list[TaskSummary]:
        """The tasks' summaries, ordered by program year and reference."""

    @abstractmethod
    def select_events_after(self, after: dict[UUID, int]) -> list[StoredEvent]:
        """The events of many tasks, each after a given version, in (task, version) order."""


class SnapshotStore(EventStore[UUID], ABC):
    """The store of the tasks' snapshots, which uses a snapshot only if a trusted key signed it."""

    @abstractmethod
    def latest(self, task_ids: list[UUID]) -> list[Any]:
        """The newest snapshot of each task that has a trusted one (a snapshot not trusted is left out,
        so the task comes from its events)."""


class EventSigner(Protocol):
    """Signs each stored event on its way into the store (the key stays outside the database)."""

    @property
    def key_id(self) -> bytes: ...

    @property
    def public_key(self) -> Ed25519PublicKey: ...

    def sign(self, stored: StoredEvent) -> StoredEvent: ...


@runtime_checkable
class TaskStorage(Protocol):
    """What a store of tasks adds to the library's infrastructure factory (which makes the recorders):
    the stored form of the domain's values, the signing of rows, the trusted snapshots."""

    def register_transcodings(self, transcoder: JSONTranscoder) -> None: ...

    def signing_mapper(self, mapper: Mapper[UUID], signer: EventSigner) -> Mapper[UUID]: ...

    def snapshot_store(self, mapper: Mapper[UUID], keys: KeyRing) -> SnapshotStore: ...


class PublicEvents(Protocol):
    """Translates a domain event, given the task right after it, into its public (integration) event."""

    def __call__(self, event: Task.Event, task: Task, /) -> Any: ...


class ValueViews(Protocol):
    """The JSON the API and the stored summaries show of the domain's values: their public contract's
    shape, which the integration layer owns (commitments.integration.values)."""

    def target(self, target: Target, /) -> dict[str, Any]: ...

    def deadline(self, deadline: Deadline, program_year: int, /) -> dict[str, Any]: ...

    def evidence_file(self, file: EvidenceFile, /) -> dict[str, Any]: ...

    def actor(self, actor: Actor, /) -> dict[str, Any]: ...


class TaskStore(Protocol):
    """The repository and the unit of work of the group commit: what the command batcher asks of the store."""

    def get_task(self, task_id: UUID) -> Task: ...

    def load_many(self, task_ids: list[UUID]) -> dict[UUID, Task]: ...

    def catch_up(self, tasks: Sequence[Task]) -> None:
        """Brings tasks up to date with the events other processes recorded since their version."""

    def has_task(self, task_id: UUID) -> bool: ...

    def find_commands(self, command_ids: list[str]) -> dict[str, CommandRecord]: ...

    def list_summaries(self, org: str, program_year: int | None = None,
                       unit: str | None = None) -> list[TaskSummary]: ...

    def commit(self, tasks: Sequence[Task], commands: Sequence[CommandRecord]) -> None:
        """Saves the tasks' pending events, the commands' records and the tasks' summaries in one
        transaction: all of it or nothing (IntegrityError when a task or a command id was taken)."""

