"""The drafts API in process (in-memory event store and drafts): a notice uploaded into a draft,
corrected, merged, dropped, accepted through RegisterTask — idempotently, also after a crash half-way
and when another Office member retries — and every refusal a clear 4xx naming the field, writing nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from commitments.api.app import create_app
from commitments.api.routes import draft_io as io
from commitments.bootstrap import Container, build, memory_app
from commitments.config import CommitmentsSettings
from commitments.drafts.store import MemoryDraftStore
from commitments.evidence.memory_store import MemoryBlobStore
from commitments.persistence.signing import EventSigner
from shared.auth.devkeys import ensure_key_pair, load_private_key
from shared.auth.tokens import Principal, TokenVerifier, mint_token

ROOT = Path(__file__).resolve().parents[3]
NOTICE = (ROOT / "tests/data/notices/qt-skhcn-2026-review.txt").read_bytes()
API = "/api/v1/program-drafts"


class Drafts:
    def __init__(self, client: TestClient, container: Container, key: Any) -> None:
        self.client, self.container, self.key = client, container, key

    def auth(self, role: str = "office", user: str = "office-user", name: str = "Trần Thị Nhung") -> dict[str, str]:
        token = mint_token(self.key, issuer="camket-dev", audience="camket", user_id=user, name=name,
                           unit="vp" if role == "office" else "ql-cndmst", roles=[role])
        return {"Authorization": f"Bearer {token}"}

    def upload(self, data: bytes = NOTICE, name: str = "thong-bao-2026.txt", year: str = "2026",
               role: str = "office") -> Any:
        return self.client.post(API, files={"file": (name, data, "text/plain")}, data={"program_year": year},
                                headers=self.auth(role))

    def draft(self) -> dict[str, Any]:
        response = self.upload()
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    @property
    def events(self) -> int:
        return self.container.app.recorder.max_notification_id() or 0


@pytest.fixture
def drafts(tmp_path: Path) -> Iterator[Drafts]:
    key_path = ensure_key_pair(tmp_path, "jwt")
    verifier = TokenVerifier(issuer="camket-dev", audience="camket", public_key_file=tmp_path / "jwt.pub.pem")
    app = memory_app(signer=EventSigner.generate())
    container = build(CommitmentsSettings(), app=app, verifier=verifier, evidence_store=MemoryBlobStore(),
                      draft_store=MemoryDraftStore())
    with TestClient(create_app(container), raise_server_exceptions=False) as client:
        yield Drafts(client, container, load_private_key(key_path))


def fields(response: Any) -> list[str]:
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    return [e["field"] for e in response.json()["errors"]]


def test_a_notice_becomes_a_draft_with_its_source_text_and_spans(drafts: Drafts) -> None:
    draft = drafts.draft()
    read = drafts.client.get(f"{API}/{draft['draft_id']}", headers=drafts.auth())
    assert read.status_code == 200 and read.headers["etag"] == '"1"'
    body = read.json()
    assert [i["unit"] for i in body["items"]] == ["vp", "vp", "ql-cndmst", "ql-cndmst"]
    third = body["items"][2]
    assert third["target"] | {"text": None} == {"kind": "at_least", "minimum": 3.0, "maximum": None,
                                                "measure": "doanh nghiệp KH&CN", "text": None}
    for item in body["items"]:
        for span in item["source"]:  # each span points at its words in the source text
            assert body["source_text"][span["start"]:span["end"]] == span["text"] and span["text"]
    assert drafts.events == 0  # a draft registers nothing


def test_correct_merge_drop_then_accept_registers_the_kept_items_once(drafts: Drafts) -> None:
    draft_id = drafts.draft()["draft_id"]
    office = drafts.auth()
    fixed = drafts.client.patch(f"{API}/{draft_id}/items/1", json={"deadline": "Thường xuyên"},
                                headers=office | {"If-Match": '"1"'})
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["items"][0]["deadline"] == {"text": "Thường xuyên", "ends_at": "2026-12-31T16:59:59+00:00"}
    assert fixed.json()["items"][0]["edited"] is True
    merged = drafts.client.post(f"{API}/{draft_id}/merges", json={"into": 3, "item": 4}, headers=office)
    assert merged.status_code == 200 and [i["item_id"] for i in merged.json()["items"]] == [1, 2, 3]
    assert len(merged.json()["items"][2]["source"]) == 2  # both items' words stay highlighted
    dropped = drafts.client.delete(f"{API}/{draft_id}/items/2", headers=office)
    assert dropped.status_code == 200 and dropped.json()["items_kept"] == 2
    accepted = drafts.client.post(f"{API}/{draft_id}/acceptance", headers=office)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["registered"] == 2 and accepted.json()["status"] == "accepted"
    assert drafts.events == 2
    task = accepted.json()["tasks"][0]
    history = drafts.container.app.history(UUID(task["task_id"]))  # the audit's route needs PostgreSQL
    assert history[0].actor.name == "Trần Thị Nhung"  # the reviewer is the actor
    again = drafts.client.post(f"{API}/{draft_id}/acceptance", headers=drafts.auth(user="office-2", name="Lê Văn C"))
    assert again.status_code == 200 and again.json()["registered"] == 0  # another reviewer: nothing new
    assert [t["task_id"] for t in again.json()["tasks"]] == [t["task_id"] for t in accepted.json()["tasks"]]
    assert drafts.events == 2
    late = drafts.client.patch(f"{API}/{draft_id}/items/1", json={"title": "Muộn"}, headers=office)
    assert late.status_code == 409 and fields(late) == ["draft_id"]  # an accepted draft is no longer edited


def test_accepting_after_a_crash_half_way_registers_only_the_rest(drafts: Drafts) -> None:
    draft_id = drafts.draft()["draft_id"]
    service, org = drafts.container.drafts, drafts.container.settings.org
    frozen = service.freeze(UUID(draft_id), None)  # what an acceptance does first, before it crashed
    made, errors = io.commands(frozen, org)
    assert errors == []
    reviewer = Principal(user_id="office-user", name="Trần Thị Nhung", unit="vp", roles=frozenset({"office"}),
                         issuer="camket-dev", subject="office-user")
    for sub in io.submissions(frozen, made[:2], reviewer):  # the two registrations that landed before the crash
        asyncio.run(drafts.container.batcher.submit(sub))
    assert drafts.events == 2
    edit = drafts.client.patch(f"{API}/{draft_id}/items/4", json={"title": "Khác"}, headers=drafts.auth())
    assert edit.status_code == 409  # half registered: frozen, so the retry sends the same registrations
    retried = drafts.client.post(f"{API}/{draft_id}/acceptance", headers=drafts.auth())
    assert retried.status_code == 200, retried.text
    assert retried.json()["registered"] == 2 and [t["replayed"] for t in retried.json()["tasks"]] == [
        True, True, False, False]
    assert drafts.events == 4
    assert drafts.client.delete(f"{API}/{draft_id}", headers=drafts.auth()).status_code == 200


def test_an_item_the_command_refuses_blocks_acceptance_naming_it(drafts: Drafts) -> None:
    long = "Tổ chức các hoạt động tuyên truyền về khoa học và công nghệ trên địa bàn tỉnh, " * 14
    notice = (f"1. Phòng Thử nghiệm Không Có\n\n- Tổ chức 02 hội thảo khoa học trong Quý III/2026.\n\n"
              f"2. Văn phòng Sở\n\n- {long.strip()} trong năm 2026.\n").encode()
    uploaded = drafts.upload(notice)
    assert uploaded.status_code == 201, uploaded.text
    draft_id = uploaded.json()["draft_id"]
    assert [i["unit"] for i in uploaded.json()["items"]] == [None, "vp"]
    refused = drafts.client.post(f"{API}/{draft_id}/acceptance", headers=drafts.auth())
    assert refused.status_code == 422
    assert fields(refused) == ["items[1].unit", "items[2].title"]
    assert "item 1" in refused.json()["detail"] and "item 2" in refused.json()["detail"]
    assert drafts.events == 0
    assert drafts.client.get(f"{API}/{draft_id}", headers=drafts.auth()).json()["status"] == "open"  # editable
    drafts.client.patch(f"{API}/{draft_id}/items/1", json={"unit": "ql-kh"}, headers=drafts.auth())
    drafts.client.patch(f"{API}/{draft_id}/items/2", json={"title": long[:900].strip()}, headers=drafts.auth())
    accepted = drafts.client.post(f"{API}/{draft_id}/acceptance", headers=drafts.auth())
    assert accepted.status_code == 200 and accepted.json()["registered"] == 2


@pytest.mark.parametrize(("change", "field"), [
    ({"deadline": "Quý V/2026"}, "deadline"),
    ({"unit": "khong-co"}, "unit"),
    ({"cooperating_units": ["ql-kh", "khong-co"]}, "cooperating_units[1]"),
    ({"target": {"kind": "range", "minimum": 5, "maximum": 2}}, "target.maximum"),
    ({"target": {"kind": "at_least"}}, "target.minimum"),
    ({"target": {"kind": "percentage", "minimum": 120}}, "target.minimum"),
    ({"title": "Bình\u202ethường"}, "title"),  # a bidirectional override: hostile text
    ({"title": ""}, "title"),
    ({"legal_basis": ["Nghị quyết\x00 57"]}, "legal_basis[0]"),
    ({"ref": "X-1"}, "ref"),
])
def test_a_bad_correction_is_refused_naming_the_field_and_changes_nothing(drafts: Drafts, change: dict[str, Any],
                                                                          field: str) -> None:
    draft_id = drafts.draft()["draft_id"]
    response = drafts.client.patch(f"{API}/{draft_id}/items/1", json=change, headers=drafts.auth())
    assert response.status_code == 422 and fields(response) == [field], response.text
    after = drafts.client.get(f"{API}/{draft_id}", headers=drafts.auth())
    assert after.headers["etag"] == '"1"' and after.json()["items"][0]["edited"] is False


@pytest.mark.parametrize(("name", "data", "year", "status", "field"), [
    ("thong-bao.exe", NOTICE, "2026", 415, "file"),
    ("thong-bao.txt", b"", "2026", 422, "file"),
    ("thong-bao.txt", NOTICE, "năm sau", 422, "program_year"),
    ("thong-bao.txt", "Tiêu đề\x07".encode(), "2026", 422, "file"),  # a control character
    ("thong-bao.txt", "Không có nhiệm vụ nào.".encode(), "2026", 422, "file"),
    ("thong-bao.txt", b"\xff\xfe", "2026", 422, "file"),
    ("thong-bao.docx", b"PK not a zip", "2026", 422, "file"),
    ("thong-bao.txt", b"x" * (10 * 1024 * 1024 + 1), "2026", 413, "file"),
])
def test_a_bad_upload_is_refused_naming_the_field(drafts: Drafts, name: str, data: bytes, year: str, status: int,
                                                   field: str) -> None:
    response = drafts.upload(data, name, year)
    assert response.status_code == status and fields(response) == [field], response.text
    assert drafts.client.get(API, headers=drafts.auth()).json()["drafts"] == []


def test_only_the_office_works_on_drafts(drafts: Drafts) -> None:
    draft_id = drafts.draft()["draft_id"]
    for role in ("unit_staff", "unit_head", "board", "inspector"):
        assert drafts.upload(role=role).status_code == 403
        assert drafts.client.get(f"{API}/{draft_id}", headers=drafts.auth(role)).status_code == 403
        assert drafts.client.post(f"{API}/{draft_id}/acceptance", headers=drafts.auth(role)).status_code == 403
        assert drafts.client.delete(f"{API}/{draft_id}", headers=drafts.auth(role)).status_code == 403
    assert drafts.client.get(f"{API}/{draft_id}").status_code == 401
    assert drafts.events == 0


def test_a_stale_version_and_a_discarded_draft(drafts: Drafts) -> None:
    draft_id = drafts.draft()["draft_id"]
    office, shown = drafts.auth(), drafts.auth() | {"If-Match": '"1"'}
    drafts.client.patch(f"{API}/{draft_id}/items/1", json={"title": "Một"}, headers=shown)
    stale = drafts.client.patch(f"{API}/{draft_id}/items/1", json={"title": "Hai"}, headers=shown)
    assert stale.status_code == 409 and fields(stale) == ["If-Match"] and stale.headers["etag"] == '"2"'
    assert drafts.client.post(f"{API}/{draft_id}/merges", json={"into": 1, "item": 1},
                              headers=office).status_code == 422
    assert drafts.client.patch(f"{API}/{draft_id}/items/99", json={"title": "x"}, headers=office).status_code == 404
    assert drafts.client.delete(f"{API}/{draft_id}", headers=office).status_code == 200
    gone = drafts.client.get(f"{API}/{draft_id}", headers=office)
    assert gone.status_code == 404 and fields(gone) == ["draft_id"]
    assert drafts.client.post(f"{API}/{draft_id}/acceptance", headers=office).status_code == 404
    assert drafts.events == 0


def test_a_recurring_deadline_is_read_in_the_program_year_by_register_and_preview(drafts: Drafts) -> None:
    office = drafts.auth()
    body = {"program_year": 2026, "unit": "vp", "title": "Theo dõi, đôn đốc thực hiện cam kết", "deadline": "hằng năm"}
    registered = drafts.client.post("/api/v1/tasks", json=body, headers=office)
    assert registered.status_code == 201, registered.text  # deadline_of is given the program year
    preview = drafts.client.post("/api/v1/tasks/preview", json={"deadline": "Thường xuyên", "program_year": 2026},
                                 headers=office)
    assert preview.status_code == 200 and preview.json()["deadline"]["due_at"] == "2026-12-31T16:59:59+00:00"
