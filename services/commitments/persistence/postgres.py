"""PostgreSQL recorder: the library's application recorder, plus command records and task summaries
written in the same transaction as the events (through the recorder's `_insert_events` hook).

The notification ids of the events table are what the publisher follows. The library takes an
EXCLUSIVE lock on the events table for every insert, so transactions that insert events commit in
the order of their notification ids: a reader never sees id n+1 before id n has committed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier
from psycopg.types.json import Jsonb

from commitments.persistence.records import CommandRecord, TaskSummary


class PostgresCommitmentsRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "commitments_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        prefix = events_table_name.removesuffix("_events")
        schema = Identifier(datastore.schema)
        self.commands_table = SQL("{}.{}").format(schema, Identifier(f"{prefix}_commands"))
        self.summaries_table = SQL("{}.{}").format(schema, Identifier(f"{prefix}_task_summaries"))
        self.sql_create_statements += [
            SQL("CREATE TABLE IF NOT EXISTS {} (command_id text PRIMARY KEY, fingerprint text NOT NULL, "
                "status_code int NOT NULL, response jsonb NOT NULL, task_id uuid, "
                "recorded_at timestamptz NOT NULL, first_version int, last_version int, traceparent text)"
                ).format(self.commands_table),
            SQL("CREATE INDEX IF NOT EXISTS {} ON {} (task_id, last_version)").format(
                Identifier(f"{prefix}_commands_by_task"), self.commands_table),
            SQL("CREATE TABLE IF NOT EXISTS {} (task_id uuid PRIMARY KEY, org text NOT NULL, "
                "program_year int NOT NULL, unit text NOT NULL, ref text NOT NULL, lifecycle text NOT NULL, "
                "version int NOT NULL, due_at timestamptz NOT NULL, started boolean NOT NULL, "
                "completed_on date, view jsonb NOT NULL)").format(self.summaries_table),
            SQL("CREATE INDEX IF NOT EXISTS {} ON {} (org, program_year, unit)").format(
                Identifier(f"{prefix}_task_summaries_by_unit"), self.summaries_table),
        ]

    def _insert_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        commands: Sequence[CommandRecord] = kwargs.get("commands", ())
        summaries: Sequence[TaskSummary] = kwargs.get("summaries", ())
        if commands:
            # A duplicate command id violates the primary key and rolls the whole transaction back.
            curs.executemany(
                SQL("INSERT INTO {} VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)").format(self.commands_table),
                [(c.command_id, c.fingerprint, c.status_code, Jsonb(c.response), c.task_id, c.recorded_at,
                  c.first_version, c.last_version, c.traceparent) for c in commands])
        if summaries:
            curs.executemany(
                SQL("INSERT INTO {} VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                    "ON CONFLICT (task_id) DO UPDATE SET org = EXCLUDED.org, "
                    "program_year = EXCLUDED.program_year, unit = EXCLUDED.unit, ref = EXCLUDED.ref, "
                    "lifecycle = EXCLUDED.lifecycle, version = EXCLUDED.version, due_at = EXCLUDED.due_at, "
                    "started = EXCLUDED.started, completed_on = EXCLUDED.completed_on, view = EXCLUDED.view "
                    "WHERE {}.version < EXCLUDED.version").format(self.summaries_table, self.summaries_table),
                [(s.task_id, s.org, s.program_year, s.unit, s.ref, s.lifecycle, s.version, s.due_at,
                  s.started, s.completed_on, Jsonb(s.view)) for s in summaries])

    def find_commands(self, command_ids: list[str]) -> dict[str, CommandRecord]:
        if not command_ids:
            return {}
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(SQL("SELECT * FROM {} WHERE command_id = ANY(%s)").format(self.commands_table),
                         (command_ids,))
            return {row["command_id"]: CommandRecord(**row) for row in curs.fetchall()}

    def list_summaries(self, org: str, program_year: int | None = None,
                       unit: str | None = None) -> list[TaskSummary]:
        query = SQL("SELECT * FROM {} WHERE org = %s").format(self.summaries_table)
        params: list[Any] = [org]
        if program_year is not None:
            query += SQL(" AND program_year = %s")
            params.append(program_year)
        if unit is not None:
            query += SQL(" AND unit = %s")
            params.append(unit)
        query += SQL(" ORDER BY program_year, ref")
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(query, params)
            return [TaskSummary(**row) for row in curs.fetchall()]
