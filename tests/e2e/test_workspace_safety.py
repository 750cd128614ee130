"""The workspace's forms are safe to use: a double submit records once; a stale form shows the
conflict page and applies again on the new version; a POST without its CSRF token, or by a role that
may not act, is refused and records nothing; an oversized file and an executable named `.pdf` are
refused with the error next to the file field, the user's input kept. Over the real processes, in
headless Chromium (the posts a browser cannot be made to send are sent through its own cookies)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.e2e.workspace_stack import EVIDENCE_MAX, Stack, browser, pdf_bytes, shot, signed_in, stack, upload

__all__ = ["browser", "stack"]
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 4096


def _hidden(page: Page, form: str) -> dict[str, Any]:
    values: dict[str, Any] = page.locator(f"#{form} input[type=hidden]").evaluate_all(
        "els => Object.fromEntries(els.map(e => [e.name, e.value]))")
    return values


def _reports(stack: Stack, task_id: str) -> int:
    return sum(1 for e in stack.events(task_id) if e["type"] == "ProgressReported")


def test_forms_refuse_what_must_not_be_recorded(stack: Stack, browser: Browser) -> None:
    url, task = stack.reporting.url, stack.tasks["QL-CNDMST-03"]
    task_id, task_url = task["task_id"], f"{url}/tasks/{task['task_id']}"
    action = f"{url}/workspace/tasks/{task_id}/report_progress"
    context, page = signed_in(browser, url, stack.token("unit_staff"))
    page.goto(task_url)
    stale = context.new_page()  # the same form opened in a second tab: it will be stale
    stale.goto(task_url)
    form = {**_hidden(page, "form-report_progress"), "as_of": "2025-05-31", "period": "2025-05",
            "achieved_value": "2", "note": "Báo cáo tháng 5"}

    # A double submit (the same rendered form twice): one event.
    first = context.request.post(action, multipart=form, max_redirects=0)
    second = context.request.post(action, multipart=form, max_redirects=0)
    assert first.status == second.status == 303, (first.status, second.status)
    assert first.headers["location"] == second.headers["location"]
    assert _reports(stack, task_id) == 1

    # Without its CSRF token: refused, nothing recorded.
    forged = {k: v for k, v in form.items() if k != "csrf_token"} | {"idempotency_key": "forged-1"}
    refused = context.request.post(action, multipart=forged, max_redirects=0)
    assert refused.status == 403 and "CSRF" in refused.text()
    assert _reports(stack, task_id) == 1

    # A stale form (shown at the version before the report above): the conflict page, then apply again.
    page.close()
    page = stale
    page.locator("#form-report_progress").get_by_label("Kỳ báo cáo").select_option("2025-06")
    page.locator("#report_progress-as_of").fill("2025-06-30")
    page.locator("#report_progress-achieved_value").fill("3")
    page.get_by_role("button", name="Gửi báo cáo tiến độ").click()
    expect(page.locator("h1")).to_have_text("Nhiệm vụ đã thay đổi trong lúc bạn điền biểu mẫu")
    expect(page.locator("table[data-key=changes] tbody tr")).to_contain_text("Nguyễn Văn An")
    shot(page, "20-conflict")
    assert _reports(stack, task_id) == 1
    page.get_by_role("button", name="Áp dụng lại: Gửi báo cáo tiến độ").click()
    expect(page.locator(".facts")).to_contain_text("3 doanh nghiệp — 30,00% so với chỉ tiêu")
    assert _reports(stack, task_id) == 2

    # An oversized file, then an executable named .pdf: the error beside the file field, input kept.
    form_box = page.locator("#form-report_progress")
    form_box.get_by_label("Ghi chú").fill("Kèm biên bản")
    form_box.locator("#report_progress-achieved_value").fill("5")
    form_box.locator("#report_progress-files").set_input_files(
        files=[upload("bien-ban-lon.pdf", pdf_bytes("lon", EVIDENCE_MAX + 1024))])
    form_box.get_by_role("button", name="Gửi báo cáo tiến độ").click()
    expect(page.locator("#report_progress-files-error")).to_contain_text("quá lớn")
    expect(page.locator("#report_progress-note")).to_have_value("Kèm biên bản")
    shot(page, "21-oversized")
    page.locator("#report_progress-files").set_input_files(files=[upload("bao-cao.pdf", ELF)])
    page.get_by_role("button", name="Gửi báo cáo tiến độ").click()
    expect(page.locator("#report_progress-files-error")).to_contain_text("Loại tệp không được chấp nhận")
    expect(page.locator("#report_progress-achieved_value")).to_have_value("5")
    shot(page, "22-disguised")
    assert _reports(stack, task_id) == 2
    context.close()
    _board(stack, browser, form)


def _board(stack: Stack, browser: Browser, form: dict[str, Any]) -> None:
    url, task_id = stack.reporting.url, stack.tasks["QL-CNDMST-03"]["task_id"]
    task_url, action = f"{url}/tasks/{task_id}", f"{url}/workspace/tasks/{task_id}/report_progress"

    # The Board may not report a unit's progress: refused by the dashboard, nothing recorded.
    board, board_page = signed_in(browser, url, stack.token("board"))
    board_page.goto(task_url)
    expect(board_page.locator("#form-report_progress")).to_have_count(0)
    token = _hidden(board_page, "form-suspend")["csrf_token"]
    posted = board.request.post(action, multipart=form | {"csrf_token": token, "idempotency_key": "board-1"},
                                max_redirects=0)
    assert posted.status == 403 and "không được thực hiện" in posted.text()
    assert _reports(stack, task_id) == 2

    # The API's refusal of a value lands next to its field, in Vietnamese, the input kept.
    revise = board_page.locator("#form-revise")
    revise.get_by_label("Thời hạn mới (theo cách viết của văn bản)").fill("Quý V/2025")
    revise.get_by_label("Lý do").fill("Theo đề nghị của đơn vị")
    revise.get_by_label("Người phê duyệt").fill("Trần Ngọc Lâm, Giám đốc Sở")
    revise.get_by_label("Số văn bản phê duyệt").fill("Số: 77/QĐ-SKHCN")
    revise.get_by_role("button", name="Ghi nhận điều chỉnh").click()
    expect(board_page.locator("#revise-new_deadline-error")).to_contain_text("Giá trị không hợp lệ")
    expect(board_page.locator("#revise-new_deadline")).to_have_value("Quý V/2025")
    expect(board_page.locator("#revise-document")).to_have_value("Số: 77/QĐ-SKHCN")
    shot(board_page, "23-field-error")

    # Suspend with its approval, then resume: each on the page when the form returns.
    suspend = board_page.locator("#form-suspend")
    suspend.get_by_label("Lý do").fill("Chờ bố trí kinh phí")
    suspend.get_by_label("Người phê duyệt").fill("Trần Ngọc Lâm, Giám đốc Sở")
    suspend.get_by_label("Số văn bản phê duyệt").fill("Số: 78/QĐ-SKHCN")
    suspend.get_by_role("button", name="Tạm hoãn nhiệm vụ").click()
    expect(board_page.locator("table[data-key=history]")).to_contain_text("Số: 78/QĐ-SKHCN")
    board_page.get_by_role("button", name="Tiếp tục nhiệm vụ").click()
    expect(board_page.locator("#form-suspend")).to_have_count(1)
    assert [e["type"] for e in stack.events(task_id)][-2:] == ["TaskSuspended", "TaskResumed"]
    board.close()
