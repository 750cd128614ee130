"""The pace rule: is a task on track to meet its number by its deadline, at an even pace? Pure.

The one rule (the dashboard's "Có nguy cơ chậm" and the behind-pace alert both call it):

- The line runs from 1 January of the program year (nothing done) to the instant the task falls due
  (the whole threshold reached). The start is the program's, not the deadline's: a deadline says by
  when the work must be done ("6/2025" is "by the end of June", "chậm nhất"), not when it may begin,
  and the units commit to the whole program in January. Measuring from the deadline's own start
  would make a task due "Quý III/2025" look on pace all spring with nothing done.
- A quantitative task is *at risk* once the share of its threshold reached trails the share of that
  time gone by by the tolerance or more (10 percentage points, `TOLERANCE_POINTS`), and always once
  the deadline has passed unmet. The tolerance is the one the dashboard has always stated: the
  alert's earlier 20 points let a task show red on the dashboard for weeks before anyone was told.
- A milestone or qualitative task has no measurable pace: it is at risk only once overdue (a
  milestone reported done is on track). Tasks awaiting confirmation or completed are done;
  cancelled or suspended ones are not judged.

The at-risk instant is computed as a boundary (`falls_behind_at`), and "at risk now" is "now is at or
past it": the alert scheduler, which wakes at boundaries, and the dashboard, which asks at any
instant, then agree to the second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from shared.rules import targets
from shared.vn import local_instant

TOLERANCE_POINTS = 10.0
RULE = ("Tiến độ tuyến tính: kết quả đạt được (tỷ lệ % so với chỉ tiêu) được so với tỷ lệ thời gian đã trôi qua "
        "từ 01/01 của năm kế hoạch đến hạn hoàn thành; thấp hơn từ 10 điểm % trở lên là có nguy cơ chậm. "
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
class PaceFacts:
    lifecycle: str  # active | awaiting_confirmation | completed | suspended | cancelled
    program_year: int
    due_at: datetime
    target_kind: str
    target_minimum: float | None
    achieved_value: float | None


def line_start(program_year: int) -> datetime:
    return local_instant(date(program_year, 1, 1))


def elapsed_share(program_year: int, due_at: datetime, now: datetime) -> float:
    """The share (0–1) of the time from 1 January to the deadline gone by at `now`."""
    start = line_start(program_year)
    span = (due_at - start).total_seconds()
    if span <= 0:
        return 1.0
    return min(max((now - start).total_seconds() / span, 0.0), 1.0)


def achieved_share(kind: str, minimum: float | None, achieved: float | None) -> float | None:
    """The share (0–1) of the threshold reached; None for a target without a number."""
    if not targets.is_numeric(kind):
        return None
    percent = targets.percent_of(kind, minimum, achieved or 0.0)
    return None if percent is None else min(percent / 100, 1.0)


def falls_behind_at(program_year: int, due_at: datetime, share: float,
                    tolerance_points: float = TOLERANCE_POINTS) -> datetime | None:
    """The instant the line passes `share` plus the tolerance; None when that is not before the deadline."""
    start = line_start(program_year)
    mark = share + tolerance_points / 100
    if due_at <= start:
        return start if mark < 1 else None
    boundary = start + mark * (due_at - start)
    return boundary if boundary < due_at else None


def pace_at(f: PaceFacts, now: datetime, tolerance_points: float = TOLERANCE_POINTS) -> Pace:
    if f.lifecycle in ("completed", "awaiting_confirmation"):
        return Pace.DONE
    if f.lifecycle in ("cancelled", "suspended"):
        return Pace.NOT_APPLICABLE
    share = achieved_share(f.target_kind, f.target_minimum, f.achieved_value)
    if share is None:
        if f.target_kind == "milestone" and (f.achieved_value or 0) >= 1:
            return Pace.ON_TRACK
        return Pace.AT_RISK if now > f.due_at else Pace.NOT_APPLICABLE
    if share >= 1:
        return Pace.ON_TRACK
    if now > f.due_at:
        return Pace.AT_RISK
    boundary = falls_behind_at(f.program_year, f.due_at, share, tolerance_points)
    return Pace.AT_RISK if boundary is not None and now >= boundary else Pace.ON_TRACK
