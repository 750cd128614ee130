"""The forms on a task's page: for each action, its Vietnamese title and button, its fields, the
commitments API route it posts to and how the form's values become that route's JSON body. Who may
use each is `shared.auth.actions` — the table the API enforces."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reporting.web.workspace import fields as f
from reporting.web.workspace.fields import FormField

Values = dict[str, str]
Body = dict[str, Any]


@dataclass(frozen=True)
class Spec:
    action: str
    title: str
    button: str
    fields: tuple[FormField, ...]
    path: str  # formatted with task_id and proposal_id
    body: Callable[[Values], Body]
    files: bool = False  # evidence files uploaded with the form, cited by hash


def opt(values: Values, name: str) -> str | None:
    return values.get(name, "").strip() or None


def approval_of(values: Values) -> Body:
    return {"approved_by": values.get("approved_by", ""), "document": values.get("document", ""),
            "signed_on": opt(values, "signed_on")}


def _number(text: str | None) -> float | str | None:
    """"3,5" (Vietnamese decimal comma) → 3.5; a text that is no number goes on, for the API to name."""
    if text is None:
        return None
    try:
        return float(text.replace(" ", "").replace(",", "."))
    except ValueError:
        return text


def _progress(values: Values) -> Body:
    milestone = values.get("milestone_done", "")
    body: Body = {"as_of": opt(values, "as_of"), "period": values.get("period", ""), "note": values.get("note", "")}
    if milestone:
        body["milestone_done"] = milestone == "done"
    else:
        body["achieved_value"] = _number(opt(values, "achieved_value"))
    return body


VALUE = FormField("achieved_value", "Kết quả đạt được (lũy kế)", "number",
                  hint="Số lũy kế đến ngày báo cáo; dùng dấu phẩy cho số thập phân.")
MILESTONE = FormField("milestone_done", "Tình trạng mốc công việc", "select",
                      options=(("", "— chọn —"), ("done", "Đã hoàn thành"), ("not_done", "Chưa hoàn thành")))
AS_OF = FormField("as_of", "Số liệu đến ngày", "date", required=True)
PERIOD = FormField("period", "Kỳ báo cáo", "select", required=True)

SPECS: dict[str, Spec] = {s.action: s for s in (
    Spec("report_progress", "Báo cáo tiến độ", "Gửi báo cáo tiến độ", (AS_OF, PERIOD, VALUE, f.NOTE, f.FILES),
         "/api/v1/tasks/{task_id}/progress-reports", _progress, files=True),
    Spec("request_completion", "Đề nghị xác nhận hoàn thành", "Gửi đề nghị xác nhận hoàn thành",
         (FormField("completed_on", "Ngày hoàn thành", "date"), f.NOTE, f.FILES),
         "/api/v1/tasks/{task_id}/completion-request",
         lambda v: {"completed_on": opt(v, "completed_on"), "note": v.get("note", "")}, files=True),
    Spec("propose_revision", "Đề xuất điều chỉnh chỉ tiêu, thời hạn", "Gửi đề xuất điều chỉnh",
         (FormField("target", "Chỉ tiêu đề xuất (theo cách viết của văn bản)"),
          FormField("deadline", "Thời hạn đề xuất (theo cách viết của văn bản)", hint="Ví dụ: Quý IV/2025"),
          f.REASON, f.FILES),
         "/api/v1/tasks/{task_id}/revision-proposals",
         lambda v: {"target": opt(v, "target"), "deadline": opt(v, "deadline"), "reason": v.get("reason", "")},
         files=True),
    Spec("confirm_completion", "Xác nhận hoàn thành", "Xác nhận hoàn thành", (f.NOTE,),
         "/api/v1/tasks/{task_id}/completion-confirmation", lambda v: {"note": v.get("note", "")}),
    Spec("reject_completion", "Không xác nhận hoàn thành", "Từ chối xác nhận", (f.REASON,),
         "/api/v1/tasks/{task_id}/completion-rejection", lambda v: {"reason": v.get("reason", "")}),
    Spec("approve_revision", "Phê duyệt đề xuất điều chỉnh", "Phê duyệt điều chỉnh",
         (FormField("proposal_id", "Đề xuất", "hidden"), *f.APPROVAL, f.EFFECTIVE_ON),
         "/api/v1/tasks/{task_id}/revision-proposals/{proposal_id}/approval",
         lambda v: {"approval": approval_of(v), "effective_on": opt(v, "effective_on")}),
    Spec("decline_revision", "Không phê duyệt đề xuất điều chỉnh", "Không phê duyệt đề xuất",
         (FormField("proposal_id", "Đề xuất", "hidden"), f.REASON),
         "/api/v1/tasks/{task_id}/revision-proposals/{proposal_id}/decline",
         lambda v: {"reason": v.get("reason", "")}),
    Spec("revise", "Điều chỉnh chỉ tiêu, thời hạn", "Ghi nhận điều chỉnh",
         (FormField("new_target", "Chỉ tiêu mới (theo cách viết của văn bản)"),
          FormField("new_deadline", "Thời hạn mới (theo cách viết của văn bản)"), f.REASON, *f.APPROVAL,
          f.EFFECTIVE_ON),
         "/api/v1/tasks/{task_id}/revisions",
         lambda v: {"new_target": opt(v, "new_target"), "new_deadline": opt(v, "new_deadline"),
                    "reason": v.get("reason", ""), "approval": approval_of(v), "effective_on": opt(v, "effective_on")}),
    Spec("suspend", "Tạm hoãn nhiệm vụ", "Tạm hoãn nhiệm vụ", (f.REASON, *f.APPROVAL),
         "/api/v1/tasks/{task_id}/suspension", lambda v: {"reason": v.get("reason", ""), "approval": approval_of(v)}),
    Spec("resume", "Tiếp tục thực hiện nhiệm vụ", "Tiếp tục nhiệm vụ", (f.NOTE,),
         "/api/v1/tasks/{task_id}/resumption", lambda v: {"note": v.get("note", "")}),
    Spec("cancel", "Hủy nhiệm vụ", "Hủy nhiệm vụ", (f.REASON, *f.APPROVAL),
         "/api/v1/tasks/{task_id}/cancellation", lambda v: {"reason": v.get("reason", ""), "approval": approval_of(v)}),
)}
