"""The golden cases of how a parsed target and deadline read back (shared.rules.wording): what the
Office's register form previews, parsed by the same parsers as a registration."""

from __future__ import annotations

import pytest

from commitments.domain.deadlines import parse_deadline
from commitments.domain.targets import milestone, parse_target, qualitative
from shared.rules.wording import deadline_label, target_label

TARGETS = [
    ("01 - 02 lớp", "khoảng 1–2 lớp"),
    ("ít nhất 10 doanh nghiệp", "ít nhất 10 doanh nghiệp"),
    ("03 doanh nghiệp KH&CN", "đúng 3 doanh nghiệp KH&CN"),
    ("4 – 5 cuộc/năm", "khoảng 4–5 cuộc/năm"),
    ("100% TTHC được giải quyết", "100% TTHC được giải quyết"),
    ("ít nhất 2,5 tỷ đồng", "ít nhất 2,5 tỷ đồng"),
]
DEADLINES = [
    ("Quý III/2025", "hạn 30/09/2025"),
    ("6/2025", "hạn 30/06/2025"),
    ("30/6/2025", "hạn 30/06/2025"),
    ("6 tháng đầu năm 2025", "hạn 30/06/2025"),
    ("15h00 ngày 24/12/2025", "hạn 15:00 24/12/2025"),
    ("", "hạn 31/12/2025 (cả năm)"),
    ("từ năm 2025", "hạn 31/12/2025"),
]


@pytest.mark.parametrize(("written", "label"), TARGETS)
def test_targets(written: str, label: str) -> None:
    t = parse_target(written)
    assert target_label(t.kind.value, t.minimum, t.maximum, t.measure, t.per, t.text) == label


def test_targets_without_a_number() -> None:
    done = milestone("Kế hoạch được ban hành")
    assert target_label(done.kind.value, None, None, "", None, done.text) == "mốc hoàn thành: Kế hoạch được ban hành"
    assert target_label(qualitative().kind.value, None, None, "", None, "") == "định tính (không có số liệu)"


@pytest.mark.parametrize(("written", "label"), DEADLINES)
def test_deadlines(written: str, label: str) -> None:
    d = parse_deadline(written)
    assert deadline_label(d.kind.value, d.effective_end(2025)) == label
