"""A growth curve: one figure measured at several sizes, printed as a table with the cost per unit,
the ratio to the previous point, and the exponent k of time per operation ∝ sizeᵏ between the point
and the one before (0 flat; logarithmic shows as a small k; 1 linear in the size)."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Point:
    size: int
    value: float
    load: float  # the 1-minute load average when it was measured (the machine is shared)


@dataclass(frozen=True)
class Curve:
    title: str
    size_label: str  # "tasks", "events on the task"
    figure_label: str  # "req/s", "p50 ms"
    per_unit_label: str  # "µs per event"
    per_unit: Callable[[Point], float]  # the cost of one unit at that point
    points: Sequence[Point]
    rate: bool = False  # the figure is a rate (per second): the time per operation is its inverse

    def time_per_operation(self, point: Point) -> float:
        return 1 / point.value if self.rate else point.value

    def exponents(self) -> list[float | None]:
        """k between each point and the one before it (None for the first)."""
        out: list[float | None] = [None]
        for before, after in zip(self.points, self.points[1:], strict=False):
            out.append(growth_exponent(before.size, self.time_per_operation(before),
                                       after.size, self.time_per_operation(after)))
        return out


def growth_exponent(size_a: int, cost_a: float, size_b: int, cost_b: float) -> float | None:
    """k in cost ∝ sizeᵏ between two points; None where it is not defined."""
    if size_a <= 0 or size_b <= 0 or size_a == size_b or cost_a <= 0 or cost_b <= 0:
        return None
    return math.log(cost_b / cost_a) / math.log(size_b / size_a)


def table(curve: Curve) -> str:
    lines = [curve.title, "",
             f"| {curve.size_label} | {curve.figure_label} | {curve.per_unit_label} | ratio to previous | k | load |",
             "|---:|---:|---:|---:|---:|---:|"]
    previous: Point | None = None
    for point, k in zip(curve.points, curve.exponents(), strict=True):
        ratio = f"{point.value / previous.value:.2f}×" if previous and previous.value else "—"
        lines.append(f"| {point.size:,} | {point.value:,.1f} | {curve.per_unit(point):,.2f} | {ratio} | "
                     f"{'—' if k is None else f'{k:.2f}'} | {point.load:.1f} |")
        previous = point
    return "\n".join(lines)


def scaled(sizes: Sequence[int]) -> list[int]:
    """The sizes times CAMKET_BENCH_GROWTH_SCALE (e.g. 0.01 for a quick trial of the code)."""
    scale = float(os.environ.get("CAMKET_BENCH_GROWTH_SCALE", "1"))
    return [max(10, round(s * scale)) for s in sizes]


def load_average() -> float:
    return os.getloadavg()[0]
