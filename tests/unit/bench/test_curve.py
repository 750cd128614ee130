"""The growth-curve table: exponents, ratios and the table's rows, from points given by hand."""

from __future__ import annotations

import pytest

from bench.curve import Curve, Point, growth_exponent, scaled, table


def test_a_flat_cost_has_exponent_zero_and_a_linear_one_exponent_one() -> None:
    assert growth_exponent(1_000, 2.0, 10_000, 2.0) == pytest.approx(0.0)
    assert growth_exponent(1_000, 2.0, 10_000, 20.0) == pytest.approx(1.0)
    assert growth_exponent(10_000, 1.0, 100_000, 100.0) == pytest.approx(2.0)


def test_the_exponent_is_undefined_for_equal_sizes_or_empty_costs() -> None:
    assert growth_exponent(10, 1.0, 10, 2.0) is None
    assert growth_exponent(10, 0.0, 100, 2.0) is None


def test_a_rate_is_turned_into_time_per_operation_before_the_exponent() -> None:
    # Requests per second halve while tasks grow tenfold: the time per request doubles.
    curve = Curve("write", "tasks", "req/s", "µs per command", lambda p: 1e6 / p.value,
                  [Point(1_000, 800.0, 1.0), Point(10_000, 400.0, 1.0)], rate=True)
    k = curve.exponents()[1]
    assert k == pytest.approx(0.30103, abs=1e-4)  # log10(2)


def test_the_table_shows_each_point_with_its_ratio_exponent_and_load() -> None:
    curve = Curve("as-of", "events", "p50 ms", "µs per event", lambda p: 1000 * p.value / p.size,
                  [Point(1_000, 2.0, 0.5), Point(10_000, 20.0, 1.25)])
    rows = table(curve).splitlines()
    assert rows[0] == "as-of"
    assert rows[2] == "| events | p50 ms | µs per event | ratio to previous | k | load |"
    assert rows[4] == "| 1,000 | 2.0 | 2.00 | — | — | 0.5 |"
    assert rows[5] == "| 10,000 | 20.0 | 2.00 | 10.00× | 1.00 | 1.2 |"


def test_sizes_scale_down_for_a_trial_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAMKET_BENCH_GROWTH_SCALE", "0.01")
    assert scaled([1_000, 100_000]) == [10, 1_000]
    monkeypatch.delenv("CAMKET_BENCH_GROWTH_SCALE")
    assert scaled([1_000]) == [1_000]
