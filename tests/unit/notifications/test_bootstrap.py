"""The use cases wired by bootstrap, on the in-memory stores instead of PostgreSQL: the container
hands every use case the unit of work it was given, so a task's events, the scheduler's tick and
a unit's acknowledgement meet in the same store."""

from __future__ import annotations

from pathlib import Path

import pytest

from notifications.application.alert_queries import AlertFilter, NotAllowed
from notifications.bootstrap import Container, build
from notifications.config import NotificationsSettings
from notifications.domain.clock import ManualClock
from notifications.integration.task_events import task_event
from shared.auth.devkeys import ensure_key_pair
from shared.auth.tokens import Principal
from tests.unit.notifications.builders import DUE, REGISTERED, Story, days
from tests.unit.notifications.memory import MemoryUnitsOfWork

UNIT_HEAD = Principal("ql.an", "Nguyễn Văn An", "ql-cndmst", frozenset({"unit_head"}))
OTHER_UNIT = Principal("kh.binh", "Lê Văn Bình", "ql-kh", frozenset({"unit_staff"}))
INSPECTOR = Principal("tt.cuong", "Phạm Văn Cường", "tt", frozenset({"inspector"}))


def wired(tmp_path: Path, stores: MemoryUnitsOfWork, clock: ManualClock) -> Container:
    ensure_key_pair(tmp_path / "keys", "jwt")  # the development key the token verifier reads
    return build(NotificationsSettings(environment="test", state_dir=tmp_path), clock=clock, uow=stores)


async def test_events_and_the_tick_fire_into_the_store_bootstrap_was_given(tmp_path: Path) -> None:
    stores, clock = MemoryUnitsOfWork(), ManualClock(REGISTERED)
    container = wired(tmp_path, stores, clock)
    story = Story()
    async with container.uow() as tx:  # what the stream consumer's handler does with a batch
        await container.projection.apply(tx, [task_event(story.registered()),
                                              task_event(story.reported(9, DUE - days(5)))])
    assert [f.ref for f in stores.state.facts.values()] == ["QLCN-02"]

    clock.set(DUE + days(1))
    fired = await container.scheduler.tick()
    assert [a.rule for a in fired] == ["overdue"]  # 9 of 10 reported lately: neither silent nor behind
    assert [a.alert.rule for a in stores.state.alerts] == ["overdue"]
    assert await container.scheduler.tick() == []  # looked at again only at its next boundary, if any

    (seen,) = await container.alert_queries.find(UNIT_HEAD, AlertFilter(), 10)
    assert await container.alert_queries.find(OTHER_UNIT, AlertFilter(), 10) == []
    with pytest.raises(NotAllowed):  # the Inspectorate reads every alert and acknowledges none
        await container.alert_queries.acknowledge(INSPECTOR, seen.alert.id)
    acknowledged = await container.alert_queries.acknowledge(UNIT_HEAD, seen.alert.id)
    assert acknowledged is not None and acknowledged.acknowledged_by == "ql.an"
    assert stores.state.alerts[0].acknowledged_at == clock()


async def test_a_use_case_that_fails_commits_nothing(tmp_path: Path) -> None:
    stores = MemoryUnitsOfWork()
    container = wired(tmp_path, stores, ManualClock(REGISTERED))
    story = Story()
    with pytest.raises(ZeroDivisionError):
        async with container.uow() as tx:
            await container.projection.apply(tx, [task_event(story.registered())])
            _ = 1 / 0
    assert stores.state.facts == {}
