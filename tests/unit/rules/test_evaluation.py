"""The golden case of the year-end evaluation (shared.rules.evaluation): shares and ranks with ties.
The reporting service's evaluation page reads its stored totals through this one function
(tests/integration/reporting/test_read_models.py shows it on real read models)."""

from __future__ import annotations

from shared.rules.evaluation import UnitTotals, ranked


def unit(code: str, assigned: int, on_time: int, quantitative: int, exceeding: int) -> UnitTotals:
    return UnitTotals(org="qt-skhcn", program_year=2025, unit=code, assigned=assigned, cancelled=0, suspended=0,
                      completed=on_time, completed_on_time=on_time, completed_late=0, quantitative=quantitative,
                      exceeding_target=exceeding)


def test_ranking_by_on_time_share_then_exceeding_share_with_shared_ranks() -> None:
    units = [unit("a", 10, 8, 5, 1), unit("b", 4, 4, 2, 0), unit("c", 5, 4, 5, 1), unit("d", 10, 8, 10, 2),
             unit("e", 0, 0, 0, 0)]
    assert [(rank, u.unit) for rank, u in ranked(units)] == [(1, "b"), (2, "a"), (2, "c"), (2, "d"), (5, "e")]
    assert units[0].on_time_share == 80 and units[0].exceeding_share == 20 and units[4].on_time_share is None
