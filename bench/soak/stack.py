"""`python -m bench.soak.stack <state dir> <ready file>`: `make run`'s process table on scratch state.

The same steps (devstack.stack.STACK) brought up in the same order by the same Supervisor, each service
moved to a free port and every process pointed at the soak's own schemas and subject prefix (as
`make run DEMO=1` points them at the sandbox's). Once every service answers, the ports, the process
ids and the minted tokens are written to the ready file; SIGTERM takes the stack down in reverse.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from dataclasses import replace
from pathlib import Path
from types import FrameType

from bench.services import free_port
from devstack.config import StackConfig
from devstack.ensure import ensure, stop_own
from devstack.run import find_cli
from devstack.stack import STACK, Service, Step
from devstack.supervisor import Supervisor


def scratch_environment(tag: str, database_url: str, ports: dict[str, int]) -> dict[str, str]:
    """What every process of the soak gets on top of the machine's settings."""
    return {"CAMKET_DATABASE_URL": database_url, "CAMKET_SUBJECT_PREFIX": f"soak{tag}",
            "CAMKET_COMMITMENTS_DB_SCHEMA": f"soak_{tag}_commitments",
            "CAMKET_REPORTING_DB_SCHEMA": f"soak_{tag}_reporting",
            "CAMKET_NOTIFICATIONS_DB_SCHEMA": f"soak_{tag}_notifications",
            "CAMKET_REPORTING_COMMITMENTS_URL": f"http://127.0.0.1:{ports['commitments']}",
            "CAMKET_REPORTING_PUBLIC_URL": f"http://127.0.0.1:{ports['reporting']}"}


def moved(steps: tuple[Step, ...], ports: dict[str, int]) -> tuple[Step, ...]:
    """The steps with each service on its new port (its `--port` argument and its health check)."""
    out: list[Step] = []
    for step in steps:
        if isinstance(step, Service) and step.port is not None:
            port = ports[step.name]
            args = tuple(str(port) if a == str(step.port) else a for a in step.args)
            out.append(replace(step, port=port, args=args))
        else:
            out.append(step)
    return tuple(out)


def main(state_dir: Path, ready_file: Path) -> int:
    tag = os.environ["CAMKET_SOAK_TAG"]
    ports = {s.name: free_port() for s in STACK if isinstance(s, Service) and s.port is not None}
    config = StackConfig.from_env(os.environ | {"CAMKET_STATE_DIR": str(state_dir)})
    resolved = ensure(config)  # the machine's servers: the soak checks first that they answer
    env = {**os.environ, **resolved.environment(config), "PYTHONUNBUFFERED": "1",
           **scratch_environment(tag, resolved.test_database_url, ports)}
    stopping = threading.Event()

    def on_signal(_: int, __: FrameType | None) -> None:
        stopping.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, on_signal)
    supervisor = Supervisor(find_cli(), env, config.state_dir, stopping)
    try:
        if supervisor.bring_up(moved(STACK, ports)):
            pids = {service.name: child.pid for service, child in supervisor.services}
            ready_file.write_text(json.dumps({"ports": ports, "pids": pids, "env": scratch_environment(
                tag, resolved.test_database_url, ports), "nats_url": resolved.nats_url}))
            supervisor.watch()
        return 0
    finally:
        supervisor.shutdown()
        if resolved.started:  # only if the machine's servers stopped answering meanwhile
            stop_own(config, only=resolved.started)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
