"""The audit's questions, for the HTTP routes and the CLI alike: views, search, verification, export."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from commitments.application.service import CommitmentsApp
from commitments.audit.domain import access
from commitments.audit.application import history
from commitments.audit.adapters import search
from commitments.audit.application import timetravel
from commitments.audit.adapters import witness
from commitments.audit.application.bundle import BundleExporter, Scope
from commitments.audit.domain.checkpoints import SignedCheckpoint
from commitments.audit.config import AuditSettings
from commitments.audit.domain.findings import Finding, Report
from commitments.audit.domain.keys import KeyRing
from commitments.audit.adapters.reader import TaskReader
from commitments.audit.adapters.schema import AuditTables
from commitments.audit.adapters.snapshot_check import snapshot_findings
from commitments.audit.domain.sources import merge_checkpoints
from commitments.audit.adapters.store import AuditStore, Conn
from commitments.audit.application.tlog.bundle import TlogScope, export_bundle
from commitments.audit.adapters.tlog.store import TlogStore
from commitments.audit.application.tlog.verify import LogReport, verify_configured
from commitments.audit.domain.verification import LogVerifier
from commitments.observed import record_verification
from shared.auth.tokens import Principal
from shared.messaging import connect
from shared.periods import ReportingPeriod
from shared.subjects import Subjects

log = logging.getLogger(__name__)


class AuditService:
    def __init__(self, settings: AuditSettings, app: CommitmentsApp, event_keys: KeyRing,
                 checkpoint_keys: KeyRing) -> None:
        self.settings, self.app = settings, app
        self.event_keys, self.checkpoint_keys = event_keys, checkpoint_keys
        self.tables = AuditTables(settings.db_schema)
        self.store = AuditStore(self.tables)
        self.reader = TaskReader(app, event_keys)
        self.subjects = Subjects(settings.org, settings.subject_prefix)
        self._pool = ConnectionPool(settings.database_url, min_size=1, max_size=4, open=False,
                                    kwargs={"autocommit": True})
        self._ready = False

    @contextmanager
    def connection(self) -> Iterator[Conn]:
        if not self._ready:
            self._pool.open(wait=True, timeout=10)
        with self._pool.connection() as conn:
            if not self._ready:
                self.tables.create(conn)
                TlogStore(self.tables).create(conn)
                self._ready = True
            yield conn

    @contextmanager
    def snapshot(self) -> Iterator[Conn]:
        """One consistent view of rows, seals and checkpoints (the sealer may be writing meanwhile)."""
        with self.connection() as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield conn

    def verify_tlog(self, conn: Conn) -> LogReport:
        """The transparency log's part of the verification, in the caller's snapshot (see tlog/verify.py)."""
        return verify_configured(conn, self.settings, self.tables, self.store, self.checkpoint_keys)

    def close(self) -> None:
        self._pool.close()

    # --- views ---------------------------------------------------------------------------------

    def history(self, task_id: UUID, after: int = 0, limit: int | None = None) -> dict[str, Any]:
        return history.task_history(self.reader, task_id, after=after, limit=limit)

    def as_of(self, task_id: UUID, instant: datetime) -> dict[str, Any]:
        return timetravel.task_as_of(self.reader, task_id, instant)

    def reported_for(self, task_id: UUID, period: ReportingPeriod) -> dict[str, Any]:
        return timetravel.reported_for(self.reader, task_id, period)

    def program_as_of(self, day: date, program_year: int | None = None) -> dict[str, Any]:
        summaries = self.app.store.list_summaries(self.settings.org, program_year)
        return timetravel.program_as_of(self.reader, summaries, day) | {"program_year": program_year}

    def search(self, query: search.ChangeQuery) -> dict[str, Any]:
        with self.connection() as conn:
            return search.search_changes(conn, self.tables, query)

    def checkpoints(self) -> list[dict[str, Any]]:
        with self.connection() as conn:
            parsed = [(s, s.parse()) for s in self.store.checkpoints(conn)]
        return [{"tree_size": s.tree_size, "valid": c is not None and c.verify(self.checkpoint_keys),
                 "document": c.document() if c else None} for s, c in parsed]

    # --- the access log -------------------------------------------------------------------------

    def record_access(self, principal: Principal, view: str, subject: str | None, query: dict[str, Any],
                      outcome: int, raw_query: bytes = b"") -> None:
        with self.connection() as conn:
            access.record_access(conn, self.tables, principal, view=view, subject=subject, query=query,
                                 outcome=outcome, raw_query=raw_query)

    def access_log(self, user: str | None = None, since: datetime | None = None, before_id: int | None = None,
                   limit: int = 100) -> list[dict[str, Any]]:
        with self.connection() as conn:
            return access.access_entries(conn, self.tables, user=user, since=since, before_id=before_id,
                                         limit=limit)

    # --- verification and export ----------------------------------------------------------------

    async def published_checkpoints(self) -> tuple[list[SignedCheckpoint] | None, str]:
        """What the witnesses hold (the NATS audit stream), read whole; (None, why) if NATS cannot be reached
        or stops answering — `verify` then reports the log as not verified, never as intact."""
        wait = self.settings.audit_witness_timeout  # for the connection and for each next message, not in all
        try:
            async with asyncio.timeout(wait):
                nc = await connect(self.settings.nats_url, "camket-audit-verify", attempts=1)
        except Exception as error:
            log.warning("NATS witnesses not reachable: %s", error)
            return None, f"NATS {self.settings.nats_url}: not reachable ({type(error).__name__})"
        try:
            found = await witness.published(nc.jetstream(), self.subjects, self.tables.log_name, idle=wait)
        except Exception as error:
            log.warning("NATS witnesses stopped answering: %s", error)
            return None, f"NATS {self.settings.nats_url}: stopped answering while the checkpoints were read " \
                         f"({type(error).__name__})"
        finally:
            await nc.close()
        return found, f"NATS {self.subjects.audit_stream} {self.subjects.checkpoints}: {len(found)} checkpoints"

    def verify(self, published: list[SignedCheckpoint] | None = None, witness_note: str | None = None) -> Report:
        """Call `published_checkpoints` first: a checkpoint published after this snapshot would look truncated.

        A note without copies (`published` None) says the witnesses were asked but not reached: a finding.
        """
        with self.snapshot() as conn:
            stored = self.store.checkpoints(conn)
            checkpoints, findings = merge_checkpoints(stored, published or [], self.checkpoint_keys,
                                                      self.tables.log_name)
            verifier = LogVerifier(
                self.store.seal_records(conn), checkpoints, self.event_keys,
                locate=lambda task, version: self.store.find_event(conn, task, version),
                fetch=lambda ids: {n: r.encode() for n, r in self.store.rows_by_id(conn, ids).items()})
            report = verifier.run(self.store.row_batches(conn))
            report.snapshots_checked, forged_snapshots = snapshot_findings(
                conn, self.settings.db_schema, f"{self.app.name}_snapshots", self.event_keys)
            report.access_log_rows, access_findings = access.verify_chain(conn, self.tables)
            tlog = self.verify_tlog(conn)
        report.findings += forged_snapshots
        report.findings[:0] = findings
        report.findings.extend(access_findings)
        report.findings.extend(Finding(kind, detail) for kind, detail in tlog.problems)
        if published is None and witness_note is not None:
            report.findings.insert(0, Finding("witnesses_unreachable", witness_note))
        report.witnesses = [f"database: {len(stored)} checkpoints", *([witness_note] if witness_note else []),
                            tlog.summary()]
        record_verification(report.ok)
        return report

    def export(self, scope: Scope) -> dict[str, Any]:
        with self.snapshot() as conn:
            return BundleExporter(self.store, self.checkpoint_keys).export(conn, scope)

    def tlog_export(self, scope: TlogScope) -> dict[str, Any]:
        with self.snapshot() as conn:
            return export_bundle(conn, TlogStore(self.tables), self.store, scope)
