"""Read model: every revision of a task's target or deadline, with the old and new values, the
reason, the approving officer and the approval document ("Số: …/QĐ-…") — for the briefings."""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Jsonb

from reporting.integration.projections.base import Batch, Conn, Step, q
from shared.contracts import v1

COLUMNS = ("task_id", "version", "org", "program_year", "unit", "ref", "recorded_at", "effective_on", "old_target",
           "new_target", "old_deadline", "new_deadline", "target_lowered", "deadline_extended", "reason",
           "approved_by", "document", "signed_on", "actor_name")


class TargetRevisionsProjection:
    table = "target_revisions"

    def ddl(self) -> str:
        return """
        CREATE TABLE IF NOT EXISTS {schema}.target_revisions (
            task_id uuid NOT NULL, version integer NOT NULL, org text NOT NULL, program_year integer NOT NULL,
            unit text NOT NULL, ref text NOT NULL, recorded_at timestamptz NOT NULL, effective_on date NOT NULL,
            old_target jsonb NOT NULL, new_target jsonb NOT NULL, old_deadline jsonb NOT NULL,
            new_deadline jsonb NOT NULL, target_lowered boolean NOT NULL, deadline_extended boolean NOT NULL,
            reason text NOT NULL, approved_by text NOT NULL, document text NOT NULL, signed_on date,
            actor_name text NOT NULL, PRIMARY KEY (task_id, version));
        CREATE INDEX IF NOT EXISTS target_revisions_recorded ON {schema}.target_revisions (org, recorded_at);
        """

    async def apply(self, conn: Conn, schema: str, batch: Batch) -> None:
        rows = [row(s) for s in batch.steps if isinstance(s.delivery.event, v1.TargetRevisedV1)]
        if rows:
            async with conn.cursor() as cur:
                await cur.executemany(q(f"INSERT INTO {{schema}}.target_revisions ({', '.join(COLUMNS)}) "
                                        f"VALUES ({', '.join(['%s'] * len(COLUMNS))})", schema), rows)


def row(step: Step) -> tuple[Any, ...]:
    e = step.delivery.event
    assert isinstance(e, v1.TargetRevisedV1)
    return (e.task_id, e.task_version, e.org, e.program_year, step.after.unit, e.task_ref, e.recorded_at,
            e.effective_on, Jsonb(e.old_target.model_dump(mode="json")), Jsonb(e.new_target.model_dump(mode="json")),
            Jsonb(e.old_deadline.model_dump(mode="json")), Jsonb(e.new_deadline.model_dump(mode="json")),
            e.target_lowered, e.deadline_extended, e.reason, e.approval.approved_by, e.approval.document,
            e.approval.signed_on, e.actor.name)
