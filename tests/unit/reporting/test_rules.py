"""The pace forecast, counts and rates, the year-end ranking, briefing windows and period keys."""

from __future__ import annotations

from datetime import date, datetime
from functools import reduce

import pytest

from reporting.domain.evaluation import UnitTotals, ranked
from reporting.domain.pace import Pace, forecast
from reporting.domain.summary import assess, count
from reporting.domain.task_state import TaskState, evolve
from reporting.integration.projections.period_activity import periods_of
from shared.periods import PeriodKind, ReportingPeriod
from shared.rules.briefings import WindowKind, window
from shared.status import TaskStatus
from tests.unit.reporting.builders import TaskScript, at, at_least, due_on, qualitative


def story(task: TaskScript, *values: tuple[float, date]) -> TaskState:
    events = [task.registered(at(date(task.year, 1, 2)))]
    events += [task.progress(v, day) for v, day in values]
    state = reduce(evolve, events, None)
    assert state is not None
    return state


def test_linear_pace_on_track_within_ten_points_at_risk_below() -> None:
    # Due 31/12: on 2 July about half the year has gone by.
    mid_year = at(date(2025, 7, 2), 12)
    on_track = forecast(story(TaskScript(target=at_least(10), deadline=due_on(date(2025, 12, 31))),
                              (4.2, date(2025, 7, 1))), mid_year)
    at_risk = forecast(story(TaskScript(target=at_least(10), deadline=due_on(date(2025, 12, 31))),
                             (3.8, date(2025, 7, 1))), mid_year)
    assert on_track.pace is Pace.ON_TRACK and at_risk.pace is Pace.AT_RISK
    assert on_track.elapsed_percent == pytest.approx(50, abs=0.5)
    assert on_track.projected_value == pytest.approx(8.4, abs=0.1)


def test_met_is_on_track_even_overdue_and_overdue_unmet_is_at_risk() -> None:
    met = story(TaskScript(target=at_least(5), deadline=due_on(date(2025, 3, 31))), (5, date(2025, 3, 1)))
    short = story(TaskScript(target=at_least(5), deadline=due_on(date(2025, 3, 31))), (4.9, date(2025, 3, 1)))
    assert forecast(met, at(date(2025, 4, 2))).pace is Pace.ON_TRACK
    assert forecast(short, at(date(2025, 4, 2))).pace is Pace.AT_RISK


def test_qualitative_pace_is_not_judged_before_the_deadline() -> None:
    state = story(TaskScript(target=qualitative(), deadline=due_on(date(2025, 9, 30))), (0, date(2025, 3, 1)))
    assert forecast(state, at(date(2025, 6, 1))).pace is Pace.NOT_APPLICABLE


def test_counts_and_rates_leave_out_cancelled_and_suspended_tasks() -> None:
    now = at(date(2025, 7, 15))
    done = TaskScript(deadline=due_on(date(2025, 6, 30)))
    done_events = [done.registered(at(date(2025, 1, 2))), done.progress(12, date(2025, 6, 1)),
                   done.requested(date(2025, 6, 20)), done.confirmed(at(date(2025, 6, 25)))]
    late = TaskScript(deadline=due_on(date(2025, 6, 30)))
    late_events = [late.registered(at(date(2025, 1, 2))), late.requested(date(2025, 7, 2)),
                   late.confirmed(at(date(2025, 7, 3)))]
    dropped = TaskScript(deadline=due_on(date(2025, 6, 30)))
    dropped_events = [dropped.registered(at(date(2025, 1, 2))), dropped.cancelled(at(date(2025, 2, 1)))]
    overdue = TaskScript(deadline=due_on(date(2025, 6, 30)))
    overdue_events = [overdue.registered(at(date(2025, 1, 2)))]
    states = [reduce(evolve, e, None) for e in (done_events, late_events, dropped_events, overdue_events)]
    counts = count(assess(s, now) for s in states if s is not None)
    assert (counts.total, counts.counted, counts.completed, counts.completed_on_time) == (4, 3, 2, 1)
    assert counts.by_status[TaskStatus.IN_PROGRESS_OVERDUE] == 1 and counts.by_status[TaskStatus.CANCELLED] == 1
    assert counts.completion_rate == pytest.approx(200 / 3) and counts.on_time_rate == pytest.approx(100 / 3)
    assert counts.exceeding_target == 1 and counts.at_risk == 1


def unit(code: str, assigned: int, on_time: int, quantitative: int, exceeding: int) -> UnitTotals:
    return UnitTotals(org="qt-skhcn", program_year=2025, unit=code, assigned=assigned, cancelled=0, suspended=0,
                      completed=on_time, completed_on_time=on_time, completed_late=0, quantitative=quantitative,
                      exceeding_target=exceeding)


def test_ranking_by_on_time_share_then_exceeding_share_with_shared_ranks() -> None:
    units = [unit("a", 10, 8, 5, 1), unit("b", 4, 4, 2, 0), unit("c", 5, 4, 5, 1), unit("d", 10, 8, 10, 2),
             unit("e", 0, 0, 0, 0)]
    assert [(rank, u.unit) for rank, u in ranked(units)] == [(1, "b"), (2, "a"), (2, "c"), (2, "d"), (5, "e")]
    assert units[0].on_time_share == 80 and units[0].exceeding_share == 20 and units[4].on_time_share is None


def test_a_week_runs_monday_to_sunday_and_a_month_is_its_month() -> None:
    week = window(WindowKind.WEEK, date(2025, 6, 18))
    assert (week.first_day, week.last_day, week.next().first_day) == (date(2025, 6, 16), date(2025, 6, 22),
                                                                      date(2025, 6, 23))
    assert week.label == "Tuần từ 16/06/2025 đến 22/06/2025"
    month = window(WindowKind.MONTH, date(2025, 12, 5))
    assert (month.label, month.next().label) == ("Tháng 12/2025", "Tháng 1/2026")
    assert month.contains(datetime.fromisoformat("2025-12-31T16:59:59+00:00"))
    assert not month.contains(datetime.fromisoformat("2025-12-31T17:00:00+00:00"))


@pytest.mark.parametrize("day", [date(2025, 1, 1), date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30),
                                 date(2025, 10, 1), date(2025, 12, 31)])
def test_an_event_counts_in_every_period_containing_its_day(day: date) -> None:
    codes = {code for code, _ in periods_of(day)}
    every = [ReportingPeriod(2025, PeriodKind.MONTH, m) for m in range(1, 13)]
    every += [ReportingPeriod(2025, PeriodKind.QUARTER, q) for q in range(1, 5)]
    every += [ReportingPeriod(2025, PeriodKind.HALF, h) for h in (1, 2)]
    every += [ReportingPeriod(2025, PeriodKind.NINE_MONTHS), ReportingPeriod(2025, PeriodKind.YEAR)]
    assert codes == {p.code for p in every if p.first_day <= day <= p.last_day}
