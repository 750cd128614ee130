"""`camket reporting rebuild`: every read model rebuilt from sequence 1 into fresh tables, swapped in
while the old ones keep serving; the result equals what the live consumer built."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import psycopg
import pytest

from reporting.application import queries
from reporting.integration.consumer import reporting_consumer
from reporting.integration.rebuild import build_schema, drop_schema, fingerprint, rebuild
from tests.integration.reporting.conftest import Reporting
from tests.polling import eventually
from tests.unit.reporting.builders import ORG, at
from tests.unit.reporting.program import synthetic_program

NOW = at(date(2025, 12, 1))


@pytest.fixture
async def cleanup(reporting: Reporting) -> AsyncIterator[None]:
    yield
    async with await psycopg.AsyncConnection.connect(reporting.settings.database_url, autocommit=True) as conn:
        for suffix in ("_next", "_old", "_check"):
            await drop_schema(conn, reporting.settings.db_schema + suffix)


async def prints(reporting: Reporting, schema: str | None = None) -> dict[str, list[tuple[Any, ...]]]:
    async with await psycopg.AsyncConnection.connect(reporting.settings.database_url, autocommit=True) as conn:
        return await fingerprint(conn, schema or reporting.settings.db_schema)


async def read_while(reporting: Reporting, job: asyncio.Task[Any]) -> int:
    """Reads the live read models until `job` ends; every read must answer with every task."""
    answers = 0
    while not job.done():
        assert len(await queries.task_list(reporting.reads, ORG, now=NOW)) == 80
        answers += 1
        await asyncio.sleep(0.01)
    return answers


async def test_a_rebuild_equals_what_the_live_consumer_built_and_old_tables_serve_meanwhile(
        reporting: Reporting, cleanup: None) -> None:
    events = synthetic_program(80, 15, seed=3)
    third = len(events) // 3
    # The live build: in waves, small batches, with a re-sent stretch and an early (held) event.
    await reporting.publish(events[:third])
    await reporting.catch_up()
    await reporting.publish(events[third:2 * third])
    await reporting.publish(events[third // 2:third], resend="again")
    assert (await reporting.catch_up()).stats.duplicates == third - third // 2
    await reporting.publish(events[2 * third + 1:] + events[2 * third:2 * third + 1])
    assert (await reporting.catch_up()).stats.gaps >= 1
    before = await prints(reporting)

    job = asyncio.create_task(rebuild(reporting.nc, reporting.settings))
    assert await read_while(reporting, job) > 0
    result = await job
    assert result.applied == len(events) and result.delivered > len(events)
    assert await prints(reporting) == before


async def test_events_published_during_a_rebuild_reach_the_swapped_tables(reporting: Reporting,
                                                                           cleanup: None) -> None:
    events = synthetic_program(80, 12, seed=5)
    half = len(events) // 2
    await reporting.publish(events[:half])
    stop = asyncio.Event()
    live = reporting_consumer(reporting.nc, reporting.settings)
    running = asyncio.create_task(live.run(stop))
    try:
        await eventually(lambda: _position_is(live, half))
        job = asyncio.create_task(rebuild(reporting.nc, reporting.settings))
        last = (await reporting.publish(events[half:]))[-1]
        await job
        await eventually(lambda: _position_is(live, last), timeout=20)
    finally:
        stop.set()
        await asyncio.wait_for(running, 10)
    await build_schema(reporting.nc, reporting.settings, reporting.settings.db_schema + "_check")
    assert await prints(reporting) == await prints(reporting, reporting.settings.db_schema + "_check")


async def _position_is(consumer: Any, sequence: int) -> bool:
    return bool(consumer.stats.position >= sequence)
