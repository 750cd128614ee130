"""The HTTP API on the real database: alerts listed and acknowledged as each role may, subscriptions
and program settings managed by the Office, and every bad input a clear 4xx naming the field."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from notifications.api.app import create_app
from notifications.bootstrap import Container
from notifications.config import NotificationsSettings
from notifications.domain.clock import ManualClock
from tests.integration.notifications.conftest import project, token
from tests.unit.notifications.builders import DUE, Story, days

PROBLEM = "application/problem+json"


class Api:
    def __init__(self, client: httpx.AsyncClient, settings: NotificationsSettings) -> None:
        self.client, self.settings = client, settings

    def auth(self, role: str, unit: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token(self.settings, role, unit)}"}

    async def call(self, method: str, path: str, role: str = "office", unit: str = "vp", *,
                   headers: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
        return await self.client.request(method, path, headers=self.auth(role, unit) | (headers or {}), **kw)


@pytest.fixture
async def api(container: Container, settings: NotificationsSettings, clock: ManualClock) -> AsyncIterator[Api]:
    transport = httpx.ASGITransport(app=create_app(container))
    async with httpx.AsyncClient(transport=transport, base_url="http://notifications") as client:
        story = Story(ref="QLCN-02")
        await project(container, [story.registered()])
        clock.set(DUE + days(1))
        await container.scheduler.tick()  # overdue, no progress, approaching is moot by now
        yield Api(client, settings)


def problem_field(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["detail"]
    return str(body["errors"][0]["field"]) if "errors" in body else ""


async def test_health_and_authentication(api: Api) -> None:
    assert (await api.client.get("/health")).json()["service"] == "notifications"
    assert problem_field(await api.client.get("/api/v1/alerts"), 401) == "Authorization"
    bad = await api.client.get("/api/v1/alerts", headers={"Authorization": "Bearer not-a-token"})
    assert problem_field(bad, 401) == "Authorization"


async def test_each_role_sees_the_alerts_it_may_and_acknowledges_those_addressed_to_it(api: Api) -> None:
    everything = (await api.call("GET", "/api/v1/alerts")).json()
    assert {a["rule"] for a in everything["alerts"]} == {"overdue", "no_progress"}
    assert (await api.call("GET", "/api/v1/alerts", "inspector", "thanh-tra")).json()["count"] == 2
    assert (await api.call("GET", "/api/v1/alerts", "unit_head", "ql-kh")).json()["count"] == 0
    mine = (await api.call("GET", "/api/v1/alerts?rule=overdue&acknowledged=false", "unit_head", "ql-cndmst")).json()
    (overdue,) = mine["alerts"]
    assert overdue["message"].startswith("Nhiệm vụ QLCN-02") and overdue["severity"] == "critical"
    path = f"/api/v1/alerts/{overdue['alert_id']}"
    assert problem_field(await api.call("POST", f"{path}/ack", "inspector", "thanh-tra"), 403) == ""
    assert problem_field(await api.call("POST", f"{path}/ack", "unit_head", "ql-kh"), 404) == "alert_id"
    acked = (await api.call("POST", f"{path}/ack", "unit_head", "ql-cndmst")).json()
    assert acked["acknowledged_by"] == "unit_head.user" and acked["acknowledged_at"]
    again = (await api.call("POST", f"{path}/ack")).json()
    assert again["acknowledged_by"] == "unit_head.user"  # the first acknowledgement stands
    assert (await api.call("GET", "/api/v1/alerts?acknowledged=true")).json()["count"] == 1


@pytest.mark.parametrize(("query", "field"), [
    ("rule=late", "rule"), ("limit=0", "limit"), ("limit=501", "limit"), ("unit=Phòng", "unit"),
    ("task_id=12", "task_id"), ("before=-1", "before"), ("colour=red", "colour"), ("program_year=1999", "program_year"),
])
async def test_bad_alert_queries_are_refused_naming_the_parameter(api: Api, query: str, field: str) -> None:
    assert problem_field(await api.call("GET", f"/api/v1/alerts?{query}"), 422) == field


async def test_alert_paths(api: Api) -> None:
    assert problem_field(await api.call("GET", "/api/v1/alerts/not-a-uuid"), 422) == "alert_id"
    missing = "/api/v1/alerts/00000000-0000-0000-0000-000000000000"
    assert problem_field(await api.call("GET", missing), 404) == "alert_id"
    first = (await api.call("GET", "/api/v1/alerts?limit=1")).json()
    rest = (await api.call("GET", f"/api/v1/alerts?before={first['next_before']}")).json()
    assert first["count"] == rest["count"] == 1 and first["alerts"][0]["seq"] > rest["alerts"][0]["seq"]


WEBHOOK = {"name": "Cổng dữ liệu tỉnh", "channel": "webhook", "address": "https://hook.quangtri.gov.vn/camket",
           "roles": ["board"], "units": ["ql-cndmst"], "rules": ["overdue", "target_lowered"]}


async def test_the_office_manages_subscriptions(api: Api) -> None:
    created = await api.call("POST", "/api/v1/subscriptions", json=WEBHOOK)
    assert created.status_code == 201 and len(created.json()["secret"]) >= 32
    sub = created.json()
    listed = (await api.call("GET", "/api/v1/subscriptions")).json()
    assert listed["count"] == 1 and "secret" not in listed["subscriptions"][0]
    path = f"/api/v1/subscriptions/{sub['id']}"
    replaced = await api.call("PUT", path, json=WEBHOOK | {"rules": [], "active": False})
    assert replaced.status_code == 200 and "secret" not in replaced.json()  # it keeps the one it had
    assert (await api.call("GET", path)).json()["active"] is False
    assert (await api.call("DELETE", path)).status_code == 204
    assert problem_field(await api.call("GET", path), 404) == "subscription_id"
    assert problem_field(await api.call("DELETE", path), 404) == "subscription_id"


@pytest.mark.parametrize(("body", "status", "field"), [
    (WEBHOOK | {"address": "ftp://x.vn/hook"}, 422, "address"),
    (WEBHOOK | {"channel": "email"}, 422, "address"),
    (WEBHOOK | {"channel": "sms"}, 422, "channel"),
    (WEBHOOK | {"units": ["phong-ma"]}, 422, "units"),
    (WEBHOOK | {"roles": ["director"]}, 422, "roles"),
    (WEBHOOK | {"rules": ["late"]}, 422, "rules"),
    (WEBHOOK | {"secret": "short"}, 422, "secret"),
    ({**WEBHOOK, "channel": "email", "address": "vp@skhcn.vn", "secret": "x" * 20}, 422, "secret"),
    (WEBHOOK | {"address": "http://169.254.169.254/latest/meta-data/"}, 422, "address"),  # cloud metadata
    (WEBHOOK | {"address": "http://10.20.0.5:8080/hook"}, 422, "address"),  # private (not in the allowlist)
    (WEBHOOK | {"address": "http://[::1]:8080/hook"}, 422, "address"),  # loopback (only 127.0.0.1 is allowed)
    (WEBHOOK | {"address": "http://[fe80::1]/hook"}, 422, "address"),  # link-local
    (WEBHOOK | {"colour": "red"}, 422, "colour"),
    ({k: v for k, v in WEBHOOK.items() if k != "name"}, 422, "name"),
    (WEBHOOK | {"name": "bad\x00name"}, 422, "name"),  # shared.text
    (WEBHOOK | {"name": "\u202egnissap"}, 422, "name"),
])
async def test_bad_subscriptions_are_refused_naming_the_field_and_write_nothing(api: Api, body: dict[str, Any],
                                                                               status: int, field: str) -> None:
    assert problem_field(await api.call("POST", "/api/v1/subscriptions", json=body), status) == field
    assert (await api.call("GET", "/api/v1/subscriptions")).json()["count"] == 0


async def test_only_the_office_manages_subscriptions_and_deliveries(api: Api) -> None:
    refused = await api.call("POST", "/api/v1/subscriptions", "unit_head", "ql-kh", json=WEBHOOK)
    assert problem_field(refused, 403) == ""
    assert problem_field(await api.call("GET", "/api/v1/deliveries", "board", "bgd"), 403) == ""
    malformed = await api.call("POST", "/api/v1/subscriptions", content=b"{not json",
                               headers={"content-type": "application/json"})
    assert problem_field(malformed, 400) == "body"
    assert problem_field(await api.call("GET", "/api/v1/deliveries?status=lost"), 422) == "status"
    assert problem_field(await api.call("POST", "/api/v1/deliveries/retry", json={"ids": []}), 422) == "ids"


async def test_program_rules_are_read_by_all_and_set_by_the_office_or_the_board(api: Api) -> None:
    default = (await api.call("GET", "/api/v1/programs/2025/rules", "unit_staff", "ql-kh")).json()
    assert default == {"program_year": 2025, "approach_days": [7, 3, 1], "no_progress_days": 30,
                       "confirmation_wait_days": 7, "source": "service defaults"}
    body = {"approach_days": [10, 5, 1], "no_progress_days": 14, "confirmation_wait_days": 5}
    assert problem_field(await api.call("PUT", "/api/v1/programs/2025/rules", "unit_head", "ql-kh", json=body),
                         403) == ""
    # the pace is the dashboard's rule: refused by name, whatever the value, and nothing is stored
    for margin in (0.25, None):
        refused = await api.call("PUT", "/api/v1/programs/2025/rules", json=body | {"pace_margin": margin})
        assert problem_field(refused, 422) == "pace_margin" and "dashboard's rule" in refused.text
    assert (await api.call("GET", "/api/v1/programs/2025/rules")).json() == default
    assert problem_field(await api.call("PUT", "/api/v1/programs/1800/rules", json=body), 422) == "program_year"
    saved = (await api.call("PUT", "/api/v1/programs/2025/rules", "board", "bgd", json=body)).json()
    assert saved["source"] == "program" and saved["approach_days"] == [10, 5, 1]
    assert (await api.call("GET", "/api/v1/programs/2025/rules")).json() == saved


async def test_briefing_preview_for_the_office_and_the_board(api: Api) -> None:
    preview = (await api.call("GET", "/api/v1/briefings/preview?kind=monthly", "board", "bgd")).json()
    assert preview["subject"].startswith("[Sở KH&CN Quảng Trị] Trực báo tháng")
    assert "Đang quá hạn: 1" in preview["body"]
    assert problem_field(await api.call("GET", "/api/v1/briefings/preview", "unit_staff", "ql-kh"), 403) == ""
    assert problem_field(await api.call("GET", "/api/v1/briefings/preview?kind=daily"), 422) == "kind"
    assert (await api.call("GET", "/api/v1/briefings")).json()["count"] == 0
