"""The audit routes over HTTP: the Inspectorate and the Board read; everyone else gets 403; every read,
allowed or refused, lands in the access log; bad input gets a 4xx naming the field."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from commitments.api.app import create_app
from commitments.audit.adapters.key_files import load_ring
from commitments.audit.bootstrap import LazyAudit
from commitments.audit.config import AuditSettings
from commitments.audit.domain.bundle_verify import verify_bundle
from commitments.bootstrap import build
from shared.auth.devkeys import ensure_key_pair, load_private_key
from shared.auth.tokens import TokenVerifier, mint_token
from tests.integration.audit.conftest import AuditLog
from tests.unit.audit.conftest import BOARD, principal
from tests.unit.commitments.builders import revise


class Client:
    def __init__(self, client: TestClient, key_path: Path) -> None:
        self.client, self.key = client, load_private_key(key_path)

    def auth(self, role: str) -> dict[str, str]:
        token = mint_token(self.key, issuer="camket-dev", audience="camket", user_id=f"{role}.user",
                           name=f"Người dùng {role}", unit="thanh-tra", roles=[role])
        return {"Authorization": f"Bearer {token}"}

    def get(self, path: str, role: str = "inspector", **params: Any) -> Any:
        return self.client.get(f"/api/v1/audit{path}", params=params, headers=self.auth(role))


@pytest.fixture
def http(log: AuditLog, settings: AuditSettings, tmp_path: Path) -> Iterator[Client]:
    key_path = ensure_key_pair(tmp_path / "jwt", "jwt")
    verifier = TokenVerifier(issuer="camket-dev", audience="camket", public_key_file=tmp_path / "jwt" / "jwt.pub.pem")
    container = build(settings, app=log.writer, verifier=verifier)
    container.audit = LazyAudit.given(log.audit)
    with TestClient(create_app(container), raise_server_exceptions=False) as client:
        yield Client(client, key_path)


def test_only_the_inspectorate_and_the_board_read_and_every_read_is_recorded(log: AuditLog, http: Client) -> None:
    task = log.populate(tasks=1, reports=1)[0]
    for role in ("office", "unit_staff", "unit_head"):
        refused = http.get(f"/tasks/{task}/history", role=role)
        assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
    assert http.get(f"/tasks/{task}/history", role="board").status_code == 200
    assert http.get(f"/tasks/{task}/as-of", at="2025-03-01T12:00:00+07:00").status_code == 200
    entries = http.get("/access-log").json()["entries"]
    seen = [(e["user_id"], e["view"], e["subject"], e["outcome"]) for e in reversed(entries)]
    assert seen == [("office.user", "history", str(task), 403), ("unit_staff.user", "history", str(task), 403),
                    ("unit_head.user", "history", str(task), 403), ("board.user", "history", str(task), 200),
                    ("inspector.user", "as_of", str(task), 200)]
    assert entries[-1]["user_name"] == "Người dùng office" and entries[0]["query"] == {
        "at": "2025-03-01T12:00:00+07:00"}


def test_the_views_answer(log: AuditLog, http: Client, settings: AuditSettings) -> None:
    task = log.populate(tasks=2, reports=2)[0]
    log.checkpoint()
    history = http.get(f"/tasks/{task}/history").json()
    assert history["count"] == 4 and history["entries"][-1]["changes"][0]["field"] == "target.text"
    as_of = http.get(f"/tasks/{task}/as-of", at="2025-03-01T09:00:00+07:00").json()
    assert as_of["task"]["version"] == 1
    period = http.get(f"/tasks/{task}/reported-for", period="2025-Q1").json()
    assert period["period"]["label"] == "Quý I/2025" and period["reported_for"]["achieved_value"] == 2
    day = http.get("/program/as-of", date="2025-03-02").json()
    assert (day["total"], day["date_label"]) == (2, "02/03/2025")
    verified = http.get("/verify").json()
    assert verified["ok"] and verified["sealed"] == 8 and len(verified["witnesses"]) == 3
    assert verified["witnesses"][-1].startswith("transparency log: 8 events, 1 checkpoints")
    bundle = http.get("/export", scope="task", task_id=str(task))
    assert bundle.headers["content-disposition"].startswith("attachment")
    report = verify_bundle(bundle.text, load_ring([settings.checkpoint_public_key_path]))
    assert report.events == 4
    assert http.get("/checkpoints").json()["checkpoints"][0]["valid"] is True


def test_search_of_changes_by_kind_actor_unit_and_dates(log: AuditLog, http: Client) -> None:
    lowered, raised = log.populate(tasks=2, reports=0)  # each already lowered to 8 in March
    log.clock.set(2025, 8, 12, 3)
    log.run(revise(lowered, target="ít nhất 5 doanh nghiệp", reason="Cắt giảm kinh phí",
                   effective_on=date(2025, 8, 1)), principal("board", "bgd"))
    log.clock.set(2025, 8, 13, 3)
    log.run(revise(raised, target="ít nhất 15 doanh nghiệp", effective_on=date(2025, 8, 1)), BOARD)
    log.seal()  # the sealer writes the change index with the seals
    q3 = http.get("/changes", kind="target_lowered", **{"from": "2025-07-01", "to": "2025-09-30"}).json()
    assert [(c["task_id"], c["reason"]) for c in q3["changes"]] == [(str(lowered), "Cắt giảm kinh phí")]
    assert len(http.get("/changes", kind="target_lowered").json()["changes"]) == 3  # March's two and August's
    by_name = http.get("/changes", actor="can bo BOARD").json()  # accents and case ignored
    assert {c["type"] for c in by_name["changes"]} == {"TargetRevised"} and by_name["count"] == 4
    assert http.get("/changes", unit="ql-cndmst", kind="TaskRegistered").json()["count"] == 2
    assert http.get("/changes", unit="vp").json()["count"] == 0
    page = http.get("/changes", limit=3).json()
    rest = http.get("/changes", after=page["next_after"]).json()
    assert page["count"] == 3 and rest["count"] == 3 and rest["next_after"] is None


@pytest.mark.parametrize(("path", "params", "status", "field"), [
    ("/tasks/{task}/as-of", {"at": "2025-03-01T12:00:00"}, 422, "at"),
    ("/tasks/{task}/as-of", {"at": "hôm qua"}, 422, "at"),
    ("/tasks/{task}/reported-for", {"period": "2025-Q5"}, 422, "period"),
    ("/changes", {"kind": "Everything"}, 422, "kind"),
    ("/changes", {"from": "2025-09-30", "to": "2025-07-01"}, 422, "from"),
    ("/changes", {"unit": "Phòng KH"}, 422, "unit"),
    ("/export", {"scope": "task"}, 422, "task_id"),
    ("/export", {"scope": "all"}, 422, "scope"),
    ("/tasks/00000000-0000-0000-0000-000000000000/history", {}, 404, "task_id"),
    ("/access-log", {"before_id": str(2**63)}, 422, "before_id"),  # past bigint: found by the fuzzing
    ("/changes", {"after": str(2**63)}, 422, "after"),
    ("/tasks/{task}/history", {"after": str(2**63)}, 422, "after"),
])
def test_bad_input_gets_a_problem_naming_the_field(log: AuditLog, http: Client, path: str, params: dict[str, str],
                                                   status: int, field: str) -> None:
    task = log.populate(tasks=1, reports=0)[0]
    response = http.get(path.format(task=task), **params)
    assert response.status_code == status, response.text
    assert field in {e["field"] for e in response.json()["errors"]}


def test_a_missing_token_is_401(http: Client) -> None:
    assert http.client.get("/api/v1/audit/verify").status_code == 401
