"""Read model: every event of every task, in order, with the task's facts after it — the task page's
history and progress chart, and the source of any past day's view (what the dashboard showed then).
The target and deadline (`terms`) are stored only with the events that set them."""

from __future__ import annotations

from typing import Any

from reporting.integration.projections.base import Batch, Statement, Step, q
from reporting.integration.projections.details import details, note_of, reference_day
from reporting.persistence.codec import facts_json, json_rows, terms_json

COLUMNS = ("task_id", "version", "event_type", "org", "program_year", "unit", "recorded_at", "effective_at",
           "as_of", "actor_name", "actor_role", "note", "achieved_value", "percent_of_target", "details", "facts",
           "terms")


class ProgressHistoryProjection:
    table = "progress_history"

    def ddl(self) -> str:
        return """
        CREATE TABLE IF NOT EXISTS {schema}.progress_history (
            task_id uuid NOT NULL, version integer NOT NULL, event_type text NOT NULL, org text NOT NULL,
            program_year integer NOT NULL, unit text NOT NULL, recorded_at timestamptz NOT NULL,
            effective_at timestamptz NOT NULL, as_of date NOT NULL, actor_name text NOT NULL,
            actor_role text NOT NULL, note text NOT NULL, achieved_value double precision,
            percent_of_target double precision, details json NOT NULL, facts json NOT NULL,
            terms json, PRIMARY KEY (task_id, version));
        CREATE INDEX IF NOT EXISTS progress_history_recorded ON {schema}.progress_history
            USING brin (recorded_at) WITH (pages_per_range = 16);
        """

    def statements(self, schema: str, batch: Batch) -> list[Statement]:
        if not batch.steps:
            return []
        return [(q(_INSERT, schema), [json_rows([record(s) for s in batch.steps])])]


_INSERT = (f"INSERT INTO {{schema}}.progress_history ({', '.join(COLUMNS)}) SELECT {', '.join(COLUMNS)} "
           f"FROM json_populate_recordset(NULL::{{schema}}.progress_history, %s::json)")


def record(step: Step) -> dict[str, Any]:
    e, after = step.event, step.after
    return {"task_id": e.task_id, "version": e.version, "event_type": e.type, "org": e.org,
            "program_year": e.program_year, "unit": after.unit, "recorded_at": e.recorded_at,
            "effective_at": e.effective_at, "as_of": reference_day(e), "actor_name": e.actor.name,
            "actor_role": e.actor.role, "note": note_of(e), "achieved_value": after.achieved_value,
            "percent_of_target": after.percent_of_target, "details": details(e), "facts": facts_json(after),
            "terms": terms_json(after) if _terms_changed(step) else None}


def _terms_changed(step: Step) -> bool:
    before, after = step.before, step.after
    return before is None or before.target is not after.target or before.deadline is not after.deadline
