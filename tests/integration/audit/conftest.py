"""The audit on the real PostgreSQL test database (a schema of the test's own) and NATS (a prefix of its own).

`AuditLog` drives the pieces as the processes would (the service writes, the sealer seals and checkpoints)
and tampers with the tables as a database administrator could: with the append-only triggers switched off
for the session (`session_replication_role = replica`), which only a superuser may do.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from psycopg.sql import SQL, Identifier

from commitments.application.batching import CommandBatcher
from commitments.application.commands import Command
from commitments.application.outcomes import Submission
from commitments.application.service import CommitmentsApp
from commitments.audit.application.sealer import Sealer
from commitments.audit.application.service import AuditService
from commitments.audit.bootstrap import build_audit, build_sealer, read_only_app
from commitments.audit.config import AuditSettings
from commitments.audit.domain.checkpoints import SignedCheckpoint
from commitments.audit.domain.findings import Report
from commitments.bootstrap import build_app
from commitments.persistence.signing import EventSigner
from shared.auth.devkeys import ensure_key_pair
from shared.auth.tokens import Principal
from shared.messaging import connect
from tests.unit.audit.conftest import BOARD, OFFICE, STAFF, MovableClock
from tests.unit.commitments.builders import register, report, revise


@pytest.fixture
def settings(database_url: str, nats_url: str, pg_schema: str, subject_prefix: str, tmp_path: Path) -> AuditSettings:
    for name in ("event-signing", "checkpoint"):
        ensure_key_pair(tmp_path / "keys", name)
    return AuditSettings(database_url=database_url, nats_url=nats_url, db_schema=pg_schema,
                         subject_prefix=subject_prefix, state_dir=tmp_path, db_pool_size=4,
                         audit_witness_timeout=3.0)


class AuditLog:
    """The service writing, the sealer sealing, and a way to tamper with the tables."""

    def __init__(self, settings: AuditSettings, writer: CommitmentsApp, sealer: Sealer, conn: psycopg.Connection[Any],
                 audit: AuditService) -> None:
        self.settings, self.writer, self.sealer, self.conn, self.audit = settings, writer, sealer, conn, audit
        self.clock = MovableClock(date_time(2025, 3, 1))
        self.batcher = CommandBatcher(writer, clock=self.clock)
        self.table = Identifier(settings.db_schema, "commitments_events")

    def run(self, command: Command, who: Principal) -> None:
        sub = Submission.of(command, who)
        self.batcher.execute([sub])
        sub.future.result()

    def populate(self, tasks: int = 3, reports: int = 4) -> list[UUID]:
        """Per task: registered, `reports` progress reports, one target revision (tasks × (reports + 2) events)."""
        ids = [uuid4() for _ in range(tasks)]
        for i, task in enumerate(ids):
            self.clock.set(2025, 3, 1 + i, 2)
            self.run(register(task, ref=f"QL-CNDMST-{i + 1:02d}"), OFFICE)
        for step in range(reports):
            for task in ids:
                self.clock.advance(hours=7)
                self.run(report(task, step + 1, as_of=date(2025, 3, 1), period="2025-03"), STAFF)
        for task in ids:
            self.clock.advance(days=1)
            self.run(revise(task, target="ít nhất 8 doanh nghiệp", effective_on=date(2025, 4, 1)), BOARD)
        return ids

    def seal(self) -> int:
        total = 0
        while sealed := self.sealer.seal_batch(self.conn, 1000):
            total += sealed
        return total

    def checkpoint(self) -> SignedCheckpoint:
        self.seal()
        signed = self.sealer.checkpoint(self.conn)
        assert signed is not None
        return signed

    def rows(self) -> list[tuple[int, UUID, int]]:
        """(notification id, task, version) in notification order."""
        return self.conn.execute(SQL("SELECT notification_id, originator_id, originator_version FROM {} "
                                     "ORDER BY notification_id").format(self.table)).fetchall()

    def tamper(self, statement: str, *params: Any) -> int:
        """One statement as a superuser who first switched the append-only triggers off."""
        with psycopg.connect(self.settings.database_url, autocommit=True) as admin:
            admin.execute("SET session_replication_role = replica")
            cursor = admin.execute(SQL(statement).format(events=self.table, schema=Identifier(
                self.settings.db_schema)), params or None)
            return cursor.rowcount

    def verify(self, published: list[SignedCheckpoint] | None = None) -> Report:
        return self.audit.verify(published)


def date_time(*args: int) -> Any:
    from datetime import UTC, datetime

    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


@pytest.fixture
def writer(settings: AuditSettings) -> Iterator[CommitmentsApp]:
    app = build_app(settings, signer=EventSigner.from_file(settings.event_signing_key_path))
    yield app
    app.close()


@pytest.fixture
def audit(settings: AuditSettings, writer: CommitmentsApp) -> Iterator[AuditService]:
    service = build_audit(settings, writer)
    yield service
    service.close()


@pytest.fixture
def log(settings: AuditSettings, writer: CommitmentsApp, audit: AuditService) -> Iterator[AuditLog]:
    reader = read_only_app(settings)
    sealer = build_sealer(settings, reader)
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        sealer.start(conn)
        yield AuditLog(settings, writer, sealer, conn, audit)
    reader.close()


@pytest.fixture
async def js(settings: AuditSettings) -> AsyncIterator[JetStreamContext]:
    nc = await connect(settings.nats_url, "audit-tests", attempts=3)
    stream = f"{settings.subject_prefix.upper()}_AUDIT"
    yield nc.jetstream()
    with contextlib.suppress(NotFoundError):  # the test may not have created it
        await nc.jetstream().delete_stream(stream)
    await nc.close()
