"""The sealer as a process: it follows the log, checkpoints, publishes on NATS; one per log; it will not
extend seal records that no longer match its own checkpoint."""

from __future__ import annotations

import asyncio

import psycopg
import pytest
from nats.js import JetStreamContext
from typer.testing import CliRunner

from commitments.audit.adapters import witness
from commitments.audit.adapters.runner import SealerProcess
from commitments.audit.application.sealer import SealerRefused
from commitments.audit.bootstrap import build_sealer, read_only_app
from commitments.audit.cli.main import audit_app
from commitments.audit.config import AuditSettings
from tests.integration.audit.conftest import AuditLog


def env(settings: AuditSettings) -> dict[str, str]:
    return {"CAMKET_DATABASE_URL": settings.database_url, "CAMKET_COMMITMENTS_DB_SCHEMA": settings.db_schema,
            "CAMKET_STATE_DIR": str(settings.state_dir), "CAMKET_NATS_URL": settings.nats_url,
            "CAMKET_SUBJECT_PREFIX": settings.subject_prefix}


async def test_the_running_sealer_checkpoints_publishes_and_verify_agrees(
        log: AuditLog, settings: AuditSettings, js: JetStreamContext) -> None:
    log.conn.close()  # the test's own sealer steps aside: one sealer per log
    fast = settings.model_copy(update={"audit_poll_seconds": 0.05, "audit_checkpoint_seconds": 0.2})
    reader = read_only_app(fast)
    process = SealerProcess(fast, build_sealer(fast, reader))
    stop = asyncio.Event()
    running = asyncio.create_task(process.run(stop))
    try:
        await asyncio.to_thread(log.populate, 2, 2)
        for _ in range(100):
            published = await witness.published(js, process.subjects, log.audit.log_name)
            if published and published[-1].tree_size == 8:
                break
            await asyncio.sleep(0.1)
        assert published and published[-1].tree_size == 8
    finally:
        stop.set()
        await running
        reader.close()
    result = await asyncio.to_thread(CliRunner().invoke, audit_app, ["verify"], env=env(settings))
    assert result.exit_code == 0, result.output
    assert "TOÀN VẸN / INTACT" in result.output and "NATS" in result.output
    entries = log.audit.access_log()
    assert entries[0]["view"] == "verify" and entries[0]["user_id"].startswith("cli:")


def test_verify_exits_1_when_the_log_was_changed(log: AuditLog, settings: AuditSettings) -> None:
    log.populate(tasks=1, reports=1)
    log.checkpoint()
    log.tamper("UPDATE {events} SET state = state || '\\x00'::bytea WHERE notification_id = "
               "(SELECT min(notification_id) FROM {events})")
    result = CliRunner().invoke(audit_app, ["verify", "--no-witnesses"], env=env(settings))
    assert result.exit_code == 1
    assert "FIRST CHANGE: edited at position 0" in result.output


def test_one_sealer_per_log(log: AuditLog, settings: AuditSettings) -> None:
    reader = read_only_app(settings)
    try:
        with psycopg.connect(settings.database_url, autocommit=True) as conn, pytest.raises(
                SealerRefused, match="another sealer"):
            build_sealer(settings, reader).start(conn)
    finally:
        reader.close()


def test_the_sealer_will_not_extend_seal_records_that_no_longer_match_its_checkpoint(
        log: AuditLog, settings: AuditSettings) -> None:
    log.populate(tasks=1, reports=1)
    log.checkpoint()
    log.conn.close()
    log.tamper("UPDATE {schema}.audit_seals SET chain = sha256(chain) WHERE position = 1")
    reader = read_only_app(settings)
    try:
        with psycopg.connect(settings.database_url, autocommit=True) as conn, pytest.raises(
                SealerRefused, match="no longer match"):
            build_sealer(settings, reader).start(conn)
    finally:
        reader.close()
