"""The publisher as its own process (`camket publisher`), for tests that SIGKILL it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from commitments.publisher.config import PublisherSettings

CAMKET = Path(sys.executable).parent / "camket"


class PublisherProcess:
    def __init__(self, settings: PublisherSettings, log_path: Path, extra_env: dict[str, str] | None = None) -> None:
        self.settings, self.log_path, self.extra_env = settings, log_path, extra_env or {}
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.started_at = 0  # where this start's lines begin in the log

    def env(self) -> dict[str, str]:
        s = self.settings
        return {**os.environ, "CAMKET_DATABASE_URL": s.database_url, "CAMKET_NATS_URL": s.nats_url,
                "CAMKET_SUBJECT_PREFIX": s.subject_prefix, "CAMKET_COMMITMENTS_DB_SCHEMA": s.db_schema,
                "CAMKET_STATE_DIR": str(self.log_path.parent), "CAMKET_COMMITMENTS_ACK_TIMEOUT": str(s.ack_timeout),
                "CAMKET_COMMITMENTS_IDLE_CHECK": str(s.idle_check), "PYTHONUNBUFFERED": "1", **self.extra_env}

    def start(self, extra_env: dict[str, str] | None = None) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        self.started_at = len(self.log())
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen([str(CAMKET), "publisher"], env=self.env() | (extra_env or {}),
                                            stdin=subprocess.DEVNULL,
                                            stdout=log, stderr=subprocess.STDOUT)
        self.starts += 1

    def kill(self) -> None:
        """SIGKILL: no cleanup, no last position write, acks in flight lost."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        return self.process.returncode

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Until this start has logged that it publishes: before that, SIGTERM finds no handler yet
        (the process is still importing) and ends it like a kill."""
        deadline = time.monotonic() + timeout
        while "publishing to " not in self.log()[self.started_at:]:
            assert self.alive(), self.log()
            assert time.monotonic() < deadline, f"the publisher did not start: {self.log()}"
            time.sleep(0.05)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
