"""The dashboard end to end, in headless Chromium, over the real stack as processes: the seeded 2025
program renders (50 tasks, Vietnamese labels), a progress report made over the commitments API shows
on the task page (chart and history), and the Excel export downloads and opens with openpyxl."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect, sync_playwright

from shared.vn import format_date, utc_now
from tests.e2e.dashboard_stack import camket, delete_streams, drop_schema, start_reporting, wait_for_tasks
from tests.e2e.support import ServiceProcess

CHROMIUM = "/usr/bin/chromium"
TASK_COLUMNS = ["Mã", "Nhiệm vụ", "Đơn vị chủ trì", "Chỉ tiêu", "Kết quả đạt được", "Tỷ lệ so với chỉ tiêu",
                "Thời hạn (theo văn bản)", "Hạn hoàn thành", "Trạng thái", "Dự báo tiến độ"]


@pytest.fixture
def stack(commitments: ServiceProcess, base_env: dict[str, str], database_url: str, nats_url: str,
          subject_prefix: str) -> Iterator[ServiceProcess]:
    """Seeded commitments, the publisher and the reporting service, each a process."""
    schema = f"t_rep_{uuid.uuid4().hex[:10]}"
    assert "registered 50" in camket(base_env, "seed")
    publisher = ServiceProcess(["publisher"], base_env).start()
    reporting = None
    try:
        reporting = start_reporting(base_env, schema)
        yield reporting
    finally:
        for process in (reporting, publisher):
            if process is not None:
                process.stop()
        drop_schema(database_url, schema)
        delete_streams(nats_url, subject_prefix)


@pytest.fixture
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield launched
        launched.close()


def _sign_in(page: Page, url: str, token: str) -> None:
    page.goto(f"{url}/dashboard")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fdashboard$"))
    page.fill("#token", token)
    page.click("form[action='/login'] button[type=submit]")
    expect(page).to_have_url(f"{url}/dashboard")


def _open_at_version(page: Page, url: str, version: int, bound: float = 120) -> None:
    """The task page once the read model has `version`: the page itself waits a few seconds for it
    (read your writes) and says "Đang cập nhật…" while it has not; on a loaded machine the event may
    take longer to travel (event store → publisher → NATS → reporting), so ask again, bounded."""
    deadline = time.monotonic() + bound
    page.goto(f"{url}?v={version}")
    while page.locator(".updating").count() and time.monotonic() < deadline:
        page.goto(f"{url}?v={version}")
    expect(page.locator(".updating")).to_have_count(0)


def test_dashboard_of_the_seeded_program_progress_and_excel(stack: ServiceProcess, browser: Browser,
                                                            commitments: ServiceProcess, base_env: dict[str, str],
                                                            tmp_path: Path) -> None:
    office, staff = (camket(base_env, "mint-token", "--role", role) for role in ("office", "unit_staff"))
    tasks = {t["ref"]: t for t in wait_for_tasks(stack.url, office, 50)}
    context = browser.new_context(locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    _sign_in(page, stack.url, office)
    assert next(c for c in context.cookies() if c["name"] == "camket_session")["httpOnly"]

    # The seeded 2025 program: 50 tasks, Vietnamese labels.
    expect(page.locator("h1")).to_have_text("Chương trình công tác trọng tâm năm 2025")
    expect(page.locator("table[data-key=tasks] tbody tr")).to_have_count(50)
    expect(page.locator(".kpi").first.locator(".v")).to_have_text("50")
    expect(page.locator(".kpi").first.locator(".l")).to_have_text("Tổng số nhiệm vụ")
    assert page.locator("table[data-key=units] tfoot td").all_inner_texts()[:2] == ["Toàn Sở", "50"]
    legend = page.locator("ul.legend li").all_inner_texts()
    assert sum(int(item.rsplit(":", 1)[1]) for item in legend) == 50
    assert page.locator("table[data-key=tasks] thead th").all_inner_texts() == TASK_COLUMNS
    expect(page.locator("label[for=as_of]")).to_have_text(f"Số liệu tính đến ngày {format_date(utc_now())}")

    # A progress report made over the commitments API shows on the task page: chart and history.
    task = tasks["QL-CNDMST-03"]  # "ít nhất 10 doanh nghiệp"
    report = {"as_of": "2025-06-30", "period": "2025-H1", "achieved_value": 4,
              "note": "Đã hỗ trợ 4 doanh nghiệp ứng dụng chuyển đổi số", "evidence": ["BC số 30/BC-QLCN"]}
    answer = httpx.post(f"{commitments.url}/api/v1/tasks/{task['task_id']}/progress-reports", json=report,
                        headers={"Authorization": f"Bearer {staff}"}, timeout=10)
    assert answer.status_code == 200, answer.text
    _open_at_version(page, f"{stack.url}/tasks/{task['task_id']}", answer.json()["version"])
    history = page.locator("table[data-key=history] tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(1)).to_contain_text("Báo cáo tiến độ")
    expect(history.nth(1)).to_contain_text("Nguyễn Văn An")
    expect(history.nth(1)).to_contain_text("Đã hỗ trợ 4 doanh nghiệp ứng dụng chuyển đổi số")
    expect(page.locator("svg.progress-chart circle.point")).to_have_count(1)
    expect(page.locator("svg.progress-chart circle.point title")).to_have_text("30/06/2025: 40,00%")
    expect(page.locator(".facts")).to_contain_text("4 doanh nghiệp — 40,00% so với chỉ tiêu")

    # The Excel export of the task list downloads and opens with openpyxl.
    page.goto(f"{stack.url}/dashboard")
    with page.expect_download() as download_info:
        page.click("#table-tasks a.excel")
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    assert saved.name.startswith("danh-sach-nhiem-vu-chuong-trinh-cong-tac-trong-tam-nam-2025-")
    sheet = load_workbook(saved).active
    assert sheet is not None
    assert sheet["A1"].value == "Danh sách nhiệm vụ — Chương trình công tác trọng tâm năm 2025"
    assert [c.value for c in sheet[4]] == TASK_COLUMNS
    rows = {r[0]: r for r in sheet.iter_rows(min_row=5, values_only=True)}
    assert len(rows) == 50 and rows["QL-CNDMST-03"][4] == 4 and rows["QL-CNDMST-03"][5] == pytest.approx(0.4)
    context.close()
