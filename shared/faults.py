"""Fault injection for failure tests: a process pauses at a named point after every N batches until
the test says "go on", so a test kills (or lets go) at a moment it controls, never on timing luck.

Armed only by the environment of the process under test:

    CAMKET_FAULT_PAUSE_AFTER_BATCHES=N   pause after every N-th batch of each point
    CAMKET_FAULT_DIR=<directory>         where the handshake files live (default: the working directory)
    CAMKET_FAULT_POINTS=consumer,...     which points pause (default: every point)

At a pause the process writes `<dir>/<point>.paused` (the number of batches done so far) and waits
until `<dir>/<point>.go` exists; it then removes both and goes on. Unset, `ARMED` is False and the
call sites skip the call altogether (one attribute test per batch).

Points: `consumer` (a stream consumer's batch committed and acked), `publisher` (a window sent,
its acks not yet settled), `scheduler` (one transaction of a notifications tick committed),
`commands` (a group commit saved, its callers not yet answered).
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

_EVERY = int(os.environ.get("CAMKET_FAULT_PAUSE_AFTER_BATCHES") or 0)
_DIR = Path(os.environ.get("CAMKET_FAULT_DIR") or ".")
_POINTS = frozenset(p.strip() for p in (os.environ.get("CAMKET_FAULT_POINTS") or "").split(",") if p.strip())
_POLL = 0.01

ARMED = _EVERY > 0
_counts: dict[str, int] = {}


def _due(point: str) -> Path | None:
    """Counts one batch at `point`; the `.go` file to wait for when this batch is a pause."""
    if not ARMED or (_POINTS and point not in _POINTS):
        return None
    done = _counts[point] = _counts.get(point, 0) + 1
    if done % _EVERY:
        return None
    paused = _DIR / f"{point}.paused"
    # Written to a temporary name and renamed, so a test never reads half a number.
    temporary = paused.with_suffix(".tmp")
    temporary.write_text(str(done))
    temporary.replace(paused)
    return _DIR / f"{point}.go"


def _resume(go: Path) -> None:
    (go.parent / go.name.replace(".go", ".paused")).unlink(missing_ok=True)
    go.unlink(missing_ok=True)


async def batch_done(point: str) -> None:
    """In an event loop: the other tasks of the process keep running while this one waits."""
    if (go := _due(point)) is None:
        return
    while not go.exists():
        await asyncio.sleep(_POLL)
    _resume(go)


def batch_done_blocking(point: str) -> None:
    """In a worker thread (the command writer)."""
    if (go := _due(point)) is None:
        return
    while not go.exists():
        time.sleep(_POLL)
    _resume(go)
