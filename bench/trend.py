"""The soak's verdict on a series of samples (memory, lag): does it grow?

The series is cut in thirds; the first third is warm-up (caches fill, the first alerts are stored) and
is left out. The slope is the change from the middle third's mean to the last third's, over the time
between their centres. It counts as growth when it is above both an absolute floor and a fraction of
the middle third's level per hour: a process that keeps 1 % more per hour would double in days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean

MIB = 1024 * 1024


@dataclass(frozen=True)
class Trend:
    middle: float  # mean of the middle third
    last: float  # mean of the last third
    slope_per_hour: float  # (last - middle) / hours between the thirds' centres
    growing: bool

    def describe(self, unit: str, scale: float = 1.0) -> str:
        verdict = "GROWING" if self.growing else "bounded"
        return (f"{verdict}: middle third {self.middle / scale:,.1f} {unit}, last third {self.last / scale:,.1f} "
                f"{unit}, slope {self.slope_per_hour / scale:+,.1f} {unit}/h")


def trend(samples: Sequence[tuple[float, float]], *, floor_per_hour: float,
          fraction_per_hour: float) -> Trend:
    """`samples` are (seconds, value) in time order, at least three. Growth: slope per hour above
    `floor_per_hour` and above `fraction_per_hour` × the middle third's mean."""
    if len(samples) < 3:
        raise ValueError("a trend needs at least three samples")
    third = len(samples) // 3
    middle, last = samples[third:2 * third], samples[2 * third:]
    middle_mean, last_mean = fmean(v for _, v in middle), fmean(v for _, v in last)
    hours = (fmean(t for t, _ in last) - fmean(t for t, _ in middle)) / 3600
    slope = (last_mean - middle_mean) / hours if hours > 0 else 0.0
    limit = max(floor_per_hour, fraction_per_hour * abs(middle_mean))
    return Trend(middle_mean, last_mean, slope, slope > limit)


def memory_trend(samples: Sequence[tuple[float, float]]) -> Trend:
    """RSS in bytes: growth is more than 20 MiB/h (half a GiB a day) and more than 5 % of the level per hour."""
    return trend(samples, floor_per_hour=20 * MIB, fraction_per_hour=0.05)


def lag_trend(samples: Sequence[tuple[float, float]]) -> Trend:
    """A consumer's lag in events: growth is falling behind by more than 100 events/h and 20 %/h."""
    return trend(samples, floor_per_hour=100, fraction_per_hour=0.2)
