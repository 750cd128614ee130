"""The HTTP API in process (in-memory store): every error path gets a clear 4xx naming the field,
never a 500, and writes nothing."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from commitments.api.app import create_app
from commitments.application.service import CommitmentsApp
from commitments.bootstrap import build, memory_app
from commitments.config import CommitmentsSettings
from commitments.drafts.store import MemoryDraftStore
from commitments.evidence.memory_store import MemoryBlobStore
from commitments.persistence.signing import EventSigner
from shared.auth.devkeys import ensure_key_pair, load_private_key
from shared.auth.tokens import TokenVerifier, mint_token

BODY = {"program_year": 2025, "ref": "QL-CNDMST-03", "unit": "ql-cndmst", "title": "Hỗ trợ chuyển đổi số",
        "target": "ít nhất 10 doanh nghiệp", "deadline": "6/2025", "cooperating_units": ["tt-cgcn"]}


class Api:
    def __init__(self, client: TestClient, key: Ed25519PrivateKey, app: CommitmentsApp) -> None:
        self.client, self.key, self.app = client, key, app

    def token(self, role: str, unit: str = "ql-cndmst", **claims: Any) -> str:
        return mint_token(self.key, issuer="camket-dev", audience="camket", user_id=f"{role}-user",
                          name="Nguyễn Văn A", unit=unit, roles=[role], **claims)

    def auth(self, role: str, unit: str = "ql-cndmst") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, unit)}"}

    def register(self, body: dict[str, Any] | None = None) -> str:
        response = self.client.post("/api/v1/tasks", json=body or BODY, headers=self.auth("office", "vp"))
        assert response.status_code == 201, response.text
        task_id: str = response.json()["task_id"]
        return task_id

    @property
    def events(self) -> int:
        return self.app.recorder.max_notification_id() or 0


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    key_path = ensure_key_pair(tmp_path, "jwt")
    verifier = TokenVerifier(issuer="camket-dev", audience="camket", public_key_file=tmp_path / "jwt.pub.pem")
    app = memory_app(signer=EventSigner.generate())
    container = build(CommitmentsSettings(), app=app, verifier=verifier, evidence_store=MemoryBlobStore(),
                      draft_store=MemoryDraftStore())
    with TestClient(create_app(container), raise_server_exceptions=False) as client:
        yield Api(client, load_private_key(key_path), app)


def problem_field(response: Any) -> str:
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    body = response.json()
    assert body["status"] == response.status_code and body["detail"]
    field: str = body["errors"][0]["field"]
    return field


def test_register_then_read_the_task_and_its_history(api: Api) -> None:
    task_id = api.register()
    task = api.client.get(f"/api/v1/tasks/{task_id}", headers=api.auth("inspector", "thanh-tra"))
    assert task.status_code == 200 and task.headers["etag"] == '"1"'
    assert task.json()["target"]["minimum"] == 10 and task.json()["status_label"]
    history = [e.model_dump(mode="json") for e in api.app.history(UUID(task_id))]
    assert history[0]["type"] == "TaskRegistered"
    assert history[0]["actor"] == {"user_id": "office-user", "name": "Nguyễn Văn A", "unit": "vp",
                                             "role": "office", "issuer": "camket-dev", "subject": "office-user"}


def test_the_actor_comes_from_the_token_not_the_body(api: Api) -> None:
    response = api.client.post("/api/v1/tasks", json=BODY | {"actor": {"name": "Giả mạo"}},
                               headers=api.auth("office", "vp"))
    assert response.status_code == 422 and problem_field(response) == "actor"
    assert api.events == 0


@pytest.mark.parametrize(("body", "field"), [
    (BODY | {"program_year": "năm nay"}, "program_year"),
    (BODY | {"title": 12}, "title"),
    (BODY | {"unknown": 1}, "unknown"),
    (BODY | {"unit": "Phòng QLKH"}, "unit"),
    (BODY | {"cooperating_units": ["ok", "KHÔNG"]}, "cooperating_units[1]"),
    (BODY | {"target": "nhiều doanh nghiệp"}, "target"),
    (BODY | {"target": "10 - 5 lớp"}, "target.maximum"),
    (BODY | {"target": "120% TTHC"}, "target.minimum"),
    (BODY | {"target": {"kind": "range", "minimum": 5}}, "target.maximum"),
    (BODY | {"deadline": "31/02/2025"}, "deadline"),
    (BODY | {"deadline": "Quý V/2025"}, "deadline"),
    (BODY | {"milestone": "x"}, "target"),
    ({k: v for k, v in BODY.items() if k != "title"}, "title"),
])
def test_bad_registrations_name_the_field_and_write_nothing(api: Api, body: dict[str, Any], field: str) -> None:
    response = api.client.post("/api/v1/tasks", json=body, headers=api.auth("office", "vp"))
    assert response.status_code == 422, response.text
    assert problem_field(response) == field
    assert api.events == 0


def test_malformed_json_oversized_bodies_and_other_media_types(api: Api) -> None:
    headers = api.auth("office", "vp") | {"content-type": "application/json"}
    response = api.client.post("/api/v1/tasks", content=b'{"program_year": 2025,', headers=headers)
    assert response.status_code == 400 and problem_field(response) == "body"
    huge = json.dumps(BODY | {"description": "x" * 100_000})
    response = api.client.post("/api/v1/tasks", content=huge.encode(), headers=headers)
    assert response.status_code == 413 and problem_field(response) == "body"
    response = api.client.post("/api/v1/tasks", content=b"program_year=2025",
                               headers=api.auth("office", "vp") | {"content-type": "text/plain"})
    assert response.status_code == 415 and problem_field(response) == "Content-Type"
    assert api.events == 0


@pytest.mark.parametrize(("body", "field"), [
    ({"as_of": "30/06/2025", "period": "2025-Q2", "achieved_value": 1}, "as_of"),
    ({"as_of": "2025-02-30", "period": "2025-Q2", "achieved_value": 1}, "as_of"),
    ({"as_of": "2025-06-30", "period": "Q2", "achieved_value": 1}, "period"),
    ({"as_of": "2025-06-30", "period": "2025-Q2", "achieved_value": -1}, "achieved_value"),
    ({"as_of": "2025-06-30", "period": "2025-Q2", "achieved_value": "bốn"}, "achieved_value"),
    ({"as_of": "2025-06-30", "period": "2025-Q2"}, "achieved_value"),
    ({"as_of": "2099-06-30", "period": "2025-Q2", "achieved_value": 1}, "as_of"),
    ({"as_of": "2025-06-30", "period": "2025-Q2", "achieved_value": 1, "evidence": [""]}, "evidence[0]"),
])
def test_bad_progress_reports_name_the_field(api: Api, body: dict[str, Any], field: str) -> None:
    task_id = api.register()
    response = api.client.post(f"/api/v1/tasks/{task_id}/progress-reports", json=body,
                               headers=api.auth("unit_staff"))
    assert response.status_code == 422, response.text
    assert problem_field(response) == field
    assert api.events == 1


@pytest.mark.parametrize("make_token", [
    lambda api: "",
    lambda api: "not-a-jwt",
    lambda api: api.token("office", "vp", ttl_seconds=-10),
    lambda api: mint_token(Ed25519PrivateKey.generate(), issuer="camket-dev", audience="camket", user_id="x",
                           name="X", unit="vp", roles=["office"]),
    lambda api: jwt.encode({"iss": "camket-dev", "aud": "other", "sub": "x", "name": "X", "unit": "vp",
                            "roles": ["office"], "iat": int(time.time()), "exp": int(time.time()) + 60},
                           api.key, algorithm="EdDSA"),
    lambda api: jwt.encode({"iss": "camket-dev", "aud": "camket", "sub": "x", "name": "X", "unit": "vp",
                            "roles": ["admin"], "iat": int(time.time()), "exp": int(time.time()) + 60},
                           api.key, algorithm="EdDSA"),
])
def test_bad_tokens_get_401(api: Api, make_token: Any) -> None:
    response = api.client.post("/api/v1/tasks", json=BODY, headers={"Authorization": f"Bearer {make_token(api)}"})
    assert response.status_code == 401 and problem_field(response) == "Authorization"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert api.client.get("/api/v1/tasks").status_code == 401
    assert api.events == 0


def test_wrong_role_or_wrong_unit_gets_403(api: Api) -> None:
    task_id = api.register()
    report = {"as_of": "2025-06-30", "period": "2025-Q2", "achieved_value": 3}
    url = f"/api/v1/tasks/{task_id}/progress-reports"
    assert api.client.post(url, json=report, headers=api.auth("unit_staff", "ql-kh")).status_code == 403
    assert api.client.post(url, json=report, headers=api.auth("inspector", "thanh-tra")).status_code == 403
    assert api.client.post("/api/v1/tasks", json=BODY, headers=api.auth("board", "bgd")).status_code == 403
    assert api.events == 1
    assert api.client.post(url, json=report, headers=api.auth("unit_head")).status_code == 200


def test_if_match_and_idempotency_key(api: Api) -> None:
    task_id = api.register()
    url = f"/api/v1/tasks/{task_id}/progress-reports"
    report = {"as_of": "2025-06-30", "period": "2025-Q2", "achieved_value": 3}
    headers = api.auth("unit_staff")
    assert api.client.post(url, json=report, headers=headers | {"If-Match": "yes"}).status_code == 400
    stale = api.client.post(url, json=report, headers=headers | {"If-Match": '"7"'})
    assert stale.status_code == 409 and stale.json()["current_version"] == 1 and stale.headers["etag"] == '"1"'
    first = api.client.post(url, json=report, headers=headers | {"If-Match": '"1"', "Idempotency-Key": "bc-q2"})
    again = api.client.post(url, json=report, headers=headers | {"If-Match": '"1"', "Idempotency-Key": "bc-q2"})
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    assert again.headers["idempotent-replayed"] == "true"
    other = api.client.post(url, json=report | {"achieved_value": 4}, headers=headers | {"Idempotency-Key": "bc-q2"})
    assert other.status_code == 422 and problem_field(other) == "Idempotency-Key"
    assert api.events == 2


def test_a_replayed_registration_answers_201_with_the_same_bytes(api: Api) -> None:
    headers = api.auth("office", "vp") | {"Idempotency-Key": "dk-03"}
    first = api.client.post("/api/v1/tasks", json=BODY, headers=headers)
    again = api.client.post("/api/v1/tasks", json=BODY, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201) and again.content == first.content
    assert again.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    assert again.headers["location"] == first.headers["location"] and api.events == 1


def test_reads_validate_their_parameters(api: Api) -> None:
    task_id = api.register()
    headers = api.auth("inspector", "thanh-tra")
    assert api.client.get("/api/v1/tasks/not-a-uuid", headers=headers).status_code == 422
    missing = api.client.get("/api/v1/tasks/00000000-0000-0000-0000-000000000000", headers=headers)
    assert missing.status_code == 404 and problem_field(missing) == "task_id"
    past = api.client.get(f"/api/v1/tasks/{task_id}", params={"as_of": "2025-06-30T10:00:00"}, headers=headers)
    assert past.status_code == 200 and "as_of" not in past.json()  # a past state is the audit's view (as-of)
    wrong = api.client.get("/api/v1/tasks", params={"status": "xong"}, headers=headers)
    assert wrong.status_code == 422 and problem_field(wrong) == "status"
    assert api.client.get("/docs").status_code == 200
    assert api.client.get("/openapi.json").json()["info"]["title"].startswith("Cam kết")
