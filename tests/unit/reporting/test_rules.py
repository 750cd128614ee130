"""Period keys of the activity read model (the rules themselves: tests/unit/rules, one table each)."""

from __future__ import annotations

from datetime import date

import pytest

from reporting.integration.projections.period_activity import periods_of
from shared.periods import PeriodKind, ReportingPeriod


@pytest.mark.parametrize("day", [date(2025, 1, 1), date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30),
                                 date(2025, 10, 1), date(2025, 12, 31)])
def test_an_event_counts_in_every_period_containing_its_day(day: date) -> None:
    codes = {code for code, _ in periods_of(day)}
    every = [ReportingPeriod(2025, PeriodKind.MONTH, m) for m in range(1, 13)]
    every += [ReportingPeriod(2025, PeriodKind.QUARTER, q) for q in range(1, 5)]
    every += [ReportingPeriod(2025, PeriodKind.HALF, h) for h in (1, 2)]
    every += [ReportingPeriod(2025, PeriodKind.NINE_MONTHS), ReportingPeriod(2025, PeriodKind.YEAR)]
    assert codes == {p.code for p in every if p.first_day <= day <= p.last_day}
