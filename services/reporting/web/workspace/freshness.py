"""Read your writes: the page after a command waits until the read model has reached the version the
command answered — polling, bounded — so the user sees the change, never the old state as current."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

POLL_SECONDS = 0.1
T = TypeVar("T")


async def wait_for_version(load: Callable[[], Awaitable[T]], version_of: Callable[[T], int], version: int,
                           bound_seconds: float) -> T:
    """The loaded value once its version is `version` or later, or the last one loaded after the bound."""
    deadline = time.monotonic() + bound_seconds
    while True:
        loaded = await load()
        if version_of(loaded) >= version or time.monotonic() >= deadline:
            return loaded
        await asyncio.sleep(POLL_SECONDS)
