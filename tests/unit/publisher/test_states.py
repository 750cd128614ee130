"""The task state after each event: one step from the cached state when events come in order, a
rebuild from the store otherwise; either way the same public event."""

from __future__ import annotations

from uuid import UUID

from commitments.application.service import CommitmentsApp
from commitments.publisher.log import NotificationLog
from tests.unit.publisher.conftest import SUBJECTS


def test_following_the_log_in_order_never_rebuilds(log: NotificationLog, owned: list[tuple[UUID, str]]) -> None:
    log.read(0, 100)
    assert log.states.rebuilt == 0


def test_starting_mid_log_rebuilds_each_task_once_and_translates_alike(
        app: CommitmentsApp, owned: list[tuple[UUID, str]]) -> None:
    whole = {m.notification_id: m.data for m in NotificationLog(app, SUBJECTS).read(0, 100)}
    late = NotificationLog(app, SUBJECTS)
    tail = late.read(12, 100)
    assert late.states.rebuilt == len({m.headers["ce-subject"] for m in tail})
    assert all(m.data == whole[m.notification_id] for m in tail)


def test_a_small_cache_evicts_and_rebuilds_without_changing_the_output(
        app: CommitmentsApp, owned: list[tuple[UUID, str]]) -> None:
    whole = [m.data for m in NotificationLog(app, SUBJECTS).read(0, 100)]
    tiny = NotificationLog(app, SUBJECTS, cache_size=2)
    assert [m.data for m in tiny.read(0, 100)] == whole
    assert tiny.states.rebuilt > 0
