"""Wiring: the one place that builds the reporting service's parts from its settings."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

import psycopg
from nats.aio.client import Client
from psycopg_pool import AsyncConnectionPool

from reporting.application.read_store import ReadStore
from reporting.config import ReportingSettings
from reporting.integration.consumer import ensure_events_stream, reporting_consumer
from reporting.integration.handler import install
from reporting.persistence.reader import ReadModels
from shared.auth.tokens import TokenVerifier, verifier_for
from shared.messaging import connect
from shared.stream_consumer import ConsumerStats, StreamConsumer

log = logging.getLogger(__name__)


@dataclass
class Container:
    settings: ReportingSettings
    pool: AsyncConnectionPool[Any]
    reads: ReadStore
    verifier: TokenVerifier
    consumer: StreamConsumer | None = None
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = None
    _nc: Client | None = None

    async def start(self) -> None:
        """Opens the pool, creates the read models' tables if missing and, unless told not to,
        starts consuming the stream in the background (NATS being down only delays it)."""
        await self.pool.open(wait=True, timeout=10)
        async with await psycopg.AsyncConnection.connect(self.settings.database_url, autocommit=True) as conn:
            await install(conn, self.settings.db_schema)
        if self.settings.consume:
            self._task = asyncio.create_task(self._consume(), name="reporting-consumer")

    async def _consume(self) -> None:
        self._nc = await connect(self.settings.nats_url, "camket-reporting")
        self.consumer = reporting_consumer(self._nc, self.settings)
        while not self._stop.is_set():
            try:
                await ensure_events_stream(self._nc, self.settings)
                break
            except Exception as error:  # JetStream not ready yet: the consumer retries from here
                log.warning("cannot reach the events stream yet (%s); retrying", error)
                await asyncio.sleep(2)
        await self.consumer.run(self._stop)

    @property
    def nc(self) -> Client | None:
        return self._nc

    @property
    def consumer_stats(self) -> ConsumerStats | None:
        return self.consumer.stats if self.consumer else None

    async def close(self) -> None:
        self._stop.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, 10)
            except (TimeoutError, asyncio.CancelledError):
                self._task.cancel()
            except Exception:
                log.exception("the reporting consumer ended with an error")
        if self._nc is not None:
            with contextlib.suppress(Exception):
                await self._nc.close()
        await self.pool.close()


def verifier(settings: ReportingSettings) -> TokenVerifier:
    return verifier_for(settings)


def build(settings: ReportingSettings, *, token_verifier: TokenVerifier | None = None,
          reads: ReadStore | None = None) -> Container:
    """The service's parts; `reads` replaces the PostgreSQL read store (unit tests give an in-memory one)."""
    # No prepared statements: a rebuild swaps the schema under open connections.
    pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
        settings.database_url, min_size=1, max_size=settings.db_pool_size, open=False,
        kwargs={"autocommit": True, "prepare_threshold": None}, name="reporting-reads")
    return Container(settings=settings, pool=pool, reads=reads or ReadModels(pool, settings.db_schema),
                     verifier=token_verifier or verifier(settings))
