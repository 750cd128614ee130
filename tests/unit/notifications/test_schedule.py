"""The scheduler's promise: between a look at a task and its next boundary nothing new can fire,
so looking again only at the next boundary misses nothing (property-based)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from notifications.domain.boundaries import next_boundary
from notifications.domain.facts import TaskFacts
from notifications.domain.rules import RuleConfig, firings_at
from notifications.domain.sweep import evaluate
from tests.unit.notifications.builders import DUE, REGISTERED, START, days, facts

CFG = RuleConfig()
JUST_BEFORE = timedelta(microseconds=1)
instants = st.datetimes(min_value=datetime(2024, 12, 1), max_value=datetime(2026, 3, 1), timezones=st.just(UTC))
maybe_instant = st.none() | instants


@st.composite
def task_facts(draw: st.DrawFn) -> TaskFacts:
    lifecycle = draw(st.sampled_from(["active", "active", "awaiting_confirmation", "completed", "suspended"]))
    asked = draw(instants) if lifecycle == "awaiting_confirmation" else None
    return facts(
        lifecycle=lifecycle, due_at=DUE + days(draw(st.integers(-150, 150))),
        target_kind=draw(st.sampled_from(["at_least", "percentage", "milestone", "qualitative"])),
        achieved_value=draw(st.none() | st.floats(0, 15)), last_report_at=draw(maybe_instant),
        resumed_at=draw(maybe_instant), completion_requested_at=asked,
        completed_on=draw(st.dates(date(2025, 1, 1), date(2025, 12, 31))) if asked else None)


def keys(f: TaskFacts, at: datetime, cfg: RuleConfig) -> set[tuple[str, str]]:
    return {(x.rule, x.key) for x in firings_at(f, at, cfg)}


@settings(max_examples=400, deadline=None)
@given(task_facts(), instants, st.sampled_from([CFG, RuleConfig((14, 5, 2), 10, 3)]))
def test_nothing_new_fires_before_the_next_boundary(f: TaskFacts, now: datetime, cfg: RuleConfig) -> None:
    later = next_boundary(f, now, cfg)
    horizon = later - JUST_BEFORE if later else now + days(800)
    assert later is None or later > now
    assert keys(f, horizon, cfg) <= keys(f, now, cfg)
    for probe in (now + (horizon - now) / 3, now + (horizon - now) / 2):
        assert keys(f, probe, cfg) <= keys(f, now, cfg)


def test_a_look_reports_what_fires_and_when_to_look_again() -> None:
    quiet, done = facts(), facts(task_id=facts().task_id.__class__(int=2), lifecycle="completed")
    result = evaluate([quiet, done], DUE - days(3), lambda year: CFG)
    assert {firing.rule.value for _, firing in result.firings} == {"deadline_approaching", "no_progress",
                                                                    "behind_pace"}
    assert dict(result.next_checks) == {quiet.task_id: DUE - days(1), done.task_id: None}


def test_program_settings_are_looked_up_by_year() -> None:
    cfg_2025 = RuleConfig(no_progress_days=400)
    result = evaluate([facts(last_report_at=REGISTERED)], START + days(100), {2025: cfg_2025}.__getitem__)
    assert not [f for _, f in result.firings if f.rule == "no_progress"]
