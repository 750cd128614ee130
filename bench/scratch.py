"""Where benchmarks write: the test database, in schemas of their own that are dropped afterwards."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

DATABASE_URL = os.environ.get("CAMKET_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/camket_test")


def drop_schemas(*names: str, database_url: str = DATABASE_URL) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        for name in names:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


@contextmanager
def scratch(prefix: str) -> Iterator[tuple[str, Path]]:
    """A fresh schema name and a temporary state directory (for keys), both gone afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as state:
        try:
            yield schema, Path(state)
        finally:
            drop_schemas(schema)
