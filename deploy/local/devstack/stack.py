"""The table of what ``run`` starts, in order. Adjust the stack here, and only here.

``Task`` runs to completion (a failure aborts ``run``); ``Service`` keeps running and, when it
has a port, is ready once ``GET <health>`` answers 200. Before a task runs, every service above
it must be ready, so ``seed`` talks to running services. A task with ``label`` has its stdout
(e.g. a bearer token) shown in the final summary under that label. Arguments follow the
``camket`` command (the project's CLI in the venv, or ``$CAMKET_CLI``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    name: str
    args: tuple[str, ...]
    # Skip when this directory (relative to the state dir) exists and is not empty.
    skip_if_populated: str | None = None
    label: str | None = None
    timeout: float = 120.0
    env: tuple[tuple[str, str], ...] = ()  # on top of the stack's environment (the demo's sandbox)


@dataclass(frozen=True)
class Service:
    name: str
    args: tuple[str, ...]
    port: int | None = None
    health: str = "/health"
    # (label, path) pairs printed once the stack is up.
    links: tuple[tuple[str, str], ...] = ()
    ready_timeout: float = 90.0
    env: tuple[tuple[str, str], ...] = ()  # on top of the stack's environment (the demo's sandbox)


Step = Task | Service

ROLES = ("office", "unit_staff", "unit_head", "board", "inspector")

STACK: tuple[Step, ...] = (
    Task("dev-keys", ("dev-keys",), skip_if_populated="keys"),
    Service("commitments", ("serve", "commitments", "--port", "8001"), port=8001,
            links=(("Commitments API", "/docs"),)),
    Service("publisher", ("publisher",)),
    Service("audit-sealer", ("audit", "sealer")),
    Service("reporting", ("serve", "reporting", "--port", "8002"), port=8002,
            links=(("Dashboard", "/"),)),
    Service("notifications", ("serve", "notifications", "--port", "8003"), port=8003,
            links=(("Notifications API", "/docs"),)),
    Task("seed", ("seed",)),
    *(Task(f"token {role}", ("mint-token", "--role", role), label=role) for role in ROLES),
)
