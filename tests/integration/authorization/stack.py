"""The three services' applications on the real PostgreSQL (schemas of the test's own) with one token
key, each served in process over ASGI; tokens of every role for the authorisation table and the limits.

The reporting read models hold the dashboard scenario (tests/unit/reporting_web/scenario.py); the
notifications store holds two overdue tasks, one of the staff's own unit and one of another unit.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
import psycopg
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from psycopg import sql

import commitments.api.app as commitments_api
import notifications.api.app as notifications_api
import reporting.api.app as reporting_api
from commitments.audit.config import AuditSettings
from commitments.bootstrap import build as build_commitments
from notifications.bootstrap import build as build_notifications
from notifications.config import NotificationsSettings
from notifications.domain.clock import ManualClock
from reporting.bootstrap import build as build_reporting
from reporting.config import ReportingSettings
from reporting.integration.handler import ReportingHandler, install
from shared.auth.devkeys import KEY_NAMES, ensure_key_pair, load_private_key
from shared.auth.tokens import mint_token
from shared.envelope import CloudEvent
from shared.stream_consumer import Delivery
from tests.integration.notifications.conftest import project
from tests.unit.notifications.builders import DUE, Story, days
from tests.unit.reporting.builders import message
from tests.unit.reporting_web.scenario import EVENTS, NOW

OWN_UNIT, OTHER_UNIT = "ql-cndmst", "vp"
# Whose token each column carries: (role, the user's unit). "·other" columns act on another unit's object.
USERS = {"office": ("office", "vp"), "unit_staff": ("unit_staff", OWN_UNIT), "unit_head": ("unit_head", OWN_UNIT),
         "board": ("board", "bgd"), "inspector": ("inspector", "thanh-tra")}


@dataclass
class Stack:
    keys: Path
    commitments: httpx.AsyncClient
    reporting: httpx.AsyncClient
    notifications: httpx.AsyncClient
    apps: dict[str, FastAPI] = field(default_factory=dict)
    alerts: dict[str, str] = field(default_factory=dict)  # unit → an overdue alert's id

    def token(self, role: str) -> str:
        kind, unit = USERS[role]
        return mint_token(load_private_key(self.keys / "keys" / "jwt.pem"), issuer="camket-dev", audience="camket",
                          user_id=f"{kind}.user", name="Nguyễn Thị Hoà", unit=unit, roles=[kind])

    def bearer(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role)}"}

    def client(self, service: str) -> httpx.AsyncClient:
        found: httpx.AsyncClient = getattr(self, service)
        return found

    def token_of(self, role: str, unit: str, user_id: str) -> str:
        return mint_token(load_private_key(self.keys / "keys" / "jwt.pem"), issuer="camket-dev", audience="camket",
                          user_id=user_id, name="Lê Văn Chính", unit=unit, roles=[role])


def wrong_algorithm_token() -> str:
    """Claims we would accept, signed RS256 by a key of another type than ours (PyJWT's TypeError case)."""
    now = int(time.time())
    claims = {"iss": "camket-dev", "aud": "camket", "sub": "x", "name": "X", "unit": "vp", "roles": ["board"],
              "iat": now, "exp": now + 600}
    return jwt.encode(claims, rsa.generate_private_key(public_exponent=65537, key_size=2048), algorithm="RS256")


async def _project_scenario(database_url: str, schema: str) -> None:
    deliveries = []
    for sequence, event in enumerate(EVENTS, start=1):
        subject, headers, data = message(event)
        deliveries.append(Delivery(sequence=sequence, subject=subject, envelope=CloudEvent.from_message(headers, data),
                                   event=event, headers=headers))
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        await install(conn, schema)
        async with conn.transaction():
            await ReportingHandler(schema).apply(conn, deliveries)


def _client(app: Any, name: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{name}")


@asynccontextmanager
async def running_stack(database_url: str, nats_url: str, subject_prefix: str, state: Path) -> AsyncIterator[Stack]:
    for name in KEY_NAMES:
        ensure_key_pair(state / "keys", name)
    schemas = {s: f"t_{s[:3]}_{uuid.uuid4().hex[:8]}" for s in ("commitments", "reporting", "notifications")}
    common: dict[str, Any] = {"database_url": database_url, "nats_url": nats_url, "subject_prefix": subject_prefix,
                              "state_dir": state, "environment": "test"}
    try:
        async with AsyncExitStack() as stack:
            commitments = build_commitments(AuditSettings(**common, db_schema=schemas["commitments"], db_pool_size=4,
                                                          audit_witness_timeout=2.0))
            commitments.batcher.start()
            stack.callback(commitments.close)

            await _project_scenario(database_url, schemas["reporting"])
            reporting = build_reporting(ReportingSettings(**common, db_schema=schemas["reporting"], consume=False))
            reporting_app = reporting_api.create_app(reporting)
            reporting_app.state.clock = lambda: NOW
            await reporting.start()
            stack.push_async_callback(reporting.close)

            clock = ManualClock(DUE - days(40))
            notifications = build_notifications(NotificationsSettings(**common, db_schema=schemas["notifications"],
                                                                      db_pool_size=2), clock=clock)
            await notifications.open()
            stack.push_async_callback(notifications.close)
            stories = [Story(ref="QLCN-02", unit=OWN_UNIT), Story(ref="VP-09", unit=OTHER_UNIT)]
            await project(notifications, [s.registered() for s in stories])
            clock.set(DUE + days(1))
            await notifications.scheduler.tick()

            apps = {"commitments": commitments_api.create_app(commitments), "reporting": reporting_app,
                    "notifications": notifications_api.create_app(notifications)}
            # The dashboard's forms call this commitments application, in process (no port to find).
            reporting_app.state.commitments_transport = httpx.ASGITransport(app=apps["commitments"])
            clients = [await stack.enter_async_context(_client(app, name)) for name, app in apps.items()]
            built = Stack(state, *clients, apps=apps)
            for unit in (OWN_UNIT, OTHER_UNIT):
                found = await built.notifications.get("/api/v1/alerts", params={"unit": unit, "rule": "overdue"},
                                                      headers=built.bearer("office"))
                built.alerts[unit] = found.json()["alerts"][0]["alert_id"]
            yield built
    finally:
        with psycopg.connect(database_url, autocommit=True) as conn:
            for schema in schemas.values():
                conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
