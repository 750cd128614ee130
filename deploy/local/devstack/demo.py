"""``make run DEMO=1``: the same stack, pointed at the training sandbox instead of the real data.

Every process gets the sandbox's schemas (demo_*) and subject prefix (demo), so nothing it writes
or reads is the real organisation's; the dashboard says "Dữ liệu mô phỏng" on every page and,
like the notifications service, takes the simulated year's last day as "now"; the commitments
service stamps commands from that instant on, so a trainee's report lands in the simulated year. Instead of loading
the program (`camket seed`), `camket demo` plays the simulated year once (idempotent: a second run
records nothing new)."""

from __future__ import annotations

import os
from dataclasses import replace

from devstack.stack import Step, Task

DEMO_ENV = "CAMKET_DEMO"
DEMO_NOW = "2025-12-19T10:00:00+00:00"  # the simulated year's last day (commitments.demo.runner.DEFAULT_NOW)
COMMON = (("CAMKET_SUBJECT_PREFIX", "demo"), ("CAMKET_REPORTING_DB_SCHEMA", "demo_reporting"),
          ("CAMKET_REPORTING_CONSUMER_NAME", "demo-reporting"), ("CAMKET_REPORTING_DEMO", "true"),
          ("CAMKET_REPORTING_DEMO_NOW", DEMO_NOW), ("CAMKET_NOTIFICATIONS_FAKE_NOW", DEMO_NOW),
          ("CAMKET_COMMITMENTS_DEMO_NOW", DEMO_NOW), ("CAMKET_COMMITMENTS_DB_SCHEMA", "demo_commitments"),
          ("CAMKET_NOTIFICATIONS_DB_SCHEMA", "demo_notifications"))
STORE = "demo_commitments"  # the commitments service's, its publisher's and its sealer's (one store)


def demo_requested() -> bool:
    return os.environ.get(DEMO_ENV, "").strip().lower() in ("1", "true", "yes")


def demo_steps(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    out: list[Step] = []
    for step in steps:
        env = (*step.env, *COMMON)
        played = Task("demo", ("demo", "--schema", STORE), timeout=900) if step.name == "seed" else step
        out.append(replace(played, env=env))
    return tuple(out)
