"""Limits on every service: request bodies are bounded (413) and of a media type the service reads (415),
and an instant or day at the ends of the calendar is a 422 naming the field, never a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.integration.authorization.stack import Stack, running_stack
from tests.integration.authorization.test_policy import APPROVAL, TASK

LIMIT = 64 * 1024
EARLIEST, LATEST = "0001-01-01T00:00:00+07:00", "9999-12-31T23:59:59-07:00"


@pytest.fixture
async def stack(database_url: str, nats_url: str, subject_prefix: str, tmp_path: Path) -> AsyncIterator[Stack]:
    async with running_stack(database_url, nats_url, subject_prefix, tmp_path) as running:
        yield running


def field_of(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("application/problem+json")
    return str(response.json()["errors"][0]["field"])


async def chunks(size: int) -> AsyncIterator[bytes]:
    """A body sent without a Content-Length (chunked): counted as it arrives."""
    for _ in range(size // 4096 + 1):
        yield b"x" * 4096


@pytest.mark.parametrize(("service", "path"), [
    ("commitments", "/api/v1/tasks"), ("notifications", "/api/v1/subscriptions"), ("reporting", "/login"),
])
async def test_every_service_bounds_its_request_bodies(stack: Stack, service: str, path: str) -> None:
    client, auth = stack.client(service), stack.bearer("office")
    form = {"Content-Type": "application/x-www-form-urlencoded" if service == "reporting" else "application/json"}
    big = b"token=" + b"x" * LIMIT
    assert field_of(await client.post(path, content=big, headers=auth | form), 413) == "body"
    assert field_of(await client.post(path, content=chunks(LIMIT), headers=auth | form), 413) == "body"
    assert field_of(await client.post(path, content=b"x", headers=auth | {"Content-Type": "text/plain"}),
                    415) == "Content-Type"


async def test_the_sign_in_form_still_signs_in_under_the_limit(stack: Stack) -> None:
    signed = await stack.reporting.post("/login", content=f"token={stack.token('board')}", headers={
        "Content-Type": "application/x-www-form-urlencoded"})
    assert signed.status_code == 303 and "camket_session" in signed.headers["set-cookie"]


@pytest.mark.parametrize("value", [EARLIEST, LATEST])
async def test_instants_at_the_ends_of_the_calendar_are_refused_naming_the_field(stack: Stack, value: str) -> None:
    board = stack.bearer("board")
    created = await stack.commitments.post("/api/v1/tasks", json=TASK | {"unit": "vp"}, headers=stack.bearer("office"))
    task = created.json()["task_id"]
    commitments = {f"/api/v1/audit/tasks/{task}/as-of": "at",
                   "/api/v1/audit/access-log": "since"}
    for path, name in commitments.items():
        assert field_of(await stack.commitments.get(path, params={name: value}, headers=board), 422) == name
    for path in ("/api/v1/tasks", "/api/v1/summary", "/api/v1/units/vp"):
        for as_of in (value, value[:10]):
            assert field_of(await stack.reporting.get(path, params={"as_of": as_of}, headers=board), 422) == "as_of"


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
async def test_days_at_the_ends_of_the_calendar_are_refused_naming_the_field(stack: Stack, day: str) -> None:
    board = stack.bearer("board")
    audit = {"/api/v1/audit/program/as-of": "date", "/api/v1/audit/changes": "from"}
    for path, name in audit.items():
        assert field_of(await stack.commitments.get(path, params={name: day}, headers=board), 422) == name
    assert field_of(await stack.reporting.get("/api/v1/briefings/week", params={"day": day}, headers=board),
                    422) == "day"
    for page, name in (("/dashboard", "as_of"), ("/units/vp", "as_of"), ("/briefings/week", "day")):
        answer = await stack.reporting.get(page, params={name: day}, headers=board)
        assert answer.status_code == 422 and "Ngày ngoài phạm vi" in answer.text


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
async def test_days_in_command_bodies_at_the_ends_of_the_calendar_are_a_4xx(stack: Stack, day: str) -> None:
    office, board, staff = stack.bearer("office"), stack.bearer("board"), stack.bearer("unit_staff")
    task = (await stack.commitments.post("/api/v1/tasks", json=TASK | {"unit": "ql-cndmst"}, headers=office)).json()
    path = f"/api/v1/tasks/{task['task_id']}"
    answers = [
        await stack.commitments.post(f"{path}/progress-reports", headers=staff, json={
            "as_of": day, "period": "2025-Q2", "achieved_value": 1}),
        await stack.commitments.post(f"{path}/completion-request", headers=staff, json={"completed_on": day}),
        await stack.commitments.post(f"{path}/revisions", headers=board, json={
            "new_target": "03 hội thảo", "reason": "Nhu cầu tăng", "approval": APPROVAL | {"signed_on": day},
            "effective_on": day}),
    ]
    assert [a.status_code for a in answers] == [422, 422, 422], [a.text[:300] for a in answers]
    history = (await stack.commitments.get(f"/api/v1/audit/tasks/{task['task_id']}/history", headers=board)).json()
    assert history["count"] == 1  # nothing was written


@pytest.mark.parametrize("period", ["9999", "9999-12", "9999-Q4", "0001-01", "0001"])
async def test_periods_at_the_ends_of_the_calendar_are_a_4xx(stack: Stack, period: str) -> None:
    board = stack.bearer("board")
    task = (await stack.commitments.post("/api/v1/tasks", json=TASK | {"unit": "vp"},
                                         headers=stack.bearer("office"))).json()["task_id"]
    answers = [await stack.reporting.get(f"/api/v1/reports/{period}", headers=board),
               await stack.reporting.get("/api/v1/revisions", params={"period": period}, headers=board),
               await stack.reporting.get("/reports", params={"period": period}, headers=board),
               await stack.commitments.get(f"/api/v1/audit/tasks/{task}/reported-for", params={"period": period},
                                           headers=board)]
    assert [a.status_code for a in answers] == [422, 422, 400, 422], [a.text[:200] for a in answers]  # the page: 400


@pytest.mark.parametrize("deadline", ["31/12/9999", "Quý IV/9999", "năm 9999", "1/0001", "15h00 ngày 01/01/0001"])
async def test_deadlines_at_the_ends_of_the_calendar_are_a_4xx(stack: Stack, deadline: str) -> None:
    answer = await stack.commitments.post("/api/v1/tasks", json=TASK | {"unit": "vp", "deadline": deadline},
                                          headers=stack.bearer("office"))
    assert answer.status_code == 422, answer.text[:300]
