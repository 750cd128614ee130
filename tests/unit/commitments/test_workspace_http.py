"""The workspace API in process (in-memory stores): evidence files cited by hash, revision proposals
from a unit head decided by the Board, the parse preview; each refusal names its field and records nothing."""

from __future__ import annotations

import hashlib
from typing import Any
from uuid import UUID

from commitments.application import commands as c
from commitments.application.batching import _rounds
from commitments.application.outcomes import Submission
from commitments.domain.signed_records import verify_stored
from tests import evidence_samples as f
from tests.unit.commitments import test_http
from tests.unit.commitments.builders import register, report
from tests.unit.commitments.conftest import OFFICE, STAFF
from tests.unit.commitments.test_http import Api, problem_field

api = test_http.api
APPROVAL = {"approved_by": "Trần Ngọc Lâm, Giám đốc Sở", "document": "Số: 123/QĐ-SKHCN"}


def uploaded(api: Api, data: bytes = f.PDF, name: str = "Báo cáo quý II.pdf") -> str:
    response = api.client.post("/api/v1/evidence", params={"name": name}, content=data,
                               headers=api.auth("unit_staff") | {"Content-Type": "application/octet-stream"})
    assert response.status_code == 201, response.text
    sha: str = response.json()["sha256"]
    return sha


def post(api: Api, path: str, body: dict[str, Any], role: str, unit: str = "ql-cndmst", **headers: str) -> Any:
    return api.client.post(path, json=body, headers=api.auth(role, unit) | headers)


def history(api: Api, task_id: str) -> list[dict[str, Any]]:
    return [e.model_dump(mode="json") for e in api.app.history(UUID(task_id))]


def task(api: Api, task_id: str) -> dict[str, Any]:
    body: dict[str, Any] = api.client.get(f"/api/v1/tasks/{task_id}", headers=api.auth("board", "bgd")).json()
    return body


def test_a_report_records_each_files_name_type_size_and_hash_from_the_store(api: Api) -> None:
    task_id, sha = api.register(), uploaded(api)
    body = {"as_of": "2025-03-01", "period": "2025-03", "achieved_value": 2,
            "evidence_files": [{"sha256": sha, "name": "BC tháng 3.pdf"}]}
    assert post(api, f"/api/v1/tasks/{task_id}/progress-reports", body, "unit_staff").status_code == 200
    event = history(api, task_id)[-1]
    assert event["evidence_files"] == [{"name": "BC tháng 3.pdf", "media_type": "application/pdf",
                                        "size": len(f.PDF), "sha256": hashlib.sha256(f.PDF).hexdigest()}]


def test_a_file_not_stored_is_refused_naming_it_and_nothing_is_recorded(api: Api) -> None:
    task_id, sha = api.register(), uploaded(api)
    before = api.events
    files = [{"sha256": sha, "name": "a.pdf"}, {"sha256": "0" * 64, "name": "b.pdf"}]
    report = post(api, f"/api/v1/tasks/{task_id}/progress-reports",
                  {"as_of": "2025-03-01", "period": "2025-03", "evidence_files": files}, "unit_staff")
    assert report.status_code == 422 and problem_field(report) == "evidence_files[1].sha256"
    completion = post(api, f"/api/v1/tasks/{task_id}/completion-request", {"evidence_files": files}, "unit_head")
    assert completion.status_code == 422 and problem_field(completion) == "evidence_files[1].sha256"
    eleven = [{"sha256": sha, "name": f"{i}.pdf"} for i in range(11)]
    too_many = post(api, f"/api/v1/tasks/{task_id}/completion-request", {"evidence_files": eleven}, "unit_head")
    assert too_many.status_code == 422 and problem_field(too_many).startswith("evidence_files")
    assert api.events == before


def test_a_completion_request_with_files_is_shown_on_the_task_until_decided(api: Api) -> None:
    task_id, sha = api.register(), uploaded(api)
    body = {"completed_on": "2025-03-01", "note": "Xong", "evidence_files": [{"sha256": sha, "name": "BB.pdf"}]}
    assert post(api, f"/api/v1/tasks/{task_id}/completion-request", body, "unit_head").status_code == 200
    pending = task(api, task_id)["completion_request"]
    assert pending["completed_on"] == "2025-03-01" and pending["evidence_files"][0]["sha256"] == sha
    assert pending["requested_by"]["role"] == "unit_head"
    assert post(api, f"/api/v1/tasks/{task_id}/completion-confirmation", {}, "board", "bgd").status_code == 200
    assert task(api, task_id)["completion_request"] is None


def propose(api: Api, task_id: str, role: str = "unit_head", **extra: Any) -> Any:
    body = {"target": "ít nhất 8 doanh nghiệp", "deadline": "Quý III/2025", "reason": "Thiếu kinh phí"} | extra
    return post(api, f"/api/v1/tasks/{task_id}/revision-proposals", body, role)


def test_an_approved_proposal_records_target_revised_naming_it(api: Api) -> None:
    task_id = api.register()
    proposed = propose(api, task_id)
    assert proposed.status_code == 200, proposed.text
    proposal_id = proposed.json()["proposal_id"]
    assert proposed.json()["events"] == ["RevisionProposed"]
    shown = task(api, task_id)["open_proposal"]
    assert shown["proposal_id"] == proposal_id and shown["proposed_target"]["minimum"] == 8
    assert shown["proposed_deadline"]["text"] == "Quý III/2025" and shown["proposed_by"]["role"] == "unit_head"
    approved = post(api, f"/api/v1/tasks/{task_id}/revision-proposals/{proposal_id}/approval",
                    {"approval": APPROVAL, "effective_on": "2025-03-01"}, "board", "bgd", **{"If-Match": '"2"'})
    assert approved.status_code == 200 and approved.json()["events"] == ["TargetRevised"]
    revised = history(api, task_id)[-1]
    assert revised["type"] == "TargetRevised" and revised["proposal_id"] == proposal_id
    assert revised["new_target"]["minimum"] == 8 and revised["reason"] == "Thiếu kinh phí"
    assert revised["approval"]["document"] == "Số: 123/QĐ-SKHCN"
    now = task(api, task_id)
    assert now["open_proposal"] is None and now["target"]["minimum"] == 8


def test_a_stale_if_match_on_approval_is_a_conflict_and_records_nothing(api: Api) -> None:
    task_id = api.register()
    proposal_id = propose(api, task_id).json()["proposal_id"]
    before = api.events
    stale = post(api, f"/api/v1/tasks/{task_id}/revision-proposals/{proposal_id}/approval",
                 {"approval": APPROVAL, "effective_on": "2025-03-01"}, "board", "bgd", **{"If-Match": '"1"'})
    assert stale.status_code == 409 and problem_field(stale) == "If-Match" and stale.json()["current_version"] == 2
    assert api.events == before


def test_unit_staff_other_units_and_the_board_cannot_propose(api: Api) -> None:
    task_id = api.register()
    assert propose(api, task_id, role="unit_staff").status_code == 403
    other = post(api, f"/api/v1/tasks/{task_id}/revision-proposals", {"deadline": "9/2025", "reason": "x"},
                 "unit_head", "ql-kh")
    assert other.status_code == 403
    assert propose(api, task_id, role="board").status_code == 403
    assert api.events == 1


def test_one_open_proposal_at_a_time_and_a_declined_one_closes(api: Api) -> None:
    task_id = api.register()
    proposal_id = propose(api, task_id).json()["proposal_id"]
    second = propose(api, task_id)
    assert second.status_code == 409 and problem_field(second) == "proposal_id"
    wrong = post(api, f"/api/v1/tasks/{task_id}/revision-proposals/{'0' * 8}-0000-4000-8000-{'0' * 12}/decline",
                 {"reason": "Không"}, "board", "bgd")
    assert wrong.status_code == 409 and problem_field(wrong) == "proposal_id"
    declined = post(api, f"/api/v1/tasks/{task_id}/revision-proposals/{proposal_id}/decline",
                    {"reason": "Không đủ căn cứ"}, "board", "bgd")
    assert declined.status_code == 200 and declined.json()["events"] == ["RevisionDeclined"]
    assert history(api, task_id)[-1]["reason"] == "Không đủ căn cứ"
    assert task(api, task_id)["open_proposal"] is None
    assert propose(api, task_id).status_code == 200


def test_a_proposal_replayed_with_its_key_answers_the_same_proposal(api: Api) -> None:
    task_id = api.register()
    key = {"Idempotency-Key": "form-1"}
    body = {"deadline": "Quý IV/2025", "reason": "Lùi hạn"}
    one = post(api, f"/api/v1/tasks/{task_id}/revision-proposals", body, "unit_head", **key)
    again = post(api, f"/api/v1/tasks/{task_id}/revision-proposals", body, "unit_head", **key)
    assert one.status_code == again.status_code == 200  # a double submit, not a second (409) proposal
    assert again.headers["idempotent-replayed"] == "true" and again.json() == one.json()
    assert api.events == 2


def test_bad_proposals_name_the_field(api: Api) -> None:
    task_id = api.register()
    assert problem_field(propose(api, task_id, target=None, deadline=None)) == "target"
    assert problem_field(propose(api, task_id, deadline="hôm nào đó")) == "deadline"
    assert problem_field(propose(api, task_id, reason="a\u202eb")) == "reason"
    assert api.events == 1


def test_the_preview_reads_the_notice_wording_and_writes_nothing(api: Api) -> None:
    body = {"target": "01 - 02 lớp", "deadline": "Quý III/2025", "program_year": 2025}
    answer = post(api, "/api/v1/tasks/preview", body, "office", "vp")
    assert answer.status_code == 200, answer.text
    preview = answer.json()
    assert preview["target"]["label"] == "khoảng 1–2 lớp" and preview["target"]["kind"] == "range"
    assert (preview["target"]["minimum"], preview["target"]["maximum"]) == (1, 2)
    assert preview["deadline"]["label"] == "hạn 30/09/2025" and preview["deadline"]["text"] == "Quý III/2025"
    bad = post(api, "/api/v1/tasks/preview", body | {"deadline": "sớm"}, "office", "vp")
    assert bad.status_code == 422 and problem_field(bad) == "deadline"
    assert post(api, "/api/v1/tasks/preview", body, "unit_staff").status_code == 403
    assert api.events == 0


def test_a_merger_moves_every_open_task_of_the_unit_and_only_the_office_may(api: Api) -> None:
    first = api.register()
    second = api.register(test_http.BODY | {"ref": "QL-CNDMST-04"})
    elsewhere = api.register(test_http.BODY | {"ref": "QL-KH-01", "unit": "ql-kh"})
    body = {"to_unit": "sttt", "reason": "Sáp nhập Sở Thông tin và Truyền thông", "approval": APPROVAL}
    url = "/api/v1/units/ql-cndmst/reassignment"
    assert post(api, url, body, "board", "bgd").status_code == 403
    same = post(api, url, body | {"to_unit": "ql-cndmst"}, "office", "vp")
    assert same.status_code == 422 and problem_field(same) == "to_unit"
    assert problem_field(post(api, url, body | {"reason": "\u0007"}, "office", "vp")) == "reason"
    assert api.events == 3
    moved = post(api, url, body, "office", "vp", **{"Idempotency-Key": "merge-1"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["count"] == 2 and {t["task_id"] for t in moved.json()["tasks"]} == {first, second}
    again = post(api, url, body, "office", "vp", **{"Idempotency-Key": "merge-1"})
    assert again.headers["idempotent-replayed"] == "true" and again.json() == moved.json()
    assert task(api, first)["unit"] == task(api, second)["unit"] == "sttt"
    assert task(api, elsewhere)["unit"] == "ql-kh" and api.events == 5


def test_the_list_shows_what_waits_for_the_board(api: Api) -> None:
    task_id = api.register()
    proposal_id = propose(api, task_id).json()["proposal_id"]
    rows = api.client.get("/api/v1/tasks", headers=api.auth("board", "bgd")).json()["tasks"]
    assert rows[0]["open_proposal"]["proposal_id"] == proposal_id and rows[0]["completion_request"] is None


def test_the_signed_event_covers_the_evidence_hash(api: Api) -> None:
    task_id, sha = api.register(), uploaded(api)
    body = {"as_of": "2025-03-01", "period": "2025-03", "achieved_value": 1,
            "evidence_files": [{"sha256": sha, "name": "a.pdf"}]}
    assert post(api, f"/api/v1/tasks/{task_id}/progress-reports", body, "unit_staff").status_code == 200
    stored = api.app.recorder.select_events(UUID(task_id))[-1]
    assert sha.encode() in stored.state
    signer = api.client.app.state.container.app._signer  # type: ignore[attr-defined]
    assert verify_stored(stored, {signer.key_id: signer.public_key})


def test_a_merger_in_a_batch_comes_after_the_commands_sent_before_it() -> None:
    merger = c.ReassignUnit(task_id=UUID(int=1), expected_version=None, org="qt-skhcn", unit="ql-cndmst",
                            to_unit="sttt", reason="Sáp nhập", approval=None, program_year=None)
    task = UUID(int=2)
    subs = [Submission.of(register(task), OFFICE), Submission.of(report(task), STAFF), Submission.of(merger, OFFICE),
            Submission.of(report(task), STAFF)]
    assert [[subs.index(s) for s in group] for group in _rounds(subs)] == [[0, 1], [2], [3]]
