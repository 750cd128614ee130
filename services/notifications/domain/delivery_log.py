"""What the delivery log keeps of a receiver's answer: after "HTTP <status>: ", one of the sender's own
reasons, never the answer's body (a receiver's text could say anything, and the log is shown to the
Office). The webhook sender writes them; the store cuts rows of earlier versions down to them."""

from __future__ import annotations

REDIRECT, REFUSED, NOT_ACCEPTED, FAILED = ANSWER_REASONS = (
    "máy nhận chuyển hướng (không đi theo)", "máy nhận từ chối (xác thực)", "máy nhận không chấp nhận yêu cầu",
    "máy nhận báo lỗi")
ANSWER_NOT_KEPT = "(nội dung trả lời không được lưu)"  # rows of earlier versions, cut down to their status
