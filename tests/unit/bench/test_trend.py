"""The soak's verdict: the middle third against the last, the slope per hour, and what counts as growth."""

from __future__ import annotations

import pytest

from bench.trend import MIB, lag_trend, memory_trend, trend


def _series(values: list[float], every: float = 10.0) -> list[tuple[float, float]]:
    return [(i * every, v) for i, v in enumerate(values)]


def test_a_flat_series_after_warm_up_is_bounded() -> None:
    # Warm-up from 50 to 120 MiB in the first third, then steady with noise of ±0.5 MiB.
    warm = [50 + 7 * i for i in range(10)]
    steady = [120 + (0.5 if i % 2 else -0.5) for i in range(20)]
    verdict = memory_trend(_series([v * MIB for v in warm + steady]))
    assert not verdict.growing
    assert verdict.middle == pytest.approx(120 * MIB)


def test_a_steady_climb_is_growth_with_its_slope_per_hour() -> None:
    # 1 MiB per 10-second sample = 360 MiB/h.
    verdict = memory_trend(_series([(100 + i) * MIB for i in range(30)]))
    assert verdict.growing
    assert verdict.slope_per_hour == pytest.approx(360 * MIB)


def test_a_slope_under_the_floor_is_not_growth() -> None:
    # 10 MiB/h on a 100 MiB process: below the 20 MiB/h floor.
    per_sample = 10 * MIB / 360
    verdict = memory_trend(_series([100 * MIB + i * per_sample for i in range(30)]))
    assert verdict.slope_per_hour == pytest.approx(10 * MIB)
    assert not verdict.growing


def test_the_relative_limit_binds_on_a_large_level() -> None:
    # 40 MiB/h is above the floor but under 5 % per hour of a 2 GiB process (~102 MiB/h).
    per_sample = 40 * MIB / 360
    assert not memory_trend(_series([2048 * MIB + i * per_sample for i in range(30)])).growing
    assert memory_trend(_series([200 * MIB + i * per_sample for i in range(30)])).growing


def test_a_lag_that_comes_back_is_bounded_and_one_that_climbs_is_not() -> None:
    assert not lag_trend(_series([0, 3, 1, 0, 2, 0, 1, 0, 4, 0, 1, 2])).growing
    assert lag_trend(_series([10 * i for i in range(12)])).growing


def test_a_trend_needs_three_samples() -> None:
    with pytest.raises(ValueError, match="three samples"):
        trend(_series([1.0, 2.0]), floor_per_hour=1, fraction_per_hour=0.1)


def test_the_description_names_the_verdict_and_the_unit() -> None:
    text = memory_trend(_series([(100 + i) * MIB for i in range(30)])).describe("MiB", MIB)
    assert text.startswith("GROWING: middle third ")
    assert text.endswith("+360.0 MiB/h")
