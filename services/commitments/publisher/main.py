"""`camket publisher`: the publisher as its own process (never inside the HTTP service)."""

from __future__ import annotations

import asyncio
import logging
import signal
from functools import partial

from commitments.application.service import CommitmentsApp
from commitments.audit.adapters.key_files import load_ring
from commitments.bootstrap import store_env, store_exists, task_store
from commitments.persistence.postgres import PostgresCommitmentsRecorder
from commitments.persistence.signing import EventSigner
from commitments.publisher.config import PublisherSettings
from commitments.publisher.lease import Lease, publisher_lease_name
from commitments.publisher.log import NotificationLog
from commitments.publisher.observed import publisher_probes
from commitments.publisher.position import PositionStore
from commitments.publisher.reader import ProcessReader
from commitments.publisher.service import Publisher, Tuning
from commitments.publisher.traces import CommandTraces
from commitments.publisher.waker import Waker
from shared.observability.logs import setup_logging
from shared.observability.server import OpsServer
from shared.subjects import Subjects
from shared.telemetry import setup_tracing

log = logging.getLogger("commitments.publisher")


def build_publisher(settings: PublisherSettings) -> Publisher:
    subjects = Subjects(settings.org, settings.subject_prefix)
    return Publisher(
        ProcessReader(partial(build_log, settings), settings.read_workers),
        PositionStore(settings.database_url, settings.db_schema, subjects.events_stream),
        Waker(settings.database_url, f"{CommitmentsApp.name}_events"), subjects, settings.nats_url,
        Tuning(window=settings.publish_window, ack_timeout=settings.ack_timeout, idle_check=settings.idle_check,
               replicas=settings.stream_replicas),
        Lease(settings.database_url, publisher_lease_name(subjects.events_stream), poll=settings.lease_poll,
              check=settings.lease_check))


def build_log(settings: PublisherSettings) -> NotificationLog:
    """The notification log as the publisher reads it (in its worker process)."""
    # The publisher only reads: its mapper needs a signer to strip the signature trailers, never to
    # sign, so it gets a throwaway key instead of the service's signing key (least privilege).
    # It creates the store's tables only where they are missing (see bootstrap.store_exists).
    create = "n" if store_exists(settings.database_url, settings.db_schema) else "y"
    # Snapshots are used only with a valid signature of the service, checked with its public key.
    # CAMKET_COMMITMENTS_EVENT_PUBLIC_KEY_FILES
    public = [path for path in settings.event_public_key_paths if path.exists()]
    app = task_store(store_env(settings) | {"CREATE_TABLE": create, "POSTGRES_POOL_SIZE": "2"},
                     signer=EventSigner.generate(), snapshot_keys=load_ring(public) if public else None)
    recorder = app.recorder
    if not isinstance(recorder, PostgresCommitmentsRecorder):
        raise RuntimeError("the publisher follows a PostgreSQL event store (LISTEN/NOTIFY)")
    return NotificationLog(app, Subjects(settings.org, settings.subject_prefix), CommandTraces(recorder))


async def serve(settings: PublisherSettings) -> None:
    publisher = build_publisher(settings)
    ops = OpsServer(publisher_probes(publisher, settings), settings.publisher_metrics_port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await ops.start()
    try:
        await publisher.run(stop)
    finally:
        await ops.stop()
        publisher.close()


def main() -> None:
    settings = PublisherSettings()
    setup_logging("commitments-publisher", settings.log_format)
    setup_tracing("commitments-publisher", settings.otel_exporter, settings.otel_endpoint)
    asyncio.run(serve(settings))
