"""The test's side of shared/faults.py: arm a child process to pause at a point after every N batches,
wait until it is paused there, then kill it (a moment the test controls) or let it go on."""

from __future__ import annotations

import asyncio
from pathlib import Path


class FaultPoint:
    def __init__(self, directory: Path, point: str, every: int) -> None:
        self.directory, self.point, self.every = directory, point, every
        directory.mkdir(parents=True, exist_ok=True)

    def env(self) -> dict[str, str]:
        """The environment that arms a child process for this point only."""
        return {"CAMKET_FAULT_PAUSE_AFTER_BATCHES": str(self.every), "CAMKET_FAULT_DIR": str(self.directory),
                "CAMKET_FAULT_POINTS": self.point}

    @property
    def _paused(self) -> Path:
        return self.directory / f"{self.point}.paused"

    async def paused(self, after: int = 0, timeout: float = 60.0) -> int:
        """Waits until the process is paused at the point with more than `after` batches done there
        (after a `go_on`, pass the count it went on from); returns that number."""
        async with asyncio.timeout(timeout):
            while (done := self._done()) <= after:
                await asyncio.sleep(0.01)
        return done

    def _done(self) -> int:
        try:
            return int(self._paused.read_text())
        except FileNotFoundError:  # not paused (yet, or any more: going on removes it)
            return 0

    def go_on(self) -> None:
        (self.directory / f"{self.point}.go").touch()

    def clear(self) -> None:
        """After a kill: the killed process's pause is no one's any more."""
        for suffix in (".paused", ".go"):
            (self.directory / f"{self.point}{suffix}").unlink(missing_ok=True)
