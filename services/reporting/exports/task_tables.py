"""Table views of tasks and of units: the task list, counts per unit, the year-end evaluation."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reporting.application.report_views import Evaluation
from reporting.application.views import CountsView, TaskView, UnitSummary
from reporting.exports.tables import Badge, Column, Kind, Row, Table
from shared.rules.deadlines import deadline_wording

Link = Callable[[str], str]


def task_columns() -> tuple[Column, ...]:
    return (Column("Mã", width=14), Column("Nhiệm vụ", width=60), Column("Đơn vị chủ trì", width=26),
            Column("Chỉ tiêu", width=32), Column("Kết quả đạt được", Kind.NUMBER, 12),
            Column("Tỷ lệ so với chỉ tiêu", Kind.PERCENT, 12), Column("Thời hạn (theo văn bản)", width=18),
            Column("Hạn hoàn thành", Kind.DATE, 14), Column("Trạng thái", Kind.STATUS, 24),
            Column("Dự báo tiến độ", width=18))


def task_row(task: TaskView, link: Link | None = None, highlight_unit: str | None = None) -> Row:
    values = (task.ref, task.title, task.unit_name, task.target.text or task.target.measure, task.achieved_value,
              task.percent_of_target, deadline_wording(task.deadline.text), task.deadline.due_on,
              Badge(task.status.label, task.status.colour), task.pace.label)
    return Row(values, href=link(str(task.task_id)) if link else None, highlight=task.unit == highlight_unit)


def tasks_table(key: str, title: str, tasks: Sequence[TaskView], *, notes: tuple[str, ...] = (),
                link: Link | None = None, highlight_unit: str | None = None) -> Table:
    return Table(key=key, title=title, columns=task_columns(), notes=notes,
                 rows=[task_row(t, link, highlight_unit) for t in tasks], link_column=1)


def count_columns(sample: CountsView) -> tuple[Column, ...]:
    by_status = tuple(Column(s.label, Kind.INT, 12, colour=s.colour) for s in sample.by_status)
    return (Column("Tổng số", Kind.INT, 9), *by_status, Column("Tỷ lệ hoàn thành", Kind.PERCENT, 12),
            Column("Tỷ lệ hoàn thành đúng hạn", Kind.PERCENT, 12), Column("Vượt chỉ tiêu", Kind.INT, 10),
            Column("Có nguy cơ chậm", Kind.INT, 10))


def count_values(counts: CountsView) -> tuple[object, ...]:
    return (counts.total, *(s.count for s in counts.by_status), counts.completion_rate, counts.on_time_rate,
            counts.exceeding_target, counts.at_risk)


def units_table(key: str, title: str, units: Sequence[UnitSummary], total: CountsView, *,
                notes: tuple[str, ...] = (), link: Link | None = None, highlight_unit: str | None = None) -> Table:
    rows = [Row((u.unit_name, *count_values(u.counts)), href=link(u.unit) if link else None,
                highlight=u.unit == highlight_unit) for u in units]
    return Table(key=key, title=title, columns=(Column("Đơn vị", width=40), *count_columns(total)), rows=rows,
                 notes=notes, footer=("Toàn Sở", *count_values(total)), empty="Không có đơn vị nào có nhiệm vụ.")


def evaluation_table(evaluation: Evaluation, *, link: Link | None = None, highlight_unit: str | None = None
                     ) -> Table:
    columns = (Column("Xếp hạng", Kind.INT, 9), Column("Đơn vị", width=40),
               Column("Nhiệm vụ được giao", Kind.INT, 12), Column("Hoàn thành", Kind.INT, 11),
               Column("Hoàn thành đúng hạn", Kind.INT, 12), Column("Hoàn thành quá hạn", Kind.INT, 12),
               Column("Nhiệm vụ có chỉ tiêu định lượng", Kind.INT, 14), Column("Vượt chỉ tiêu", Kind.INT, 10),
               Column("Tỷ lệ hoàn thành đúng hạn", Kind.PERCENT, 13), Column("Tỷ lệ vượt chỉ tiêu", Kind.PERCENT, 13),
               Column("Tỷ lệ hoàn thành", Kind.PERCENT, 12), Column("Đã hủy", Kind.INT, 8),
               Column("Tạm hoãn", Kind.INT, 9))
    rows = [Row((u.rank, u.unit_name, u.assigned, u.completed, u.completed_on_time, u.completed_late, u.quantitative,
                 u.exceeding_target, u.on_time_share, u.exceeding_share, u.completed_share, u.cancelled, u.suspended),
                href=link(u.unit) if link else None, highlight=u.unit == highlight_unit) for u in evaluation.units]
    return Table(key="units", title=f"Đánh giá kết quả thực hiện nhiệm vụ năm {evaluation.program_year}",
                 columns=columns, rows=rows, notes=(evaluation.rule,), empty="Chưa có đơn vị nào có nhiệm vụ.",
                 link_column=1)
