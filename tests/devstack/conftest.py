"""Fixtures for devstack's own tests: a private state dir, unused ports, a port-squatter.

Every test works in a scratch state dir and stops whatever it started, so the developer's
stack (and the machine's PostgreSQL and NATS) are never touched.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devstack.config import StackConfig
from devstack.ensure import stop_own
from devstack.net import LOCALHOST, free_port
from devstack.probes import nats_error, postgres_error
from devstack.scratch import scratch_dir

SYSTEM_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
SYSTEM_NATS = "nats://127.0.0.1:4222"


@pytest.fixture
def state_dir() -> Iterator[Path]:
    """A state dir the ``postgres`` user can reach (pytest's tmp_path is 0700 under root)."""
    with scratch_dir("camket-devstack-test-") as base:
        state = base / "state"
        try:
            yield state
        finally:
            stop_own(StackConfig("postgresql://x/x", "postgresql://x/x", "nats://x", state))


@pytest.fixture
def make_config(state_dir: Path) -> Callable[..., StackConfig]:
    """A StackConfig in the scratch state dir; by default every URL points at an unused port."""

    def make(database_url: str | None = None, test_database_url: str | None = None,
             nats_url: str | None = None) -> StackConfig:
        pg_port = free_port()
        return StackConfig(
            database_url=database_url or f"postgresql://postgres@127.0.0.1:{pg_port}/camket",
            test_database_url=test_database_url
            or f"postgresql://postgres@127.0.0.1:{pg_port}/camket_test",
            nats_url=nats_url or f"nats://127.0.0.1:{free_port()}",
            state_dir=state_dir,
        )

    return make


@pytest.fixture
def squatter() -> Iterator[int]:
    """A port held by a listener that accepts connections and never says a word."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOCALHOST, 0))
        sock.listen(16)
        yield sock.getsockname()[1]


@pytest.fixture(scope="session")
def system_postgres() -> str:
    if postgres_error(SYSTEM_POSTGRES) is not None:
        pytest.skip("no PostgreSQL at 127.0.0.1:5432 on this machine")
    return SYSTEM_POSTGRES


@pytest.fixture(scope="session")
def system_nats() -> str:
    if nats_error(SYSTEM_NATS) is not None:
        pytest.skip("no NATS JetStream at 127.0.0.1:4222 on this machine")
    return SYSTEM_NATS
