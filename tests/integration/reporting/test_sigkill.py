"""SIGKILL the reporting consumer process mid-stream, several times, and restart it: the read models
then equal a fresh rebuild, and what was redelivered after a kill changed nothing. The process pauses
after every second batch (the fault hook of shared/faults.py) and is killed there: mid-stream by
construction, never by timing."""

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
from tests.faults import FaultPoint
from tests.integration.reporting.conftest import Reporting
from tests.polling import eventually
from tests.unit.reporting.program import synthetic_program

CAMKET = str(Path(sys.executable).parent / "camket")
BATCH, PAUSE_EVERY = 100, 2


class ConsumerProcess:
    """`camket reporting consume` as its own process, on this test's stream and schema, armed to pause
    after every second batch of 100 (shared/faults.py) so each kill lands between two batches of its choosing."""

    def __init__(self, reporting: Reporting, fault: FaultPoint) -> None:
        s = reporting.settings
        self.env = os.environ | {"CAMKET_DATABASE_URL": s.database_url, "CAMKET_NATS_URL": s.nats_url,
                                 "CAMKET_SUBJECT_PREFIX": s.subject_prefix, "CAMKET_REPORTING_DB_SCHEMA": s.db_schema,
                                 "CAMKET_REPORTING_BATCH_SIZE": str(BATCH)}
        self.fault = fault
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, *, armed: bool = True) -> None:
        env = self.env | self.fault.env() if armed else self.env
        self.proc = subprocess.Popen([CAMKET, "reporting", "consume"], env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)

    def signal(self, sig: signal.Signals) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)
        self.proc.wait(15)
        self.proc = None
        self.fault.clear()


@pytest.fixture
def consumer(reporting: Reporting, tmp_path: Path) -> Iterator[ConsumerProcess]:
    process = ConsumerProcess(reporting, FaultPoint(tmp_path / "faults", "consumer", every=PAUSE_EVERY))
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
    published, reached = 0, 0
    for chunk in chunks:  # each chunk: a kill between two batches, the next run picks up where it was
        published = (await reporting.publish(chunk))[-1]
        consumer.start()
        assert await consumer.fault.paused() == PAUSE_EVERY
        now = await position(reporting)
        # Paused after two batches of at most 100 from where the last run's commits ended: strictly
        # further, and not yet at the end of what is on the stream.
        assert reached < now <= reached + PAUSE_EVERY * BATCH < published
        consumer.signal(signal.SIGKILL)
        assert await position(reporting) == now  # the kill lost nothing committed
        reached = now
    consumer.start()  # once let go on from its pause: it pauses again two batches further
    assert await consumer.fault.paused() == PAUSE_EVERY
    consumer.fault.go_on()
    assert await consumer.fault.paused(after=PAUSE_EVERY) == 2 * PAUSE_EVERY
    consumer.signal(signal.SIGKILL)
    consumer.start(armed=False)
    await eventually(lambda: _moved_past(reporting, published - 1), timeout=60)
    consumer.signal(signal.SIGTERM)

    check = reporting.settings.db_schema + "_check"
    try:
        await build_schema(reporting.nc, reporting.settings, check)
        async with await psycopg.AsyncConnection.connect(reporting.settings.database_url, autocommit=True) as conn:
            live, fresh = await fingerprint(conn, reporting.settings.db_schema), await fingerprint(conn, check)
        assert live == fresh, _difference(live, fresh)
        assert len(live["progress_history"]) == len(events)  # nothing applied twice, nothing missing
    finally:
        async with await psycopg.AsyncConnection.connect(reporting.settings.database_url, autocommit=True) as conn:
            await drop_schema(conn, check)


async def _moved_past(reporting: Reporting, sequence: int) -> bool:
    await asyncio.sleep(0.02)
    return await position(reporting) > sequence


def _difference(live: dict[str, list[tuple[object, ...]]], fresh: dict[str, list[tuple[object, ...]]]) -> str:
    """The rows only the live tables hold and those only the rebuild holds, table by table."""
    out = []
    for table in sorted(set(live) | set(fresh)):
        rows_live, rows_fresh = {repr(r) for r in live.get(table, [])}, {repr(r) for r in fresh.get(table, [])}
        only_live, only_fresh = sorted(rows_live - rows_fresh)[:3], sorted(rows_fresh - rows_live)[:3]
        if only_live or only_fresh:
            out.append(f"{table}: live only {only_live}; rebuild only {only_fresh}")
    return "\n".join(out)
