"""The audit's pool opens once, however many first reads arrive together (the soak found two concurrent
first reads tripping psycopg_pool's assertion, answered 503), and a schema created by two processes at
the same instant is no error for either."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg
import pytest

from commitments.audit.adapters.database import PooledDatabase
from commitments.bootstrap import ensure_schema

pytestmark = pytest.mark.integration
READERS = 8


def test_concurrent_first_reads_open_the_pool_and_create_the_tables_once(database_url: str) -> None:
    arrived = threading.Barrier(READERS)
    created: list[int] = []

    def create(conn: Any) -> None:
        created.append(1)
        conn.execute("SELECT 1")

    database = PooledDatabase(database_url, create)

    def first_read(_: int) -> int:
        arrived.wait(timeout=10)  # every reader calls connection() at once, before the pool is open
        with database.connection() as conn:
            row = conn.execute("SELECT 2").fetchone()
        return int(row[0]) if row else 0

    try:
        with ThreadPoolExecutor(READERS) as pool:
            answers = list(pool.map(first_read, range(READERS)))
    finally:
        database.close()
    assert answers == [2] * READERS and created == [1]


def test_a_schema_created_at_the_same_instant_by_several_processes_is_no_error(database_url: str,
                                                                              pg_schema: str) -> None:
    arrived = threading.Barrier(READERS)

    def create(_: int) -> None:
        arrived.wait(timeout=10)
        ensure_schema(database_url, pg_schema + "_race")

    try:
        with ThreadPoolExecutor(READERS) as pool:
            list(pool.map(create, range(READERS)))  # an error in any one is raised here
    finally:
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{pg_schema}_race" CASCADE')
