"""The Văn phòng's forms: register a task typed as the notice writes it (with a preview of how the
target and deadline are read), and move every open task of a unit to another when units merge."""

from __future__ import annotations

from reporting.web.workspace import fields as f
from reporting.web.workspace.fields import FormField
from reporting.web.workspace.specs import Body, Spec, Values, approval_of, opt


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").replace(",", "\n").splitlines() if line.strip()]


def _year(values: Values) -> int | str:
    text = values.get("program_year", "").strip()
    return int(text) if text.isdigit() else text


def _register(values: Values) -> Body:
    body: Body = {"program_year": _year(values), "unit": values.get("unit", ""), "title": values.get("title", ""),
                  "description": values.get("description", ""), "target": opt(values, "target"),
                  "deadline": opt(values, "deadline"), "cooperating_units": _lines(values.get("cooperating_units")),
                  "legal_basis": [line.strip() for line in values.get("legal_basis", "").splitlines() if line.strip()]}
    if opt(values, "ref"):
        body["ref"] = values["ref"].strip()
    return body


def preview_body(values: Values) -> Body:
    return {"target": opt(values, "target"), "deadline": opt(values, "deadline"), "program_year": _year(values)}


UNIT = FormField("unit", "Đơn vị chủ trì", "select", required=True)
REGISTER = Spec("register", "Giao nhiệm vụ mới", "Ghi nhận nhiệm vụ", (
    FormField("program_year", "Năm của Chương trình", required=True),
    FormField("ref", "Mã nhiệm vụ", hint="Để trống: hệ thống tự đặt."),
    UNIT,
    FormField("title", "Tên nhiệm vụ", "textarea", required=True),
    FormField("target", "Chỉ tiêu (theo cách viết của văn bản)", hint="Ví dụ: 01 - 02 lớp; ít nhất 10 doanh nghiệp"),
    FormField("deadline", "Thời hạn (theo cách viết của văn bản)", hint="Ví dụ: Quý III/2025; 6/2025; 15/12/2025"),
    FormField("cooperating_units", "Đơn vị phối hợp (mã, cách nhau bởi dấu phẩy)"),
    FormField("legal_basis", "Căn cứ (mỗi dòng một văn bản)", "textarea"),
    FormField("description", "Mô tả", "textarea"),
), "/api/v1/tasks", _register)

REASSIGN_UNIT = Spec("reassign_unit", "Chuyển toàn bộ nhiệm vụ của một đơn vị (sáp nhập)",
                     "Chuyển toàn bộ nhiệm vụ", (
    FormField("unit", "Đơn vị hiện tại", "select", required=True),
    FormField("to_unit", "Chuyển sang đơn vị", "select", required=True),
    FormField("program_year", "Chỉ năm của Chương trình", hint="Để trống: mọi nhiệm vụ đang mở."),
    f.REASON, f.APPROVED_BY, f.DOCUMENT, f.SIGNED_ON,
), "/api/v1/units/{unit}/reassignment",
    lambda v: {"to_unit": v.get("to_unit", ""), "reason": v.get("reason", ""),
               "approval": approval_of(v) if opt(v, "document") else None,
               "program_year": _year(v) if opt(v, "program_year") else None})
