"""The review of an imported notice in headless Chromium over the real processes: the Office uploads a
small 2026 notice, sees each item's words marked in the source text, corrects one item's deadline
("Thường xuyên", read in the program year), accepts; the tasks reach the dashboard with the reviewer as
the actor of their registration; submitting the acceptance again registers nothing. Screenshots:
test-artifacts/workspace/."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.e2e.dashboard_stack import wait_for_tasks
from tests.e2e.support import ROOT
from tests.e2e.workspace_stack import Stack, browser, every_field_labelled, shot, signed_in, stack

__all__ = ["browser", "stack"]
NOTICE = ROOT / "tests" / "data" / "notices" / "qt-skhcn-2026-review.txt"


def test_the_office_reviews_an_imported_notice_and_accepts_it(stack: Stack, browser: Browser) -> None:
    context, page = signed_in(browser, stack.reporting.url, stack.token("office"))
    accept_url = _upload(page)
    _see_an_item_in_the_source(page)
    _correct_the_first_item(page)
    csrf = page.locator("#form-accept input[name=csrf_token]").get_attribute("value") or ""
    version = page.locator("#form-accept input[name=version]").get_attribute("value") or ""
    page.get_by_role("button", name="Chấp nhận và đăng ký").click()
    expect(page.locator("#h-done")).to_have_text("Đã đăng ký 4 nhiệm vụ mới")
    shot(page, "21-review-accepted")
    # The same form submitted again (a double click, a resent page): nothing new is registered.
    again = page.request.post(accept_url, form={"csrf_token": csrf, "version": version})
    assert again.status == 200 and "Không có nhiệm vụ mới nào được đăng ký" in again.text()
    _on_the_dashboard_with_the_reviewer_as_actor(stack, page)
    context.close()


def _upload(page: Page) -> str:
    page.get_by_role("link", name="Nhập chương trình").click()
    every_field_labelled(page)
    page.get_by_label("Tệp thông báo (.txt, .docx, .pdf)").set_input_files(str(NOTICE))
    expect(page.get_by_label("Năm của Chương trình")).to_have_value("2026")  # the year after the latest program
    page.get_by_role("button", name="Đọc thông báo thành bản nháp").click()
    expect(page.locator("h1")).to_contain_text("Duyệt bản nháp Chương trình năm 2026")
    every_field_labelled(page)
    expect(page.locator("article.draft-item")).to_have_count(4)
    return page.url.split("#")[0] + "/accept"


def _see_an_item_in_the_source(page: Page) -> None:
    page.locator("#muc-3").get_by_role("link", name="Xem trong văn bản").click()
    marked = page.locator(".source-text mark.current")
    expect(marked).to_contain_text("ít nhất 03 doanh nghiệp KH&CN")
    expect(marked.first).to_be_in_viewport()
    shot(page, "20-review-draft")


def _correct_the_first_item(page: Page) -> None:
    first = page.locator("#form-item-1")
    expect(first.get_by_label("Đơn vị chủ trì")).to_have_value("vp")
    first.get_by_label("Thời hạn (theo cách viết của văn bản)").fill("Quý V/2026")
    first.get_by_role("button", name="Lưu sửa đổi").click()
    expect(page.locator("#item1-deadline-error")).to_contain_text("Giá trị không hợp lệ")  # nothing saved
    first = page.locator("#form-item-1")
    expect(first.get_by_label("Thời hạn (theo cách viết của văn bản)")).to_have_value("Quý V/2026")  # kept
    first.get_by_label("Thời hạn (theo cách viết của văn bản)").fill("Thường xuyên")
    first.get_by_role("button", name="Lưu sửa đổi").click()
    expect(page.locator("#item1-deadline-hint")).to_contain_text("Hạn: 31/12/2026")
    expect(page.locator("#h-muc-1")).to_contain_text("(đã sửa)")


def _on_the_dashboard_with_the_reviewer_as_actor(stack: Stack, page: Page) -> None:
    url, office = stack.reporting.url, stack.token("office")
    tasks = [t for t in wait_for_tasks(url, office, 54, timeout=60) if t["program_year"] == 2026]
    assert sorted(t["ref"][-2:] for t in tasks) == ["01", "02", "03", "04"]
    page.goto(f"{url}/dashboard?year=2026")
    expect(page.locator("table[data-key=tasks] tbody tr")).to_have_count(4)
    shot(page, "22-dashboard-2026")
    task = next(t for t in tasks if t["ref"].endswith("-01"))
    assert re.fullmatch(r"TB26-[0-9A-F]{6}-01", task["ref"])
    page.goto(f"{url}/tasks/{task['task_id']}")
    expect(page.locator(".facts")).to_contain_text("31/12/2026")
    rows = page.locator("table[data-key=history] tbody tr").filter(has_text="Giao nhiệm vụ")
    expect(rows.filter(has_text="Trần Thị Nhung")).to_have_count(1)  # the reviewer registered it
    events = stack.events(task["task_id"])
    assert [e["type"] for e in events] == ["TaskRegistered"] and events[0]["actor"]["role"] == "office"
    listed = httpx.get(f"{stack.commitments.url}/api/v1/tasks", params={"program_year": 2026}, timeout=10,
                       headers={"Authorization": f"Bearer {office}"})
    assert listed.json()["count"] == 4  # nothing registered twice
