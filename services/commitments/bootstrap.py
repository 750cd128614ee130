"""The one place that wires the commitments service: settings → store → batcher → verifier.

The store of tasks is the application over one of two task storages, named to the eventsourcing
library by PERSISTENCE_MODULE: PostgreSQL (the service, `store_env`) or memory (`memory_app`, tests).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from eventsourcing.utils import get_topic
from psycopg import sql

from commitments.application.background import BackgroundBatcher
from commitments.application.batching import CommandBatcher
from commitments.application.service import CommitmentsApp
from commitments.application.views import TaskViews
from commitments.config import CommitmentsSettings
from commitments.domain.clock import Clock, system_clock
from commitments.drafts.service import DraftService
from commitments.drafts.store import DraftStore
from commitments.evidence.service import EvidenceService
from commitments.evidence.store import BlobStore
from commitments.integration.translator import translate
from commitments.integration.values import ContractV1Values
from commitments.persistence.memory import MemoryTaskStorage
from commitments.persistence.postgres import PostgresTaskStorage
from commitments.persistence.signing import EventSigner
from shared.auth.tokens import TokenVerifier, verifier_for
from shared.clocks import ShiftedClock
from shared.settings import postgres_env

if TYPE_CHECKING:
    from commitments.audit.bootstrap import LazyAudit


@dataclass
class Container:
    settings: CommitmentsSettings
    app: CommitmentsApp
    batcher: BackgroundBatcher
    verifier: TokenVerifier
    evidence: EvidenceService
    drafts: DraftService
    audit: LazyAudit  # the audit views' service, built on first use
    clock: Clock = system_clock

    def close(self) -> None:
        self.batcher.stop()
        self.audit.close()
        self.evidence.store.close()
        self.drafts.store.close()
        self.app.close()


def store_env(settings: CommitmentsSettings) -> dict[str, str]:
    return postgres_env(settings.database_url, settings.db_schema) | {
        "PERSISTENCE_MODULE": get_topic(PostgresTaskStorage),
        "POSTGRES_POOL_SIZE": str(settings.db_pool_size),
        "POSTGRES_CONN_MAX_AGE": "600",
        # No pre-ping (a round trip per checkout): the library retries a statement whose connection
        # broke, and a write retried after a lost commit is answered from its command record.
    }


def ensure_schema(database_url: str, schema: str) -> None:
    # Another process (the sealer, a replica) may create it at the same instant: IF NOT EXISTS races.
    with psycopg.connect(database_url, autocommit=True) as conn, contextlib.suppress(psycopg.errors.UniqueViolation):
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))


STORE_TABLES = ("commitments_events", "commitments_commands", "commitments_task_summaries", "commitments_snapshots")


def store_exists(database_url: str, schema: str) -> bool:
    """Whether every table of the store is there already. Creating them again is not harmless:
    `CREATE INDEX IF NOT EXISTS` takes a SHARE lock even when the index exists, and deadlocks with a
    writer that holds the events table's EXCLUSIVE lock — a replica starting beside a busy one would."""
    ensure_schema(database_url, schema)
    with psycopg.connect(database_url, autocommit=True) as conn:
        row = conn.execute("SELECT bool_and(to_regclass(format('%%I.%%I', %s::text, t)) IS NOT NULL) "
                           "FROM unnest(%s::text[]) AS t", (schema, list(STORE_TABLES))).fetchone()
    return bool(row and row[0])


def task_store(env: Mapping[str, str], *, signer: EventSigner | None = None,
               snapshot_keys: dict[bytes, Ed25519PublicKey] | None = None) -> CommitmentsApp:
    """The application over the storage `env` names, with the integration's translator and value shapes
    (every store of tasks is built here: the service's, the audit's and the publisher's read-only ones)."""
    return CommitmentsApp(env, views=task_views(), signer=signer, snapshot_keys=snapshot_keys,
                          public_events=translate)


def task_views() -> TaskViews:
    """What the API shows of a task, its values in their contract-v1 JSON shape."""
    return TaskViews(ContractV1Values())


def build_app(settings: CommitmentsSettings, *, signer: EventSigner | None = None) -> CommitmentsApp:
    """The service's store: PostgreSQL, every row signed with the service's key."""
    create = "n" if store_exists(settings.database_url, settings.db_schema) else "y"
    return task_store(store_env(settings) | {"CREATE_TABLE": create}, signer=signer or EventSigner.from_file(
        settings.event_signing_key_path))


def memory_app(*, signer: EventSigner | None = None,
               snapshot_keys: dict[bytes, Ed25519PublicKey] | None = None) -> CommitmentsApp:
    """A store of tasks in memory (unit tests, the offline checks), wired as the service's."""
    return task_store({"PERSISTENCE_MODULE": get_topic(MemoryTaskStorage)}, signer=signer,
                      snapshot_keys=snapshot_keys)


def build_evidence_store(settings: CommitmentsSettings) -> BlobStore:
    if settings.evidence_backend == "s3":
        from commitments.evidence.s3_store import S3BlobStore  # boto3 loads only where it is used

        secret = settings.evidence_s3_secret_access_key
        return S3BlobStore(settings.evidence_s3_bucket, prefix=settings.evidence_s3_prefix,
                           endpoint_url=settings.evidence_s3_endpoint_url, region=settings.evidence_s3_region,
                           access_key_id=settings.evidence_s3_access_key_id,
                           secret_access_key=secret.get_secret_value() if secret else None)
    from commitments.evidence.postgres_store import PostgresBlobStore

    ensure_schema(settings.database_url, settings.db_schema)
    return PostgresBlobStore(settings.database_url, settings.db_schema)


def build(settings: CommitmentsSettings | None = None, *, clock: Clock = system_clock,
          app: CommitmentsApp | None = None, verifier: TokenVerifier | None = None,
          evidence_store: BlobStore | None = None, draft_store: DraftStore | None = None) -> Container:
    settings = settings or CommitmentsSettings()
    if clock is system_clock and settings.demo_now is not None:  # the sandbox's simulated year
        clock = ShiftedClock(settings.demo_now)
    app = app or build_app(settings)
    verifier = verifier or verifier_for(settings)
    batcher = BackgroundBatcher(CommandBatcher(app, clock=clock, shared=settings.workers > 1),
                                max_queued=settings.write_queue_max,
                                wait_seconds=settings.write_wait_seconds)
    evidence = EvidenceService(evidence_store or build_evidence_store(settings), settings.evidence_max_bytes)
    drafts = DraftService(draft_store or build_draft_store(settings), settings.org, clock)
    from commitments.audit.bootstrap import LazyAudit  # deferred: the audit's wiring uses this module's helpers

    return Container(settings=settings, app=app, batcher=batcher, verifier=verifier, evidence=evidence,
                     drafts=drafts, audit=LazyAudit.of(settings, app), clock=clock)


def build_draft_store(settings: CommitmentsSettings) -> DraftStore:
    from commitments.drafts.postgres_store import PostgresDraftStore

    ensure_schema(settings.database_url, settings.db_schema)
    return PostgresDraftStore(settings.database_url, settings.db_schema)
