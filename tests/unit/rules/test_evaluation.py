"""Golden cases of the year-end evaluation's counting (shared.rules.evaluation.unit_totals): which task counts
as assigned, completed on time or late, quantitative and exceeding, per unit."""

from __future__ import annotations

import pytest

from shared.rules.evaluation import TaskFacts, UnitTotals, ranked, unit_totals


def task(lifecycle: str, on_time: bool | None = None, quantitative: bool = True, exceeds: bool = False,
         unit: str = "a") -> TaskFacts:
    return TaskFacts(org="qt-skhcn", program_year=2025, unit=unit, lifecycle=lifecycle, on_time=on_time,
                     quantitative=quantitative, exceeds_target=exceeds)


# (task, assigned, cancelled, suspended, completed, on time, late, quantitative, exceeding)
GOLDEN = [
    (task("active"), 1, 0, 0, 0, 0, 0, 1, 0),
    (task("active", exceeds=True), 1, 0, 0, 0, 0, 0, 1, 0),  # a number above the ceiling counts once confirmed
    (task("awaiting_confirmation", exceeds=True), 1, 0, 0, 0, 0, 0, 1, 0),
    (task("completed", on_time=True), 1, 0, 0, 1, 1, 0, 1, 0),
    (task("completed", on_time=False, exceeds=True), 1, 0, 0, 1, 0, 1, 1, 1),
    (task("completed", on_time=True, quantitative=False, exceeds=False), 1, 0, 0, 1, 1, 0, 0, 0),
    (task("cancelled", exceeds=True), 0, 1, 0, 0, 0, 0, 0, 0),  # not assigned: neither counted nor exceeding
    (task("suspended"), 0, 0, 1, 0, 0, 0, 0, 0),
]


@pytest.mark.parametrize("case", GOLDEN, ids=[f"{c[0].lifecycle}-{i}" for i, c in enumerate(GOLDEN)])
def test_each_golden_case_counts_as_the_rule_says(case: tuple[object, ...]) -> None:
    facts, *expected = case
    assert isinstance(facts, TaskFacts)
    (totals,) = unit_totals([facts])
    assert [totals.assigned, totals.cancelled, totals.suspended, totals.completed, totals.completed_on_time,
            totals.completed_late, totals.quantitative, totals.exceeding_target] == expected


def test_units_are_counted_apart_and_ranked_by_on_time_then_exceeding_share() -> None:
    facts = [task("completed", on_time=True, unit="b"), task("active", unit="b"),
             task("completed", on_time=True, exceeds=True, unit="a"), task("active", unit="a"),
             task("cancelled", unit="c")]
    totals = unit_totals(facts)
    assert [u.unit for u in totals] == ["a", "b", "c"]
    assert [(rank, u.unit, u.on_time_share, u.exceeding_share) for rank, u in ranked(totals)] == [
        (1, "a", 50.0, 50.0), (2, "b", 50.0, 0.0), (3, "c", None, None)]


def unit(code: str, assigned: int, on_time: int, quantitative: int, exceeding: int) -> UnitTotals:
    return UnitTotals(org="qt-skhcn", program_year=2025, unit=code, assigned=assigned, cancelled=0, suspended=0,
                      completed=on_time, completed_on_time=on_time, completed_late=0, quantitative=quantitative,
                      exceeding_target=exceeding)


def test_ranking_by_on_time_share_then_exceeding_share_with_shared_ranks() -> None:
    units = [unit("a", 10, 8, 5, 1), unit("b", 4, 4, 2, 0), unit("c", 5, 4, 5, 1), unit("d", 10, 8, 10, 2),
             unit("e", 0, 0, 0, 0)]
    assert [(rank, u.unit) for rank, u in ranked(units)] == [(1, "b"), (2, "a"), (2, "c"), (2, "d"), (5, "e")]
    assert units[0].on_time_share == 80 and units[0].exceeding_share == 20 and units[4].on_time_share is None
