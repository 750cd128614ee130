"""Test-wide setup: the speed of a test follows its folder (unit, integration, e2e), and integration
tests get a fresh PostgreSQL schema and their own NATS subject prefix, so they never see each other's
data nor the developer's running stack.

`make test` runs `devstack ensure` first and exports .camket/env: CAMKET_TEST_DATABASE_URL and
CAMKET_NATS_URL point at servers that are up.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from devstack import load_env_file

ROOT = Path(__file__).resolve().parent.parent
SPEEDS = ("unit", "integration", "e2e", "chaos")
# The chaos suite (minutes, its own servers) runs only under `make chaos`, which sets CAMKET_CHAOS.
collect_ignore = [] if os.environ.get("CAMKET_CHAOS") else ["chaos"]

# When pytest runs outside `make test` (an IDE, say), take the servers `devstack ensure` recorded.
load_env_file(ROOT / os.environ.get("CAMKET_STATE_DIR", ".camket") / "env")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        parts = Path(str(item.fspath)).relative_to(ROOT / "tests").parts
        speed = next((p for p in parts if p in SPEEDS), None)
        if speed is None and parts and parts[0] == "devstack":
            speed = "integration"
        if speed:
            item.add_marker(getattr(pytest.mark, speed))


@pytest.fixture(scope="session")
def database_url() -> str:
    return os.environ.get("CAMKET_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/camket_test")


@pytest.fixture(scope="session")
def nats_url() -> str:
    return os.environ.get("CAMKET_NATS_URL", "nats://127.0.0.1:4222")


@pytest.fixture
def pg_schema(database_url: str) -> Iterator[str]:
    """A fresh schema, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    yield name
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


@pytest.fixture
def subject_prefix() -> str:
    """A NATS subject prefix (and stream-name prefix) of this test's own."""
    return f"t{uuid.uuid4().hex[:10]}"
