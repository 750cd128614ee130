"""In-memory task storage for unit tests: the library's POPO recorder plus command records and summaries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, IntegrityError, Mapper, StoredEvent
from eventsourcing.popo import POPOApplicationRecorder, POPOFactory

from commitments.application.ports import KeyRing, SnapshotStore, TaskRecorder
from commitments.application.records import CommandRecord, TaskSummary
from commitments.persistence.snapshots import TrustedSnapshots
from commitments.persistence.storage import StoredForm


class MemoryCommitmentsRecorder(POPOApplicationRecorder, TaskRecorder):
    def __init__(self) -> None:
        super().__init__()
        self._commands: dict[str, CommandRecord] = {}
        self._summaries: dict[Any, TaskSummary] = {}

    def _assert_uniqueness(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        super()._assert_uniqueness(stored_events, **kwargs)
        commands: Sequence[CommandRecord] = kwargs.get("commands", ())
        ids = [c.command_id for c in commands]
        if len(set(ids)) < len(ids) or any(i in self._commands for i in ids):
            raise IntegrityError(f"command already recorded: {ids}")

    def _update_table(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        ids = super()._update_table(stored_events, **kwargs)
        for record in kwargs.get("commands", ()):
            self._commands[record.command_id] = record
        for summary in kwargs.get("summaries", ()):
            self._summaries[summary.task_id] = summary
        return ids

    def find_commands(self, command_ids: list[str]) -> dict[str, CommandRecord]:
        with self._database_lock:
            return {i: self._commands[i] for i in command_ids if i in self._commands}

    def list_summaries(self, org: str, program_year: int | None = None,
                       unit: str | None = None) -> list[TaskSummary]:
        with self._database_lock:
            rows = [s for s in self._summaries.values() if s.org == org
                    and (program_year is None or s.program_year == program_year)
                    and (unit is None or s.unit == unit)]
        return sorted(rows, key=lambda s: (s.program_year, s.ref))

    def select_events_after(self, after: dict[UUID, int]) -> list[StoredEvent]:
        return [e for task_id in sorted(after) for e in self.select_events(task_id, gt=after[task_id])]


class MemoryTaskStorage(POPOFactory, StoredForm):
    def application_recorder(self) -> ApplicationRecorder:
        return MemoryCommitmentsRecorder()

    def snapshot_store(self, mapper: Mapper[UUID], keys: KeyRing) -> SnapshotStore:
        return TrustedSnapshots(mapper, self.aggregate_recorder(purpose="snapshots"), keys)
