"""The read models built from a published story, read through the query functions (what the JSON API
and the dashboard call): status now and on a past day, history and chart, period report, briefing,
year-end evaluation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from reporting.application import queries, reports
from shared.periods import ReportingPeriod
from shared.rules.briefings import WindowKind
from shared.status import TaskStatus
from shared.vn import end_of_day
from tests.integration.reporting.conftest import Reporting
from tests.unit.reporting.builders import ORG, TaskScript, at, at_least, between, due_on, milestone, qualitative

NOW = at(date(2025, 7, 20))


class Program:
    """Four tasks of 2025 and what happened to them."""

    def __init__(self) -> None:
        self.a = TaskScript("QL-KH-01", "ql-kh", target=at_least(10), deadline=due_on(date(2025, 6, 30)),
                            title="Hỗ trợ doanh nghiệp đổi mới công nghệ")
        self.b = TaskScript("VP-02", "vp", target=between(1, 2, "lớp"), deadline=due_on(date(2025, 3, 31)),
                            title="Tổ chức lớp tập huấn")
        self.c = TaskScript("TT-CNTT-01", "tt-cntt", target=milestone(), deadline=due_on(date(2025, 6, 30)),
                            title="Ban hành kế hoạch chuyển đổi số")
        self.d = TaskScript("KH-TC-01", "kh-tc", target=qualitative(), deadline=due_on(date(2025, 12, 31)),
                            title="Nâng cao chất lượng tham mưu")

    def events(self) -> list[Any]:
        a, b, c, d = self.a, self.b, self.c, self.d
        return [
            a.registered(at(date(2025, 1, 10))), b.registered(at(date(2025, 1, 10))),
            c.registered(at(date(2025, 1, 10))), d.registered(at(date(2025, 1, 10))),
            a.progress(4, date(2025, 3, 15)), b.progress(1, date(2025, 3, 20)),
            c.reassigned("vp", at(date(2025, 4, 2))),
            a.revised(at(date(2025, 5, 6)), target=at_least(8), deadline=due_on(date(2025, 9, 30))),
            d.cancelled(at(date(2025, 5, 20))), a.progress(9, date(2025, 6, 25)), c.progress(1, date(2025, 7, 1)),
            c.requested(date(2025, 7, 1)), c.confirmed(at(date(2025, 7, 3))),
            a.requested(date(2025, 7, 10)), a.confirmed(at(date(2025, 7, 15))),
        ]


@pytest.fixture
async def program(reporting: Reporting) -> Program:
    p = Program()
    await reporting.publish(p.events())
    await reporting.catch_up()
    return p


def by_ref(views: list[Any]) -> dict[str, Any]:
    return {v.ref: v for v in views}


async def test_status_now_and_on_a_past_day(reporting: Reporting, program: Program) -> None:
    now = by_ref(await queries.task_list(reporting.reads, ORG, now=NOW, year=2025))
    assert {ref: v.status.code for ref, v in now.items()} == {
        "QL-KH-01": "completed_on_time", "VP-02": "in_progress_overdue", "TT-CNTT-01": "completed_late",
        "KH-TC-01": "cancelled"}
    a = now["QL-KH-01"]
    assert (a.achieved_value, a.percent_of_target, a.exceeds_target, a.over_achievement, a.revisions) == (
        9.0, 112.5, True, 1.0, 1)
    assert (now["TT-CNTT-01"].unit, now["TT-CNTT-01"].unit_name) == ("vp", "Văn phòng Sở")

    end_of_march = by_ref(await queries.task_list(reporting.reads, ORG, now=NOW, as_of=end_of_day(date(2025, 3, 31))))
    assert end_of_march["TT-CNTT-01"].unit == "tt-cntt"  # reassigned in April
    assert end_of_march["QL-KH-01"].target.minimum == 10 and end_of_march["QL-KH-01"].achieved_value == 4
    assert end_of_march["VP-02"].status.code == "due_soon"  # due that very day
    assert end_of_march["KH-TC-01"].status.code == "not_started"


async def test_filters_by_unit_status_and_accent_free_search(reporting: Reporting, program: Program) -> None:
    reads = reporting.reads
    assert [v.ref for v in await queries.task_list(reads, ORG, now=NOW, unit="vp")] == ["TT-CNTT-01", "VP-02"]
    overdue = await queries.task_list(reads, ORG, now=NOW, status=TaskStatus.IN_PROGRESS_OVERDUE)
    assert [v.ref for v in overdue] == ["VP-02"]
    assert [v.ref for v in await queries.task_list(reads, ORG, now=NOW, search="doi moi cong nghe")] == ["QL-KH-01"]


async def test_a_task_page_has_its_history_chart_and_revisions(reporting: Reporting, program: Program) -> None:
    detail = await queries.task_detail(reporting.reads, ORG, program.a.task_id, now=NOW)
    assert [h.event_label for h in detail.history] == [
        "Giao nhiệm vụ", "Báo cáo tiến độ", "Điều chỉnh chỉ tiêu, thời hạn", "Báo cáo tiến độ",
        "Đề nghị xác nhận hoàn thành", "Xác nhận hoàn thành"]
    assert [(p.as_of, p.achieved_value, p.percent_of_target) for p in detail.chart] == [
        (date(2025, 3, 15), 4.0, 40.0), (date(2025, 6, 25), 9.0, 112.5)]
    (revision,) = detail.revisions
    assert (revision.old_target, revision.new_target, revision.document, revision.target_lowered) == (
        "ít nhất 10 doanh nghiệp", "ít nhất 8 doanh nghiệp", "Số: 123/QĐ-SKHCN", True)
    with pytest.raises(queries.NotFound):
        await queries.task_detail(reporting.reads, ORG, program.a.task_id.__class__(int=1), now=NOW)


async def test_program_and_unit_summaries(reporting: Reporting, program: Program) -> None:
    summary = await queries.program_summary(reporting.reads, ORG, now=NOW, year=2025)
    assert (summary.total.total, summary.total.counted, summary.total.completed) == (4, 3, 2)
    assert summary.total.on_time_rate == pytest.approx(100 / 3)
    vp = next(u for u in summary.units if u.unit == "vp")
    assert {s.code: s.count for s in vp.counts.by_status if s.count} == {"completed_late": 1, "in_progress_overdue": 1}
    assert (await queries.unit_summary(reporting.reads, ORG, "ql-kh", now=NOW)).counts.exceeding_target == 1


async def test_the_second_quarter_report_is_as_it_stood_on_30_june(reporting: Reporting, program: Program) -> None:
    report = await reports.period_report(reporting.reads, ORG, ReportingPeriod.parse("2025-Q2"), now=NOW)
    assert (report.period.label, report.final, report.as_of) == ("Quý II/2025", True, end_of_day(date(2025, 6, 30)))
    assert [t.ref for t in report.overdue] == ["VP-02"]
    assert [t.ref for t in report.due_in_period] == ["TT-CNTT-01"]  # QL-KH-01 was moved to 30/09 in May
    assert report.due_in_period[0].status.code == "due_soon"
    assert (report.activity.progress_reports, report.activity.revisions, report.activity.cancellations,
            report.activity.reassignments_in) == (1, 1, 1, 1)
    assert [r.ref for r in report.revisions] == ["QL-KH-01"] and report.place == "Quảng Trị"
    july = await reports.period_report(reporting.reads, ORG, ReportingPeriod.parse("2025-07"), now=NOW)
    assert (july.final, july.activity.completions, july.activity.completed_on_time) == (False, 2, 1)
    assert sorted(t.ref for t in july.completed_in_period) == ["QL-KH-01", "TT-CNTT-01"]


async def test_the_monthly_briefing_of_july(reporting: Reporting, program: Program) -> None:
    briefing = await reports.briefing(reporting.reads, ORG, WindowKind.MONTH, date(2025, 7, 9), now=NOW)
    assert (briefing.window.label, briefing.next_window.label) == ("Tháng 7/2025", "Tháng 8/2025")
    assert [(c.ref, c.event_type) for c in briefing.changes] == [
        ("QL-KH-01", "CompletionConfirmed"), ("QL-KH-01", "CompletionRequested"),
        ("TT-CNTT-01", "CompletionConfirmed"), ("TT-CNTT-01", "CompletionRequested"),
        ("TT-CNTT-01", "ProgressReported")]
    assert [t.ref for t in briefing.overdue] == ["VP-02"] and briefing.revisions == []
    may = await reports.briefing(reporting.reads, ORG, WindowKind.MONTH, date(2025, 5, 1), now=NOW)
    assert [r.ref for r in may.revisions] == ["QL-KH-01"]
    assert [t.ref for t in may.due_next] == ["TT-CNTT-01"]  # falls due in June
    with pytest.raises(queries.InvalidQuery):
        await reports.briefing(reporting.reads, ORG, WindowKind.WEEK, date(2025, 8, 1), now=NOW)


async def test_year_end_evaluation_counts_each_task_for_its_current_unit(reporting: Reporting,
                                                                         program: Program) -> None:
    evaluation = await reports.year_end_evaluation(reporting.reads, ORG, 2025)
    units = {u.unit: u for u in evaluation.units}
    assert (units["ql-kh"].rank, units["ql-kh"].on_time_share, units["ql-kh"].exceeding_share) == (1, 100.0, 100.0)
    assert (units["vp"].assigned, units["vp"].completed_late, units["vp"].on_time_share) == (2, 1, 0.0)
    assert "tt-cntt" not in units and (units["kh-tc"].assigned, units["kh-tc"].cancelled) == (0, 1)
    assert "không tính nhiệm vụ đã hủy" in evaluation.rule
