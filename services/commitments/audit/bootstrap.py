"""Wiring of the audit: keys from files, a read-only view of the commitments store, the sealer."""

from __future__ import annotations

from commitments.application.service import CommitmentsApp
from commitments.audit.domain.checkpoints import CheckpointSigner
from commitments.audit.config import AuditSettings
from commitments.audit.adapters.indexer import ChangeIndexer
from commitments.audit.domain.keys import KeyRing, load_private_key, load_public_key, load_ring
from commitments.audit.adapters.schema import AuditTables
from commitments.audit.application.sealer import Sealer
from commitments.audit.adapters.store import AuditStore
from commitments.audit.domain.tlog.note import Signer, Verifier
from commitments.audit.application.tlog.sealing import TransparencyLog, index_then_log
from commitments.audit.adapters.tlog.store import TlogStore
from commitments.audit.adapters.tlog.witness_client import WitnessClient
from commitments.bootstrap import ensure_schema, store_env
from commitments.domain.clock import system_clock


def event_keys(settings: AuditSettings) -> KeyRing:
    return load_ring(settings.event_public_key_paths)


def checkpoint_keys(settings: AuditSettings) -> KeyRing:
    return load_ring([settings.checkpoint_public_key_path])


def read_only_app(settings: AuditSettings) -> CommitmentsApp:
    """The commitments store without the signing key: the audit reads history, it never writes events."""
    ensure_schema(settings.database_url, settings.db_schema)
    return CommitmentsApp(store_env(settings) | {"POSTGRES_POOL_SIZE": "2"}, snapshot_keys=event_keys(settings))


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
