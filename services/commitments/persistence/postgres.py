"""PostgreSQL task storage. Its recorder is the library's application recorder, plus command records and
task summaries written in the same transaction as the events (through the recorder's `_insert_events` hook).

The notification ids of the events table are what the publisher follows. The library takes an
EXCLUSIVE lock on the events table for every insert, so transactions that insert events commit in
the order of their notification ids: a reader never sees id n+1 before id n has committed.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, Mapper, OperationalError, StoredEvent
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
    PostgresFactory,
)
from eventsourcing.utils import retry
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from commitments.application.outcomes import OutcomeKind
from commitments.application.ports import KeyRing, SnapshotStore, TaskRecorder
from commitments.application.records import CommandRecord, TaskSummary
from commitments.audit.adapters.protection import append_only_statements, exclusive_lock_call, exclusive_lock_statements
from commitments.persistence.snapshots import TrustedSnapshots
from commitments.persistence.storage import StoredForm

# A command record's outcome is stored as the HTTP status its first answer had (`status_code`): the rows
# written so far hold it, and the column keeps that meaning.
STORED_STATUS = {OutcomeKind.CREATED: 201, OutcomeKind.OK: 200}
KIND_OF_STATUS = {code: kind for kind, code in STORED_STATUS.items()}


class PostgresCommitmentsRecorder(PostgresApplicationRecorder, TaskRecorder):
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
        # Stored events are never updated nor deleted: a trigger refuses it, even to the table's owner.
        self.sql_create_statements += append_only_statements(datastore.schema, events_table_name)
        # The EXCLUSIVE lock that keeps notification ids in commit order is taken through a function of the
        # table's owner, so the service can run as a role that may only read and append events.
        self.sql_create_statements += exclusive_lock_statements(datastore.schema, events_table_name)
        self.lock_table_statements = [*self.lock_table_statements[:1],
                                      exclusive_lock_call(datastore.schema, events_table_name)]

    def _insert_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        commands: Sequence[CommandRecord] = kwargs.get("commands", ())
        summaries: Sequence[TaskSummary] = kwargs.get("summaries", ())
        # One statement per table for the whole batch: the rows travel as one JSON document that the
        # server unpacks (quoting thousands of strings into a text array costs far more on the client).
        if commands:
            # A duplicate command id violates the primary key and rolls the whole transaction back.
            curs.execute(
                SQL("INSERT INTO {} SELECT * FROM jsonb_to_recordset(%s::jsonb) AS r(command_id text, "
                    "fingerprint text, status_code int, response jsonb, task_id uuid, recorded_at timestamptz, "
                    "first_version int, last_version int, traceparent text)").format(self.commands_table),
                (_json_rows([_command_row(c) for c in commands]),))
        if summaries:
            curs.execute(
                SQL("INSERT INTO {} SELECT * FROM jsonb_to_recordset(%s::jsonb) AS r(task_id uuid, org text, "
                    "program_year int, unit text, ref text, lifecycle text, version int, due_at timestamptz, "
                    "started boolean, completed_on date, view jsonb) "
                    "ON CONFLICT (task_id) DO UPDATE SET org = EXCLUDED.org, "
                    "program_year = EXCLUDED.program_year, unit = EXCLUDED.unit, ref = EXCLUDED.ref, "
                    "lifecycle = EXCLUDED.lifecycle, version = EXCLUDED.version, due_at = EXCLUDED.due_at, "
                    "started = EXCLUDED.started, completed_on = EXCLUDED.completed_on, view = EXCLUDED.view "
                    "WHERE {}.version < EXCLUDED.version").format(self.summaries_table, self.summaries_table),
                (_json_rows([_fields(s) for s in summaries]),))

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's reads
    def select_events_after(self, after: dict[UUID, int]) -> list[StoredEvent]:
        """The events of many tasks, each after a given version, in one query (task, version order)."""
        if not after:
            return []
        query = SQL("SELECT e.originator_id, e.originator_version, e.topic, e.state FROM {}.{} e "
                    "JOIN unnest(%s::uuid[], %s::bigint[]) AS b(id, after) "
                    "ON e.originator_id = b.id AND e.originator_version > b.after "
                    "ORDER BY e.originator_id, e.originator_version").format(
            Identifier(self.datastore.schema), Identifier(self.events_table_name))
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(query, (list(after), list(after.values())))
            return [StoredEvent(originator_id=r["originator_id"], originator_version=r["originator_version"],
                                topic=r["topic"], state=bytes(r["state"])) for r in curs.fetchall()]

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's reads
    def find_commands(self, command_ids: list[str]) -> dict[str, CommandRecord]:
        if not command_ids:
            return {}
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(SQL("SELECT * FROM {} WHERE command_id = ANY(%s)").format(self.commands_table),
                         (command_ids,))
            return {row["command_id"]: _command_record(row) for row in curs.fetchall()}

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's reads
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


@retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
def select_latest_snapshots(recorder: PostgresAggregateRecorder, ids: list[UUID]) -> list[StoredEvent]:
    """The newest snapshot of each of many tasks, in one query."""
    if not ids:
        return []
    query = SQL("SELECT DISTINCT ON (originator_id) originator_id, originator_version, topic, state FROM {}.{} "
                "WHERE originator_id = ANY(%s) ORDER BY originator_id, originator_version DESC").format(
        Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name))
    with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
        curs.execute(query, (ids,))
        return [StoredEvent(originator_id=r["originator_id"], originator_version=r["originator_version"],
                            topic=r["topic"], state=bytes(r["state"])) for r in curs.fetchall()]


class PostgresTrustedSnapshots(TrustedSnapshots):
    def newest_rows(self, task_ids: list[UUID]) -> list[StoredEvent]:
        assert isinstance(self.recorder, PostgresAggregateRecorder)
        rows: list[StoredEvent] = select_latest_snapshots(self.recorder, task_ids)
        return rows


class PostgresTaskStorage(PostgresFactory, StoredForm):
    """The library's PostgreSQL factory, making the commitments recorder (table `commitments_events` and
    its companions, created when CREATE_TABLE says so) and the trusted snapshots."""

    application_recorder_class = PostgresCommitmentsRecorder

    def snapshot_store(self, mapper: Mapper[UUID], keys: KeyRing) -> SnapshotStore:
        return PostgresTrustedSnapshots(mapper, self.aggregate_recorder(purpose="snapshots"), keys)


def _command_row(record: CommandRecord) -> dict[str, Any]:
    row = _fields(record)
    row["status_code"] = STORED_STATUS[row.pop("kind")]
    return row


def _command_record(row: dict[str, Any]) -> CommandRecord:
    fields = {k: v for k, v in row.items() if k != "status_code"}
    return CommandRecord(**fields, kind=KIND_OF_STATUS[row["status_code"]])


def _fields(row: Any) -> dict[str, Any]:
    """A dataclass row as a dict, shallow (dataclasses.asdict deep-copies every nested value)."""
    return {f.name: getattr(row, f.name) for f in dataclasses.fields(row)}


def _json_rows(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, default=_json_value, ensure_ascii=False, separators=(",", ":"))


def _json_value(value: Any) -> str:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)  # UUID
