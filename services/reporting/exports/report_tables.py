"""The tables of a period report and of a briefing, shared by their pages, Excel and the print."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reporting.application.present import unit_name
from reporting.application.report_views import Briefing, PeriodReport
from reporting.application.views import CountsView, RevisionView, TaskView
from reporting.exports.event_tables import activity_table, changes_table, revisions_table
from reporting.exports.formatting import as_of_note
from reporting.exports.tables import Badge, Column, Kind, Row, Table
from reporting.exports.task_tables import tasks_table, units_table
from shared.vn import format_date

Link = Callable[[str], str]


def period_tables(report: PeriodReport, *, task_link: Link | None = None, unit_link: Link | None = None,
                  highlight_unit: str | None = None) -> dict[str, Table]:
    notes = (as_of_note(report.as_of),)
    label = report.period.label

    def tasks(key: str, title: str, views: Sequence[TaskView]) -> Table:
        return tasks_table(key, title, views, notes=notes, link=task_link, highlight_unit=highlight_unit)

    tables = [
        units_table("units", f"Kết quả thực hiện theo đơn vị — {label}", report.units, report.summary, notes=notes,
                    link=unit_link, highlight_unit=highlight_unit),
        tasks("due", f"Nhiệm vụ đến hạn trong kỳ — {label}", report.due_in_period),
        tasks("completed", f"Nhiệm vụ hoàn thành trong kỳ — {label}", report.completed_in_period),
        tasks("overdue", f"Nhiệm vụ quá hạn chưa hoàn thành — {label}", report.overdue),
        tasks("exceeding", f"Nhiệm vụ vượt chỉ tiêu — {label}", report.exceeding),
        _titled(activity_table(report.activity_by_unit, report.activity), f"Hoạt động trong kỳ — {label}", notes),
        revisions_table(report.revisions, title=f"Điều chỉnh chỉ tiêu, thời hạn có hiệu lực trong kỳ — {label}",
                        notes=notes, link=task_link),
    ]
    return {t.key: t for t in tables}


def briefing_tables(briefing: Briefing, *, task_link: Link | None = None, highlight_unit: str | None = None
                    ) -> dict[str, Table]:
    notes = (as_of_note(briefing.as_of),)
    label, following = briefing.window.label, briefing.next_window.label

    def named(org_unit: str) -> str:
        return unit_name(briefing.org, org_unit)

    tables = [
        _titled(changes_table(briefing.changes, named, link=task_link), f"Những thay đổi — {label}", notes),
        tasks_table("overdue", f"Nhiệm vụ quá hạn chưa hoàn thành — {label}", briefing.overdue, notes=notes,
                    link=task_link, highlight_unit=highlight_unit),
        tasks_table("due_next", f"Nhiệm vụ đến hạn kỳ tới — {following}", briefing.due_next, notes=notes,
                    link=task_link, highlight_unit=highlight_unit),
        revisions_table(briefing.revisions, title=f"Điều chỉnh chỉ tiêu, thời hạn được ghi nhận — {label}",
                        notes=notes, link=task_link),
    ]
    return {t.key: t for t in tables}


def compact(table: Table) -> Table:
    """A task table narrowed to what fits a printed A4 page: STT, task, unit, target, due date, status."""
    index = {c.header: i for i, c in enumerate(table.columns)}
    columns = (Column("STT", Kind.INT, 5), Column("Nhiệm vụ", width=60), Column("Đơn vị chủ trì", width=22),
               Column("Chỉ tiêu", width=26), Column("Hạn hoàn thành", width=14), Column("Trạng thái", Kind.STATUS, 18))
    rows = []
    for n, row in enumerate(table.rows, start=1):
        v = row.values
        due = v[index["Hạn hoàn thành"]]
        status = v[index["Trạng thái"]]
        rows.append(Row((n, f"{v[index['Mã']]}. {v[index['Nhiệm vụ']]}", v[index["Đơn vị chủ trì"]],
                         v[index["Chỉ tiêu"]], f"{v[index['Thời hạn (theo văn bản)']]} ({format_date(due)})",
                         status if isinstance(status, Badge) else None)))
    return Table(key=table.key, title=table.title, columns=columns, rows=rows, notes=table.notes, empty=table.empty)


def _titled(table: Table, title: str, notes: tuple[str, ...]) -> Table:
    return Table(key=table.key, title=title, columns=table.columns, rows=table.rows, notes=notes, empty=table.empty,
                 footer=table.footer, link_column=table.link_column)


def compact_units(report: PeriodReport) -> Table:
    """Counts per unit narrowed for print: done (on time, late), in progress (on time, overdue), rates."""
    columns = (Column("STT", Kind.INT, 5), Column("Đơn vị", width=36), Column("Tổng số", Kind.INT, 8),
               Column("Hoàn thành đúng hạn", Kind.INT, 10), Column("Hoàn thành quá hạn", Kind.INT, 10),
               Column("Đang thực hiện trong hạn", Kind.INT, 10), Column("Đang thực hiện quá hạn", Kind.INT, 10),
               Column("Chưa thực hiện", Kind.INT, 10), Column("Tỷ lệ hoàn thành", Kind.PERCENT, 11),
               Column("Tỷ lệ đúng hạn", Kind.PERCENT, 11))

    def values(counts: CountsView) -> tuple[object, ...]:
        n = {s.code: s.count for s in counts.by_status}
        return (counts.total, n["completed_on_time"], n["completed_late"], n["in_progress_on_time"] + n["due_soon"],
                n["in_progress_overdue"], n["not_started"], counts.completion_rate, counts.on_time_rate)

    rows = [Row((i, u.unit_name, *values(u.counts))) for i, u in enumerate(report.units, start=1)]
    return Table(key="units", title="Kết quả thực hiện theo đơn vị", columns=columns, rows=rows,
                 footer=(None, "Toàn Sở", *values(report.summary)), notes=(as_of_note(report.as_of),))


def compact_revisions(report: PeriodReport) -> Table:
    columns = (Column("STT", Kind.INT, 5), Column("Mã, đơn vị", width=24), Column("Nội dung điều chỉnh", width=50),
               Column("Lý do", width=30), Column("Văn bản phê duyệt", width=28), Column("Ngày hiệu lực", Kind.DATE, 12))
    rows = [Row((i, f"{r.ref} — {r.unit_name}", revision_summary(r), r.reason, f"{r.document} ({r.approved_by})",
                 r.effective_on)) for i, r in enumerate(report.revisions, start=1)]
    return Table(key="revisions", title="Điều chỉnh chỉ tiêu, thời hạn có hiệu lực trong kỳ", columns=columns,
                 rows=rows, empty="Không có điều chỉnh nào trong kỳ.")


def revision_summary(r: RevisionView) -> str:
    """Only what changed: "Chỉ tiêu: ít nhất 10 → ít nhất 12 doanh nghiệp; thời hạn: 6/2025 → 9/2025"."""
    parts = []
    if r.old_target != r.new_target:
        parts.append(f"Chỉ tiêu: {r.old_target or '(không ghi)'} → {r.new_target or '(không ghi)'}")
    if r.old_deadline != r.new_deadline or r.old_due_at != r.new_due_at:
        parts.append(f"Thời hạn: {r.old_deadline or format_date(r.old_due_at)} → "
                     f"{r.new_deadline or format_date(r.new_due_at)}")
    return "; ".join(parts)
