"""The one place that wires the audit: keys from files, a read-only view of the commitments store, the
PostgreSQL, NATS and HTTP adapters behind the use cases' interfaces, the sealer."""

from __future__ import annotations

import threading
from collections.abc import Callable

from commitments.application.service import CommitmentsApp
from commitments.audit.adapters.access_log import AccessLog
from commitments.audit.adapters.database import PooledDatabase
from commitments.audit.adapters.indexer import ChangeIndexer
from commitments.audit.adapters.key_files import load_private_key, load_public_key, load_ring
from commitments.audit.adapters.public_events import ContractEvents
from commitments.audit.adapters.reader import ProgramSummaries, TaskReader
from commitments.audit.adapters.schema import AuditTables
from commitments.audit.adapters.search import ChangeIndex
from commitments.audit.adapters.snapshot_check import SnapshotSignatures
from commitments.audit.adapters.store import AuditStore, Conn
from commitments.audit.adapters.tlog.store import TlogStore
from commitments.audit.adapters.tlog.witness_client import WitnessClient
from commitments.audit.adapters.witness import NatsWitnesses
from commitments.audit.application.sealer import Sealer
from commitments.audit.application.service import AuditService
from commitments.audit.application.tlog.sealing import TransparencyLog, index_then_log
from commitments.audit.application.tlog.verify import LogKeys
from commitments.audit.config import AuditSettings
from commitments.audit.domain.checkpoints import CheckpointSigner
from commitments.audit.domain.keys import KeyRing
from commitments.audit.domain.tlog.note import Signer, Verifier
from commitments.bootstrap import ensure_schema, store_env, task_store
from commitments.config import CommitmentsSettings
from commitments.domain.clock import system_clock
from commitments.observed import record_verification
from shared.subjects import Subjects


def event_keys(settings: AuditSettings) -> KeyRing:
    return load_ring(settings.event_public_key_paths)


def checkpoint_keys(settings: AuditSettings) -> KeyRing:
    return load_ring([settings.checkpoint_public_key_path])


def read_only_app(settings: AuditSettings) -> CommitmentsApp:
    """The commitments store without the signing key: the audit reads history, it never writes events."""
    ensure_schema(settings.database_url, settings.db_schema)
    return task_store(store_env(settings) | {"POSTGRES_POOL_SIZE": "2"}, snapshot_keys=event_keys(settings))


def build_sealer(settings: AuditSettings, app: CommitmentsApp) -> Sealer:
    tables = AuditTables(settings.db_schema)
    key = load_private_key(settings.checkpoint_key_path)
    store, keys = AuditStore(tables), event_keys(settings)
    tlog = TransparencyLog(TlogStore(tables), store, Signer(settings.tlog_origin_line, key))
    witnesses = WitnessClient(TlogStore(tables), tlog_witnesses(settings))
    return Sealer(store, keys, CheckpointSigner(key), org=settings.org, clock=system_clock,
                  indexer=index_then_log(ChangeIndexer(app, tables), tlog),
                  on_checkpoint=lambda conn: (tlog.checkpoint(conn), witnesses.submit(conn)))


def tlog_witnesses(settings: AuditSettings) -> list[tuple[Verifier, str]]:
    return [(Verifier.parse(vkey), url) for vkey, url in settings.tlog_witness_list()]


def tlog_key(settings: AuditSettings) -> Verifier:
    """The log's verifier key: the checkpoint key under the log's origin (its own key id and signed format)."""
    return Verifier(settings.tlog_origin_line, load_public_key(settings.checkpoint_public_key_path))


def log_keys(settings: AuditSettings, checkpoint_ring: KeyRing) -> LogKeys:
    """The log is signed with the checkpoint key: every checkpoint key still trusted is a log key."""
    return LogKeys(log=[Verifier(settings.tlog_origin_line, key) for key in checkpoint_ring.values()],
                   witnesses=[Verifier.parse(vkey) for vkey, _ in settings.tlog_witness_list()],
                   required=settings.tlog_required)


def build_audit(settings: AuditSettings, app: CommitmentsApp) -> AuditService:
    """The audit's use cases over PostgreSQL (a pool opened on first use), NATS and the key files."""
    tables, events, checkpoints = AuditTables(settings.db_schema), event_keys(settings), checkpoint_keys(settings)
    store, tlog = AuditStore(tables), TlogStore(tables)

    def create(conn: Conn) -> None:
        tables.create(conn)
        tlog.create(conn)

    database = PooledDatabase(settings.database_url, create)
    subjects = Subjects(settings.org, settings.subject_prefix)
    return AuditService(
        database=database, store=store, tlog=tlog, reader=TaskReader(app, events), views=app.views,
        public_events=ContractEvents(),
        program=ProgramSummaries(app, settings.org), access=AccessLog(tables), changes=ChangeIndex(tables),
        snapshots=SnapshotSignatures(settings.db_schema, f"{app.name}_snapshots", events),
        witnesses=NatsWitnesses(settings.nats_url, subjects, tables.log_name, settings.audit_witness_timeout),
        event_keys=events, checkpoint_keys=checkpoints, log_keys=log_keys(settings, checkpoints),
        tlog_open=settings.tlog_open, on_verified=record_verification, close=database.close)


class LazyAudit:
    """The audit service of the commitments API, built on first use: it reads key files and opens a pool
    that the service's other routes do not need, so a service started without them still serves those."""

    def __init__(self, build: Callable[[], AuditService], *, owned: bool = True) -> None:
        self._build, self._owned, self._lock = build, owned, threading.Lock()
        self._built: AuditService | None = None

    @classmethod
    def of(cls, settings: CommitmentsSettings, app: CommitmentsApp) -> LazyAudit:
        return cls(lambda: build_audit(AuditSettings(**settings.model_dump()), app))

    @classmethod
    def given(cls, service: AuditService) -> LazyAudit:
        """One built elsewhere (a test's), which its builder closes."""
        return cls(lambda: service, owned=False)

    def __call__(self) -> AuditService:
        with self._lock:
            if self._built is None:
                self._built = self._build()
            return self._built

    def close(self) -> None:
        with self._lock:
            if self._built is not None and self._owned:
                self._built.close()
