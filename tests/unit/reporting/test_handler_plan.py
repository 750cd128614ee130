"""The reporting handler plans a batch in memory only from states it holds: a reassignment of a task
it does not hold (after a restart, say) goes to the database, which knows the task's own state."""

from __future__ import annotations

from datetime import date

from reporting.integration.handler import ReportingHandler
from tests.unit.reporting.builders import TaskScript, at, days
from tests.unit.reporting.test_stream_order import deliveries

REGISTERED_DAY = date(2025, 1, 6)


def test_a_reassignment_of_a_task_not_in_memory_is_not_planned_as_a_new_task() -> None:
    script = TaskScript(unit="thanh-tra")
    registered = script.registered(at(REGISTERED_DAY))
    reassigned = script.reassigned("ql-kh", registered.recorded_at + days(5))
    handler = ReportingHandler("reporting")  # a fresh process: nothing in memory
    assert handler.plan(deliveries(reassigned, start=2)) is None


def test_a_registration_and_what_follows_it_in_memory_are_planned() -> None:
    script = TaskScript(unit="thanh-tra")
    registered = script.registered(at(REGISTERED_DAY))
    reassigned = script.reassigned("ql-kh", registered.recorded_at + days(5))
    handler = ReportingHandler("reporting")
    assert handler.plan(deliveries(registered)) is not None
    handler.committed()
    assert handler.plan(deliveries(reassigned, start=2)) is not None

