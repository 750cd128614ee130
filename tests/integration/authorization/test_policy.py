"""The whole authorisation policy in one table: every route of every service × every role (own unit /
another unit's object) × no token / a bad token → the status expected. The routes are read from each
application, so a route added without a row here fails this test.

Columns, in order:
  office   staff   staff·o  head   head·o  board  insp   none   bad
`staff`/`head` act on an object (task, alert) of their own unit, `staff·o`/`head·o` on another unit's.
`none` sends no token; `bad` a token signed RS256 by a key that is not ours (the header's algorithm does
not match our Ed25519 key). The documented policy: README.md (roles), docs/dashboard.md (what each role
sees), docs/audit.md (the audit views), services/notifications (alert visibility, the Office's admin).
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from starlette.routing import Mount

from tests.integration.authorization.stack import OTHER_UNIT, OWN_UNIT, Stack, running_stack, wrong_algorithm_token
from tests.unit.reporting_web.scenario import TASK_IDS

COLUMNS = ("office", "unit_staff", "unit_staff", "unit_head", "unit_head", "board", "inspector", None, "bad")
OWN = (True, True, False, True, False, True, True, True, True)  # does the column act on its own unit's object?

EVERYONE = "200 200 200 200 200 200 200 401 401"
PUBLIC = "200 200 200 200 200 200 200 200 200"
AUDIT = "403 403 403 403 403 200 200 401 401"
BOARD_ONLY = "403 403 403 403 403 200 403 401 401"
OFFICE_ONLY = "200 403 403 403 403 403 403 401 401"
UNIT_OWN = "403 200 403 200 403 403 403 401 401"
OFFICE_BOARD = "200 403 403 403 403 200 403 401 401"
PAGE = "200 200 200 200 200 200 200 303 303"  # dashboard pages: no valid token → sign in
EVALUATION_PAGE = "403 403 403 403 403 200 200 303 303"
NOTHING_YET = "404 404 404 404 404 404 404 404 404"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
PDF_SHA256 = hashlib.sha256(PDF).hexdigest()
NOTICE = (Path(__file__).resolve().parents[2] / "data/notices/qt-skhcn-2026-review.txt").read_bytes()
OPEN = "open"  # no token needed: every column gets the same answer, never 401 or 403 (readiness may be 503)
APPROVAL = {"approved_by": "Trần Ngọc Lâm, Giám đốc Sở", "document": "Số: 45/QĐ-SKHCN"}
TASK = {"program_year": 2025, "unit": "{unit}", "title": "Tổ chức hội thảo khoa học", "target": "02 hội thảo",
        "deadline": "Quý IV/2025"}
SUBSCRIPTION = {"name": "Cổng dữ liệu tỉnh", "channel": "email", "address": "vanphong@quangtri.gov.vn"}
RULES = {"approach_days": [7, 3], "no_progress_days": 30, "confirmation_wait_days": 7}


@dataclass(frozen=True)
class Row:
    service: str
    method: str
    route: str  # as the application names it
    expected: str
    url: str = ""  # the route with its parameters filled ({task}, {unit}, {alert}, {rtask}); the route if empty
    body: Any = None
    state: str = ""  # commitments writes: a fresh task per cell, brought to this state first


def ev(route: str, expected: str, url: str = "", **kw: Any) -> Row:
    return Row("commitments", "GET" if "body" not in kw else "POST", route, expected, url, **kw)


POLICY: list[Row] = [
    # --- commitments: the write side ----------------------------------------------------------------------
    Row("commitments", "POST", "/api/v1/tasks", "201 403 403 403 403 403 403 401 401", body=TASK),
    Row("commitments", "POST", "/api/v1/tasks/{task_id}/progress-reports", UNIT_OWN, state="registered",
        body={"as_of": "2025-06-30", "period": "2025-Q2", "achieved_value": 1}),
    Row("commitments", "POST", "/api/v1/tasks/{task_id}/completion-request", UNIT_OWN, state="registered",
        body={"note": "Đã tổ chức xong"}),
    Row("commitments", "POST", "/api/v1/tasks/{task_id}/revisions", "403 403 403 403 403 200 403 401 401",
        state="registered", body={"new_target": "03 hội thảo", "reason": "Nhu cầu tăng", "approval": APPROVAL,
                                  "effective_on": "2025-07-01"}),
    Row("commitments", "POST", "/api/v1/tasks/{task_id}/completion-confirmation", BOARD_ONLY, state="requested",
        body={"note": ""}),
    Row("commitments", "POST", "/api/v1/tasks/{task_id}/completion-rejection", BOARD_ONLY, state="requested",
        body={"reason": "Chưa đủ hồ sơ"}),
    Row("commitments", "POST", "/api/v1/tasks/{task_id}/cancellation", BOARD_ONLY, state="registered",
        body={"reason": "Không còn phù hợp", "approval": APPROVAL}),
    Row("commitments", "POST", "/api/v1/tasks/{task_id}/suspension", BOARD_ONLY, state="registered",
        body={"reason": "Chờ kinh phí", "approval": APPROVAL}),
    Row("commitments", "POST", "/api/v1/tasks/{task_id}/resumption", BOARD_ONLY, state="suspended", body={}),
    Row("commitments", "POST", "/api/v1/tasks/{task_id}/reassignment", OFFICE_ONLY, state="registered",
        body={"to_unit": "ql-kh", "reason": "Sáp nhập đơn vị"}),
    # --- commitments: the workspace (revision proposals, unit merger, parse preview) ----------------------
    Row("commitments", "POST", "/api/v1/tasks/{task_id}/revision-proposals", "403 403 403 200 403 403 403 401 401",
        state="registered", body={"target": "03 hội thảo", "reason": "Nhu cầu tăng"}),
    Row("commitments", "POST", "/api/v1/tasks/{task_id}/revision-proposals/{proposal_id}/approval", BOARD_ONLY,
        state="proposed", body={"approval": APPROVAL, "effective_on": "2025-07-01"}),
    Row("commitments", "POST", "/api/v1/tasks/{task_id}/revision-proposals/{proposal_id}/decline", BOARD_ONLY,
        state="proposed", body={"reason": "Chưa đủ căn cứ"}),
    # a unit without tasks: the Office's merger answers count 0 and moves nothing the other rows use
    Row("commitments", "POST", "/api/v1/units/{unit}/reassignment", OFFICE_ONLY,
        "/api/v1/units/khong-co-nhiem-vu/reassignment", body={"to_unit": "ql-kh", "reason": "Sáp nhập đơn vị"}),
    Row("commitments", "POST", "/api/v1/tasks/preview", OFFICE_ONLY,
        body={"target": "01 - 02 lớp", "deadline": "Quý III/2025", "program_year": 2025}),
    # --- commitments: program drafts (the Office's; one draft, made by the first cell that needs it) -------
    Row("commitments", "POST", "/api/v1/program-drafts", OFFICE_ONLY.replace("200", "201"), body="notice"),
    Row("commitments", "GET", "/api/v1/program-drafts", OFFICE_ONLY),
    Row("commitments", "GET", "/api/v1/program-drafts/{draft_id}", OFFICE_ONLY, "/api/v1/program-drafts/{draft}"),
    Row("commitments", "PATCH", "/api/v1/program-drafts/{draft_id}/items/{item_id}", OFFICE_ONLY,
        "/api/v1/program-drafts/{draft}/items/1", body={"deadline": "Thường xuyên"}),
    Row("commitments", "DELETE", "/api/v1/program-drafts/{draft_id}/items/{item_id}", OFFICE_ONLY,
        "/api/v1/program-drafts/{draft}/items/2"),
    Row("commitments", "POST", "/api/v1/program-drafts/{draft_id}/merges", OFFICE_ONLY,
        "/api/v1/program-drafts/{draft}/merges", body={"into": 3, "item": 4}),
    Row("commitments", "POST", "/api/v1/program-drafts/{draft_id}/acceptance", OFFICE_ONLY,
        "/api/v1/program-drafts/{draft}/acceptance", body={}),
    Row("commitments", "DELETE", "/api/v1/program-drafts/{draft_id}", OFFICE_ONLY, "/api/v1/program-drafts/{draft}"),
    # --- commitments: evidence files (every role that writes uploads; every role reads) -------------------
    Row("commitments", "POST", "/api/v1/evidence", "201 201 201 201 201 201 403 401 401",
        "/api/v1/evidence?name=bao-cao.pdf", body=PDF),
    Row("commitments", "GET", "/api/v1/evidence/{sha256}", EVERYONE, f"/api/v1/evidence/{PDF_SHA256}"),
    # --- commitments: the transparency log, open inside the network (CAMKET_COMMITMENTS_TLOG_OPEN); nothing sealed: 404
    Row("commitments", "GET", "/tlog/checkpoint", NOTHING_YET),
    Row("commitments", "GET", "/tlog/tile/{level}/{rest:path}", NOTHING_YET, "/tlog/tile/0/000"),
    # --- commitments: reads (every role reads the whole program) ------------------------------------------
    Row("commitments", "GET", "/api/v1/tasks", EVERYONE),
    Row("commitments", "GET", "/api/v1/tasks/{task_id}", EVERYONE, "/api/v1/tasks/{task}"),
    # --- commitments: the audit views (docs/audit.md: the Inspectorate and the Board) ----------------------
    Row("commitments", "GET", "/api/v1/audit/tasks/{task_id}/history", AUDIT, "/api/v1/audit/tasks/{task}/history"),
    Row("commitments", "GET", "/api/v1/audit/tasks/{task_id}/as-of", AUDIT,
        "/api/v1/audit/tasks/{task}/as-of?at={now}"),
    Row("commitments", "GET", "/api/v1/audit/tasks/{task_id}/reported-for", AUDIT,
        "/api/v1/audit/tasks/{task}/reported-for?period=2025-Q2"),
    Row("commitments", "GET", "/api/v1/audit/program/as-of", AUDIT, "/api/v1/audit/program/as-of?date=2025-06-30"),
    Row("commitments", "GET", "/api/v1/audit/changes", AUDIT),
    Row("commitments", "GET", "/api/v1/audit/verify", AUDIT),
    Row("commitments", "GET", "/api/v1/audit/export", "403 403 403 403 403 409 409 401 401",
        "/api/v1/audit/export?scope=program"),  # allowed, and refused as nothing is sealed yet (409)
    Row("commitments", "GET", "/api/v1/audit/tlog-export", "403 403 403 403 403 409 409 401 401",
        "/api/v1/audit/tlog-export?scope=program"),  # the transparency log's bundle: the same policy
    Row("commitments", "GET", "/api/v1/audit/checkpoints", AUDIT),
    Row("commitments", "GET", "/api/v1/audit/access-log", AUDIT),
    # --- public: health, the API documentation ------------------------------------------------------------
    *(Row(s, "GET", r, PUBLIC) for s in ("commitments", "reporting", "notifications")
      for r in ("/health", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc")),
    # --- public: metrics, liveness and readiness, for the operators' scrapers and probes (no token) ---------
    *(Row(s, "GET", r, OPEN) for s in ("commitments", "reporting", "notifications")
      for r in ("/metrics", "/healthz", "/readyz")),
    # --- reporting: JSON API (every role reads; the evaluation is the Board's and the Inspectorate's) ------
    Row("reporting", "GET", "/api/v1/tasks", EVERYONE),
    Row("reporting", "GET", "/api/v1/tasks/{task_id}", EVERYONE, "/api/v1/tasks/{rtask}"),
    Row("reporting", "GET", "/api/v1/years", EVERYONE),
    Row("reporting", "GET", "/api/v1/summary", EVERYONE),
    Row("reporting", "GET", "/api/v1/units/{unit}", EVERYONE, "/api/v1/units/{unit}"),
    Row("reporting", "GET", "/api/v1/revisions", EVERYONE),
    Row("reporting", "GET", "/api/v1/reports/{period}", EVERYONE, "/api/v1/reports/2025-Q2"),
    Row("reporting", "GET", "/api/v1/briefings/{kind}", EVERYONE, "/api/v1/briefings/week"),
    Row("reporting", "GET", "/api/v1/evaluations/{year}", AUDIT, "/api/v1/evaluations/2025"),
    # --- reporting: sign-in, the dashboard pages and their Excel (docs/dashboard.md) -----------------------
    Row("reporting", "GET", "/login", PUBLIC),
    Row("reporting", "POST", "/login", "303 303 303 303 303 303 303 400 401", body="token"),
    Row("reporting", "POST", "/logout", "303 303 303 303 303 303 303 303 303", body=""),
    # the identity provider's redirect back (docs/sign-in.md): without a pending sign-in's state, refused
    Row("reporting", "GET", "/auth/callback", "400 400 400 400 400 400 400 400 400"),
    Row("reporting", "GET", "/", "303 303 303 303 303 303 303 303 303"),  # to the overview, or to sign in
    Row("reporting", "GET", "/static/{path}", PUBLIC, "/static/style.css"),
    Row("reporting", "GET", "/dashboard", PAGE),
    Row("reporting", "GET", "/dashboard/excel/{table}", PAGE, "/dashboard/excel/tasks"),
    Row("reporting", "GET", "/units/{unit}", PAGE, "/units/{unit}"),
    Row("reporting", "GET", "/units/{unit}/excel/{table}", PAGE, "/units/{unit}/excel/tasks"),
    Row("reporting", "GET", "/tasks/{task_id}", PAGE, "/tasks/{rtask}"),
    Row("reporting", "GET", "/tasks/{task_id}/excel/{table}", PAGE, "/tasks/{rtask}/excel/history"),
    Row("reporting", "GET", "/revisions", PAGE),
    Row("reporting", "GET", "/revisions/excel/{table}", PAGE, "/revisions/excel/revisions"),
    Row("reporting", "GET", "/reports", PAGE, "/reports?period=2025-Q2"),
    Row("reporting", "GET", "/reports/print", PAGE, "/reports/print?period=2025-Q2"),
    Row("reporting", "GET", "/reports/excel/{table}", PAGE, "/reports/excel/units?period=2025-Q2"),
    Row("reporting", "GET", "/reports/docx", PAGE, "/reports/docx?period=2025-Q2"),
    Row("reporting", "GET", "/reports/pdf", PAGE, "/reports/pdf?period=2025-Q2"),
    Row("reporting", "GET", "/briefings/{kind}", PAGE, "/briefings/month"),
    Row("reporting", "GET", "/briefings/{kind}/excel/{table}", PAGE, "/briefings/week/excel/changes"),
    Row("reporting", "GET", "/evaluation", EVALUATION_PAGE, "/evaluation?year=2025"),
    Row("reporting", "GET", "/evaluation/excel/{table}", EVALUATION_PAGE, "/evaluation/excel/units?year=2025"),
    Row("reporting", "GET", "/evaluation/docx", EVALUATION_PAGE, "/evaluation/docx?year=2025"),
    Row("reporting", "GET", "/evaluation/pdf", EVALUATION_PAGE, "/evaluation/pdf?year=2025"),
    # --- reporting: the workspace forms (docs/dashboard.md). A POST here carries no CSRF token: 403 for
    # every role; a role's refusal with a valid token is tests/e2e/test_workspace_safety.py's.
    Row("reporting", "GET", "/approvals", "403 403 403 403 403 200 403 303 303"),
    Row("reporting", "GET", "/workspace/register", "200 403 403 403 403 403 403 303 303"),
    Row("reporting", "GET", "/workspace/reassign-unit", "200 403 403 403 403 403 403 303 303"),
    Row("reporting", "POST", "/workspace/register", "403 403 403 403 403 403 403 303 303", body="form"),
    Row("reporting", "POST", "/workspace/reassign-unit", "403 403 403 403 403 403 403 303 303", body="form"),
    Row("reporting", "POST", "/workspace/tasks/{task_id}/{action}", "403 403 403 403 403 403 403 303 303",
        "/workspace/tasks/{rtask}/report_progress", body="form"),
    Row("reporting", "GET", "/workspace/program-import", "200 403 403 403 403 403 403 303 303"),
    Row("reporting", "POST", "/workspace/program-import", "403 403 403 403 403 403 403 303 303", body="form"),
    Row("reporting", "GET", "/workspace/program-import/{draft_id}", "200 403 403 403 403 403 403 303 303",
        "/workspace/program-import/{pagedraft}"),
    *(Row("reporting", "POST", f"/workspace/program-import/{{draft_id}}{tail}", "403 403 403 403 403 403 403 303 303",
          f"/workspace/program-import/{{pagedraft}}{tail.replace('{item_id}', '1')}", body="form")
      for tail in ("/items/{item_id}", "/merge", "/accept", "/discard")),
    Row("reporting", "GET", "/evidence/{sha256}", "404 404 404 404 404 404 404 303 303", f"/evidence/{'0' * 64}"),
    # --- notifications: alerts (the Office, the Board, the Inspectorate see all; a unit its own) -----------
    Row("notifications", "GET", "/api/v1/alerts", EVERYONE),
    Row("notifications", "GET", "/api/v1/alerts/{alert_id}", "200 200 404 200 404 200 200 401 401",
        "/api/v1/alerts/{alert}"),
    Row("notifications", "POST", "/api/v1/alerts/{alert_id}/ack", "200 200 404 200 404 200 403 401 401",
        "/api/v1/alerts/{alert}/ack", body={}),
    # --- notifications: the Office's subscriptions and deliveries; rules; briefings ------------------------
    Row("notifications", "GET", "/api/v1/subscriptions", OFFICE_ONLY),
    Row("notifications", "POST", "/api/v1/subscriptions", OFFICE_ONLY.replace("200", "201"), body=SUBSCRIPTION),
    Row("notifications", "GET", "/api/v1/subscriptions/{subscription_id}", OFFICE_ONLY.replace("200", "404"),
        "/api/v1/subscriptions/00000000-0000-0000-0000-000000000000"),
    Row("notifications", "PUT", "/api/v1/subscriptions/{subscription_id}", OFFICE_ONLY.replace("200", "404"),
        "/api/v1/subscriptions/00000000-0000-0000-0000-000000000000", body=SUBSCRIPTION),
    Row("notifications", "DELETE", "/api/v1/subscriptions/{subscription_id}", OFFICE_ONLY.replace("200", "404"),
        "/api/v1/subscriptions/00000000-0000-0000-0000-000000000000"),
    Row("notifications", "GET", "/api/v1/deliveries", OFFICE_ONLY),
    Row("notifications", "POST", "/api/v1/deliveries/retry", OFFICE_ONLY, body={"ids": [1]}),
    Row("notifications", "GET", "/api/v1/programs/{program_year}/rules", EVERYONE, "/api/v1/programs/2025/rules"),
    Row("notifications", "PUT", "/api/v1/programs/{program_year}/rules", OFFICE_BOARD, "/api/v1/programs/2025/rules",
        body=RULES),
    Row("notifications", "GET", "/api/v1/briefings", OFFICE_BOARD),
    Row("notifications", "GET", "/api/v1/briefings/preview", OFFICE_BOARD),
]


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every route the application serves, included routers and mounts too."""
    found: set[tuple[str, str]] = set()

    def walk(routes: Iterable[Any], prefix: str) -> None:
        for route in routes:
            if hasattr(route, "original_router"):  # FastAPI's included router
                walk(route.original_router.routes, prefix + route.include_context.prefix)
            elif isinstance(route, Mount):
                found.add(("GET", prefix + route.path + "/{path}"))
            else:
                found.update((m, prefix + route.path) for m in set(route.methods or ()) - {"HEAD"})

    walk(app.router.routes, "")
    return found


@pytest.fixture
async def stack(database_url: str, nats_url: str, subject_prefix: str, tmp_path: Path) -> AsyncIterator[Stack]:
    async with running_stack(database_url, nats_url, subject_prefix, tmp_path) as running:
        yield running


class Cells:
    """Builds each cell's request: its token, its objects, and for a commitments write a fresh task."""

    def __init__(self, stack: Stack) -> None:
        self.stack, self.bad = stack, wrong_algorithm_token()
        self.shared: dict[bool, str] = {}
        self.proposals: dict[str, str] = {}  # task id → its open revision proposal
        self.drafts: dict[str, str] = {}  # placeholder → a program draft made for the rows naming it

    def headers(self, column: str | None) -> dict[str, str]:
        if column is None:
            return {}
        return {"Authorization": f"Bearer {self.bad if column == 'bad' else self.stack.token(column)}"}

    async def command(self, role: str, path: str, body: dict[str, Any]) -> str:
        response = await self.stack.commitments.post(path, json=body, headers=self.stack.bearer(role))
        assert response.status_code in (200, 201), response.text
        return str(response.json()["task_id"])

    async def task(self, own: bool, state: str = "registered") -> str:
        unit = OWN_UNIT if own else OTHER_UNIT
        task = await self.command("office", "/api/v1/tasks", TASK | {"unit": unit})
        if state == "requested":
            staff = "unit_staff" if own else None
            if staff is None:  # another unit's staff asks: a token of that unit
                await self._as_other_unit_staff(f"/api/v1/tasks/{task}/completion-request")
            else:
                await self.command(staff, f"/api/v1/tasks/{task}/completion-request", {"note": ""})
        if state == "suspended":
            await self.command("board", f"/api/v1/tasks/{task}/suspension", {"reason": "Chờ", "approval": APPROVAL})
        if state == "proposed":  # by a head of the task's own unit
            token = self.stack.token_of("unit_head", unit, f"{unit}.head")
            response = await self.stack.commitments.post(
                f"/api/v1/tasks/{task}/revision-proposals", json={"target": "03 hội thảo", "reason": "Nhu cầu tăng"},
                headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 200, response.text
            self.proposals[task] = response.json()["proposal_id"]
        return task

    async def draft(self, name: str) -> str:
        if name not in self.drafts:
            response = await self.stack.commitments.post(
                "/api/v1/program-drafts", files={"file": ("thong-bao.txt", NOTICE)}, data={"program_year": "2026"},
                headers=self.stack.bearer("office"))
            assert response.status_code == 201, response.text
            self.drafts[name] = str(response.json()["draft_id"])
        return self.drafts[name]

    async def _as_other_unit_staff(self, path: str) -> None:
        token = self.stack.token_of("unit_staff", OTHER_UNIT, "vp.staff")
        response = await self.stack.commitments.post(path, json={"note": ""},
                                                     headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, response.text

    async def url(self, row: Row, own: bool) -> str:
        url = row.url or row.route
        if row.state:
            task = await self.task(own, row.state)
            url = url.replace("{task_id}", task).replace("{proposal_id}", self.proposals.get(task, ""))
        if "{task}" in url:
            if own not in self.shared:
                self.shared[own] = await self.task(own)
            url = url.replace("{task}", self.shared[own])
        for name in ("{draft}", "{pagedraft}"):  # the API's rows discard theirs; the pages' rows need another
            if name in url:
                url = url.replace(name, await self.draft(name))
        unit = OWN_UNIT if own else OTHER_UNIT
        return (url.replace("{unit}", unit).replace("{alert}", self.stack.alerts[unit])
                .replace("{rtask}", str(TASK_IDS["QL-CNDMST-01" if own else "VP-01"]))
                .replace("{now}", datetime.now(UTC).isoformat().replace("+00:00", "Z")))

    async def send(self, row: Row, column: str | None, own: bool) -> int:
        client: httpx.AsyncClient = self.stack.client(row.service)
        url, headers = await self.url(row, own), self.headers(column)
        if row.body == "form":  # a workspace form, posted without its CSRF token
            response = await client.post(url, content="note=x", headers=headers | {
                "Content-Type": "application/x-www-form-urlencoded"})
        elif row.body == "notice":  # a notice's upload into a program draft (multipart)
            response = await client.post(url, files={"file": ("thong-bao.txt", NOTICE)},
                                         data={"program_year": "2026"}, headers=headers)
        elif row.body == "token":  # the sign-in form carries the token in its body
            token = headers.pop("Authorization", "Bearer ")[7:]
            response = await client.post(url, content=f"token={token}", headers={
                "Content-Type": "application/x-www-form-urlencoded"})
        elif isinstance(row.body, bytes):
            response = await client.request(row.method, url, content=row.body, headers=headers | {
                "Content-Type": "application/octet-stream"})
        elif isinstance(row.body, str):
            response = await client.request(row.method, url, content=row.body, headers=headers)
        elif row.body is not None:
            body = {k: (v.replace("{unit}", OWN_UNIT if own else OTHER_UNIT) if isinstance(v, str) else v)
                    for k, v in row.body.items()}
            response = await client.request(row.method, url, json=body, headers=headers)
        else:
            response = await client.request(row.method, url, headers=headers)
        assert response.status_code < 500 or row.expected == OPEN, f"{row.method} {url} as {column}: {response.text}"
        return response.status_code


async def test_every_route_of_every_service_answers_every_role_as_documented(stack: Stack) -> None:
    listed = {(row.service, row.method, row.route) for row in POLICY}
    routes = {(name, m, p) for name, app in stack.apps.items() for m, p in app_routes(app)}
    assert routes - listed == set(), "routes without a row in the policy table"
    assert listed - routes == set(), "rows naming routes that no longer exist"
    cells = Cells(stack)
    wrong: list[str] = []
    for row in POLICY:
        got = [await cells.send(row, column, own) for column, own in zip(COLUMNS, OWN, strict=True)]
        if row.expected == OPEN:
            if len(set(got)) != 1 or got[0] in (401, 403):
                wrong.append(f"{row.service} {row.method} {row.route}: expected the same open answer, got {got}")
        elif " ".join(map(str, got)) != row.expected:
            wrong.append(f"{row.service} {row.method} {row.route}: expected {row.expected}, got "
                         f"{' '.join(map(str, got))}")
    assert wrong == [], "\n".join(wrong)


def test_the_table_is_well_formed() -> None:
    assert all(row.expected == OPEN or len(row.expected.split()) == len(COLUMNS) for row in POLICY)
    assert len({(r.service, r.method, r.route) for r in POLICY}) == len(POLICY), "a route listed twice"


