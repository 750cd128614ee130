"""What a verification found, in terms an inspector can act on (position, event, what happened)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

CHANGES = ("edited", "deleted", "inserted", "reordered")
UNCHECKED = ("witnesses_unreachable",)  # what leaves the log not verified without showing a change
LABELS = {
    "edited": "Sự kiện đã bị sửa sau khi niêm phong",
    "deleted": "Sự kiện đã bị xóa",
    "inserted": "Có dòng bị chèn thêm vào nhật ký",
    "reordered": "Thứ tự sự kiện đã bị đảo",
    "forged": "Dòng không mang chữ ký hợp lệ của hệ thống (giả mạo)",
    "seal_altered": "Bản ghi niêm phong đã bị sửa cùng với sự kiện",
    "checkpoint_mismatch": "Nhật ký không còn khớp với điểm kiểm tra đã công bố",
    "checkpoint_invalid": "Điểm kiểm tra mang chữ ký không hợp lệ",
    "checkpoint_conflict": "Hai điểm kiểm tra hợp lệ mâu thuẫn nhau",
    "checkpoint_missing": "Điểm kiểm tra đã công bố không còn trong cơ sở dữ liệu",
    "witnesses_unreachable": "Không liên lạc được với các nhân chứng: chưa kiểm chứng được với bản sao đã công bố",
    "snapshot_forged": "Ảnh chụp trạng thái (snapshot) không mang chữ ký hợp lệ của hệ thống (bị bỏ qua khi đọc)",
    "access_log_edited": "Nhật ký truy cập đã bị sửa",
    "access_log_deleted": "Nhật ký truy cập bị xóa dòng",
    "access_log_reordered": "Thứ tự nhật ký truy cập đã bị đảo",
    "tlog_mismatch": "Nhật ký minh bạch không còn khớp với các sự kiện hoặc với điểm kiểm tra đã ký",
    "tlog_unwitnessed": "Điểm kiểm tra mới nhất chưa đủ chữ ký đồng xác nhận của nhân chứng (lịch sử có thể đã bị "
                        "viết lại, hoặc nhân chứng chưa trả lời)",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    detail: str
    position: int | None = None  # 0-based place in notification order (the leaf index)
    notification_id: int | None = None
    task_id: UUID | None = None
    version: int | None = None
    tree_size: int | None = None  # the checkpoint concerned, for checkpoint findings

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "label": LABELS[self.kind], "detail": self.detail, "position": self.position,
                "notification_id": self.notification_id,
                "task_id": str(self.task_id) if self.task_id else None, "version": self.version,
                "tree_size": self.tree_size}


@dataclass
class Report:
    log_size: int = 0
    sealed: int = 0
    checkpoints: int = 0
    latest_checkpoint: int | None = None
    signatures_checked: int = 0
    snapshots_checked: int = 0
    witnesses: list[str] = field(default_factory=list)  # where the checkpoints compared came from
    access_log_rows: int = 0  # rows of the access log whose chain was checked
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def tampered(self) -> bool:
        """Something was found changed (rather than only left unchecked, as with witnesses not reachable)."""
        return any(f.kind not in UNCHECKED for f in self.findings)

    @property
    def first_change(self) -> Finding | None:
        changes = [f for f in self.findings if f.kind in CHANGES and f.position is not None]
        return min(changes, key=lambda f: f.position or 0, default=None)

    @property
    def first_checkpoint_mismatch(self) -> Finding | None:
        return next((f for f in self.findings if f.kind == "checkpoint_mismatch"), None)

    @property
    def forged(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == "forged"]

    def as_dict(self) -> dict[str, Any]:
        first, mismatch = self.first_change, self.first_checkpoint_mismatch
        return {"ok": self.ok, "log_size": self.log_size, "sealed": self.sealed, "checkpoints": self.checkpoints,
                "latest_checkpoint": self.latest_checkpoint, "signatures_checked": self.signatures_checked,
                "snapshots_checked": self.snapshots_checked,
                "witnesses": self.witnesses, "access_log_rows": self.access_log_rows,
                "first_change": first.as_dict() if first else None,
                "first_checkpoint_mismatch": mismatch.as_dict() if mismatch else None,
                "forged": [f.as_dict() for f in self.forged], "findings": [f.as_dict() for f in self.findings]}
