"""SIGKILL of the notifications process mid-processing loses and duplicates nothing.

A backlog of task events (contracts v1, CloudEvents) waits on the test's own stream; the service
runs as a subprocess (`camket serve notifications`, its clock started at a fixed instant) and is
killed with SIGKILL while it consumes, and again while it fires and publishes alerts. After the
last restart the stored facts, the alerts and the alerts stream must be exactly what the pure
rules say for those events: every alert once, nothing missing, nothing twice.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import UUID

import httpx
import psycopg
import pytest
from nats.aio.client import Client
from psycopg import sql

from notifications.config import NotificationsSettings
from notifications.domain.facts import TaskFacts
from notifications.domain.rules import firings_at
from shared.catalog import organisation
from shared.contracts.v1 import TaskEventV1
from shared.subjects import Subjects
from shared.vn import end_of_day
from tests.faults import FaultPoint
from tests.integration.notifications.conftest import publish
from tests.unit.notifications.builders import REGISTERED, Story, applied, days, fired

NOW = datetime(2025, 5, 15, 12, 0, tzinfo=UTC)  # the service's clock starts here
TASKS = 800
Key = tuple[str, UUID, str]


def story_events(rnd: random.Random, i: int) -> list[TaskEventV1]:
    units = [u.code for u in organisation().task_owners]
    month = rnd.randint(3, 12)
    story = Story(ref=f"K-{i:04d}", unit=rnd.choice(units), due_at=end_of_day(date(2025, month, 28)))
    at = REGISTERED + days(rnd.uniform(0, 5))
    events: list[TaskEventV1] = [story.registered(at)]
    value = 0.0
    for _ in range(rnd.randint(0, 3)):
        at += days(rnd.uniform(5, 30))
        value += rnd.choice([0.5, 1.0, 2.0, 3.0])
        events.append(story.reported(value, at))
    roll = rnd.random()
    at += days(rnd.uniform(0.5, 3))
    if roll < 0.15:
        later = story.due_at + days(rnd.choice([0, 61]))
        events.append(story.revised(at, new_minimum=rnd.choice([6, 8]), new_due=later))
    elif roll < 0.2:
        events.append(story.reassigned(at, rnd.choice([u for u in units if u != story.unit])))
    elif roll < 0.25:
        events.append(story.cancelled(at))
    elif roll < 0.35:
        events.append(story.completion_requested(at, at.date()))
    return [e for e in events if e.recorded_at < NOW - days(1)]


def expected(events: list[TaskEventV1], now: datetime) -> tuple[dict[UUID, TaskFacts], set[Key]]:
    """The pure rules' verdict on the same events: the facts, and every alert (rule, task, key)."""
    facts: dict[UUID, TaskFacts] = {}
    alerts: set[Key] = set()
    cfg = NotificationsSettings().rule_defaults
    for e in events:
        after = applied(facts.get(e.task_id), e)
        assert after is not None
        facts[e.task_id] = after
        alerts |= {(f.rule.value, e.task_id, f.key) for f in fired(e)}
    for f in facts.values():
        alerts |= {(x.rule.value, f.task_id, x.key) for x in firings_at(f, now, cfg)}
    return facts, alerts


class Service:
    """`camket serve notifications` as a child process of the test's own."""

    def __init__(self, settings: NotificationsSettings, port: int, log: Path) -> None:
        self.port, self.log = port, log
        self.env = os.environ | {
            "CAMKET_ENVIRONMENT": "test", "CAMKET_DATABASE_URL": settings.database_url,
            "CAMKET_NOTIFICATIONS_DB_SCHEMA": settings.db_schema, "CAMKET_NATS_URL": settings.nats_url,
            "CAMKET_SUBJECT_PREFIX": settings.subject_prefix, "CAMKET_STATE_DIR": str(settings.state_dir),
            "CAMKET_NOTIFICATIONS_FAKE_NOW": NOW.isoformat(), "CAMKET_NOTIFICATIONS_TICK_SECONDS": "0.2",
            "CAMKET_NOTIFICATIONS_EVENT_ALERT_HORIZON_DAYS": "3650", "CAMKET_NOTIFICATIONS_TICK_BATCH": "150"}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, fault: FaultPoint | None = None) -> None:
        camket = Path(sys.executable).with_name("camket")
        env = self.env | fault.env() if fault else self.env
        with self.log.open("ab") as out:
            self.process = subprocess.Popen([str(camket), "serve", "notifications", "--port", str(self.port)],
                                            env=env, stdout=out, stderr=subprocess.STDOUT)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    async def healthy(self) -> bool:
        try:
            async with httpx.AsyncClient() as client:
                return (await client.get(f"http://127.0.0.1:{self.port}/health", timeout=1)).status_code == 200
        except httpx.HTTPError:
            return False


@pytest.fixture
def service(settings: NotificationsSettings, tmp_path: Path) -> Iterator[Service]:
    from devstack import free_port

    running = Service(settings, free_port(), tmp_path / "notifications.log")
    yield running
    running.kill()


async def progress(url: str, schema: str) -> tuple[int, int, int]:
    """(stream position committed, alerts stored, alerts not yet published); zeros before the tables exist."""
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        try:
            cur = await conn.execute(sql.SQL(
                "SELECT (SELECT coalesce(max(sequence), 0) FROM {s}.stream_positions), "
                "(SELECT count(*) FROM {s}.alerts), (SELECT count(*) FROM {s}.alerts WHERE published_at IS NULL)"
            ).format(s=sql.Identifier(schema)))
        except psycopg.errors.UndefinedTable:
            return 0, 0, 0
        row = await cur.fetchone()
        return (int(row[0]), int(row[1]), int(row[2])) if row else (0, 0, 0)


async def wait_for(check: object, timeout: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():  # type: ignore[operator]
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the service did not get there in time")
        await asyncio.sleep(0.02)


async def test_sigkill_mid_processing_loses_and_duplicates_nothing(settings: NotificationsSettings, nc: Client,
                                                                   service: Service, tmp_path: Path) -> None:
    faults = tmp_path / "faults"
    rnd = random.Random(20250515)
    events = sorted((e for i in range(TASKS) for e in story_events(rnd, i)), key=lambda e: e.recorded_at)
    want_facts, want_alerts = expected(events, NOW)
    assert want_alerts == expected(events, NOW + timedelta(minutes=10))[1]  # no boundary while the test runs
    await publish(nc.jetstream(), settings.subject_prefix, events)
    url, schema, total = settings.database_url, settings.db_schema, len(events)

    # Each kill lands where the test chose it (shared/faults.py): three times paused after one batch
    # of the backlog (at most 500 events each, and the backlog is longer than three)...
    consuming = FaultPoint(faults, "consumer", every=1)
    assert total > 3 * 500
    killed_at = []
    for _ in range(3):
        service.start(consuming)
        await consuming.paused()
        service.kill()
        consuming.clear()
        killed_at.append(await progress(url, schema))
        assert (killed_at[-2][0] if len(killed_at) > 1 else 0) < killed_at[-1][0] < total
    # ...and once paused after the scheduler's first transaction (150 tasks) of time alerts, once the
    # consumer caught up: more tasks than that have time alerts, so some are still to fire.
    firing = FaultPoint(faults, "scheduler", every=1)
    cfg = NotificationsSettings().rule_defaults
    assert sum(1 for f in want_facts.values() if firings_at(f, NOW, cfg)) > 150
    service.start(firing)
    await firing.paused()
    await wait_for(lambda: _past(url, schema, total))
    service.kill()
    firing.clear()
    killed_at.append(await progress(url, schema))
    print(f"{total} events, {len(want_alerts)} alerts; killed at (position, alerts, unpublished): {killed_at}")
    assert killed_at[-1][0] == total and killed_at[-1][1] < len(want_alerts)
    service.start()
    await wait_for(lambda: _settled(url, schema, total, len(want_alerts)))
    assert await service.healthy()
    service.kill()

    await check_facts(url, schema, want_facts)
    assert await stored_alerts(url, schema) == want_alerts
    on_stream = await alert_ids_on_stream(nc, Subjects(settings.org, settings.subject_prefix))
    assert len(on_stream) == len(set(on_stream)) == len(want_alerts)
    assert set(on_stream) == await stored_alert_ids(url, schema)


async def _past(url: str, schema: str, sequence: int) -> bool:
    return (await progress(url, schema))[0] >= sequence


async def _settled(url: str, schema: str, total: int, alerts: int) -> bool:
    position, stored, unpublished = await progress(url, schema)
    return position == total and stored >= alerts and unpublished == 0


async def check_facts(url: str, schema: str, want: dict[UUID, TaskFacts]) -> None:
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        cur = await conn.execute(sql.SQL("SELECT task_id, version, unit, lifecycle, achieved_value, due_at "
                                         "FROM {}.task_facts").format(sql.Identifier(schema)))
        got = {row[0]: row[1:] for row in await cur.fetchall()}
    assert got == {t: (f.version, f.unit, f.lifecycle, f.achieved_value, f.due_at) for t, f in want.items()}


async def stored_alerts(url: str, schema: str) -> set[Key]:
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        cur = await conn.execute(sql.SQL("SELECT rule, task_id, dedup_key FROM {}.alerts").format(
            sql.Identifier(schema)))
        rows = await cur.fetchall()
    assert len(rows) == len(set(rows))
    return set(rows)


async def stored_alert_ids(url: str, schema: str) -> set[str]:
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        cur = await conn.execute(sql.SQL("SELECT id FROM {}.alerts").format(sql.Identifier(schema)))
        return {str(row[0]) for row in await cur.fetchall()}


async def alert_ids_on_stream(nc: Client, subjects: Subjects) -> list[str]:
    js = nc.jetstream()
    count = (await js.stream_info(subjects.alerts_stream)).state.messages
    sub = await js.pull_subscribe(subjects.all_alerts, stream=subjects.alerts_stream)
    ids: list[str] = []
    while len(ids) < count:
        for m in await sub.fetch(min(500, count - len(ids)), timeout=5):
            ids.append((m.headers or {})["ce-id"])
            await m.ack()  # past max_ack_pending unacked messages the server stops handing out more
    await sub.unsubscribe()
    return ids
