"""The witnesses are read whole and fast, and a verification that cannot reach them does not pass.

Thousands of checkpoints go on the test's own audit stream (its subject prefix); the reader gets every
one of them, in order, past messages that are not checkpoints of this log. NATS on a closed port, or a
NATS server the test stops (SIGSTOP) once connected, leaves the log "not verified": a finding, exit 1.
"""

from __future__ import annotations

import os
import signal
import socket
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from nats.js import JetStreamContext
from typer.testing import CliRunner

from commitments.application.service import CommitmentsApp
from commitments.audit.adapters import witness
from commitments.audit.adapters.key_files import load_private_key
from commitments.audit.bootstrap import build_audit
from commitments.audit.cli.main import audit_app
from commitments.audit.config import AuditSettings
from commitments.audit.domain.checkpoints import CheckpointSigner, SignedCheckpoint
from devstack import NatsServer
from shared.messaging import connect
from shared.subjects import Subjects
from tests.integration.audit.conftest import AuditLog
from tests.integration.audit.test_sealer import env

MANY = 3000


def copies(genuine: SignedCheckpoint, settings: AuditSettings, count: int) -> list[SignedCheckpoint]:
    """`count` validly signed checkpoints of this log, of sizes the log never reached (so none is in the database)."""
    signer = CheckpointSigner(load_private_key(settings.checkpoint_key_path))
    base = genuine.checkpoint
    return [signer.sign(replace(base, tree_size=100_000 + n, issued_at=base.issued_at + timedelta(seconds=n)))
            for n in range(count)]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_thousands_of_checkpoints_are_read_whole_and_compared(log: AuditLog, js: JetStreamContext) -> None:
    log.populate(tasks=1, reports=2)
    genuine = log.checkpoint()
    subjects = Subjects(log.settings.org, log.settings.subject_prefix)
    await witness.ensure_audit_stream(js, subjects)
    published = copies(genuine, log.settings, MANY)
    other_log = replace(genuine.checkpoint, log="another/log")
    await witness.publish(js, subjects, published[:10])
    await js.publish(subjects.checkpoints, b"not a checkpoint", stream=subjects.audit_stream)
    await witness.publish(js, subjects, [CheckpointSigner.generate().sign(other_log), *published[10:], genuine])

    found = await witness.published(js, subjects, log.audit.log_name)
    assert [c.tree_size for c in found] == [c.tree_size for c in published] + [genuine.tree_size]

    copies_read, note = await log.audit.published_checkpoints()
    assert copies_read is not None and len(copies_read) == MANY + 1 and f"{MANY + 1} checkpoints" in note
    report = log.audit.verify(copies_read, note)
    assert report.checkpoints == MANY + 1  # every copy was compared (each is missing from the database)
    assert sum(f.kind == "checkpoint_missing" for f in report.findings) == MANY
    assert log.audit.verify([genuine], "NATS: 1 checkpoint").ok


def test_verify_with_nats_not_reachable_is_not_verified(log: AuditLog, settings: AuditSettings,
                                                        writer: CommitmentsApp) -> None:
    log.populate(tasks=1, reports=1)
    log.checkpoint()
    away = settings.model_copy(update={"nats_url": f"nats://127.0.0.1:{closed_port()}",
                                       "audit_witness_timeout": 1.0})
    result = CliRunner().invoke(audit_app, ["verify"], env=env(away))
    assert result.exit_code == 1, result.output
    assert "CHƯA KIỂM CHỨNG ĐƯỢC / NOT VERIFIED" in result.output and "not reachable" in result.output
    assert CliRunner().invoke(audit_app, ["verify", "--no-witnesses"], env=env(away)).exit_code == 0

    service = build_audit(away, writer)
    try:
        import asyncio

        copies_read, note = asyncio.run(service.published_checkpoints())
        report = service.verify(copies_read, note)
    finally:
        service.close()
    assert copies_read is None and not report.ok and not report.tampered
    assert [f.kind for f in report.findings] == ["witnesses_unreachable"]
    assert report.as_dict()["ok"] is False


async def test_a_nats_server_that_stops_answering_mid_way_is_not_a_pass(
        log: AuditLog, settings: AuditSettings, tmp_path: Path) -> None:
    log.populate(tasks=1, reports=1)
    genuine = log.checkpoint()
    server = NatsServer(store_dir=tmp_path / "nats").start()
    try:
        nc = await connect(server.url, "witness-test", attempts=3)
        await witness.ensure_audit_stream(nc.jetstream(), Subjects(log.settings.org, log.settings.subject_prefix))
        await witness.publish(nc.jetstream(), Subjects(log.settings.org, log.settings.subject_prefix), [genuine])
        await nc.close()
        stalled = settings.model_copy(update={"nats_url": server.url, "audit_witness_timeout": 1.0})
        service = build_audit(stalled, log.writer)
        try:
            copies_read, _ = await service.published_checkpoints()
            assert copies_read is not None and len(copies_read) == 1
            pid = server.running_pid()
            assert pid is not None
            os.kill(pid, signal.SIGSTOP)  # the server accepts connections in the kernel but answers nothing
            try:
                copies_read, note = await service.published_checkpoints()
            finally:
                os.kill(pid, signal.SIGCONT)
            report = service.verify(copies_read, note)
        finally:
            service.close()
        assert copies_read is None and [f.kind for f in report.findings] == ["witnesses_unreachable"]
    finally:
        server.stop()


