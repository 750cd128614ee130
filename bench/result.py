"""One row of the benchmark table: a figure, the same-run baseline, and their ratio."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    figure: str  # what the project achieves, e.g. "HTTP commands/s (32 clients, group commit)"
    value: float
    unit: str  # "ops/s", "ms", "events/s"
    baseline: str = ""  # the raw baseline measured in the same run, e.g. "library save loop"
    baseline_value: float | None = None
    higher_is_better: bool = True
    goal: str = ""  # e.g. "≥ 3× baseline", "p99 < 100 ms"

    @property
    def ratio(self) -> float | None:
        if self.baseline_value in (None, 0):
            return None
        assert self.baseline_value is not None
        return self.value / self.baseline_value
