"""The workspace in headless Chromium over the real processes: a unit's staff member reports progress
with a PDF and requests completion; the Board finds it in "Chờ phê duyệt" and confirms; the unit's
head proposes a revision and the Board approves it with a document number; the Office registers a
task typed in the notice's wording, previewing the parse first. Each change is on the task page when
the form returns (read your writes); the evidence downloads with its SHA-256; the history shows each
actor. Screenshots of each page: test-artifacts/workspace/."""

from __future__ import annotations

import hashlib
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.workspace_stack import Stack, browser, every_field_labelled, pdf_bytes, shot, signed_in, stack, upload

__all__ = ["browser", "stack"]
PDF = pdf_bytes("Bao cao so 30/BC-QLCN")


def _history_row(page: Page, label: str, actor: str) -> None:
    rows = page.locator("table[data-key=history] tbody tr").filter(has_text=label).filter(has_text=actor)
    expect(rows.first).to_be_visible()


def test_every_role_works_in_the_browser(stack: Stack, browser: Browser, tmp_path: Path) -> None:
    _staff_reports_and_requests_completion(stack, browser, tmp_path)
    _board_confirms(stack, browser)
    _head_proposes_and_board_approves(stack, browser)
    _office_registers(stack, browser)


def _staff_reports_and_requests_completion(stack: Stack, browser: Browser, tmp_path: Path) -> None:
    url, task = stack.reporting.url, stack.tasks["QL-CNDMST-03"]  # "ít nhất 10 doanh nghiệp", unit ql-cndmst
    task_url = f"{url}/tasks/{task['task_id']}"
    staff_context, page = signed_in(browser, url, stack.token("unit_staff"))
    page.goto(task_url)
    every_field_labelled(page)
    shot(page, "01-task-staff")
    form = page.locator("#form-report_progress")
    form.get_by_label("Số liệu đến ngày").fill("2025-06-30")
    form.get_by_label("Kỳ báo cáo").select_option("2025-06")
    form.locator("#report_progress-achieved_value").fill("4")
    form.get_by_label("Ghi chú").fill("Đã hỗ trợ 4 doanh nghiệp ứng dụng chuyển đổi số")
    form.locator("#report_progress-files").set_input_files(
        files=[upload("bao-cao-30.pdf", PDF)])
    form.get_by_role("button", name="Gửi báo cáo tiến độ").click()
    expect(page.locator(".facts")).to_contain_text("4 doanh nghiệp — 40,00% so với chỉ tiêu")
    expect(page.locator(".updating")).to_have_count(0)
    _history_row(page, "Báo cáo tiến độ", "Nguyễn Văn An")
    evidence = page.locator("table[data-key=evidence] tbody tr").filter(has_text="bao-cao-30.pdf")
    expect(evidence).to_contain_text(hashlib.sha256(PDF).hexdigest())
    shot(page, "02-progress-reported")
    with page.expect_download() as download:
        evidence.get_by_role("link", name="bao-cao-30.pdf").click()
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == hashlib.sha256(PDF).hexdigest()

    form = page.locator("#form-request_completion")
    form.get_by_label("Ngày hoàn thành").fill("2025-09-20")
    form.get_by_label("Ghi chú").fill("Đã hỗ trợ đủ 10 doanh nghiệp")
    form.locator("#request_completion-files").set_input_files(
        files=[upload("bien-ban-nghiem-thu.pdf", pdf_bytes("Bien ban"))])
    form.get_by_role("button", name="Gửi đề nghị xác nhận hoàn thành").click()
    expect(page.locator(".facts")).to_contain_text("Đề nghị xác nhận hoàn thành")
    _history_row(page, "Đề nghị xác nhận hoàn thành", "Nguyễn Văn An")
    expect(page.locator("table[data-key=evidence]")).to_contain_text("bien-ban-nghiem-thu.pdf")
    shot(page, "03-completion-requested")
    staff_context.close()


def _board_confirms(stack: Stack, browser: Browser) -> None:
    """The Board: "Chờ phê duyệt" lists the request; confirm it on the task's page."""
    url = stack.reporting.url
    board_context, page = signed_in(browser, url, stack.token("board"))
    page.get_by_role("link", name="Chờ phê duyệt").click()
    request_row = page.locator("table[data-key=completion-requests] tbody tr").filter(has_text="QL-CNDMST-03")
    expect(request_row).to_have_count(1)
    shot(page, "04-inbox")
    request_row.get_by_role("link", name="QL-CNDMST-03").click()
    every_field_labelled(page)
    page.locator("#form-confirm_completion").get_by_label("Ghi chú").fill("Đạt chỉ tiêu")
    page.get_by_role("button", name="Xác nhận hoàn thành").click()
    _history_row(page, "Xác nhận hoàn thành", "Trần Ngọc Lâm")
    expect(page.locator(".facts")).to_contain_text("Ngày hoàn thành (đã xác nhận)")
    shot(page, "05-confirmed")
    board_context.close()


def _head_proposes_and_board_approves(stack: Stack, browser: Browser) -> None:
    """The unit head proposes a revision of another of the unit's tasks; the Board approves it."""
    url = stack.reporting.url
    other = stack.tasks["QL-CNDMST-04"]
    head_context, head = signed_in(browser, url, stack.token("unit_head"))
    head.goto(f"{url}/tasks/{other['task_id']}")
    form = head.locator("#form-propose_revision")
    form.get_by_label("Thời hạn đề xuất (theo cách viết của văn bản)").fill("Quý IV/2025")
    form.get_by_label("Lý do").fill("Chờ kinh phí bổ sung của tỉnh")
    form.get_by_role("button", name="Gửi đề xuất điều chỉnh").click()
    _history_row(head, "Đề xuất điều chỉnh", "Lê Thị Bình")
    shot(head, "06-revision-proposed")
    head_context.close()

    board_context, page = signed_in(browser, url, stack.token("board"))
    page.get_by_role("link", name="Chờ phê duyệt").click()
    proposal_row = page.locator("table[data-key=revision-proposals] tbody tr").filter(has_text=other["ref"])
    expect(proposal_row).to_contain_text("Quý IV/2025")
    shot(page, "07-inbox-proposal")
    proposal_row.get_by_role("link", name=other["ref"]).click()
    form = page.locator("#form-approve_revision")
    form.get_by_label("Người phê duyệt").fill("Trần Ngọc Lâm, Giám đốc Sở")
    form.get_by_label("Số văn bản phê duyệt").fill("Số: 123/QĐ-SKHCN")
    form.get_by_label("Ngày hiệu lực").fill("2025-07-01")
    form.get_by_role("button", name="Phê duyệt điều chỉnh").click()
    _history_row(page, "Điều chỉnh chỉ tiêu, thời hạn", "Trần Ngọc Lâm")
    expect(page.locator("table[data-key=history]")).to_contain_text("Số: 123/QĐ-SKHCN")
    expect(page.locator(".facts")).to_contain_text("Quý IV/2025")
    shot(page, "08-revision-approved")
    board_context.close()


def _office_registers(stack: Stack, browser: Browser) -> None:
    """The Office registers a task typed as the notice writes it, seeing the parse first."""
    url = stack.reporting.url
    office_context, page = signed_in(browser, url, stack.token("office"))
    page.get_by_role("link", name="Giao nhiệm vụ").click()
    every_field_labelled(page)
    page.get_by_label("Đơn vị chủ trì").select_option("ql-cndmst")
    page.get_by_label("Tên nhiệm vụ").fill("Tổ chức lớp tập huấn về sở hữu trí tuệ cho doanh nghiệp")
    page.get_by_label("Chỉ tiêu (theo cách viết của văn bản)").fill("01 - 02 lớp")
    page.get_by_label("Thời hạn (theo cách viết của văn bản)").fill("Quý V/2025")
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator("#register-deadline-error")).to_contain_text("Giá trị không hợp lệ")
    expect(page.get_by_label("Tên nhiệm vụ")).to_have_value("Tổ chức lớp tập huấn về sở hữu trí tuệ cho doanh nghiệp")
    page.get_by_label("Thời hạn (theo cách viết của văn bản)").fill("Quý III/2025")
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator("[data-preview=target]")).to_have_text("khoảng 1–2 lớp")
    expect(page.locator("[data-preview=deadline]")).to_have_text("hạn 30/09/2025")
    expect(page.get_by_label("Chỉ tiêu (theo cách viết của văn bản)")).to_have_value("01 - 02 lớp")
    shot(page, "09-register-preview")
    page.get_by_role("button", name="Ghi nhận nhiệm vụ").click()
    expect(page.locator("h1.task-title")).to_contain_text("Tổ chức lớp tập huấn về sở hữu trí tuệ cho doanh nghiệp")
    expect(page.locator(".facts")).to_contain_text("30/09/2025")
    _history_row(page, "Giao nhiệm vụ", "Trần Thị Nhung")
    shot(page, "10-registered")

    # The merger: every open task of one unit to another, in one form.
    moved = sorted(ref for ref, t in stack.tasks.items() if t["unit"] == "tt-kt-tdc")
    page.get_by_role("link", name="Sáp nhập đơn vị").click()
    every_field_labelled(page)
    page.get_by_label("Đơn vị hiện tại").select_option("tt-kt-tdc")
    page.get_by_label("Chuyển sang đơn vị").select_option("ql-tdc")
    page.get_by_label("Lý do").fill("Sắp xếp, tổ chức lại đơn vị theo quyết định của UBND tỉnh")
    page.get_by_label("Người phê duyệt").fill("Trần Ngọc Lâm, Giám đốc Sở")
    page.get_by_label("Số văn bản phê duyệt").fill("Số: 200/QĐ-UBND")
    page.get_by_role("button", name="Chuyển toàn bộ nhiệm vụ").click()
    expect(page.locator("p.preview[role=status]")).to_contain_text(f"Đã chuyển {len(moved)} nhiệm vụ")
    shot(page, "11-merged")
    page.get_by_role("link", name=moved[0]).click()
    expect(page.locator(".facts")).to_contain_text("trước đây")
    _history_row(page, "Chuyển đơn vị", "Trần Thị Nhung")
    office_context.close()
