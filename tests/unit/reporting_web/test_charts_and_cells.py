"""What the pages print: cells the Vietnamese way, history in words, and the inline SVG charts."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from reporting.application.present import assessed, counts_view
from reporting.application.views import ChartPoint, HistoryEntry
from reporting.domain.summary import count
from reporting.exports.event_tables import approval_text, describe
from reporting.exports.formatting import COLOURS, cell_text, number
from reporting.exports.tables import Badge, Kind
from reporting.web.charts import nice_step, progress_chart, status_bar
from tests.unit.reporting_web.scenario import NOW, by_ref, states, task_views


@pytest.mark.parametrize(("value", "kind", "text"), [
    (98.6234, Kind.PERCENT, "98,62%"), (1234567, Kind.INT, "1.234.567"), (4.5, Kind.NUMBER, "4,5"),
    (12.0, Kind.NUMBER, "12"), (date(2025, 3, 5), Kind.DATE, "05/03/2025"),
    (datetime.fromisoformat("2025-12-24T08:00:00+00:00"), Kind.DATETIME, "15:00 24/12/2025"),
    (Badge("Hoàn thành đúng hạn", "green"), Kind.STATUS, "Hoàn thành đúng hạn"), (None, Kind.PERCENT, ""),
])
def test_cells_are_written_the_vietnamese_way(value: object, kind: Kind, text: str) -> None:
    assert cell_text(value, kind) == text


def test_numbers_drop_trailing_zero_decimals() -> None:
    assert [number(v) for v in (3, 3.10, 0.25, 1500.5)] == ["3", "3,1", "0,25", "1.500,5"]


def _entry(event_type: str, note: str, details: dict[str, object]) -> HistoryEntry:
    at = datetime.fromisoformat("2025-05-05T03:00:00+00:00")
    return HistoryEntry(version=3, event_type=event_type, event_label="", unit="ql-cndmst", recorded_at=at,
                        effective_at=at, as_of=date(2025, 5, 5), actor_name="Trần Ngọc Lâm", actor_role="board",
                        note=note, achieved_value=None, percent_of_target=None, details=details)


def test_a_revision_is_told_by_what_changed_and_its_approval() -> None:
    approval = {"approved_by": "Trần Ngọc Lâm", "document": "Số: 123/QĐ-SKHCN", "signed_on": "2025-05-02"}
    entry = _entry("TargetRevised", "Điều chỉnh theo thực tế", {
        "old_target": "ít nhất 10 doanh nghiệp", "new_target": "ít nhất 12 doanh nghiệp", "old_deadline": "9/2025",
        "new_deadline": "9/2025", "effective_on": "2025-05-05", "approval": approval})
    assert describe(entry, str) == ("Điều chỉnh theo thực tế; Chỉ tiêu: ít nhất 10 doanh nghiệp → ít nhất 12 doanh "
                                    "nghiệp; Hiệu lực từ 05/05/2025")
    assert approval_text(approval) == "Trần Ngọc Lâm — Số: 123/QĐ-SKHCN, ký ngày 02/05/2025"


def test_a_report_and_a_proposal_name_their_evidence_files() -> None:
    files = [{"name": "bao-cao.pdf", "media_type": "application/pdf", "size": 10, "sha256": "0" * 64}]
    report = _entry("ProgressReported", "", {"period": "2025-06", "evidence": ["BC số 30"], "evidence_files": files})
    assert describe(report, str) == "Kỳ báo cáo: 2025-06; Minh chứng: BC số 30, bao-cao.pdf"
    proposal = _entry("RevisionProposed", "Chờ kinh phí", {"new_target": None, "new_deadline": "Quý IV/2025",
                                                           "evidence_files": files})
    assert describe(proposal, str) == "Chờ kinh phí; Thời hạn đề xuất: Quý IV/2025; Minh chứng: bao-cao.pdf"


def test_a_reassignment_names_both_units() -> None:
    entry = _entry("TaskReassigned", "Hợp nhất", {"from_unit": "a", "to_unit": "b", "approval": None})
    assert describe(entry, {"a": "Sở Thông tin và Truyền thông", "b": "Văn phòng Sở"}.__getitem__) == (
        "Hợp nhất; Từ Sở Thông tin và Truyền thông sang Văn phòng Sở")


def test_the_status_bar_gives_each_status_its_share_and_official_colour() -> None:
    svg = str(status_bar(counts_view(count(assessed(states(), NOW))), width=1000))
    parts = re.findall(r'<rect x="[\d.]+" y="0" width="([\d.]+)" height="30" fill="(#\w+)" data-status="(\w+)"', svg)
    assert {code: (float(w), fill) for w, fill, code in parts} == {
        "completed_on_time": (200.0, COLOURS["green"][0]), "completed_late": (200.0, COLOURS["orange"][0]),
        "in_progress_on_time": (200.0, COLOURS["blue"][0]), "in_progress_overdue": (200.0, COLOURS["red"][0]),
        "not_started": (200.0, COLOURS["grey"][0])}
    assert "<title>Đang thực hiện quá hạn: 1</title>" in svg


def test_the_progress_chart_plots_each_report_against_the_target_pace_and_deadline() -> None:
    task = by_ref(task_views(), "QL-CNDMST-01")
    points = [ChartPoint(as_of=date(2025, 3, 31), achieved_value=4, percent_of_target=40.0, recorded_at=NOW),
              ChartPoint(as_of=date(2025, 6, 30), achieved_value=7, percent_of_target=58.33, recorded_at=NOW)]
    svg = str(progress_chart(task, points))
    assert re.findall(r"<title>([^<]+)</title></circle>", svg) == ["31/03/2025: 40,00%", "30/06/2025: 58,33%"]
    assert "Hạn 30/09/2025" in svg and "Chỉ tiêu (100%)" in svg and "<title>Tiến độ tuyến tính</title>" in svg
    ys = [float(y) for y in re.findall(r'<circle class="point" cx="[\d.]+" cy="([\d.]+)"', svg)]
    assert ys[0] > ys[1]  # higher progress is drawn higher up


def test_a_milestone_is_plotted_as_done_or_not_without_a_percentage_scale() -> None:
    task = by_ref(task_views(), "VP-01")
    svg = str(progress_chart(task, [ChartPoint(as_of=date(2025, 2, 1), achieved_value=0, percent_of_target=None,
                                               recorded_at=NOW)]))
    assert "Chỉ tiêu (100%)" not in svg and "01/02/2025: 0" in svg and "Hạn 31/03/2025" in svg


def test_without_reports_the_chart_says_so() -> None:
    assert "Chưa có báo cáo tiến độ" in str(progress_chart(by_ref(task_views(), "TT-CGCN-01"), []))


@pytest.mark.parametrize(("highest", "step"), [(100, 25), (108.33, 30), (300, 80), (1, 0.25), (7, 2)])
def test_the_scale_uses_round_steps(highest: float, step: float) -> None:
    assert nice_step(highest) == step
