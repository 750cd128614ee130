"""Read model: every revision of a task's target or deadline, with the old and new values, the
reason, the approving officer and the approval document ("Số: …/QĐ-…") — for the briefings."""

from __future__ import annotations

from typing import Any

from reporting.domain.events import TargetRevised
from reporting.integration.projections.base import Batch, Statement, Step, q
from reporting.persistence.codec import deadline_json, json_rows, target_json

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

    def statements(self, schema: str, batch: Batch) -> list[Statement]:
        rows = [record(s) for s in batch.steps if isinstance(s.event, TargetRevised)]
        return [(q(_INSERT, schema), [json_rows(rows)])] if rows else []


_INSERT = (f"INSERT INTO {{schema}}.target_revisions ({', '.join(COLUMNS)}) SELECT {', '.join(COLUMNS)} "
           f"FROM json_populate_recordset(NULL::{{schema}}.target_revisions, %s::json)")


def record(step: Step) -> dict[str, Any]:
    e = step.event
    assert isinstance(e, TargetRevised)
    return {"task_id": e.task_id, "version": e.version, "org": e.org, "program_year": e.program_year,
            "unit": step.after.unit, "ref": e.task_ref, "recorded_at": e.recorded_at, "effective_on": e.effective_on,
            "old_target": target_json(e.old_target), "new_target": target_json(e.new_target),
            "old_deadline": deadline_json(e.old_deadline), "new_deadline": deadline_json(e.new_deadline),
            "target_lowered": e.target_lowered, "deadline_extended": e.deadline_extended, "reason": e.reason,
            "approved_by": e.approval.approved_by, "document": e.approval.document,
            "signed_on": e.approval.signed_on, "actor_name": e.actor.name}
