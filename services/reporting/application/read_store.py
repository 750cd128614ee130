"""What the queries need of the stored read models: the interface the application owns, implemented
by `persistence/reader.py` (PostgreSQL) and wired in `bootstrap.py`. Unit tests wire an in-memory one.

Rows come back as the domain's task facts (`TaskState`) or as the plain rows below; status and pace are
never stored, the queries compute them for the instant asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol
from uuid import UUID

from reporting.domain.task_state import TaskState
from shared.rules.evaluation import UnitTotals


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One event of a task, with the task's figures after it."""

    task_id: UUID
    version: int
    event_type: str
    unit: str
    recorded_at: datetime
    effective_at: datetime
    as_of: date
    actor_name: str
    actor_role: str
    note: str
    achieved_value: float | None
    percent_of_target: float | None
    details: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RevisionRow:
    """One revision of a task's target or deadline; the terms as the contract's JSON has them."""

    task_id: UUID
    version: int
    program_year: int
    unit: str
    ref: str
    recorded_at: datetime
    effective_on: date
    old_target: dict[str, Any]
    new_target: dict[str, Any]
    old_deadline: dict[str, Any]
    new_deadline: dict[str, Any]
    target_lowered: bool
    deadline_extended: bool
    reason: str
    approved_by: str
    document: str
    signed_on: date | None
    actor_name: str


class ReadStore(Protocol):
    async def tasks(self, org: str, *, year: int | None = None, unit: str | None = None) -> list[TaskState]:
        """The tasks as they stand, in program year and reference order."""

    async def task(self, org: str, task_id: UUID) -> TaskState | None: ...

    async def tasks_as_of(self, org: str, at: datetime, *, year: int | None = None) -> list[TaskState]:
        """Every task as it stood at `at` (those registered by then), in program year and reference order."""

    async def history(self, task_id: UUID) -> list[HistoryRow]:
        """The task's events, oldest first."""

    async def changes(self, org: str, start: datetime, end: datetime) -> list[HistoryRow]:
        """Every event recorded between `start` and `end` (inclusive), newest first."""

    async def revisions(self, org: str, *, task_id: UUID | None = None, year: int | None = None,
                        recorded: tuple[datetime, datetime] | None = None,
                        effective: tuple[date, date] | None = None) -> list[RevisionRow]:
        """Revisions (of one task, of a year, recorded or taking effect within inclusive bounds), by the
        time they were recorded."""

    async def activity(self, org: str, year: int, period: str) -> dict[str, dict[str, int]]:
        """Per unit, the counters of what happened in the period (reporting.integration's COUNTERS)."""

    async def evaluation(self, org: str, year: int) -> list[UnitTotals]:
        """Per unit, the year-end evaluation's counts, by unit code."""

    async def years(self, org: str) -> list[int]: ...
