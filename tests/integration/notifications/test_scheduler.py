"""The scheduler on the real database with a moved clock: every time rule fires at its boundary and
not a second before, repeated ticks add nothing, and a restart after downtime fires once what it
missed."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from notifications.bootstrap import Container, build
from notifications.config import NotificationsSettings
from notifications.domain.clock import ManualClock
from notifications.domain.rules import RuleConfig
from notifications.observed import AlertCounts
from tests.integration.notifications.conftest import OFFICE, alert_rows, project
from tests.unit.notifications.builders import DUE, REGISTERED, START, Story, days

SECOND = timedelta(seconds=1)


async def test_every_time_rule_fires_at_its_boundary_and_not_before(container: Container,
                                                                      clock: ManualClock) -> None:
    late, waiting = Story(ref="LATE-1"), Story(ref="WAIT-1")
    await project(container, [late.registered(), waiting.registered(),
                              waiting.completion_requested(REGISTERED + days(1), date(2025, 1, 6))])
    boundaries = sorted([
        (START + 0.1 * (DUE - START), "behind_pace", "LATE-1"),
        (REGISTERED + days(30), "no_progress", "LATE-1"),
        (REGISTERED + days(1 + 7), "completion_waiting", "WAIT-1"),
        (DUE - days(7), "deadline_approaching", "LATE-1"),
        (DUE - days(3), "deadline_approaching", "LATE-1"),
        (DUE - days(1), "deadline_approaching", "LATE-1"),
        (DUE + SECOND, "overdue", "LATE-1"),
    ])
    expected: list[tuple[str, str]] = []
    for boundary, rule, ref in boundaries:
        clock.set(boundary - SECOND)
        assert await container.scheduler.tick() == []
        assert sorted((r["rule"], r["task_ref"]) for r in await alert_rows(container)) == sorted(expected)
        clock.set(boundary)
        (alert,) = await container.scheduler.tick()
        assert (alert.rule, alert.task_ref, alert.boundary_at, alert.fired_at) == (rule, ref, boundary, boundary)
        assert await container.scheduler.tick() == []  # a second tick at the same instant adds nothing
        expected.append((rule, ref))
    clock.set(DUE + days(200))
    assert await container.scheduler.tick() == []
    assert len(await alert_rows(container)) == 7
    counts = AlertCounts(container.uow)  # the metric camket_alerts_fired reads them through the unit of work
    await counts.refresh()
    assert counts.fired == {"behind_pace": 1, "no_progress": 1, "completion_waiting": 1, "deadline_approaching": 3,
                            "overdue": 1}


async def test_a_restart_after_three_days_down_fires_the_missed_alerts_exactly_once(
        settings: NotificationsSettings, container: Container, clock: ManualClock) -> None:
    story = Story(ref="DOWN-1")
    await project(container, [story.registered(), story.reported(9, DUE - days(28.5), as_of=date(2025, 6, 1))])
    clock.set(DUE - days(1.5))  # the last look before the outage: the 3-day warning
    assert {a.rule for a in await container.scheduler.tick()} == {"deadline_approaching"}
    await container.close()  # down for three days: the 1-day mark, the deadline and 30 days' silence pass

    restarted_at = DUE + days(1.5)
    replicas = [build(settings, clock=ManualClock(restarted_at)) for _ in range(2)]
    for replica in replicas:
        await replica.open()
    try:
        firsts = await asyncio.gather(*(r.scheduler.tick() for r in replicas))  # two replicas at once
        for _ in range(3):
            assert await replicas[0].scheduler.tick() == []
        rows = await alert_rows(replicas[0], "rule <> 'deadline_approaching'")
    finally:
        for replica in replicas:
            await replica.close()
    assert sorted(a.rule for tick in firsts for a in tick) == ["no_progress", "overdue"]
    assert {(r["rule"], r["boundary_at"], r["fired_at"]) for r in rows} == {
        ("overdue", DUE + SECOND, restarted_at), ("no_progress", DUE + days(1.5), restarted_at)}


async def test_changed_program_settings_take_effect_on_the_next_tick(container: Container,
                                                                     clock: ManualClock) -> None:
    story = Story(ref="SLOW-1")
    await project(container, [story.registered(), story.reported(6, REGISTERED + days(10))])
    clock.set(REGISTERED + days(20))
    assert await container.scheduler.tick() == []
    await container.admin.set_program_rules(OFFICE, 2025, RuleConfig(no_progress_days=7))
    (alert,) = await container.scheduler.tick()
    assert alert.rule == "no_progress" and alert.boundary_at == REGISTERED + days(17)


async def test_replaying_old_history_fires_no_event_alerts_but_recent_events_do(
        settings: NotificationsSettings, clock: ManualClock) -> None:
    fresh = build(settings.model_copy(update={"event_alert_horizon_days": 30}), clock=clock)
    await fresh.open()
    try:
        old, recent = Story(ref="OLD-1"), Story(ref="NEW-1")
        clock.set(REGISTERED + days(100))
        await project(fresh, [old.registered(), old.cancelled(REGISTERED + days(2)),
                              recent.registered(), recent.cancelled(REGISTERED + days(95))])
        assert [(r["rule"], r["task_ref"]) for r in await alert_rows(fresh)] == [("task_cancelled", "NEW-1")]
    finally:
        await fresh.close()


async def test_a_pace_margin_stored_by_an_earlier_version_is_ignored(container: Container,
                                                                     clock: ManualClock) -> None:
    """The pace is the dashboard's rule: a program that once set its own margin (50 points here)
    still loads its other settings, and falls behind where the dashboard says it does."""
    async with container.db.transaction() as conn:  # as versions before this one stored it
        await conn.execute("INSERT INTO program_rules VALUES (2025, '{7,3,1}', 45, 0.5, 7, now(), 'vp.nhung')")
    story = Story(ref="PACE-1")
    await project(container, [story.registered()])
    behind = START + 0.1 * (DUE - START)  # nothing achieved: 10 points behind the line (shared.rules.pace)
    clock.set(behind - SECOND)
    assert await container.scheduler.tick() == []
    clock.set(behind)
    (alert,) = await container.scheduler.tick()
    assert (alert.rule, alert.boundary_at) == ("behind_pace", behind)
    clock.set(REGISTERED + days(45))
    assert {a.rule for a in await container.scheduler.tick()} == {"no_progress"}  # the stored 45 days still hold
