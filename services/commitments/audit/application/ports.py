"""What the audit's use cases need from the outside, as interfaces the adapters implement.

A use case opens a session of the stores (`Database.connection` or `.snapshot`) and hands it to each
store it asks; the session is opaque here (`Conn`): a database connection in the adapters, whose only
use in a use case is `conn.transaction()`, one unit of work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, Protocol
from uuid import UUID

from commitments.audit.domain.checkpoints import SignedCheckpoint
from commitments.audit.domain.findings import Finding
from commitments.audit.domain.leaves import Head, LogRow
from commitments.audit.domain.seals import Seal, SealRecords, StoredCheckpoint
from commitments.audit.domain.tlog.tree import Span, StoredNode
from commitments.domain.task import Task
from shared.auth.tokens import Principal

Conn = Any  # an open session of the stores (see the module's docstring)
Clock = Callable[[], datetime]
Basis = Literal["recorded", "effective", "approved"]


class Database(Protocol):
    def connection(self) -> AbstractContextManager[Conn]: ...

    def snapshot(self) -> AbstractContextManager[Conn]:
        """One consistent, read-only view of rows, seals and checkpoints (the sealer may be writing meanwhile)."""
        ...


class EventRows(Protocol):
    """The events table as the tree covers it: stored bytes, never decoded."""

    @property
    def log_name(self) -> str: ...

    def rows_after(self, conn: Conn, notification_id: int, limit: int) -> list[LogRow]: ...

    def row_batches(self, conn: Conn) -> Iterator[list[tuple[int, bytes]]]: ...

    def log_batches(self, conn: Conn, entries: Callable[[Conn, int, int], list[bytes]]
                    ) -> Iterator[tuple[list[tuple[int, bytes]], list[bytes]]]:
        """`row_batches`, each beside `entries(conn, first position, count)` for its positions: one read for
        the chain and the transparency log."""
        ...

    def rows_by_id(self, conn: Conn, notification_ids: list[int]) -> dict[int, LogRow]: ...

    def find_event(self, conn: Conn, originator_id: UUID, version: int) -> int | None: ...


class SealStore(Protocol):
    def create(self, conn: Conn) -> None: ...

    def try_lock(self, conn: Conn) -> bool: ...

    def seals(self, conn: Conn, first: int = 0, stop: int | None = None) -> list[Seal]: ...

    def seal_records(self, conn: Conn) -> SealRecords: ...

    def append_seals(self, conn: Conn, seals: list[Seal]) -> None: ...

    def heads(self, conn: Conn, tree_size: int) -> dict[UUID, Head]: ...

    def tasks_of_unit(self, conn: Conn, unit: str, before: int) -> set[UUID]: ...


class CheckpointStore(Protocol):
    def add_checkpoint(self, conn: Conn, signed: SignedCheckpoint) -> None: ...

    def checkpoints(self, conn: Conn, after_size: int = -1) -> list[StoredCheckpoint]: ...


class AuditStore(EventRows, SealStore, CheckpointStore, Protocol):
    """The event rows, the seal records and the checkpoints of one log."""


class TlogStore(Protocol):
    """The transparency log's entries, hash tiles, checkpoints and cosignatures."""

    def create(self, conn: Conn) -> None: ...

    def size(self, conn: Conn) -> int: ...

    def sealed_size(self, conn: Conn) -> int: ...

    def append(self, conn: Conn, first: int, entries: Sequence[bytes], nodes: Iterable[StoredNode]) -> None: ...

    def hashes(self, conn: Conn, spans: Iterable[Span]) -> Mapping[tuple[int, int], bytes]: ...

    def hash_range(self, conn: Conn, level: int, first: int, count: int) -> list[bytes]: ...

    def entries(self, conn: Conn, first: int, count: int) -> list[bytes]: ...

    def tags(self, conn: Conn, notification_ids: list[int]) -> dict[int, tuple[str, int]]: ...

    def add_checkpoint(self, conn: Conn, size: int, root: bytes, note: str) -> None: ...

    def checkpoints(self, conn: Conn) -> list[tuple[int, str]]: ...

    def latest_checkpoint(self, conn: Conn) -> tuple[int, str] | None: ...

    def add_cosignature(self, conn: Conn, size: int, witness: str, line: str) -> None: ...

    def cosignatures(self, conn: Conn, size: int) -> list[str]: ...

    def cosigned_size(self, conn: Conn, witness: str) -> int: ...


class PublicEvents(Protocol):
    """A task's event as commitments publishes it (its public contract), given the task right after it."""

    def as_json(self, event: Task.Event, task: Task, /) -> dict[str, Any]: ...

    def effective_at(self, event: Task.Event, task: Task, /) -> datetime: ...


class TaskReader(Protocol):
    """A task's stored history, each row's signature checked on the way (a forged one raises ForgedRecord)."""

    def latest_version(self, task_id: UUID) -> int: ...

    def history(self, task_id: UUID, after: int = 0, upto: int | None = None) -> list[Task.Event]: ...

    def task_at(self, task_id: UUID, version: int) -> Task: ...

    def task_as_of(self, task_id: UUID, instant: datetime) -> Task | None: ...


class ProgramTasks(Protocol):
    def task_ids(self, program_year: int | None) -> list[UUID]:
        """The program's tasks (of one year, or all), in the order the dashboard lists them."""
        ...


class AccessLog(Protocol):
    def record(self, conn: Conn, principal: Principal, *, view: str, subject: str | None, query: dict[str, Any],
               outcome: int, raw_query: bytes = b"") -> None: ...

    def entries(self, conn: Conn, *, user: str | None = None, since: datetime | None = None,
                before_id: int | None = None, limit: int = 100) -> list[dict[str, Any]]: ...

    def verify_chain(self, conn: Conn) -> tuple[int, list[Finding]]: ...


@dataclass(frozen=True)
class ChangeQuery:
    actor: str | None = None  # a user id, or part of a name (accents ignored)
    unit: str | None = None  # the task's unit at the time of the change
    actor_unit: str | None = None
    kinds: tuple[str, ...] = ()  # event types, or target_lowered / deadline_extended
    task_id: UUID | None = None
    start: date | None = None  # civil days in Vietnam, both included
    end: date | None = None
    basis: Basis = "recorded"  # which date the range applies to
    after: int = 0  # notification id of the last change of the previous page
    limit: int = 100


class ChangeSearch(Protocol):
    def search(self, conn: Conn, query: ChangeQuery) -> dict[str, Any]: ...


class SnapshotCheck(Protocol):
    def findings(self, conn: Conn) -> tuple[int, list[Finding]]:
        """(snapshots checked, one finding per snapshot without a valid service signature)."""
        ...


class PublishedCheckpoints(Protocol):
    async def read(self) -> tuple[list[SignedCheckpoint] | None, str]:
        """What the witnesses hold, read whole, and a note saying where from; (None, why) if they cannot be
        reached or stop answering — never an empty list for "not reached"."""
        ...
