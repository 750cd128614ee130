"""The sealer against what it cannot control: its database connection killed under it (it waits,
reconnects and carries on), and hostile text in the events it seals (the change index stores it as
shared.storable says; the log and `verify` are never held up)."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import uuid4

import psycopg
from psycopg.sql import SQL, Identifier

from commitments.audit.adapters.runner import SealerProcess
from commitments.audit.bootstrap import build_sealer, read_only_app
from commitments.audit.config import AuditSettings
from tests.integration.audit.conftest import AuditLog
from tests.polling import eventually
from tests.unit.audit.conftest import OFFICE, STAFF
from tests.unit.commitments.builders import register, report

HOSTILE = ["bad\x00note", "tab\x0bdọc", "abc\u202edef", "x\uffff", '=HYPERLINK("http://x")', "+1", "@SUM(A1)",
           "\t=1", "\r=1", "dài " * 5_000]


def sealed(settings: AuditSettings) -> int:
    with psycopg.connect(settings.database_url) as conn:
        row = conn.execute(SQL("SELECT count(*) FROM {}").format(
            Identifier(settings.db_schema, "audit_seals"))).fetchone()
        return int(row[0]) if row else 0


async def has_sealed(settings: AuditSettings, count: int) -> bool:
    return await asyncio.to_thread(sealed, settings) == count


def terminate(settings: AuditSettings, application: str) -> int:
    with psycopg.connect(settings.database_url, autocommit=True) as admin:
        rows = admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
                             [application]).fetchall()
        return len(rows)


async def test_the_sealer_carries_on_after_its_connection_is_killed(log: AuditLog, settings: AuditSettings) -> None:
    log.conn.close()  # the test's own sealer steps aside: one sealer per log
    application = f"sealer-{uuid4().hex[:8]}"
    fast = settings.model_copy(update={"audit_poll_seconds": 0.05, "audit_checkpoint_seconds": 0.2,
                                       "database_url": f"{settings.database_url}?application_name={application}"})
    reader = read_only_app(settings)
    process = SealerProcess(fast, build_sealer(fast, reader))
    stop = asyncio.Event()
    running = asyncio.create_task(process.run(stop))
    try:
        await asyncio.to_thread(log.populate, 1, 2)  # 4 events
        await eventually(lambda: has_sealed(settings, 4), timeout=20)
        # The point this test chose: the sealer's next moment holding a connection (between polls it
        # may hold none, and a machine under load widens that gap).
        await eventually(lambda: asyncio.to_thread(terminate, settings, application), timeout=20)

        await asyncio.to_thread(log.populate, 1, 2)
        await eventually(lambda: has_sealed(settings, 8), timeout=30)
        assert not running.done() and process.retries >= 1
    finally:
        stop.set()
        await asyncio.wait_for(running, 30)
        reader.close()
    assert log.verify().ok


def test_hostile_text_in_the_store_is_sealed_indexed_and_verified(log: AuditLog, settings: AuditSettings) -> None:
    task = uuid4()
    # (A NUL in a registration never reached the store: the write side's own summary refused it.)
    log.run(register(task, title="=cmd|' /C calc'!A0", description="\u202eevil"), OFFICE)
    for i, note in enumerate(HOSTILE, start=1):
        log.run(report(task, i, note=note, evidence=(note[:100],)), STAFF)  # through the application: no API check
    log.checkpoint()
    assert sealed(settings) == 1 + len(HOSTILE)
    assert log.verify().ok
    with psycopg.connect(settings.database_url) as conn:
        rows: list[Any] = conn.execute(SQL("SELECT version, event->>'note', event FROM {} WHERE task_id = %s "
                                           "ORDER BY version").format(Identifier(settings.db_schema, "audit_changes")),
                                       [task]).fetchall()
    assert [r[0] for r in rows] == list(range(1, len(HOSTILE) + 2))  # every change indexed, none left out
    assert rows[0][2]["description"] == "\u202eevil" and rows[0][2]["title"] == "=cmd|' /C calc'!A0"
    expected = [note.strip().replace("\x00", "\u2400") for note in HOSTILE]  # the domain trims notes
    assert [r[1] for r in rows[1:]] == expected
    assert log.sealer.indexer is not None
