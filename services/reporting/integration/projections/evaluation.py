"""Read model: per unit and program year, the clock-independent counts behind the year-end evaluation
(assigned, completed on time or late, quantitative, exceeding target). Recomputed from the task
status read model for every unit a batch touched — in the same transaction, so always consistent."""

from __future__ import annotations

from reporting.integration.projections.base import Batch, Statement, q

COLUMNS = ("assigned", "cancelled", "suspended", "completed", "completed_on_time", "completed_late", "quantitative",
           "exceeding_target")
_TOUCHED = "SELECT * FROM unnest(%s::text[], %s::int[], %s::text[]) AS t(org, program_year, unit)"
_FORGET = """
DELETE FROM {schema}.unit_evaluation e USING (""" + _TOUCHED + """) t
WHERE (e.org, e.program_year, e.unit) = (t.org, t.program_year, t.unit)
"""
_RECOMPUTE = """
WITH touched AS (""" + _TOUCHED + """)
INSERT INTO {schema}.unit_evaluation (org, program_year, unit, assigned, cancelled, suspended, completed,
                                      completed_on_time, completed_late, quantitative, exceeding_target)
SELECT s.org, s.program_year, s.unit,
       count(*) FILTER (WHERE s.lifecycle NOT IN ('cancelled', 'suspended')),
       count(*) FILTER (WHERE s.lifecycle = 'cancelled'),
       count(*) FILTER (WHERE s.lifecycle = 'suspended'),
       count(*) FILTER (WHERE s.lifecycle = 'completed'),
       count(*) FILTER (WHERE s.lifecycle = 'completed' AND s.on_time),
       count(*) FILTER (WHERE s.lifecycle = 'completed' AND NOT s.on_time),
       count(*) FILTER (WHERE s.quantitative AND s.lifecycle NOT IN ('cancelled', 'suspended')),
       count(*) FILTER (WHERE s.quantitative AND s.lifecycle = 'completed' AND s.exceeds_target)
FROM {schema}.task_status s JOIN touched t USING (org, program_year, unit)
GROUP BY s.org, s.program_year, s.unit
"""


class UnitEvaluationProjection:
    table = "unit_evaluation"

    def ddl(self) -> str:
        counts = ", ".join(f"{c} integer NOT NULL" for c in COLUMNS)
        return f"""
        CREATE TABLE IF NOT EXISTS {{schema}}.unit_evaluation (
            org text NOT NULL, program_year integer NOT NULL, unit text NOT NULL, {counts},
            PRIMARY KEY (org, program_year, unit));
        """

    def statements(self, schema: str, batch: Batch) -> list[Statement]:
        """Runs after the task status projection has written the batch's tasks."""
        if not batch.units:
            return []
        orgs, years, units = zip(*sorted(batch.units), strict=True)
        keys = [list(orgs), list(years), list(units)]
        return [(q(_FORGET, schema), keys),  # a unit a task left may have none now
                (q(_RECOMPUTE, schema), keys)]
