"""Two sealers on one log (two replicas): the second stands by while the first works, seals nothing,
and takes over when the first stops — the log stays one chain that verifies."""

from __future__ import annotations

import asyncio

from commitments.audit.adapters.runner import SealerProcess
from commitments.audit.bootstrap import build_sealer, read_only_app
from commitments.audit.config import AuditSettings
from tests.integration.audit.conftest import AuditLog
from tests.integration.audit.test_sealer_resilience import has_sealed
from tests.polling import eventually


async def test_a_second_sealer_stands_by_then_takes_over(log: AuditLog, settings: AuditSettings) -> None:
    log.conn.close()  # the fixture's own sealer steps aside
    fast = settings.model_copy(update={"audit_poll_seconds": 0.05, "audit_checkpoint_seconds": 0.2,
                                       "audit_standby_poll_seconds": 0.1})
    readers = [read_only_app(settings), read_only_app(settings)]
    first, second = (SealerProcess(fast, build_sealer(fast, reader)) for reader in readers)
    stop_first, stop_second = asyncio.Event(), asyncio.Event()
    running = [asyncio.create_task(first.run(stop_first))]
    try:
        await asyncio.to_thread(log.populate, 1, 2)  # 4 events
        await eventually(lambda: has_sealed(settings, 4), timeout=20)
        running.append(asyncio.create_task(second.run(stop_second)))
        await eventually(lambda: _true(second.standing_by), timeout=20)
        assert not running[1].done() and second.sealer.tree.size == 0  # waits, seals nothing

        stop_first.set()  # the first replica ends (a rolling update, a drained node)
        await asyncio.wait_for(running[0], 30)
        await asyncio.to_thread(log.populate, 1, 2)
        await eventually(lambda: has_sealed(settings, 8), timeout=30)
        assert not second.standing_by and not running[1].done()
    finally:
        stop_first.set()
        stop_second.set()
        await asyncio.wait_for(asyncio.gather(*running), 30)
        for reader in readers:
            reader.close()
    assert log.verify().ok


async def _true(value: bool) -> bool:
    return value
