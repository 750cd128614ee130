"""The year-end ranking and period keys (pace, counts, rates and windows: tests/unit/rules, one table each)."""

from __future__ import annotations

from datetime import date

import pytest

from reporting.domain.evaluation import UnitTotals, ranked
from reporting.integration.projections.period_activity import periods_of
from shared.periods import PeriodKind, ReportingPeriod


def unit(code: str, assigned: int, on_time: int, quantitative: int, exceeding: int) -> UnitTotals:
    return UnitTotals(org="qt-skhcn", program_year=2025, unit=code, assigned=assigned, cancelled=0, suspended=0,
                      completed=on_time, completed_on_time=on_time, completed_late=0, quantitative=quantitative,
                      exceeding_target=exceeding)


def test_ranking_by_on_time_share_then_exceeding_share_with_shared_ranks() -> None:
    units = [unit("a", 10, 8, 5, 1), unit("b", 4, 4, 2, 0), unit("c", 5, 4, 5, 1), unit("d", 10, 8, 10, 2),
             unit("e", 0, 0, 0, 0)]
    assert [(rank, u.unit) for rank, u in ranked(units)] == [(1, "b"), (2, "a"), (2, "c"), (2, "d"), (5, "e")]
    assert units[0].on_time_share == 80 and units[0].exceeding_share == 20 and units[4].on_time_share is None


@pytest.mark.parametrize("day", [date(2025, 1, 1), date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30),
                                 date(2025, 10, 1), date(2025, 12, 31)])
def test_an_event_counts_in_every_period_containing_its_day(day: date) -> None:
    codes = {code for code, _ in periods_of(day)}
    every = [ReportingPeriod(2025, PeriodKind.MONTH, m) for m in range(1, 13)]
    every += [ReportingPeriod(2025, PeriodKind.QUARTER, q) for q in range(1, 5)]
    every += [ReportingPeriod(2025, PeriodKind.HALF, h) for h in (1, 2)]
    every += [ReportingPeriod(2025, PeriodKind.NINE_MONTHS), ReportingPeriod(2025, PeriodKind.YEAR)]
    assert codes == {p.code for p in every if p.first_day <= day <= p.last_day}
