"""The whole pipeline in this process, on the real PostgreSQL and NATS, each part as in production:
the commitments API (HTTP, in process) over its PostgreSQL store, the publisher, the reporting
consumer and its pages, the notifications runtime, and the audit sealer with its change index.
The asynchronous parts run in a background event loop of their own, so a test drives the stack
as a client would: a request, then reads of each place the text lands."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Coroutine, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from fastapi.testclient import TestClient
from psycopg import sql

from commitments.api.app import create_app as commitments_api
from commitments.audit.application.sealer import Sealer
from commitments.audit.bootstrap import build_sealer, read_only_app
from commitments.audit.config import AuditSettings
from commitments.bootstrap import build as build_commitments
from commitments.publisher.config import PublisherSettings
from commitments.publisher.main import build_publisher
from notifications.bootstrap import build as build_notifications
from notifications.config import NotificationsSettings
from notifications.integration.runtime import Runtime
from reporting.api.app import create_app as reporting_api
from reporting.bootstrap import build as build_reporting
from reporting.config import ReportingSettings
from reporting.integration.consumer import reporting_consumer
from reporting.integration.handler import install as install_reporting
from shared.auth.devkeys import ensure_key_pair, load_private_key
from shared.auth.tokens import mint_token
from shared.messaging import connect, ensure_all_streams
from shared.subjects import Subjects


class Loop:
    """An event loop in a thread: the services' home while the test's thread plays the client."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, Any], timeout: float = 60) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@dataclass
class Stack:
    audit: AuditSettings
    reporting_settings: ReportingSettings
    database_url: str
    nats_url: str
    schema: str  # commitments store, audit tables; reporting and notifications have `<schema>_r`, `<schema>_n`
    subjects: Subjects
    commitments: TestClient
    reporting: TestClient
    sealer: Sealer
    sealer_conn: psycopg.Connection[Any]
    key_file: Path

    def headers(self, role: str, unit: str) -> dict[str, str]:
        token = mint_token(load_private_key(self.key_file), issuer="camket-dev", audience="camket",
                           user_id=f"{role}.{unit}", name="Nguyễn Văn An", unit=unit, roles=[role])
        return {"Authorization": f"Bearer {token}"}

    def seal(self) -> None:
        while self.sealer.seal_batch(self.sealer_conn, 1000):
            pass

    def query(self, statement: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.database_url) as conn:
            return conn.execute(sql.SQL(statement).format(c=sql.Identifier(self.schema),
                                                          r=sql.Identifier(self.schema + "_r"),
                                                          n=sql.Identifier(self.schema + "_n")), params).fetchall()


@contextmanager
def pipeline(database_url: str, nats_url: str, state: Path) -> Iterator[Stack]:
    for name in ("jwt", "event-signing", "checkpoint"):
        ensure_key_pair(state / "keys", name)
    schema, prefix = f"t_pipe_{uuid.uuid4().hex[:8]}", f"pipe{uuid.uuid4().hex[:8]}"
    common: dict[str, Any] = {"database_url": database_url, "nats_url": nats_url, "subject_prefix": prefix,
                              "state_dir": state}
    audit = AuditSettings(**common, db_schema=schema)
    reporting = ReportingSettings(**common, db_schema=schema + "_r", consume=False, batch_size=50)
    notifications = NotificationsSettings(**common, environment="test", db_schema=schema + "_n", tick_seconds=0.2)
    subjects = Subjects(audit.org, prefix)
    loop, stop = Loop(), asyncio.Event()
    with ExitStack() as stack:
        stack.callback(_drop, database_url, [schema, schema + "_r", schema + "_n"])
        stack.callback(loop.close)
        nc = loop.run(connect(nats_url, "pipeline-tests", attempts=3))
        stack.callback(lambda: loop.run(_close_nats(nc, subjects)))
        loop.run(ensure_all_streams(nc.jetstream(), subjects))
        commitments = stack.enter_context(TestClient(commitments_api(build_commitments(audit))))
        publisher = build_publisher(PublisherSettings(**common, db_schema=schema, ack_timeout=5.0))
        stack.callback(publisher.close)
        jobs = [asyncio.run_coroutine_threadsafe(publisher.run(stop), loop.loop)]
        loop.run(_install_reporting(database_url, reporting.db_schema))
        jobs.append(asyncio.run_coroutine_threadsafe(reporting_consumer(nc, reporting).run(stop), loop.loop))
        container = build_notifications(notifications)
        loop.run(container.open())
        runtime = Runtime(container)
        loop.run(runtime.start())
        stack.callback(lambda: loop.run(container.close()))
        stack.callback(lambda: loop.run(runtime.stop()))
        stack.callback(lambda: [job.result(30) for job in jobs])
        stack.callback(lambda: loop.loop.call_soon_threadsafe(stop.set))
        reader = read_only_app(audit)
        stack.callback(reader.close)
        sealer, conn = build_sealer(audit, reader), stack.enter_context(psycopg.connect(database_url, autocommit=True))
        sealer.start(conn)
        web = stack.enter_context(TestClient(reporting_api(build_reporting(reporting)), follow_redirects=False))
        yield Stack(audit, reporting, database_url, nats_url, schema, subjects, commitments, web, sealer, conn,
                    state / "keys" / "jwt.pem")


async def _install_reporting(database_url: str, schema: str) -> None:
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        await install_reporting(conn, schema)


async def _close_nats(nc: Any, subjects: Subjects) -> None:
    js = nc.jetstream()
    for stream in (subjects.events_stream, subjects.alerts_stream, subjects.audit_stream):
        with suppress(Exception):  # not created by this run: nothing to delete
            await js.delete_stream(stream)
    await nc.close()


def _drop(database_url: str, schemas: list[str]) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        for schema in schemas:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
