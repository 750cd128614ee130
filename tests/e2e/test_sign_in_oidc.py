"""Signing in at a real OpenID provider in headless Chromium, over the real processes: the dashboard
sends the browser to the provider's login page; the unit's staff member signs in, lands on the dashboard
under their own name, role and unit, reports progress through the task page's form — written through
the commitments API with their own access token — and logs out (here and at the provider). The write
side's event names that person: the provider's issuer and subject."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from unittest import mock

import psycopg
import pytest
from playwright.sync_api import Browser, expect
from psycopg import sql

from commitments.audit.bootstrap import build_audit, read_only_app
from commitments.audit.config import AuditSettings
from tests.e2e.dashboard_stack import camket, delete_streams, drop_schema, wait_for_tasks
from tests.e2e.oidc.provider import USERS, OidcTestProvider
from tests.e2e.support import ServiceProcess, free_port
from tests.e2e.workspace_stack import browser, shot

__all__ = ["browser"]


@dataclass
class OidcStack:
    provider: OidcTestProvider
    commitments: ServiceProcess
    reporting: ServiceProcess
    schema: str
    database_url: str
    env: dict[str, str]

    def session_token(self) -> str:
        """The access token of the (one) signed-in session: for the test's own reads of the APIs."""
        with psycopg.connect(self.database_url) as conn:
            row = conn.execute(sql.SQL("SELECT data->>'access_token' FROM {}.web_sessions WHERE kind = 'active'")
                               .format(sql.Identifier(self.schema))).fetchone()
        assert row is not None, "no session"
        return str(row[0])

    def recorded(self, task_id: str) -> list[dict[str, Any]]:
        """The task's events as the write side stored them (its history over HTTP is the audit's, for the
        Inspectorate and the Board: the staff member signed in here may not read it)."""
        with mock.patch.dict(os.environ, self.env):
            settings = AuditSettings()
        app = read_only_app(settings)
        audit = build_audit(settings, app)
        try:
            return [e["event"] for e in audit.history(uuid.UUID(task_id))["entries"]]
        finally:
            audit.close()
            app.close()


@pytest.fixture
def oidc_stack(base_env: dict[str, str], database_url: str, nats_url: str, subject_prefix: str
               ) -> Iterator[OidcStack]:
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    provider = OidcTestProvider([f"{public}/auth/callback"], [f"{public}/login?signed_out=1"])
    env = base_env | {"CAMKET_JWT_ISSUER": provider.issuer, "CAMKET_JWT_JWKS_URL": f"{provider.issuer}/jwks",
                      "CAMKET_JWT_AUDIENCE": "camket"}
    schema = f"t_rep_{uuid.uuid4().hex[:10]}"
    commitments = ServiceProcess(["serve", "commitments"], env, port=free_port()).start()
    publisher = reporting = None
    try:
        assert "registered 50" in camket(env, "seed")
        publisher = ServiceProcess(["publisher"], env).start()
        reporting = ServiceProcess(["serve", "reporting", "--port", str(port)], env | {
            "CAMKET_REPORTING_DB_SCHEMA": schema, "CAMKET_REPORTING_CONSUMER_NAME": "oidc-e2e",
            "CAMKET_REPORTING_COMMITMENTS_URL": commitments.url, "CAMKET_REPORTING_OIDC_ISSUER": provider.issuer,
            "CAMKET_REPORTING_OIDC_CLIENT_SECRET": "test-secret", "CAMKET_REPORTING_OIDC_RESOURCE": "urn:camket:api",
            "CAMKET_REPORTING_OIDC_SCOPES": "openid profile camket:api", "CAMKET_REPORTING_PUBLIC_URL": public},
            port=port).start()
        yield OidcStack(provider, commitments, reporting, schema, database_url, env)
    finally:
        for process in (reporting, publisher, commitments):
            if process is not None:
                process.stop()
        provider.stop()
        drop_schema(database_url, schema)
        delete_streams(nats_url, subject_prefix)


def test_a_user_signs_in_at_the_provider_writes_and_logs_out(oidc_stack: OidcStack, browser: Browser) -> None:
    url = oidc_stack.reporting.url
    context = browser.new_context(locale="vi-VN")
    context.set_default_timeout(30_000)  # a loaded machine: wait on conditions, with room
    page = context.new_page()
    page.goto(f"{url}/dashboard")
    expect(page).to_have_url(re.compile(re.escape(oidc_stack.provider.issuer) + "/interaction/"))
    shot(page, "oidc-01-provider-login")
    page.fill("input[name=login]", USERS["unit_staff"])
    page.fill("input[name=password]", "any")
    page.locator("button[type=submit]").first.click()
    expect(page).to_have_url(f"{url}/dashboard")
    user = page.locator(".user")
    expect(user).to_contain_text("Trần Văn Minh · Chuyên viên đơn vị")
    expect(user).to_have_attribute("title", "ql-cndmst")
    shot(page, "oidc-02-dashboard")

    token = oidc_stack.session_token()
    task = {t["ref"]: t for t in wait_for_tasks(url, token, 50, timeout=120)}["QL-CNDMST-03"]
    page.goto(f"{url}/tasks/{task['task_id']}")
    form = page.locator("#form-report_progress")
    form.get_by_label("Số liệu đến ngày").fill("2025-06-30")
    form.get_by_label("Kỳ báo cáo").select_option("2025-06")
    form.locator("#report_progress-achieved_value").fill("4")
    form.get_by_label("Ghi chú").fill("Báo cáo sau khi đăng nhập bằng tài khoản của tỉnh")
    form.get_by_role("button", name="Gửi báo cáo tiến độ").click()
    expect(page.locator(".facts")).to_contain_text("4 doanh nghiệp")
    shot(page, "oidc-03-progress-reported")

    actor: dict[str, Any] = oidc_stack.recorded(task["task_id"])[-1]["actor"]
    assert actor == {"user_id": USERS["unit_staff"], "name": "Trần Văn Minh", "unit": "ql-cndmst",
                     "role": "unit_staff", "issuer": oidc_stack.provider.issuer, "subject": USERS["unit_staff"]}

    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(re.escape(oidc_stack.provider.issuer) + "/session/end"))
    page.locator("button[name=logout]").click()  # the provider asks to confirm (oidc-provider's own page)
    expect(page).to_have_url(f"{url}/login?signed_out=1")
    expect(page.locator("h1")).to_have_text("Đã đăng xuất")
    page.goto(f"{url}/dashboard")  # signed out here and at the provider: its login page again
    expect(page).to_have_url(re.compile(re.escape(oidc_stack.provider.issuer) + "/interaction/"))
    context.close()
