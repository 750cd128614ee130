"""The audit's questions, for the HTTP routes and the CLI alike: views, search, verification, export.

Each method is one use case over the interfaces of `ports.py`; `audit/bootstrap.py` builds the service
with the PostgreSQL, NATS and file adapters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from commitments.application.views import TaskViews
from commitments.audit.application import history, timetravel
from commitments.audit.application.bundle import BundleExporter
from commitments.audit.application.ports import (
    AccessLog,
    AuditStore,
    ChangeQuery,
    ChangeSearch,
    Conn,
    Database,
    ProgramTasks,
    PublicEvents,
    PublishedCheckpoints,
    SnapshotCheck,
    TaskReader,
    TlogStore,
)
from commitments.audit.application.tlog import reading
from commitments.audit.application.tlog.bundle import export_bundle
from commitments.audit.application.tlog.verify import LogCheck, LogKeys, LogReport, verify_with
from commitments.audit.domain.bundle_format import Scope
from commitments.audit.domain.checkpoints import SignedCheckpoint
from commitments.audit.domain.findings import Finding, Report
from commitments.audit.domain.keys import KeyRing
from commitments.audit.domain.sources import merge_checkpoints
from commitments.audit.domain.tlog import tiles
from commitments.audit.domain.tlog.checkpoint import parse_body
from commitments.audit.domain.tlog.scope import TlogScope
from commitments.audit.domain.verification import LogVerifier
from shared.auth.tokens import Principal
from shared.periods import ReportingPeriod


@dataclass
class AuditService:
    database: Database
    store: AuditStore
    tlog: TlogStore
    reader: TaskReader
    views: TaskViews  # how the API shows a task (the commitments application's)
    public_events: PublicEvents
    program: ProgramTasks
    access: AccessLog
    changes: ChangeSearch
    snapshots: SnapshotCheck
    witnesses: PublishedCheckpoints
    event_keys: KeyRing
    checkpoint_keys: KeyRing
    log_keys: LogKeys
    tlog_open: bool  # /tlog/ is served without a token
    on_verified: Callable[[bool], None]  # the verification's outcome, for the metrics
    close: Callable[[], None]

    @property
    def log_name(self) -> str:
        return self.store.log_name

    # --- views ---------------------------------------------------------------------------------

    def history(self, task_id: UUID, after: int = 0, limit: int | None = None) -> dict[str, Any]:
        return history.task_history(self.reader, self.views, self.public_events, task_id, after=after, limit=limit)

    def as_of(self, task_id: UUID, instant: datetime) -> dict[str, Any]:
        return timetravel.task_as_of(self.reader, self.views, task_id, instant)

    def reported_for(self, task_id: UUID, period: ReportingPeriod) -> dict[str, Any]:
        return timetravel.reported_for(self.reader, self.views, self.public_events, task_id, period)

    def program_as_of(self, day: date, program_year: int | None = None) -> dict[str, Any]:
        tasks = self.program.task_ids(program_year)
        return timetravel.program_as_of(self.reader, tasks, day) | {"program_year": program_year}

    def search(self, query: ChangeQuery) -> dict[str, Any]:
        with self.database.connection() as conn:
            return self.changes.search(conn, query)

    def checkpoints(self) -> list[dict[str, Any]]:
        with self.database.connection() as conn:
            parsed = [(s, s.parse()) for s in self.store.checkpoints(conn)]
        return [{"tree_size": s.tree_size, "valid": c is not None and c.verify(self.checkpoint_keys),
                 "document": c.document() if c else None} for s, c in parsed]

    # --- the transparency log's files (served only up to the latest signed checkpoint) ---------

    def tlog_checkpoint(self) -> str | None:
        with self.database.connection() as conn:
            note = reading.checkpoint_note(self.tlog, conn)
            return None if note is None else note.text()

    def tlog_tile(self, wanted: tiles.Tile) -> bytes | None:
        with self.database.connection() as conn:
            note = reading.checkpoint_note(self.tlog, conn)
            return None if note is None else reading.tile_bytes(self.tlog, conn, wanted, parse_body(note.body).size)

    # --- the access log -------------------------------------------------------------------------

    def record_access(self, principal: Principal, view: str, subject: str | None, query: dict[str, Any],
                      outcome: int, raw_query: bytes = b"") -> None:
        with self.database.connection() as conn:
            self.access.record(conn, principal, view=view, subject=subject, query=query, outcome=outcome,
                               raw_query=raw_query)

    def access_log(self, user: str | None = None, since: datetime | None = None, before_id: int | None = None,
                   limit: int = 100) -> list[dict[str, Any]]:
        with self.database.connection() as conn:
            return self.access.entries(conn, user=user, since=since, before_id=before_id, limit=limit)

    # --- verification and export ----------------------------------------------------------------

    async def published_checkpoints(self) -> tuple[list[SignedCheckpoint] | None, str]:
        """What the witnesses hold; (None, why) if they cannot be reached — `verify` then reports the log as
        not verified, never as intact."""
        return await self.witnesses.read()

    def verify_tlog(self, conn: Conn) -> LogReport:
        """The transparency log's part of the verification, in the caller's snapshot (see tlog/verify.py)."""
        return verify_with(conn, self.tlog, self.store, self.log_keys)

    def verify(self, published: list[SignedCheckpoint] | None = None, witness_note: str | None = None) -> Report:
        """Call `published_checkpoints` first: a checkpoint published after this snapshot would look truncated.

        A note without copies (`published` None) says the witnesses were asked but not reached: a finding.
        """
        with self.database.snapshot() as conn:
            stored = self.store.checkpoints(conn)
            checkpoints, findings = merge_checkpoints(stored, published or [], self.checkpoint_keys, self.log_name)
            verifier = LogVerifier(
                self.store.seal_records(conn), checkpoints, self.event_keys,
                locate=lambda task, version: self.store.find_event(conn, task, version),
                fetch=lambda ids: {n: r.encode() for n, r in self.store.rows_by_id(conn, ids).items()})
            keys = self.log_keys
            log = LogCheck(conn, self.tlog, keys.log, keys.required)  # fed by the chain's pass: one read of the rows
            report = verifier.run(log.passing(self.store.log_batches(conn, self.tlog.entries)))
            tlog = log.finish(conn, self.tlog, keys.witnesses)
            report.snapshots_checked, forged_snapshots = self.snapshots.findings(conn)
            report.access_log_rows, access_findings = self.access.verify_chain(conn)
        report.findings += forged_snapshots
        report.findings[:0] = findings
        report.findings.extend(access_findings)
        report.findings.extend(Finding(kind, detail) for kind, detail in tlog.problems)
        if published is None and witness_note is not None:
            report.findings.insert(0, Finding("witnesses_unreachable", witness_note))
        report.witnesses = [f"database: {len(stored)} checkpoints", *([witness_note] if witness_note else []),
                            tlog.summary()]
        self.on_verified(report.ok)
        return report

    def export(self, scope: Scope) -> dict[str, Any]:
        with self.database.snapshot() as conn:
            return BundleExporter(self.store, self.checkpoint_keys).export(conn, scope)

    def tlog_export(self, scope: TlogScope) -> dict[str, Any]:
        with self.database.snapshot() as conn:
            return export_bundle(conn, self.tlog, self.store, scope)
