"""Free text over HTTP (in process): a control character, lone surrogate, noncharacter or
bidirectional override in any text field gets 422 naming the field and writes nothing; text that
merely looks like a formula is stored as it is, in NFC."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from commitments.api.app import create_app
from commitments.bootstrap import build, memory_app
from commitments.config import CommitmentsSettings
from commitments.persistence.signing import EventSigner
from shared.auth.devkeys import ensure_key_pair, load_private_key
from shared.auth.tokens import TokenVerifier
from tests.unit.commitments.test_http import BODY, Api, problem_field

HOSTILE = ["bad\x00note", "tab\x0bdọc", "abc\u202edef", "x\uffff", "C1\x85x", "\u2066isolate\u2069"]
REPORT = {"as_of": "2025-06-30", "period": "2025-Q2", "achieved_value": 1}
APPROVAL = {"approved_by": "Trần Ngọc Lâm, Giám đốc Sở", "document": "Số: 123/QĐ-SKHCN"}


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    key_path = ensure_key_pair(tmp_path, "jwt")
    verifier = TokenVerifier(issuer="camket-dev", audience="camket", public_key_file=tmp_path / "jwt.pub.pem")
    app = memory_app(signer=EventSigner.generate())
    with TestClient(create_app(build(CommitmentsSettings(), app=app, verifier=verifier)),
                    raise_server_exceptions=False) as client:
        yield Api(client, load_private_key(key_path), app)


def post(api: Api, path: str, body: dict[str, Any], role: str = "unit_staff", unit: str = "ql-cndmst") -> Any:
    return api.client.post(path, json=body, headers=api.auth(role, unit))


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize(("field", "body"), [
    ("title", lambda t: BODY | {"title": t}),
    ("description", lambda t: BODY | {"description": t}),
    ("legal_basis[0]", lambda t: BODY | {"legal_basis": [t]}),
    ("deadline", lambda t: BODY | {"deadline": t}),
])
def test_a_registration_with_hostile_text_is_refused(api: Api, text: str, field: str, body: Any) -> None:
    response = post(api, "/api/v1/tasks", body(text), "office", "vp")
    assert response.status_code == 422, response.text
    assert problem_field(response) == field and "U+" in response.json()["detail"]
    assert api.events == 0


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize(("field", "body"), [
    ("note", lambda t: REPORT | {"note": t}),
    ("evidence[1]", lambda t: REPORT | {"evidence": ["bao-cao.pdf", t]}),
])
def test_a_progress_report_with_hostile_text_is_refused(api: Api, text: str, field: str, body: Any) -> None:
    task_id = api.register()
    response = post(api, f"/api/v1/tasks/{task_id}/progress-reports", body(text))
    assert response.status_code == 422, response.text
    assert problem_field(response) == field
    assert api.events == 1


def test_the_nul_report_of_the_issue_gets_422_naming_note(api: Api) -> None:
    task_id = api.register()
    raw = json.dumps(REPORT | {"note": "bad\u0000note"})  # "\\u0000" on the wire, exactly as a client sends it
    assert "\\u0000" in raw
    response = api.client.post(f"/api/v1/tasks/{task_id}/progress-reports", content=raw.encode(),
                               headers=api.auth("unit_staff") | {"content-type": "application/json"})
    assert response.status_code == 422 and problem_field(response) == "note"
    assert "U+0000" in response.json()["detail"]
    assert api.events == 1


def test_a_lone_surrogate_is_refused_not_a_500(api: Api) -> None:
    task_id = api.register()
    raw = b'{"as_of": "2025-06-30", "period": "2025-Q2", "achieved_value": 1, "note": "x\\ud800y"}'
    response = api.client.post(f"/api/v1/tasks/{task_id}/progress-reports", content=raw,
                               headers=api.auth("unit_staff") | {"content-type": "application/json"})
    assert response.status_code == 422 and problem_field(response) == "note"
    assert api.events == 1


@pytest.mark.parametrize(("field", "path", "body"), [
    ("reason", "revisions", lambda t: {"new_deadline": "9/2025", "reason": t, "approval": APPROVAL,
                                       "effective_on": "2025-05-02"}),
    ("approval.document", "revisions", lambda t: {"new_deadline": "9/2025", "reason": "Lý do",
                                                  "approval": APPROVAL | {"document": t},
                                                  "effective_on": "2025-05-02"}),
    ("approval.approved_by", "revisions", lambda t: {"new_deadline": "9/2025", "reason": "Lý do",
                                                     "approval": APPROVAL | {"approved_by": t},
                                                     "effective_on": "2025-05-02"}),
])
def test_revision_texts_are_checked(api: Api, field: str, path: str, body: Any) -> None:
    task_id = api.register()
    response = post(api, f"/api/v1/tasks/{task_id}/{path}", body("a\x00b"), "board", "bgd")
    assert response.status_code == 422, response.text
    assert problem_field(response) == field
    assert api.events == 1


@pytest.mark.parametrize("note", ['=HYPERLINK("http://x")', "+1", "-xong", "@SUM(A1)", "\t=1", "dòng 1\ndòng 2"])
def test_text_that_looks_like_a_formula_is_ordinary_text(api: Api, note: str) -> None:
    task_id = api.register()
    response = post(api, f"/api/v1/tasks/{task_id}/progress-reports", REPORT | {"note": note})
    assert response.status_code == 200, response.text
    assert api.app.history(UUID(task_id))[-1].model_dump(mode="json")["note"] == note.strip()


def test_text_is_stored_in_nfc(api: Api) -> None:
    task_id = api.register(BODY | {"title": "Hoa\u0300n thie\u0323\u0302n"})  # decomposed, as some keyboards send
    task = api.client.get(f"/api/v1/tasks/{task_id}", headers=api.auth("board", "bgd")).json()
    assert task["title"] == "Hoàn thiện"
