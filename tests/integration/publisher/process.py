"""The publisher as its own process (`camket publisher`), for tests that SIGKILL it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from commitments.publisher.config import PublisherSettings

CAMKET = Path(sys.executable).parent / "camket"


class PublisherProcess:
    def __init__(self, settings: PublisherSettings, log_path: Path, extra_env: dict[str, str] | None = None) -> None:
        self.settings, self.log_path, self.extra_env = settings, log_path, extra_env or {}
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def env(self) -> dict[str, str]:
        s = self.settings
        return {**os.environ, "CAMKET_DATABASE_URL": s.database_url, "CAMKET_NATS_URL": s.nats_url,
                "CAMKET_SUBJECT_PREFIX": s.subject_prefix, "CAMKET_DB_SCHEMA": s.db_schema,
                "CAMKET_STATE_DIR": str(self.log_path.parent), "CAMKET_ACK_TIMEOUT": str(s.ack_timeout),
                "CAMKET_IDLE_CHECK": str(s.idle_check), "PYTHONUNBUFFERED": "1", **self.extra_env}

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen([str(CAMKET), "publisher"], env=self.env(), stdin=subprocess.DEVNULL,
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

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
