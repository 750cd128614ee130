"""Append-only tables: a trigger refuses UPDATE, DELETE and TRUNCATE, and grants keep the application's
role to SELECT and INSERT.

The trigger stops even the table's owner and a superuser's ordinary statements; only someone who first
disables it (ALTER TABLE … DISABLE TRIGGER, session_replication_role) gets through, and that is what
the audit tree and the signatures are for. The grants matter where the service runs as its own,
non-owner role (production): it cannot change history even with the trigger gone.

This module must not import the rest of the package: the events recorder adds these statements to the
ones that create its table.
"""

from __future__ import annotations

from collections.abc import Sequence

from psycopg import Connection
from psycopg.sql import SQL, Composed, Identifier, Literal

FUNCTION = "camket_append_only"
ROW_TRIGGER = "camket_append_only_rows"
TRUNCATE_TRIGGER = "camket_append_only_truncate"
_LOCK_KEY = 0x63616D6B  # serialises concurrent creators ("camk")


def append_only_statements(schema: str, table: str) -> list[Composed]:
    """Idempotent DDL: the trigger function of the schema and the two triggers on the table."""
    function = Identifier(schema, FUNCTION)
    return [
        SQL("SELECT pg_advisory_xact_lock({})").format(Literal(_LOCK_KEY)),
        SQL("CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN "
            "RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', "
            "MESSAGE = format('%I.%I is append-only: %s refused', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP), "
            "HINT = 'Recorded history is never changed; record a new event instead.'; "
            "END $fn$").format(function),
        SQL("DO $do$ BEGIN "
            "IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = {row_name} "
            "AND tgrelid = to_regclass(format('%I.%I', {schema}, {table}))) THEN "
            "EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I.%I FOR EACH ROW "
            "EXECUTE FUNCTION %I.%I()', {row_name}, {schema}, {table}, {schema}, {function}); "
            "EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I.%I FOR EACH STATEMENT "
            "EXECUTE FUNCTION %I.%I()', {truncate_name}, {schema}, {table}, {schema}, {function}); "
            "END IF; END $do$").format(row_name=Literal(ROW_TRIGGER), truncate_name=Literal(TRUNCATE_TRIGGER),
                                       schema=Literal(schema), table=Literal(table), function=Literal(FUNCTION)),
    ]


def lock_function(table: str) -> str:
    return f"camket_lock_{table}"[:63]


def exclusive_lock_statements(schema: str, table: str) -> list[Composed]:
    """A function, owned by the table's owner, that takes the table's EXCLUSIVE lock for the caller's transaction.

    Writers take this lock so that notification ids commit in order. PostgreSQL lets only a role with UPDATE,
    DELETE or TRUNCATE on a table take it, which an append-only role must not have; the function lends it
    that one right (SECURITY DEFINER, fixed search path), and the lock lasts until the caller's transaction ends.
    """
    return [
        SQL("SELECT pg_advisory_xact_lock({})").format(Literal(_LOCK_KEY)),
        SQL("CREATE OR REPLACE FUNCTION {}() RETURNS void LANGUAGE plpgsql SECURITY DEFINER "
            "SET search_path = pg_catalog, pg_temp AS $fn$ BEGIN "
            "LOCK TABLE {} IN EXCLUSIVE MODE; END $fn$").format(Identifier(schema, lock_function(table)),
                                                                  Identifier(schema, table)),
    ]


def exclusive_lock_call(schema: str, table: str) -> Composed:
    return SQL("SELECT {}()").format(Identifier(schema, lock_function(table)))


def grant_append_only(conn: Connection[object], schema: str, role: str, append_only: Sequence[str],
                      writable: Sequence[str] = ()) -> None:
    """What the application's role may do in the schema: read and append history, change nothing in it."""
    role_id, schema_id = Identifier(role), Identifier(schema)
    conn.execute(SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema_id, role_id))
    conn.execute(SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(schema_id, role_id))
    for table in append_only:
        target = Identifier(schema, table)
        conn.execute(SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM PUBLIC, {}").format(target, role_id))
        conn.execute(SQL("GRANT SELECT, INSERT ON {} TO {}").format(target, role_id))
    for table in writable:
        conn.execute(SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO {}").format(Identifier(schema, table),
                                                                                   role_id))


def protect(conn: Connection[object], schema: str, tables: Sequence[str], events_table: str) -> None:
    """Installs the triggers and the lock function on tables created without them (before this version)."""
    with conn.transaction():
        for table in tables:
            for statement in append_only_statements(schema, table):
                conn.execute(statement)
        for statement in exclusive_lock_statements(schema, events_table):
            conn.execute(statement)
