"""The fields of the workspace forms: their Vietnamese labels, and how the API's field names (in its
problem details) map onto them, so an error shows next to the field the user typed into."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: str = "text"  # text, textarea, date, number, select, file, hidden
    required: bool = False
    hint: str = ""
    options: tuple[tuple[str, str], ...] = ()


NOTE = FormField("note", "Ghi chú", "textarea")
REASON = FormField("reason", "Lý do", "textarea", required=True)
FILES = FormField("files", "Tệp minh chứng (PDF, ảnh, văn bản Word, Excel)", "file",
                  hint="Có thể chọn nhiều tệp; mỗi tệp tối đa theo giới hạn của hệ thống.")
APPROVED_BY = FormField("approved_by", "Người phê duyệt", required=True, hint="Ví dụ: Trần Ngọc Lâm, Giám đốc Sở")
DOCUMENT = FormField("document", "Số văn bản phê duyệt", required=True, hint="Ví dụ: Số: 123/QĐ-SKHCN")
SIGNED_ON = FormField("signed_on", "Ngày ký văn bản", "date")
EFFECTIVE_ON = FormField("effective_on", "Ngày hiệu lực", "date", required=True)
APPROVAL = (APPROVED_BY, DOCUMENT, SIGNED_ON)

# The API's field (problem details `errors[].field`) → the form's field.
API_FIELDS = {
    "approval.approved_by": "approved_by", "approval.document": "document", "approval.signed_on": "signed_on",
    "approval": "document", "new_target": "new_target", "new_deadline": "new_deadline",
    "new_milestone": "new_target", "milestone_done": "achieved_value", "evidence": "files",
    "evidence_files": "files", "target": "target", "deadline": "deadline", "milestone": "target",
    "file": "files", "name": "files",
}


def form_field(api_field: str) -> str:
    """`evidence_files[2].sha256` → `files`; `approval.document` → `document`; `body.note` → `note`."""
    name = api_field.removeprefix("body.")
    if name.startswith("evidence_files") or name.startswith("evidence["):
        return "files"
    return API_FIELDS.get(name, name.split(".")[0].split("[")[0])


MESSAGES = {
    413: "Tệp quá lớn so với giới hạn cho phép.",
    415: "Loại tệp không được chấp nhận (chỉ PDF, ảnh, văn bản Word, Excel, PowerPoint); "
         "nội dung tệp được kiểm tra, không dựa vào tên tệp.",
}


def vietnamese(status: int, message: str) -> str:
    """A field's error in Vietnamese, the API's own words kept beside for the detail."""
    lead = MESSAGES.get(status, "Giá trị không hợp lệ." if status in (400, 422) else "Không thực hiện được.")
    return f"{lead} ({message})" if message else lead
