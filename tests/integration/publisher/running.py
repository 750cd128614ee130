"""The publisher run in the test's event loop, stopped (and its store closed) at the end."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from commitments.publisher.config import PublisherSettings
from commitments.publisher.main import build_publisher
from commitments.publisher.service import Publisher


@asynccontextmanager
async def running(settings: PublisherSettings) -> AsyncIterator[Publisher]:
    publisher = build_publisher(settings)
    stop = asyncio.Event()
    task = asyncio.create_task(publisher.run(stop))
    try:
        yield publisher
    finally:
        stop.set()
        try:
            await asyncio.wait_for(task, 15)
        finally:
            publisher.close()
