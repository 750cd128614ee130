"""Charts drawn as inline SVG on the server: no script, nothing fetched, and they print.

`status_bar` is the program's tasks by status in the official colours; `progress_chart` is a task's
reported progress over time against its target, its linear pace and its deadline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup, escape

from reporting.application.views import ChartPoint, CountsView, TaskView
from reporting.exports.formatting import colour, number, percent
from shared.vn import format_date

W, H = 680, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 20, 18, 40
TICKS = 4


def nice_step(highest: float) -> float:
    """The smallest round step (1, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) with TICKS steps reaching `highest`."""
    magnitude = 10 ** math.floor(math.log10(highest / TICKS)) if highest > 0 else 1
    return next(m * magnitude for m in (1, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * magnitude * TICKS >= highest)


def status_bar(counts: CountsView, width: int = 1000, height: int = 30) -> Markup:
    """One bar split by status, each part as wide as its share; a tooltip names it."""
    shown = [s for s in counts.by_status if s.count]
    if not shown:
        return Markup('<p class="empty">Không có nhiệm vụ nào.</p>')
    parts, x = [], 0.0
    for s in shown:
        w = s.count / counts.total * width
        parts.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{colour(s.colour)}" '
                     f'data-status="{s.code}"><title>{escape(s.label)}: {s.count}</title></rect>')
        x += w
    return Markup(f'<svg class="status-bar" viewBox="0 0 {width} {height}" preserveAspectRatio="none" role="img" '
                  f'aria-label="Cơ cấu nhiệm vụ theo trạng thái">{"".join(parts)}</svg>')


@dataclass(frozen=True)
class Frame:
    """Days on x (from `start` to `end`), values on y (0 to `top`), mapped into the drawing area."""

    start: date
    end: date
    top: float

    def x(self, day: date) -> float:
        span = max((self.end - self.start).days, 1)
        return LEFT + (day - self.start).days / span * (W - LEFT - RIGHT)

    def y(self, value: float) -> float:
        return TOP + (1 - value / self.top) * (H - TOP - BOTTOM)


def progress_chart(task: TaskView, points: list[ChartPoint]) -> Markup:
    """Percent of target over time for a numeric target; the value itself (1 = done) otherwise."""
    values = [(p.as_of, v) for p in points if (v := _value(p)) is not None]
    if not values:
        return Markup('<p class="empty">Chưa có báo cáo tiến độ nào có số liệu.</p>')
    in_percent = any(p.percent_of_target is not None for p in points)
    first = date(task.program_year, 1, 1)
    start = min(first, values[0][0])
    end = max(task.deadline.due_on, values[-1][0]) + timedelta(days=3)
    step = nice_step(max([100.0 if in_percent else 1.0, *(v for _, v in values)]))
    frame = Frame(start, end, step * TICKS)
    body = [*_axes(frame, in_percent), *_guides(frame, task, in_percent, first), _series(frame, values, in_percent)]
    label = "Diễn biến tiến độ theo thời gian"
    return Markup(f'<svg class="progress-chart" viewBox="0 0 {W} {H}" role="img" aria-label="{label}">'
                  f'{"".join(body)}</svg>')


def _value(point: ChartPoint) -> float | None:
    return point.percent_of_target if point.percent_of_target is not None else point.achieved_value


def _axes(f: Frame, in_percent: bool) -> list[str]:
    out = [f'<line class="axis" x1="{LEFT}" y1="{f.y(0):.1f}" x2="{W - RIGHT}" y2="{f.y(0):.1f}"/>',
           f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{f.y(0):.1f}"/>']
    for i in range(TICKS + 1):
        v = f.top * i / TICKS
        text = f"{number(v)}%" if in_percent else number(v)
        out.append(f'<line class="grid" x1="{LEFT}" y1="{f.y(v):.1f}" x2="{W - RIGHT}" y2="{f.y(v):.1f}"/>'
                   f'<text class="tick" x="{LEFT - 6}" y="{f.y(v) + 4:.1f}" text-anchor="end">{text}</text>')
    for i in range(TICKS + 1):
        day = f.start + timedelta(days=round((f.end - f.start).days * i / TICKS))
        anchor = "start" if i == 0 else "end" if i == TICKS else "middle"
        out.append(f'<text class="tick" x="{f.x(day):.1f}" y="{H - BOTTOM + 16}" text-anchor="{anchor}">'
                   f'{format_date(day)}</text>')
    return out


def _guides(f: Frame, task: TaskView, in_percent: bool, first: date) -> list[str]:
    due = task.deadline.due_on
    out = [f'<line class="deadline" x1="{f.x(due):.1f}" y1="{TOP}" x2="{f.x(due):.1f}" y2="{f.y(0):.1f}"/>'
           f'<text class="guide-label deadline-label" x="{f.x(due) - 4:.1f}" y="{TOP + 10}" text-anchor="end">'
           f'Hạn {format_date(due)}</text>']
    if in_percent:
        out.append(f'<line class="target" x1="{LEFT}" y1="{f.y(100):.1f}" x2="{W - RIGHT}" y2="{f.y(100):.1f}"/>'
                   f'<text class="guide-label target-label" x="{LEFT + 4}" y="{f.y(100) - 4:.1f}">Chỉ tiêu (100%)'
                   f'</text><line class="pace" x1="{f.x(first):.1f}" y1="{f.y(0):.1f}" x2="{f.x(due):.1f}" '
                   f'y2="{f.y(100):.1f}"><title>Tiến độ tuyến tính</title></line>')
    return out


def _series(f: Frame, values: list[tuple[date, float]], in_percent: bool) -> str:
    coords = " ".join(f"{f.x(d):.1f},{f.y(v):.1f}" for d, v in values)
    dots = "".join(f'<circle class="point" cx="{f.x(d):.1f}" cy="{f.y(v):.1f}" r="4"><title>{format_date(d)}: '
                   f'{percent(v) if in_percent else number(v)}</title></circle>' for d, v in values)
    return f'<polyline class="series" points="{coords}"/>{dots}'
