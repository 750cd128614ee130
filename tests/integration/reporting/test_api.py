"""The JSON API over real read models: any authenticated role reads; bad input is a 4xx problem+json
naming the field, never a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from reporting.api.app import create_app
from reporting.bootstrap import build
from shared.auth.devkeys import ensure_key_pair, load_private_key
from shared.auth.tokens import TokenVerifier, mint_token
from tests.integration.reporting.conftest import Reporting
from tests.integration.reporting.test_read_models import NOW, Program


@pytest.fixture
async def client(reporting: Reporting, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    key = load_private_key(ensure_key_pair(tmp_path, "jwt"))
    verifier = TokenVerifier(issuer="camket-dev", audience="camket", public_key_file=tmp_path / "jwt.pub.pem")
    program = Program()
    await reporting.publish(program.events())
    await reporting.catch_up()
    container = build(reporting.settings.model_copy(update={"consume": False}), token_verifier=verifier)
    app = create_app(container)
    app.state.clock = lambda: NOW
    await container.start()
    token = mint_token(key, issuer="camket-dev", audience="camket", user_id="tt.cuong", name="Phạm Văn Cường",
                       unit="thanh-tra", roles=["inspector"])
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://reporting",
                                     headers={"Authorization": f"Bearer {token}"}) as c:
            c.program = program  # type: ignore[attr-defined]
            yield c
    finally:
        await container.close()


def problem(response: httpx.Response, status: int, field: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert field in [e["field"] for e in body["errors"]], body
    return body


async def test_health_needs_no_token(client: httpx.AsyncClient) -> None:
    response = await client.get("/health", headers={"Authorization": ""})
    assert response.status_code == 200 and response.json()["status"] == "ok"


async def test_reading_needs_a_valid_token(client: httpx.AsyncClient) -> None:
    problem(await client.get("/api/v1/tasks", headers={"Authorization": ""}), 401, "Authorization")
    problem(await client.get("/api/v1/tasks", headers={"Authorization": "Bearer nonsense"}), 401, "Authorization")


async def test_tasks_with_their_vietnamese_status(client: httpx.AsyncClient) -> None:
    tasks = (await client.get("/api/v1/tasks", params={"year": 2025, "unit": "vp"})).json()
    assert [(t["ref"], t["status"]["label"], t["status"]["colour"]) for t in tasks] == [
        ("TT-CNTT-01", "Hoàn thành quá hạn", "orange"), ("VP-02", "Đang thực hiện quá hạn", "red")]
    past = (await client.get("/api/v1/tasks", params={"as_of": "2025-03-31", "q": "chuyen doi so"})).json()
    assert [(t["ref"], t["unit"]) for t in past] == [("TT-CNTT-01", "tt-cntt")]
    task_id = client.program.a.task_id  # type: ignore[attr-defined]
    detail = (await client.get(f"/api/v1/tasks/{task_id}")).json()
    assert len(detail["history"]) == 6 and detail["chart"][-1]["percent_of_target"] == 112.5


async def test_summaries_reports_briefings_and_evaluation(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/years")).json() == [2025]
    summary = (await client.get("/api/v1/summary", params={"year": 2025})).json()
    assert summary["total"]["total"] == 4 and summary["org_name"]
    assert (await client.get("/api/v1/units/ql-kh")).json()["counts"]["completed_on_time"] == 1
    report = (await client.get("/api/v1/reports/2025-Q2", params={"unit": "vp"})).json()
    assert report["period"]["label"] == "Quý II/2025" and [t["ref"] for t in report["overdue"]] == ["VP-02"]
    week = (await client.get("/api/v1/briefings/week", params={"day": "2025-07-02"})).json()
    assert week["window"]["first_day"] == str(date(2025, 6, 30)) and len(week["changes"]) == 3
    assert (await client.get("/api/v1/evaluations/2025")).json()["units"][0]["rank"] == 1
    assert [r["ref"] for r in (await client.get("/api/v1/revisions", params={"period": "2025-Q2"})).json()] == [
        "QL-KH-01"]


BAD_INPUT = [
    ("/api/v1/tasks", {"year": "abc"}, 422, "year"),
    ("/api/v1/tasks", {"year": 1999}, 422, "year"),
    ("/api/v1/tasks", {"status": "done"}, 422, "status"),
    ("/api/v1/tasks", {"pace": "fast"}, 422, "pace"),
    ("/api/v1/tasks", {"as_of": "30/06/2025"}, 400, "as_of"),
    ("/api/v1/tasks", {"as_of": "2025-06-30T10:00:00"}, 400, "as_of"),
    ("/api/v1/tasks", {"as_of": "2031-01-01T00:00:00+07:00"}, 422, "as_of"),
    ("/api/v1/tasks/not-a-uuid", {}, 422, "task_id"),
    ("/api/v1/tasks/00000000-0000-0000-0000-000000000001", {}, 404, "task_id"),
    ("/api/v1/units/nobody", {}, 404, "unit"),
    ("/api/v1/reports/2025-Q5", {}, 422, "period"),
    ("/api/v1/revisions", {"period": "Q2"}, 422, "period"),
    ("/api/v1/briefings/fortnight", {}, 422, "kind"),
    ("/api/v1/briefings/week", {"day": "2025-13-01"}, 422, "day"),
    ("/api/v1/briefings/month", {"day": "2026-01-01"}, 422, "day"),
    ("/api/v1/evaluations/20x5", {}, 422, "year"),
    ("/api/v1/tasks", {"q": "bad\x00text"}, 422, "q"),  # shared.text: no control character, even in a search
    ("/api/v1/tasks", {"unit": "ql\u202ekh"}, 422, "unit"),
    ("/api/v1/reports/2025-Q2", {"unit": "ql\x00kh"}, 422, "unit"),
]


async def test_bad_input_is_a_problem_naming_the_field(client: httpx.AsyncClient) -> None:
    for path, params, status, field in BAD_INPUT:
        problem(await client.get(path, params=params), status, field)


async def test_an_unknown_route_is_a_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/nothing")
    assert response.status_code == 404 and response.headers["content-type"] == "application/problem+json"
