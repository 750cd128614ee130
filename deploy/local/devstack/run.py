"""``run``: the whole stack in the foreground until Ctrl-C, then everything it started stops."""

from __future__ import annotations

import os
import shlex
import signal
import sys
import sysconfig
import threading
from pathlib import Path
from shutil import which
from types import FrameType

from devstack import console
from devstack.config import Resolved, StackConfig
from devstack.demo import demo_requested, demo_steps
from devstack.ensure import ensure, stop_own
from devstack.net import LOCALHOST, redact
from devstack.stack import STACK, Service, Step
from devstack.supervisor import StackFailure, Supervisor

CLI_ENV = "CAMKET_CLI"


def find_cli() -> list[str]:
    """The ``camket`` command: ``$CAMKET_CLI`` (a command line), else the venv's, else PATH's."""
    override = os.environ.get(CLI_ENV)
    if override:
        return shlex.split(override)
    in_venv = Path(sysconfig.get_path("scripts")) / "camket"
    found = str(in_venv) if in_venv.exists() else which("camket")
    if found is None:
        raise StackFailure("no `camket` command: install the project (`make install`)")
    return [found]


def select(skip: tuple[str, ...]) -> tuple[Step, ...]:
    """The process table without the ``skip``ped entries (names as in stack.STACK)."""
    names = {step.name for step in STACK}
    unknown = sorted(set(skip) - names)
    if unknown:
        raise StackFailure(f"--skip {', '.join(unknown)}: not in the table "
                           f"({', '.join(step.name for step in STACK)})")
    return tuple(step for step in STACK if step.name not in skip)


def run(config: StackConfig, skip: tuple[str, ...] = ()) -> int:
    steps = select(skip)
    if demo_requested():
        steps = demo_steps(steps)
    stopping = threading.Event()
    received: list[int] = []

    def on_signal(signum: int, _: FrameType | None) -> None:
        received.append(signum)
        stopping.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    resolved: Resolved | None = None
    supervisor: Supervisor | None = None
    try:
        cli = find_cli()
        resolved = ensure(config)
        env = {**os.environ, **resolved.environment(config), "PYTHONUNBUFFERED": "1"}
        supervisor = Supervisor(cli, env, config.state_dir, stopping)
        if supervisor.bring_up(steps):
            print(summary(steps, resolved, supervisor.labels), flush=True)
            supervisor.watch()
        console.say(f"received {signal.Signals(received[0]).name}; shutting down"
                    if received else "shutting down")
        return 0
    except StackFailure as failure:
        console.shout(f"{failure}; shutting the stack down")
        return 1
    finally:
        if supervisor is not None:
            supervisor.shutdown()
        if resolved is not None and resolved.started:
            # Servers that were already up stay up; only what this run started goes.
            console.say(f"stopping {', '.join(resolved.started)} (started by this run)")
            stop_own(config, only=resolved.started)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def summary(steps: tuple[Step, ...], resolved: Resolved, labels: dict[str, str]) -> str:
    bar = "=" * 72
    lines = [bar, "Cam kết is running. Ctrl-C stops everything that `run` started.", ""]
    for step in steps:
        if isinstance(step, Service) and step.port is not None:
            for label, path in step.links:
                lines.append(f"  {label:<20} http://{LOCALHOST}:{step.port}{path}")
    lines.append(f"  {'PostgreSQL':<20} {redact(resolved.database_url)}")
    lines.append(f"  {'NATS':<20} {resolved.nats_url}")
    if labels:
        lines += ["", "Bearer tokens (header `Authorization: Bearer <token>`):"]
        lines += [f"  {role:<12} {token}" for role, token in labels.items()]
    lines.append(bar)
    painted = console.paint("\n".join(lines), console.BOLD + console.GREEN, sys.stdout)
    return painted
