"""Each time rule alone, with a moved clock: it fires at its boundary and not a second before."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from notifications.domain.clock import ManualClock
from notifications.domain.rules import (
    RuleConfig,
    Severity,
    behind_pace,
    completion_waiting,
    deadline_approaching,
    no_progress,
    overdue,
)
from tests.unit.notifications.builders import DUE, REGISTERED, START, days, facts

CFG = RuleConfig()
TICK = timedelta(seconds=1)


def test_deadline_approaching_fires_at_7_3_and_1_days_and_not_before() -> None:
    f = facts()
    clock = ManualClock(DUE - days(7) - TICK)
    assert deadline_approaching(f, clock(), CFG) is None
    seen = []
    for threshold in (7, 3, 1):
        clock.set(DUE - days(threshold) - TICK)
        before = deadline_approaching(f, clock(), CFG)
        assert before is None or before.detail["days"] > threshold
        clock.advance(TICK)
        firing = deadline_approaching(f, clock(), CFG)
        assert firing is not None and firing.detail["days"] == threshold
        assert firing.boundary_at == DUE - days(threshold)
        seen.append((firing.key, firing.severity))
    assert len({key for key, _ in seen}) == 3
    assert [severity for _, severity in seen] == [Severity.INFO, Severity.WARNING, Severity.WARNING]
    assert deadline_approaching(f, DUE, CFG) is None  # due: the overdue rule's turn next


def test_after_downtime_only_the_nearest_threshold_crossed_fires() -> None:
    firing = deadline_approaching(facts(), DUE - days(2), CFG)  # both the 7- and 3-day marks passed
    assert firing is not None and firing.detail["days"] == 3


def test_thresholds_are_configurable() -> None:
    cfg = RuleConfig(approach_days=(14, 2))
    assert deadline_approaching(facts(), DUE - days(14) - TICK, cfg) is None
    firing = deadline_approaching(facts(), DUE - days(14), cfg)
    assert firing is not None and firing.detail["days"] == 14
    middle = deadline_approaching(facts(), DUE - days(7), cfg)
    assert middle is not None and middle.detail["days"] == 14
    second = deadline_approaching(facts(), DUE - days(2), cfg)
    assert second is not None and second.detail["days"] == 2


def test_overdue_fires_the_second_after_the_deadline() -> None:
    assert overdue(facts(), DUE, CFG) is None  # 23:59:59 on the last day is still in time
    firing = overdue(facts(), DUE + TICK, CFG)
    assert firing is not None and firing.severity is Severity.CRITICAL and firing.key == DUE.isoformat()


@pytest.mark.parametrize(("lifecycle", "completed_on", "fires"), [
    ("completed", date(2025, 6, 20), False),
    ("cancelled", None, False),
    ("suspended", None, False),
    ("awaiting_confirmation", date(2025, 6, 28), False),  # done in time, the Board is slow: another rule
    ("awaiting_confirmation", date(2025, 7, 2), True),  # the unit itself says it finished late
])
def test_overdue_only_when_not_done_in_time(lifecycle: str, completed_on: date | None, fires: bool) -> None:
    f = facts(lifecycle=lifecycle, completed_on=completed_on)
    assert (overdue(f, DUE + days(5), CFG) is not None) is fires


def test_no_progress_counts_from_registration_then_from_the_last_report() -> None:
    f = facts()
    assert no_progress(f, REGISTERED + days(30) - TICK, CFG) is None
    first = no_progress(f, REGISTERED + days(30), CFG)
    assert first is not None and first.detail["last_report_at"] is None
    reported = facts(last_report_at=REGISTERED + days(40))
    assert no_progress(reported, REGISTERED + days(70) - TICK, CFG) is None
    second = no_progress(reported, REGISTERED + days(70), CFG)
    assert second is not None and second.key != first.key


def test_no_progress_is_configurable_per_program_and_resumption_restarts_the_count() -> None:
    assert no_progress(facts(), REGISTERED + days(14), RuleConfig(no_progress_days=14)) is not None
    resumed = facts(resumed_at=REGISTERED + days(50))
    assert no_progress(resumed, REGISTERED + days(60), CFG) is None
    assert no_progress(facts(lifecycle="suspended"), REGISTERED + days(90), CFG) is None


def test_behind_pace_boundary_is_where_the_margin_meets_the_straight_line() -> None:
    span = DUE - START
    nothing = facts()
    assert behind_pace(nothing, START + 0.1 * span - TICK, CFG) is None
    firing = behind_pace(nothing, START + 0.1 * span, CFG)
    assert firing is not None and firing.boundary_at == START + 0.1 * span
    half = facts(achieved_value=5.0)
    assert behind_pace(half, START + 0.6 * span - TICK, CFG) is None
    later = behind_pace(half, START + 0.6 * span, CFG)
    assert later is not None and later.key != firing.key and later.detail["share"] == 0.5


def test_behind_pace_never_for_milestones_nearly_done_tasks_or_after_the_deadline() -> None:
    assert behind_pace(facts(target_kind="milestone", target_minimum=1.0), DUE - days(1), CFG) is None
    assert behind_pace(facts(target_kind="qualitative", target_minimum=None), DUE - days(1), CFG) is None
    assert behind_pace(facts(achieved_value=9.0), DUE - days(1), CFG) is None  # 90% + 10 points: at the deadline
    assert behind_pace(facts(), DUE, CFG) is None


def test_completion_waiting_fires_after_n_days_without_confirmation() -> None:
    asked = REGISTERED + days(100)
    f = facts(lifecycle="awaiting_confirmation", completion_requested_at=asked, completed_on=date(2025, 4, 15))
    assert completion_waiting(f, asked + days(7) - TICK, CFG) is None
    firing = completion_waiting(f, asked + days(7), CFG)
    assert firing is not None and firing.key == asked.isoformat()
    assert completion_waiting(facts(completion_requested_at=asked), asked + days(30), CFG) is None  # active again
