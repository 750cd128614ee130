"""The audit's own tables, beside the events in the commitments schema. All are append-only.

- audit_seals: one row per sealed event row (its position, chain value, digest, the sealer's verdict);
- audit_checkpoints: every signed checkpoint, as the exact document that was signed and published;
- audit_changes: the index of changes for search (actor, unit, kind, recorded and effective time);
- audit_access_log: who read what in the audit views.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import LiteralString

from psycopg import Connection
from psycopg.sql import SQL, Composable, Identifier

from commitments.audit.adapters.protection import append_only_statements

SEALS, CHECKPOINTS, CHANGES, ACCESS_LOG = "audit_seals", "audit_checkpoints", "audit_changes", "audit_access_log"
TABLES = (SEALS, CHECKPOINTS, CHANGES, ACCESS_LOG)

_DDL: list[LiteralString] = [
    "CREATE TABLE IF NOT EXISTS {seals} (position bigint PRIMARY KEY, notification_id bigint NOT NULL UNIQUE, "
    "originator_id uuid NOT NULL, originator_version bigint NOT NULL, chain bytea NOT NULL, digest bytea NOT NULL, "
    "signed boolean NOT NULL, sealed_at timestamptz NOT NULL DEFAULT now())",
    "CREATE TABLE IF NOT EXISTS {checkpoints} (tree_size bigint PRIMARY KEY, root bytea NOT NULL, "
    "issued_at timestamptz NOT NULL, document text NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {changes} (notification_id bigint PRIMARY KEY, position bigint NOT NULL, "
    "task_id uuid NOT NULL, version bigint NOT NULL, kind text NOT NULL, org text NOT NULL, "
    "program_year int NOT NULL, task_ref text NOT NULL, unit text NOT NULL, actor_id text NOT NULL, "
    "actor_name text NOT NULL, actor_folded text NOT NULL, actor_unit text NOT NULL, actor_role text NOT NULL, "
    "recorded_at timestamptz NOT NULL, effective_at timestamptz NOT NULL, target_lowered boolean NOT NULL, "
    "deadline_extended boolean NOT NULL, approval_document text, approved_by text, approved_on date, "
    "reason text, event jsonb NOT NULL)",
    "CREATE INDEX IF NOT EXISTS audit_changes_by_recorded ON {changes} (recorded_at)",
    "CREATE INDEX IF NOT EXISTS audit_changes_by_unit ON {changes} (unit, recorded_at)",
    "CREATE INDEX IF NOT EXISTS audit_changes_by_actor ON {changes} (actor_id, recorded_at)",
    "CREATE INDEX IF NOT EXISTS audit_changes_by_kind ON {changes} (kind, recorded_at)",
    "CREATE INDEX IF NOT EXISTS audit_changes_by_task ON {changes} (task_id, version)",
    "CREATE TABLE IF NOT EXISTS {access_log} (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), "
    "user_id text NOT NULL, user_name text NOT NULL, user_unit text NOT NULL, roles text[] NOT NULL, "
    "view text NOT NULL, subject text, query jsonb NOT NULL, outcome int NOT NULL)",
    "CREATE INDEX IF NOT EXISTS audit_access_log_by_user ON {access_log} (user_id, at)",
    # The access log's chain (access.py); rows written before it have none.
    "ALTER TABLE {access_log} ADD COLUMN IF NOT EXISTS raw_query bytea, ADD COLUMN IF NOT EXISTS prev bytea, "
    "ADD COLUMN IF NOT EXISTS chain bytea",
]


@dataclass(frozen=True)
class AuditTables:
    """Qualified names of the tables the audit reads and writes."""

    schema: str
    events_table: str = "commitments_events"

    def name(self, table: str) -> Composable:
        return Identifier(self.schema, table)

    @property
    def events(self) -> Composable:
        return self.name(self.events_table)

    @property
    def log_name(self) -> str:
        """How checkpoints name the log they cover."""
        return f"commitments/{self.schema}.{self.events_table}"

    def create(self, conn: Connection[object]) -> None:
        names = {"seals": self.name(SEALS), "checkpoints": self.name(CHECKPOINTS), "changes": self.name(CHANGES),
                 "access_log": self.name(ACCESS_LOG)}
        with conn.transaction():
            for statement in _DDL:
                conn.execute(SQL(statement).format(**names))
            for table in TABLES:
                for protect in append_only_statements(self.schema, table):
                    conn.execute(protect)
