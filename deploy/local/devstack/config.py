"""What the stack is asked to provide: URLs and the state directory, read from the environment.

The services' pydantic-settings read the same variable names, so one exported environment
configures everything.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DATABASE_URL = "CAMKET_DATABASE_URL"
TEST_DATABASE_URL = "CAMKET_TEST_DATABASE_URL"
NATS_URL = "CAMKET_NATS_URL"
STATE_DIR = "CAMKET_STATE_DIR"

DEFAULTS = {
    DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/camket",
    TEST_DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/camket_test",
    NATS_URL: "nats://127.0.0.1:4222",
}


@dataclass(frozen=True)
class StackConfig:
    database_url: str
    test_database_url: str
    nats_url: str
    state_dir: Path

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> StackConfig:
        def get(name: str) -> str:
            return environ.get(name) or DEFAULTS[name]

        return cls(
            database_url=get(DATABASE_URL),
            test_database_url=get(TEST_DATABASE_URL),
            nats_url=get(NATS_URL),
            state_dir=Path(environ.get(STATE_DIR) or ".camket").resolve(),
        )

    @property
    def env_file(self) -> Path:
        return self.state_dir / "env"

    @property
    def pg_data_dir(self) -> Path:
        return self.state_dir / "pgdata"

    @property
    def pg_socket_dir(self) -> Path:
        return self.state_dir / "pgsocket"

    @property
    def pg_log(self) -> Path:
        return self.state_dir / "log" / "postgres.log"

    @property
    def nats_store_dir(self) -> Path:
        return self.state_dir / "nats"

    @property
    def keys_dir(self) -> Path:
        """Where `camket dev-keys` writes (shared.settings: ``state_dir / "keys"``)."""
        return self.state_dir / "keys"


@dataclass(frozen=True)
class Resolved:
    """Where the servers really are after ``ensure``, and which ones this call started."""

    database_url: str
    test_database_url: str
    nats_url: str
    started: tuple[str, ...]

    def environment(self, config: StackConfig) -> dict[str, str]:
        """The variables written to ``.camket/env`` and given to every child process."""
        return {
            DATABASE_URL: self.database_url,
            TEST_DATABASE_URL: self.test_database_url,
            NATS_URL: self.nats_url,
            STATE_DIR: str(config.state_dir),
        }
