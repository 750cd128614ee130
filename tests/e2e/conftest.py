"""End-to-end fixtures: a state directory with keys, and the commitments service as a process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.support import ServiceProcess, free_port, prepare_state


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    prepare_state(tmp_path)
    return tmp_path


@pytest.fixture
def base_env(state_dir: Path, database_url: str, nats_url: str, pg_schema: str, subject_prefix: str
             ) -> dict[str, str]:
    return {"CAMKET_STATE_DIR": str(state_dir), "CAMKET_DATABASE_URL": database_url, "CAMKET_NATS_URL": nats_url,
            "CAMKET_COMMITMENTS_DB_SCHEMA": pg_schema, "CAMKET_NOTIFICATIONS_DB_SCHEMA": pg_schema,
            "CAMKET_SUBJECT_PREFIX": subject_prefix}


@pytest.fixture
def commitments(base_env: dict[str, str]) -> Iterator[ServiceProcess]:
    service = ServiceProcess(["serve", "commitments"], base_env, port=free_port()).start()
    yield service
    service.stop()
