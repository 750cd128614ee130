"""The stack for the workspace's browser tests: commitments (with a small evidence bound, so an
oversized file is cheap to make), the seeded program, the publisher, and reporting pointed at that
commitments service; plus the helpers the tests share (sign-in, screenshots, the write side's history)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, FilePayload, Page, expect, sync_playwright

from tests.e2e.dashboard_stack import camket, delete_streams, drop_schema, start_reporting, wait_for_tasks
from tests.e2e.support import ROOT, ServiceProcess, free_port

CHROMIUM = "/usr/bin/chromium"
EVIDENCE_MAX = 1024 * 1024
ARTIFACTS = ROOT / "test-artifacts" / "workspace"
expect.set_options(timeout=30_000)  # a loaded machine: conditions waited for with room, never a fixed sleep


@dataclass
class Stack:
    commitments: ServiceProcess
    reporting: ServiceProcess
    env: dict[str, str]
    tasks: dict[str, dict[str, Any]]

    def token(self, role: str, *extra: str) -> str:
        return camket(self.env, "mint-token", "--role", role, *extra)

    def events(self, task_id: str) -> list[dict[str, Any]]:
        """The task's events as the write side recorded them."""
        answer = httpx.get(f"{self.commitments.url}/api/v1/audit/tasks/{task_id}/history", timeout=10,
                           headers={"Authorization": f"Bearer {self.token('inspector')}"})
        assert answer.status_code == 200, answer.text
        return [e["event"] for e in answer.json()["entries"]]


@pytest.fixture
def stack(base_env: dict[str, str], database_url: str, nats_url: str, subject_prefix: str) -> Iterator[Stack]:
    env = base_env | {"CAMKET_COMMITMENTS_EVIDENCE_MAX_BYTES": str(EVIDENCE_MAX)}
    schema = f"t_rep_{uuid.uuid4().hex[:10]}"
    commitments = ServiceProcess(["serve", "commitments"], env, port=free_port()).start()
    publisher = reporting = None
    try:
        assert "registered 50" in camket(env, "seed")
        publisher = ServiceProcess(["publisher"], env).start()
        reporting = start_reporting(env | {"CAMKET_REPORTING_COMMITMENTS_URL": commitments.url}, schema)
        office = camket(env, "mint-token", "--role", "office")
        tasks = {t["ref"]: t for t in wait_for_tasks(reporting.url, office, 50, timeout=120)}
        yield Stack(commitments, reporting, env, tasks)
    finally:
        for process in (reporting, publisher, commitments):
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


def signed_in(browser: Browser, url: str, token: str) -> tuple[BrowserContext, Page]:
    context = browser.new_context(locale="vi-VN", accept_downloads=True)
    context.set_default_timeout(30_000)  # a loaded machine: wait on conditions, with room
    page = context.new_page()
    page.goto(f"{url}/dashboard")
    page.fill("#token", token)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    return context, page


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def every_field_labelled(page: Page) -> None:
    """Every visible field of the page's forms has its <label for>."""
    expect(page.locator("form.action-form").first).to_be_visible()
    ids = page.locator("form input:not([type=hidden]), form select, form textarea").evaluate_all(
        "els => els.map(e => e.id)")
    assert ids, "no form fields on the page"
    for field_id in ids:
        assert field_id and page.locator(f"label[for='{field_id}']").count() == 1, f"field #{field_id} has no label"


def pdf_bytes(text: str, size: int = 0) -> bytes:
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + text.encode() + b"\n"
    return body + b"0" * max(0, size - len(body)) + b"\n%%EOF\n"


def upload(name: str, data: bytes, media_type: str = "application/pdf") -> FilePayload:
    return {"name": name, "mimeType": media_type, "buffer": data}
