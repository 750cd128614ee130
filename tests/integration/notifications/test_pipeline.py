"""The whole service in process on real NATS and PostgreSQL: task events in from the stream,
alerts out on the alerts stream as CloudEvents, fired by events and by the clock."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from nats.aio.client import Client

from notifications.bootstrap import Container
from notifications.config import NotificationsSettings
from notifications.domain.clock import ManualClock
from notifications.integration.contract import AlertV1
from notifications.integration.runtime import Runtime
from shared.envelope import CloudEvent
from shared.subjects import Subjects
from tests.integration.notifications.conftest import alert_rows, eventually, publish
from tests.unit.notifications.builders import DUE, REGISTERED, Story, days


@pytest.fixture
async def runtime(container: Container, nc: Client) -> AsyncIterator[Runtime]:
    running = Runtime(container)
    await running.start()
    yield running
    await running.stop()


async def stream_alerts(nc: Client, subjects: Subjects) -> list[tuple[str, CloudEvent]]:
    """Everything on the alerts stream, read as another system would (an ephemeral pull consumer)."""
    js = nc.jetstream()
    info = await js.stream_info(subjects.alerts_stream)
    if not info.state.messages:
        return []
    sub = await js.pull_subscribe(subjects.all_alerts, stream=subjects.alerts_stream)
    msgs = await sub.fetch(info.state.messages, timeout=5)
    await sub.unsubscribe()
    return [(m.subject, CloudEvent.from_message(m.headers, m.data)) for m in msgs]


async def test_events_and_time_fire_alerts_that_reach_the_alerts_stream_once(
        settings: NotificationsSettings, container: Container, clock: ManualClock, nc: Client,
        runtime: Runtime) -> None:
    subjects = Subjects(settings.org, settings.subject_prefix)
    clock.set(REGISTERED + days(60))
    story = Story(ref="QLCN-02")
    await publish(nc.jetstream(), settings.subject_prefix,
                  [story.registered(), story.revised(REGISTERED + days(59), new_minimum=8)])

    async def published() -> list[dict[str, object]]:
        rows = await alert_rows(container)
        return rows if len(rows) == 3 and all(r["published_at"] for r in rows) else []

    rows = await eventually(published)
    assert {r["rule"] for r in rows} == {"target_lowered", "no_progress", "behind_pace"}
    clock.set(DUE + days(1))  # the scheduler, not an event, fires the overdue alert
    await eventually(lambda: alert_rows(container, "rule = 'overdue' AND published_at IS NOT NULL"))
    on_stream = await eventually(lambda: _at_least(nc, subjects, 4))
    assert len(on_stream) == 4 and len({e.id for _, e in on_stream}) == 4
    for subject, env in on_stream:
        alert = AlertV1.model_validate_json(env.data)
        assert subject == subjects.alert("ql-cndmst", alert.rule)
        assert (env.id, env.type, env.source) == (str(alert.alert_id), f"vn.camket.alert.{alert.rule}.v1",
                                                   "/camket/qt-skhcn/notifications")
        assert alert.task_ref == "QLCN-02" and alert.message.startswith("Nhiệm vụ QLCN-02")
    assert runtime.consumer is not None and runtime.consumer.stats.applied == 2


async def _at_least(nc: Client, subjects: Subjects, n: int) -> list[tuple[str, CloudEvent]]:
    found = await stream_alerts(nc, subjects)
    return found if len(found) >= n else []
