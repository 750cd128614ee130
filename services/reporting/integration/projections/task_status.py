"""Read model: each task's current facts (target, achieved value, percent of target, over-achievement,
lifecycle, deadline). The Vietnamese status is computed from these facts when a page asks."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from psycopg.rows import dict_row

from reporting.domain.task_state import TaskState
from reporting.integration.projections.base import Batch, Conn, Statement, q
from reporting.persistence.codec import (
    PROGRESS_COLUMNS,
    TASK_COLUMNS,
    json_rows,
    progress_record,
    task_from_row,
    task_record,
)

_COLUMNS = ", ".join(TASK_COLUMNS)
_EXCLUDED = ", ".join("EXCLUDED." + c for c in TASK_COLUMNS)
# One statement per batch: the rows travel as one JSON array, which PostgreSQL turns into table rows.
_UPSERT = (f"INSERT INTO {{schema}}.task_status ({_COLUMNS}) SELECT {_COLUMNS} FROM "
           f"json_populate_recordset(NULL::{{schema}}.task_status, %s::json) "
           f"ON CONFLICT (task_id) DO UPDATE SET ({_COLUMNS}) = ROW({_EXCLUDED})")
# Most events change a few columns only: those tasks travel as a few fields each.
_PROGRESS = ", ".join(PROGRESS_COLUMNS)
_UPDATE = (f"UPDATE {{schema}}.task_status t SET ({_PROGRESS}) = ROW({', '.join('r.' + c for c in PROGRESS_COLUMNS)}) "
           f"FROM json_populate_recordset(NULL::{{schema}}.task_status, %s::json) r WHERE t.task_id = r.task_id")
_WHOLE = frozenset({"TaskRegistered", "TargetRevised", "TaskReassigned"})  # events that change the rest


class TaskStatusProjection:
    """Rows are rewritten at every event of their task: room is left on each page so that the new
    version lands beside the old one without touching the indexes (HOT updates)."""

    table = "task_status"

    def ddl(self) -> str:
        return """
        CREATE TABLE IF NOT EXISTS {schema}.task_status (
            task_id uuid PRIMARY KEY, org text NOT NULL, program_year integer NOT NULL, ref text NOT NULL,
            unit text NOT NULL, title text NOT NULL, description text NOT NULL, target json NOT NULL,
            deadline json NOT NULL, due_at timestamptz NOT NULL, lifecycle text NOT NULL,
            registered_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, version integer NOT NULL,
            achieved_value double precision, last_report_as_of date, completion_requested_on date,
            completed_on date, revisions integer NOT NULL, previous_units text[] NOT NULL,
            cooperating_units text[] NOT NULL, target_kind text NOT NULL, quantitative boolean NOT NULL,
            percent_of_target double precision, exceeds_target boolean NOT NULL, target_met boolean,
            on_time boolean, started boolean NOT NULL, open_proposal_id uuid) WITH (fillfactor = 70);
        ALTER TABLE {schema}.task_status ADD COLUMN IF NOT EXISTS open_proposal_id uuid;
        CREATE INDEX IF NOT EXISTS task_status_unit ON {schema}.task_status (org, program_year, unit);
        """

    async def load(self, conn: Conn, schema: str, task_ids: Collection[UUID]) -> dict[UUID, TaskState]:
        async with conn.cursor(row_factory=dict_row) as cur:
            await cur.execute(q("SELECT * FROM {schema}.task_status WHERE task_id = ANY(%s)", schema), [list(task_ids)])
            return {row["task_id"]: task_from_row(row) for row in await cur.fetchall()}

    def statements(self, schema: str, batch: Batch) -> list[Statement]:
        whole = {s.event.task_id for s in batch.steps if s.before is None or s.event.type in _WHOLE}
        upserts = [task_record(s) for t, s in batch.final.items() if t in whole]
        updates = [progress_record(s) for t, s in batch.final.items() if t not in whole]
        statements: list[Statement] = []
        if upserts:
            statements.append((q(_UPSERT, schema), [json_rows(upserts)]))
        if updates:
            statements.append((q(_UPDATE, schema), [json_rows(updates)]))
        return statements
