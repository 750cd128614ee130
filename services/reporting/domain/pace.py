"""The pace forecast: is a task on track to meet its target by its deadline, at a linear pace?

Rule (stated on the pages): the work is expected to progress evenly from 1 January of the program
year to the day the task falls due. A quantitative task is *on track* when its share of the target
reached is at least the share of that time elapsed, less a tolerance of 10 percentage points; it
is *at risk* otherwise, and always once the deadline has passed without completion. A milestone or
qualitative task has no measurable pace: it is at risk only once overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from reporting.domain import targets
from reporting.domain.task_state import TaskState
from shared.vn import local_instant

TOLERANCE_POINTS = 10.0
RULE = ("Tiến độ tuyến tính: kết quả đạt được (tỷ lệ % so với chỉ tiêu) được so với tỷ lệ thời gian đã trôi qua "
        "từ 01/01 của năm kế hoạch đến hạn hoàn thành; thấp hơn quá 10 điểm % là có nguy cơ chậm. "
        "Nhiệm vụ quá hạn chưa hoàn thành luôn có nguy cơ chậm.")


class Pace(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Pace.ON_TRACK: "Đúng tiến độ",
    Pace.AT_RISK: "Có nguy cơ chậm",
    Pace.DONE: "Đã hoàn thành",
    Pace.NOT_APPLICABLE: "Không đánh giá",
}


@dataclass(frozen=True)
class PaceForecast:
    pace: Pace
    elapsed_percent: float | None  # share of the time from 1 January to the deadline gone by
    achieved_percent: float | None  # share of the target reached
    projected_value: float | None  # the value reached at the deadline if the pace so far continues


def forecast(state: TaskState, now: datetime) -> PaceForecast:
    if state.lifecycle in ("completed", "awaiting_confirmation"):
        return PaceForecast(Pace.DONE, None, state.percent_of_target, None)
    if state.lifecycle in ("cancelled", "suspended"):
        return PaceForecast(Pace.NOT_APPLICABLE, None, state.percent_of_target, None)
    elapsed = elapsed_share(state, now)
    achieved = state.percent_of_target
    if not targets.is_numeric(state.target):
        done = state.target.kind == "milestone" and (state.achieved_value or 0) >= 1
        pace = Pace.AT_RISK if now > state.due_at and not done else Pace.NOT_APPLICABLE
        return PaceForecast(Pace.ON_TRACK if done else pace, elapsed * 100, achieved, None)
    reached = achieved or 0.0
    projected = (state.achieved_value or 0.0) / elapsed if elapsed > 0 else None
    if reached >= 100:
        pace = Pace.ON_TRACK
    elif now > state.due_at or reached < elapsed * 100 - TOLERANCE_POINTS:
        pace = Pace.AT_RISK
    else:
        pace = Pace.ON_TRACK
    return PaceForecast(pace, elapsed * 100, achieved, projected)


def elapsed_share(state: TaskState, now: datetime) -> float:
    start = local_instant(date(state.program_year, 1, 1))
    span = (state.due_at - start).total_seconds()
    if span <= 0:
        return 1.0
    return min(max((now - start).total_seconds() / span, 0.0), 1.0)
