"""Read model: every event of every task, in order, with the task's facts after it — the task page's
history and progress chart, and the source of any past day's view (what the dashboard showed then)."""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Jsonb

from reporting.integration.projections.base import Batch, Conn, Step, q
from reporting.integration.projections.details import details, note_of, reference_day
from reporting.persistence.codec import facts_json

COLUMNS = ("task_id", "version", "event_type", "org", "program_year", "unit", "recorded_at", "effective_at",
           "as_of", "actor_name", "actor_role", "note", "achieved_value", "percent_of_target", "details", "facts")


class ProgressHistoryProjection:
    table = "progress_history"

    def ddl(self) -> str:
        return """
        CREATE TABLE IF NOT EXISTS {schema}.progress_history (
            task_id uuid NOT NULL, version integer NOT NULL, event_type text NOT NULL, org text NOT NULL,
            program_year integer NOT NULL, unit text NOT NULL, recorded_at timestamptz NOT NULL,
            effective_at timestamptz NOT NULL, as_of date NOT NULL, actor_name text NOT NULL,
            actor_role text NOT NULL, note text NOT NULL, achieved_value double precision,
            percent_of_target double precision, details jsonb NOT NULL, facts jsonb NOT NULL,
            PRIMARY KEY (task_id, version));
        CREATE INDEX IF NOT EXISTS progress_history_recorded ON {schema}.progress_history (org, recorded_at);
        """

    async def apply(self, conn: Conn, schema: str, batch: Batch) -> None:
        if not batch.steps:
            return
        async with conn.cursor() as cur, cur.copy(q(
                f"COPY {{schema}}.progress_history ({', '.join(COLUMNS)}) FROM STDIN", schema)) as copy:
            for step in batch.steps:
                await copy.write_row(row(step))


def row(step: Step) -> tuple[Any, ...]:
    e, after = step.delivery.event, step.after
    return (e.task_id, e.task_version, step.delivery.type, e.org, e.program_year, after.unit, e.recorded_at,
            e.effective_at, reference_day(e), e.actor.name, e.actor.role, note_of(e), after.achieved_value,
            after.percent_of_target, Jsonb(details(e)), Jsonb(facts_json(after)))
