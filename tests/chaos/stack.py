"""The whole system as processes on the suite's own PostgreSQL and NATS (`sync_interval: always`):
commitments, publisher, audit sealer, reporting and notifications, each killable and restartable,
and the two servers restartable (PostgreSQL fast or immediate, NATS gracefully or by SIGKILL)."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from devstack import NatsServer, PostgresCluster, free_port
from tests.e2e.support import CAMKET, ROOT, ServiceProcess, prepare_state

HTTP = ("commitments", "reporting", "notifications")
WORKERS = {"publisher": ("publisher",), "sealer": ("audit", "sealer")}


@dataclass
class Stack:
    root: Path
    pg: PostgresCluster = field(init=False)
    nats: NatsServer = field(init=False)
    processes: dict[str, ServiceProcess] = field(default_factory=dict)
    exits: dict[str, int] = field(default_factory=dict)  # exits nobody asked for (a supervisor restarted them)

    def __post_init__(self) -> None:
        self.state = self.root / "state"
        self.state.mkdir(parents=True)
        prepare_state(self.state)
        self.pg = PostgresCluster(self.root / "pg")
        self.nats = NatsServer(store_dir=self.root / "nats")

    def start(self) -> None:
        self.pg.start()
        self.database_url = self.pg.create_database("camket")
        self.nats.start()
        for name in HTTP:
            port = free_port()
            self.processes[name] = ServiceProcess(["serve", name, "--port", str(port)], self.env(), port=port)
        for name, args in WORKERS.items():
            self.processes[name] = ServiceProcess(list(args), self.env())
        for name in ("commitments", "publisher", "sealer", "reporting", "notifications"):
            self.processes[name].start(timeout=90)

    def env(self) -> dict[str, str]:
        return {"CAMKET_ENVIRONMENT": "test", "CAMKET_STATE_DIR": str(self.state),
                "CAMKET_DATABASE_URL": self.database_url, "CAMKET_NATS_URL": self.nats.url,
                "CAMKET_COMMITMENTS_AUDIT_CHECKPOINT_SECONDS": "2", "CAMKET_COMMITMENTS_AUDIT_CHECKPOINT_EVENTS": "200",
                "PYTHONUNBUFFERED": "1"}

    def url(self, name: str) -> str:
        return self.processes[name].url

    def kill(self, name: str) -> None:
        """SIGKILL one process and start it again (an HTTP service: until it answers /health)."""
        process = self.processes[name]
        if process.proc is not None and process.proc.poll() is None:
            process.kill()
        process.start(timeout=90)

    def restart_postgres(self, mode: str) -> None:
        self.pg.stop(mode=mode)  # type: ignore[arg-type]
        self.pg.start()

    def restart_nats(self, *, crash: bool) -> None:
        if crash:
            self.nats.kill()
        else:
            self.nats.stop()
        self.nats.start()

    def supervise(self) -> None:
        """What a process manager does: start again whatever exited on its own, and count it."""
        for name, process in self.processes.items():
            if process.proc is not None and process.proc.poll() is not None:
                self.exits[name] = self.exits.get(name, 0) + 1
                process.start(timeout=90)

    def camket(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """A `camket` command against the stack, run to its end."""
        return subprocess.run([CAMKET, *args], env=os.environ | self.env(), cwd=ROOT, capture_output=True,
                              text=True, timeout=timeout, check=False)

    def close(self) -> None:
        for process in self.processes.values():
            process.stop()
        self.nats.stop()
        self.pg.stop(mode="immediate")

    def logs(self) -> str:
        """The tail of every process's log, for a failure's message."""
        parts = []
        for name, process in self.processes.items():
            text = process.log.read_text(errors="replace") if process.log.exists() else ""
            parts.append(f"--- {name} ---\n{text[-2000:]}")
        return "\n".join(parts)
