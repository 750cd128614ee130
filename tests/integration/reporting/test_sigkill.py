"""SIGKILL the reporting consumer process mid-stream, several times, and restart it: the read models
then equal a fresh rebuild, and what was redelivered after a kill changed nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from reporting.integration.rebuild import build_schema, drop_schema, fingerprint
from tests.integration.reporting.conftest import Reporting
from tests.polling import eventually
from tests.unit.reporting.program import synthetic_program

CAMKET = str(Path(sys.executable).parent / "camket")


class ConsumerProcess:
    """`camket reporting consume` as its own process, on this test's stream and schema."""

    def __init__(self, reporting: Reporting) -> None:
        s = reporting.settings
        self.env = os.environ | {"CAMKET_DATABASE_URL": s.database_url, "CAMKET_NATS_URL": s.nats_url,
                                 "CAMKET_SUBJECT_PREFIX": s.subject_prefix, "CAMKET_REPORTING_DB_SCHEMA": s.db_schema,
                                 "CAMKET_REPORTING_BATCH_SIZE": "100"}
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen([CAMKET, "reporting", "consume"], env=self.env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)

    def signal(self, sig: signal.Signals) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)
        self.proc.wait(15)
        self.proc = None


@pytest.fixture
def consumer(reporting: Reporting) -> Iterator[ConsumerProcess]:
    process = ConsumerProcess(reporting)
    yield process
    if process.proc is not None:
        process.signal(signal.SIGKILL)


async def position(reporting: Reporting) -> int:
    async with await psycopg.AsyncConnection.connect(reporting.settings.database_url, autocommit=True) as conn:
        try:
            cur = await conn.execute(sql.SQL("SELECT max(sequence) FROM {}.stream_positions").format(
                sql.Identifier(reporting.settings.db_schema)))
        except psycopg.errors.UndefinedTable:
            return 0
        row = await cur.fetchone()
        return int(row[0] or 0) if row else 0


async def test_killed_mid_stream_and_restarted_the_read_models_equal_a_fresh_rebuild(
        reporting: Reporting, consumer: ConsumerProcess) -> None:
    events = synthetic_program(300, 16, seed=11)
    chunks = [events[i:i + len(events) // 4] for i in range(0, len(events), len(events) // 4)]
    published, mid_stream = 0, 0
    consumer.start()
    for chunk in chunks:
        published = (await reporting.publish(chunk))[-1]
        reached = await position(reporting)
        await eventually(lambda r=reached: _moved_past(reporting, r), timeout=30)
        consumer.signal(signal.SIGKILL)
        mid_stream += await position(reporting) < published
        consumer.start()
    assert mid_stream >= 2
    await eventually(lambda: _moved_past(reporting, published - 1), timeout=60)
    consumer.signal(signal.SIGTERM)

    check = reporting.settings.db_schema + "_check"
    try:
        await build_schema(reporting.nc, reporting.settings, check)
        async with await psycopg.AsyncConnection.connect(reporting.settings.database_url, autocommit=True) as conn:
            live, fresh = await fingerprint(conn, reporting.settings.db_schema), await fingerprint(conn, check)
        assert live == fresh
        assert len(live["progress_history"]) == len(events)  # nothing applied twice, nothing missing
    finally:
        async with await psycopg.AsyncConnection.connect(reporting.settings.database_url, autocommit=True) as conn:
            await drop_schema(conn, check)


async def _moved_past(reporting: Reporting, sequence: int) -> bool:
    await asyncio.sleep(0.02)
    return await position(reporting) > sequence
