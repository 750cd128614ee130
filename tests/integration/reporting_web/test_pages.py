"""The dashboard's pages over real read models, on 10/07/2025: the overview with its filters and its
past days, a unit's page, a task's page with its chart and history, revisions, period reports with the
printable official report, the briefings and the year-end evaluation."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.integration.reporting_web.conftest import Headers
from tests.integration.reporting_web.html import column, tables, text
from tests.unit.reporting_web.scenario import TASK_IDS

ALL = ["QL-CNDMST-01", "QL-KH-01", "QL-TDC-01", "TT-CGCN-01", "VP-01"]


def _page(client: TestClient, url: str, headers: dict[str, str], status: int = 200) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == status, response.text[:2000]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def test_the_overview_shows_every_status_in_its_colour_and_the_rates(client: TestClient, signed_in: Headers) -> None:
    html = _page(client, "/dashboard", signed_in("office", "vp"))
    page = text(html)
    assert "Chương trình công tác trọng tâm năm 2025" in page and "Số liệu tính đến ngày 10/07/2025" in page
    assert "5 Tổng số nhiệm vụ" in page and "40,00% Tỷ lệ hoàn thành" in page
    assert "20,00% Tỷ lệ hoàn thành đúng hạn" in page and "1 Vượt chỉ tiêu" in page
    rows = tables(html)
    assert column(rows["tasks"], "Mã") == ALL
    assert column(rows["tasks"], "Trạng thái") == ["Đang thực hiện trong hạn", "Hoàn thành đúng hạn",
                                                    "Hoàn thành quá hạn", "Chưa thực hiện", "Đang thực hiện quá hạn"]
    assert column(rows["tasks"], "Hạn hoàn thành")[0] == "30/09/2025"
    assert column(rows["tasks"], "Tỷ lệ so với chỉ tiêu")[:3] == ["58,33%", "100,00%", "300,00%"]
    assert rows["units"][-1][:2] == ["Toàn Sở", "5"]
    for code, colour in (("in_progress_overdue", "#c62828"), ("completed_on_time", "#2e7d32"),
                         ("completed_late", "#e65100"), ("in_progress_on_time", "#1565c0"), ("not_started", "#6b6b6b")):
        assert re.search(f'fill="{colour}" data-status="{code}"', html), code


def test_unit_staff_see_the_whole_program_with_their_unit_highlighted(client: TestClient,
                                                                       signed_in: Headers) -> None:
    html = _page(client, "/dashboard", signed_in("unit_staff", "ql-kh"))
    assert column(tables(html)["tasks"], "Mã") == ALL
    highlighted = re.findall(r'<tr class="own">\s*<td class="k-text">([^<]+)</td>', html)
    assert highlighted == ["QL-KH-01"]
    assert '<a href="/units/ql-kh">Đơn vị của tôi</a>' in html


def test_filters_by_unit_status_period_and_accent_free_text(client: TestClient, signed_in: Headers) -> None:
    office = signed_in("office", "vp")

    def refs(query: str) -> list[str]:
        return column(tables(_page(client, f"/dashboard?{query}", office))["tasks"], "Mã")

    assert refs("unit=ql-kh") == ["QL-KH-01"]
    assert refs("status=in_progress_overdue") == ["VP-01"]
    assert refs("period=2025-Q1") == ["VP-01"]
    assert refs("period=2025-Q2") == ["QL-KH-01", "QL-TDC-01"]
    assert refs("q=doi+moi+sang+tao") == ["QL-CNDMST-01"]
    assert refs("q=NGHI+QUYET") == ["QL-KH-01"]
    assert "Lọc theo — Đơn vị: Phòng Quản lý khoa học." in text(_page(client, "/dashboard?unit=ql-kh", office))


def test_a_bad_filter_gets_an_error_page_naming_it(client: TestClient, signed_in: Headers) -> None:
    for query, field in (("status=xong", "status"), ("period=2025-Q5", "period"), ("as_of=10/07/2025", "as_of"),
                         ("unit=khong-co", "unit"), ("year=20x5", "year"), ("q=bad%00text", "q"),
                         ("unit=ql%E2%80%AEkh", "unit")):
        html = _page(client, f"/dashboard?{query}", signed_in("office", "vp"), status=400)
        assert f'data-field="{field}"' in html


def test_a_past_day_shows_the_dashboard_as_it_stood_then(client: TestClient, signed_in: Headers) -> None:
    html = _page(client, "/dashboard?as_of=2025-06-26", signed_in("inspector", "thanh-tra"))
    assert "Số liệu tính đến ngày 26/06/2025" in text(html)
    statuses = dict(zip(column(tables(html)["tasks"], "Mã"), column(tables(html)["tasks"], "Trạng thái"), strict=True))
    assert statuses["QL-KH-01"] == "Chờ xác nhận"  # requested on 25/06, confirmed on 27/06
    assert statuses["QL-CNDMST-01"] == "Đang thực hiện trong hạn"
    assert column(tables(html)["tasks"], "Kết quả đạt được")[0] == "4"  # the 30/06 report was not in yet


def test_a_units_page_counts_its_tasks(client: TestClient, signed_in: Headers) -> None:
    html = _page(client, "/units/ql-tdc", signed_in("unit_head", "ql-tdc"))
    assert "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng" in text(html) and "Đơn vị của tôi" in text(html)
    assert column(tables(html)["tasks"], "Trạng thái") == ["Hoàn thành quá hạn"]
    assert "1 Vượt chỉ tiêu" in text(html)


def test_a_task_page_shows_its_facts_chart_and_full_history(client: TestClient, signed_in: Headers) -> None:
    html = _page(client, f"/tasks/{TASK_IDS['QL-CNDMST-01']}", signed_in("board", "bgd"))
    page = text(html)
    assert "Thời hạn (theo văn bản) 9/2025" in page and "Hạn hoàn thành 30/09/2025" in page
    assert "Chỉ tiêu ít nhất 12 doanh nghiệp" in page and "7 doanh nghiệp — 58,33% so với chỉ tiêu" in page
    assert re.findall(r"<title>([^<]+)</title></circle>", html) == ["31/03/2025: 40,00%", "30/06/2025: 58,33%"]
    history = tables(html)["history"]
    assert column(history, "Thay đổi") == ["Giao nhiệm vụ", "Báo cáo tiến độ", "Điều chỉnh chỉ tiêu, thời hạn",
                                           "Báo cáo tiến độ"]
    revision = history[3]
    assert revision[history[0].index("Người thực hiện")] == "Trần Ngọc Lâm"
    assert revision[history[0].index("Thời điểm ghi nhận")] == "10:00 05/05/2025"
    assert "Điều chỉnh theo thực tế" in revision[history[0].index("Nội dung, lý do")]
    assert revision[history[0].index("Phê duyệt")] == "Trần Ngọc Lâm — Số: 123/QĐ-SKHCN, ký ngày 02/05/2025"


def test_an_unknown_task_is_a_404_page(client: TestClient, signed_in: Headers) -> None:
    html = _page(client, "/tasks/00000000-0000-0000-0000-000000000000", signed_in("office", "vp"), status=404)
    assert "Không tìm thấy" in html


def test_revisions_list_their_approval(client: TestClient, signed_in: Headers) -> None:
    rows = tables(_page(client, "/revisions?period=2025-Q2", signed_in("office", "vp")))["revisions"]
    assert column(rows, "Mã") == ["QL-CNDMST-01"] and column(rows, "Văn bản") == ["Số: 123/QĐ-SKHCN"]
    assert column(rows, "Chỉ tiêu mới") == ["ít nhất 12 doanh nghiệp"]
    assert tables(_page(client, "/revisions?period=2025-Q3", signed_in("office", "vp"))) == {}


def test_a_period_report_and_its_printable_official_report(client: TestClient, signed_in: Headers) -> None:
    html = _page(client, "/reports?period=2025-Q2", signed_in("office", "vp"))
    assert "Báo cáo Quý II/2025" in text(html) and 'href="/reports/print?period=2025-Q2"' in html
    assert column(tables(html)["due"], "Mã") == ["QL-KH-01", "QL-TDC-01"]
    printed = text(_page(client, "/reports/print?period=2025-Q2", signed_in("office", "vp")))
    for line in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
                 "Số: …/BC-SKHCN", "Quảng Trị, ngày 10 tháng 7 năm 2025", "BÁO CÁO", "GIÁM ĐỐC"):
        assert line in printed, line
    assert "Kết quả thực hiện Chương trình công tác trọng tâm — Quý II/2025" in printed


def test_the_weekly_and_monthly_briefings(client: TestClient, signed_in: Headers) -> None:
    html = _page(client, "/briefings/week?day=2025-06-25", signed_in("office", "vp"))
    assert "Trực báo tuần — Tuần từ 23/06/2025 đến 29/06/2025" in text(html)
    changes = tables(html)["changes"]
    assert column(changes, "Thay đổi") == ["Xác nhận hoàn thành", "Đề nghị xác nhận hoàn thành"]
    month = _page(client, "/briefings/month?day=2025-06-01", signed_in("office", "vp"))
    assert "Trực báo tháng — Tháng 6/2025" in text(month)
    assert len(tables(month)["changes"]) == 1 + 7 and column(tables(month)["overdue"], "Mã") == ["VP-01"]
    assert "due_next" not in tables(month) and "Nhiệm vụ đến hạn kỳ tới — Tháng 7/2025" in text(month)
    assert _page(client, "/briefings/day", signed_in("office", "vp"), status=404)


def test_the_year_end_evaluation_states_its_rule(client: TestClient, signed_in: Headers) -> None:
    html = _page(client, "/evaluation?year=2025", signed_in("board", "bgd"))
    page = text(html)
    assert "Quy tắc đánh giá" in page and "Tỷ lệ hoàn thành đúng hạn = số nhiệm vụ" in page
    ranking = tables(html)["units"]
    assert ranking[1][:2] == ["1", "Phòng Quản lý khoa học"]  # the only unit completing on time
