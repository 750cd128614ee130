"""A training sandbox in this process, on the real PostgreSQL and NATS: throwaway schemas named
demo_* and a subject prefix of their own; the publisher, the reporting consumer (its API in demo
mode, its clock at the simulated now) and the notifications runtime (its clock shifted there too)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from commitments.bootstrap import build_app
from commitments.config import CommitmentsSettings
from commitments.demo.runner import DEFAULT_NOW
from commitments.publisher.config import PublisherSettings
from commitments.publisher.main import build_publisher
from notifications.bootstrap import build as build_notifications
from notifications.config import NotificationsSettings
from notifications.integration.runtime import Runtime
from reporting.api.app import create_app as reporting_api
from reporting.bootstrap import build as build_reporting
from reporting.config import ReportingSettings
from reporting.integration.consumer import reporting_consumer
from shared.auth.devkeys import ensure_key_pair
from shared.messaging import connect, ensure_all_streams
from shared.subjects import Subjects
from shared.vn import local_instant
from tests.integration.pipeline.stack import Loop, _close_nats, _drop, _install_reporting

NOW = local_instant(DEFAULT_NOW, time(17, 0)).astimezone(UTC)  # the sandbox's "now": the demo's last day


@dataclass
class Sandbox:
    settings: CommitmentsSettings
    schema: str
    subjects: Subjects
    reporting: TestClient
    loop: Loop
    notifications_db: Any



@contextmanager
def sandbox(database_url: str, nats_url: str, state: Path) -> Iterator[tuple[Sandbox, Any]]:
    for name in ("jwt", "event-signing", "checkpoint"):
        ensure_key_pair(state / "keys", name)
    tag = uuid.uuid4().hex[:8]
    schema, prefix = f"demo_t{tag}", f"demot{tag}"
    common: dict[str, Any] = {"database_url": database_url, "nats_url": nats_url, "subject_prefix": prefix,
                              "state_dir": state}
    settings = CommitmentsSettings(**common, db_schema=schema)
    reporting = ReportingSettings(**common, db_schema=schema + "_r", consume=False, demo=True, demo_now=NOW)
    notifications = NotificationsSettings(**common, environment="test", db_schema=schema + "_n", tick_seconds=0.2,
                                          fake_now=NOW)
    subjects = Subjects(settings.org, prefix)
    loop, stop = Loop(), asyncio.Event()
    with ExitStack() as stack:
        stack.callback(_drop, database_url, [schema, schema + "_r", schema + "_n"])
        stack.callback(loop.close)
        nc = loop.run(connect(nats_url, "demo-tests", attempts=3))
        stack.callback(lambda: loop.run(_close_nats(nc, subjects)))
        loop.run(ensure_all_streams(nc.jetstream(), subjects))
        app = build_app(settings)
        stack.callback(app.close)
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
        web = stack.enter_context(TestClient(reporting_api(build_reporting(reporting)), follow_redirects=False))
        yield Sandbox(settings, schema, subjects, web, loop, container.db), app
