"""Where a task stands in its life, independent of the calendar (the calendar adds overdue/on time)."""

from __future__ import annotations

from enum import StrEnum


class Lifecycle(StrEnum):
    ACTIVE = "active"  # registered, being carried out (no report yet or some reports)
    AWAITING_CONFIRMATION = "awaiting_confirmation"  # Chờ xác nhận: the unit asked the Board to confirm
    COMPLETED = "completed"  # the Board confirmed completion
    SUSPENDED = "suspended"  # Tạm hoãn, approved by the Board
    CANCELLED = "cancelled"  # Đã hủy, approved by the Board

    @property
    def closed(self) -> bool:
        return self in (Lifecycle.COMPLETED, Lifecycle.CANCELLED)
