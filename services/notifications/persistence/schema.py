"""The service's tables, created idempotently at start in its own schema (settings `db_schema`).

task_facts      the service's projection of the task events, and when to look at each task again
alerts          fired alerts; UNIQUE (rule, task_id, dedup_key) is the deduplication; published_at
                null marks the outbox of the alerts stream
subscriptions   who gets what (soft-deleted so that deliveries keep their history)
deliveries      one per alert (or digest) and subscription: pending → delivered, or dead after N failures
program_rules   per-program overrides of the rules' settings (`pace_margin`: written by earlier versions,
                no longer read or set — the pace is the dashboard's rule, shared.rules.pace)
digests         the weekly and monthly briefings composed (one per kind and period)
"""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection, sql

DDL = """
CREATE TABLE IF NOT EXISTS task_facts (
    task_id uuid PRIMARY KEY, org text NOT NULL, ref text NOT NULL, title text NOT NULL,
    program_year integer NOT NULL, unit text NOT NULL, target_kind text NOT NULL, target_text text NOT NULL,
    target_minimum double precision, measure text NOT NULL, deadline_text text NOT NULL,
    due_at timestamptz NOT NULL, starts_at timestamptz NOT NULL, lifecycle text NOT NULL,
    registered_at timestamptz NOT NULL, version integer NOT NULL, updated_at timestamptz NOT NULL,
    achieved_value double precision, last_report_at timestamptz, last_report_as_of date,
    resumed_at timestamptz, completion_requested_at timestamptz, completed_on date, completed_at timestamptz,
    cancelled_at timestamptz, revised_at timestamptz, revisions integer NOT NULL DEFAULT 0,
    target_lowered boolean NOT NULL DEFAULT false, deadline_extended boolean NOT NULL DEFAULT false,
    -- '-infinity': look at once (facts or settings changed); null: no boundary ahead
    next_check_at timestamptz DEFAULT '-infinity');
CREATE INDEX IF NOT EXISTS task_facts_next_check ON task_facts (next_check_at) WHERE next_check_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS task_facts_program_unit ON task_facts (program_year, unit);

CREATE TABLE IF NOT EXISTS alerts (
    seq bigserial UNIQUE, id uuid PRIMARY KEY, org text NOT NULL, rule text NOT NULL, dedup_key text NOT NULL,
    task_id uuid NOT NULL, task_ref text NOT NULL, program_year integer NOT NULL, unit text NOT NULL,
    recipients jsonb NOT NULL, severity text NOT NULL, message text NOT NULL, detail jsonb NOT NULL,
    boundary_at timestamptz NOT NULL, fired_at timestamptz NOT NULL, published_at timestamptz,
    acknowledged_at timestamptz, acknowledged_by text, acknowledged_by_name text,
    UNIQUE (rule, task_id, dedup_key));
CREATE INDEX IF NOT EXISTS alerts_outbox ON alerts (seq) WHERE published_at IS NULL;
CREATE INDEX IF NOT EXISTS alerts_unit ON alerts (unit, seq);
CREATE INDEX IF NOT EXISTS alerts_task ON alerts (task_id, seq);

CREATE TABLE IF NOT EXISTS subscriptions (
    id uuid PRIMARY KEY, name text NOT NULL, channel text NOT NULL CHECK (channel IN ('webhook', 'email')),
    address text NOT NULL, secret text, roles text[] NOT NULL DEFAULT '{}', units text[] NOT NULL DEFAULT '{}',
    rules text[] NOT NULL DEFAULT '{}', active boolean NOT NULL DEFAULT true, deleted boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL, created_by text NOT NULL, updated_at timestamptz NOT NULL);

CREATE TABLE IF NOT EXISTS deliveries (
    id bigserial PRIMARY KEY, subscription_id uuid NOT NULL REFERENCES subscriptions (id),
    kind text NOT NULL CHECK (kind IN ('alert', 'digest')), ref_id uuid NOT NULL, channel text NOT NULL,
    address text NOT NULL, status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'delivered', 'dead', 'cancelled')),
    attempts integer NOT NULL DEFAULT 0, next_attempt_at timestamptz NOT NULL, last_error text,
    created_at timestamptz NOT NULL, delivered_at timestamptz,
    UNIQUE (subscription_id, kind, ref_id));
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';

CREATE TABLE IF NOT EXISTS program_rules (
    program_year integer PRIMARY KEY, approach_days integer[] NOT NULL, no_progress_days integer NOT NULL,
    pace_margin double precision, confirmation_wait_days integer NOT NULL,
    updated_at timestamptz NOT NULL, updated_by text NOT NULL);
ALTER TABLE program_rules ALTER COLUMN pace_margin DROP NOT NULL;

CREATE TABLE IF NOT EXISTS digests (
    id uuid PRIMARY KEY, kind text NOT NULL, period text NOT NULL, subject text NOT NULL, body text NOT NULL,
    composed_at timestamptz NOT NULL, UNIQUE (kind, period));
"""


async def migrate(conn: AsyncConnection[Any], schema: str) -> None:
    """Creates the schema and its tables if missing (serialised: replicas may start together)."""
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('camket-notifications-migrate'))")
        await conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        await conn.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(schema)))
        await conn.execute(DDL)
