"""The read store (`application/read_store.py`) over PostgreSQL: plain SQL, returning domain facts and
the application's rows.

Connections never keep server-side prepared statements: a rebuild swaps the schema under them.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime
from typing import Any
from uuid import UUID

from psycopg import sql
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from reporting.application.read_store import HistoryRow, RevisionRow
from reporting.domain.task_state import TaskState
from reporting.integration.projections.evaluation import COLUMNS as EVALUATION_COLUMNS
from reporting.integration.projections.period_activity import COUNTERS
from reporting.persistence.codec import task_from_row, with_facts
from shared.rules.evaluation import UnitTotals

_HISTORY = ", ".join(f.name for f in fields(HistoryRow))
_REVISION = ", ".join(f.name for f in fields(RevisionRow))


class ReadModels:
    """Implements `reporting.application.read_store.ReadStore`."""

    def __init__(self, pool: AsyncConnectionPool[Any], schema: str) -> None:
        self._pool, self.schema = pool, schema

    async def _rows(self, template: str, params: list[Any]) -> list[dict[str, Any]]:
        query = sql.SQL(template).format(s=sql.Identifier(self.schema))
        async with self._pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            await cur.execute(query, params)
            rows: list[dict[str, Any]] = await cur.fetchall()
            return rows

    async def tasks(self, org: str, *, year: int | None = None, unit: str | None = None) -> list[TaskState]:
        rows = await self._rows("SELECT * FROM {s}.task_status WHERE org = %s "
                                "AND (%s::int IS NULL OR program_year = %s) "
                                "AND (%s::text IS NULL OR unit = %s) ORDER BY program_year, ref",
                                [org, year, year, unit, unit])
        return [task_from_row(r) for r in rows]

    async def task(self, org: str, task_id: UUID) -> TaskState | None:
        rows = await self._rows("SELECT * FROM {s}.task_status WHERE org = %s AND task_id = %s", [org, task_id])
        return task_from_row(rows[0]) if rows else None

    async def tasks_as_of(self, org: str, at: datetime, *, year: int | None = None) -> list[TaskState]:
        """Every task as it stood at `at`: its fixed facts, with the facts recorded last by then."""
        rows = await self._rows(
            "SELECT DISTINCT ON (h.task_id) json_build_object('facts', h.facts, 'version', h.version, "
            "'recorded_at', h.recorded_at, 'achieved_value', h.achieved_value) AS as_of, "
            "(SELECT t.terms FROM {s}.progress_history t "
            "  WHERE t.task_id = h.task_id AND t.version <= h.version AND t.terms IS NOT NULL "
            "  ORDER BY t.version DESC LIMIT 1) AS as_of_terms, s.* "
            "FROM {s}.progress_history h JOIN {s}.task_status s USING (task_id) WHERE h.org = %s "
            "AND h.recorded_at <= %s AND (%s::int IS NULL OR h.program_year = %s) ORDER BY h.task_id, h.version DESC",
            [org, at, year, year])
        states = [with_facts(task_from_row(r), _as_of(r["as_of"]), r["as_of_terms"]) for r in rows]
        return sorted(states, key=lambda s: (s.program_year, s.ref))

    async def history(self, task_id: UUID) -> list[HistoryRow]:
        rows = await self._rows(f"SELECT {_HISTORY} FROM {{s}}.progress_history WHERE task_id = %s ORDER BY version",
                                [task_id])
        return [HistoryRow(**r) for r in rows]

    async def changes(self, org: str, start: datetime, end: datetime) -> list[HistoryRow]:
        """Every event recorded between `start` and `end` (inclusive), newest first."""
        rows = await self._rows(f"SELECT {_HISTORY} FROM {{s}}.progress_history WHERE org = %s "
                                "AND recorded_at BETWEEN %s AND %s ORDER BY recorded_at DESC, task_id, version DESC",
                                [org, start, end])
        return [HistoryRow(**r) for r in rows]

    async def revisions(self, org: str, *, task_id: UUID | None = None, year: int | None = None,
                        recorded: tuple[datetime, datetime] | None = None,
                        effective: tuple[date, date] | None = None) -> list[RevisionRow]:
        r0, r1 = recorded or (None, None)
        e0, e1 = effective or (None, None)
        rows = await self._rows(
            f"SELECT {_REVISION} FROM {{s}}.target_revisions WHERE org = %s AND (%s::uuid IS NULL OR task_id = %s) "
            "AND (%s::int IS NULL OR program_year = %s) "
            "AND (%s::timestamptz IS NULL OR recorded_at BETWEEN %s AND %s) "
            "AND (%s::date IS NULL OR effective_on BETWEEN %s AND %s) ORDER BY recorded_at, ref, version",
            [org, task_id, task_id, year, year, r0, r0, r1, e0, e0, e1])
        return [RevisionRow(**r) for r in rows]

    async def activity(self, org: str, year: int, period: str) -> dict[str, dict[str, int]]:
        """Per unit, the counters of what happened in the period."""
        rows = await self._rows(f"SELECT unit, {', '.join(COUNTERS)} FROM {{s}}.period_activity "
                                "WHERE org = %s AND program_year = %s AND period = %s ORDER BY unit",
                                [org, year, period])
        return {r.pop("unit"): r for r in rows}

    async def evaluation(self, org: str, year: int) -> list[UnitTotals]:
        rows = await self._rows(f"SELECT org, program_year, unit, {', '.join(EVALUATION_COLUMNS)} "
                                "FROM {s}.unit_evaluation WHERE org = %s AND program_year = %s ORDER BY unit",
                                [org, year])
        return [UnitTotals(**r) for r in rows]

    async def years(self, org: str) -> list[int]:
        rows = await self._rows("SELECT DISTINCT program_year FROM {s}.task_status WHERE org = %s ORDER BY 1", [org])
        return [r["program_year"] for r in rows]


def _as_of(row: dict[str, Any]) -> dict[str, Any]:
    return row | {"recorded_at": datetime.fromisoformat(row["recorded_at"])}
