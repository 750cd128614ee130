"""One devstack command at a time per state dir."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def state_lock(state_dir: Path) -> Iterator[None]:
    """Held while servers are started or stopped: two `make test` runs at once must not both
    initdb the same cluster or bind the same port. The kernel drops it if we die."""
    state_dir.mkdir(parents=True, exist_ok=True)
    with (state_dir / "devstack.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
