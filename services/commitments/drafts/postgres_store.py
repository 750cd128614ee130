"""Drafts in PostgreSQL: one row per draft in the commitments schema, its items as jsonb. Working data,
not events: a row is updated in place (compare-and-set on `version`) and deleted when discarded."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any
from uuid import UUID

from psycopg import sql
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from commitments.drafts.codec import item_from_json, item_to_json
from commitments.drafts.model import DraftStale, ProgramDraft

_DDL = """
CREATE TABLE IF NOT EXISTS {table} (
    draft_id uuid PRIMARY KEY,
    org text NOT NULL,
    program_year integer NOT NULL,
    status text NOT NULL,
    version integer NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    source_name text NOT NULL,
    source_text text NOT NULL,
    items jsonb NOT NULL,
    results jsonb NOT NULL)
"""
_COLUMNS = ("draft_id, org, program_year, status, version, created_by, created_at, source_name, source_text, "
            "items, results")


class PostgresDraftStore:
    def __init__(self, database_url: str, schema: str, pool_size: int = 2) -> None:
        self.table = sql.Identifier(schema, "program_drafts")
        self.pool = ConnectionPool(database_url, min_size=1, max_size=pool_size, open=True,
                                   kwargs={"autocommit": True})
        with self.pool.connection() as conn:
            conn.execute(sql.SQL(_DDL).format(table=self.table))

    def add(self, draft: ProgramDraft) -> None:
        with self.pool.connection() as conn:
            conn.execute(sql.SQL("INSERT INTO {} ({}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)").format(
                self.table, sql.SQL(_COLUMNS)), _row(draft))

    def get(self, org: str, draft_id: UUID) -> ProgramDraft | None:
        with self.pool.connection() as conn:
            row = conn.execute(sql.SQL("SELECT {} FROM {} WHERE draft_id = %s AND org = %s").format(
                sql.SQL(_COLUMNS), self.table), (draft_id, org)).fetchone()
        return _draft(row) if row else None

    def every(self, org: str) -> list[ProgramDraft]:
        with self.pool.connection() as conn:
            rows = conn.execute(sql.SQL("SELECT {} FROM {} WHERE org = %s ORDER BY created_at DESC").format(
                sql.SQL(_COLUMNS), self.table), (org,)).fetchall()
        return [_draft(r) for r in rows]

    def save(self, draft: ProgramDraft, expected_version: int) -> ProgramDraft:
        stored = replace(draft, version=expected_version + 1)
        with self.pool.connection() as conn:
            updated = conn.execute(sql.SQL(
                "UPDATE {} SET status = %s, version = %s, items = %s, results = %s "
                "WHERE draft_id = %s AND org = %s AND version = %s RETURNING version").format(self.table),
                (stored.status, stored.version, Jsonb([item_to_json(i) for i in stored.items]),
                 Jsonb(list(stored.results)), draft.draft_id, draft.org, expected_version)).fetchone()
            if updated is None:
                row = conn.execute(sql.SQL("SELECT version FROM {} WHERE draft_id = %s").format(self.table),
                                   (draft.draft_id,)).fetchone()
                raise DraftStale(expected_version, int(row[0]) if row else 0)
        return stored

    def delete(self, org: str, draft_id: UUID) -> bool:
        with self.pool.connection() as conn:
            cursor = conn.execute(sql.SQL("DELETE FROM {} WHERE draft_id = %s AND org = %s").format(self.table),
                                  (draft_id, org))
            return cursor.rowcount > 0

    def close(self) -> None:
        self.pool.close()


def _row(draft: ProgramDraft) -> tuple[Any, ...]:
    return (draft.draft_id, draft.org, draft.program_year, draft.status, draft.version, draft.created_by,
            draft.created_at, draft.source_name, draft.source_text, Jsonb([item_to_json(i) for i in draft.items]),
            Jsonb(list(draft.results)))


def _draft(row: tuple[Any, ...]) -> ProgramDraft:
    items, results = (json.loads(v) if isinstance(v, str) else v for v in row[9:11])
    return ProgramDraft(draft_id=row[0], org=row[1], program_year=row[2], status=row[3], version=row[4],
                        created_by=row[5], created_at=row[6], source_name=row[7], source_text=row[8],
                        items=tuple(item_from_json(i) for i in items), results=tuple(results))
