"""The importer on the 2025 notice and on small notices written for one rule each (no files, no I/O
beyond reading the shipped notice and program)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from commitments.importer import import_text
from commitments.importer.agreement import agreement

ROOT = Path(__file__).resolve().parents[3]
NOTICE = (ROOT / "tests/data/notices/qt-skhcn-2025.txt").read_text(encoding="utf-8")
PROGRAM = yaml.safe_load((ROOT / "services/commitments/seed/program-2025.yaml").read_text(encoding="utf-8"))


def test_the_2025_notice_every_bullet_found_and_at_least_95_percent_matched() -> None:
    result = agreement(import_text(NOTICE, 2025), PROGRAM)
    assert result.found == result.tasks == 50, result.misses
    assert result.checked == 27  # 10 targets and 17 deadlines in the shipped program
    assert result.rate >= 0.95, result.misses
    assert result.extras == (), result.extras


def test_each_task_points_at_its_source_text() -> None:
    draft = import_text(NOTICE, 2025)
    for task in draft.tasks:
        assert draft.text[task.source.start:task.source.end] == task.source.text
        assert task.title.split()[0] in task.source.text


def test_units_partners_documents_and_deadline_ends_as_the_program_has_them() -> None:
    tasks = import_text(NOTICE, 2026).tasks
    vp01 = next(t for t in tasks if t.unit == "vp" and "100% TTHC" in t.title)
    assert set(vp01.cooperating_units) == {"ql-cndmst", "ql-kh", "ql-tdc", "kh-tc", "thanh-tra", "tt-cgcn",
                                           "tt-kt-tdc"}
    assert (vp01.target.kind, vp01.target.value, vp01.deadline.text) == ("percentage", 100, "từ năm 2025")
    # recurring from 2025: in the 2026 program it falls due at the end of 2026
    assert vp01.deadline.ends_at == datetime(2026, 12, 31, 16, 59, 59, tzinfo=UTC)
    contest = next(t for t in tasks if t.title.startswith("Phối hợp chặt chẽ với Trung tâm"))
    assert contest.cooperating_units == ("tt-cgcn",)
    ql_cndmst_01 = next(t for t in tasks if t.title.startswith("Đầu mối tham mưu"))
    assert ql_cndmst_01.legal_basis == ("Nghị quyết số 57-NQ/TW", "Nghị quyết số 03/NQ-CP")
    intro = [t.unit for t in tasks if t.title.startswith("Nâng cao chất lượng hoạt động sự nghiệp")]
    assert intro == ["tt-cgcn", "tt-kt-tdc"]  # section 7's intro applies to each centre
    assert not any("Giao các phòng" in t.source.text for t in tasks)  # the closing procedure is no task


SMALL = """1. Văn phòng Sở

- Chủ trì, phối hợp với Thanh tra Sở rà soát quy chế làm việc (Quý I–IV/2026).

a) Tổ chức ít nhất 500.000 lượt truy cập cổng thông tin trong tháng 11 - 12/2026.
b) Phấn đấu đạt trên 90% hồ sơ xử lý trực tuyến trước ngày 10 tháng 12 năm 2026.

2. Phòng Kế hoạch - Tài chính

- Thẩm định từ 3 đến 5 dự án (Thường xuyên).

PHỤ LỤC

STT | Nội dung nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành | Chỉ tiêu
--- | --- | --- | --- | --- | ---
1 | Kiểm tra đo lường | Thanh tra Sở | Trung tâm Kỹ thuật TCĐLCL | 2026 - 2030 | 20 – 25 cuộc
2 | Báo cáo thống kê KH&CN | Văn phòng Sở | | hằng năm | 100% đơn vị báo cáo
"""


def test_lettered_items_tables_and_the_new_wordings() -> None:
    tasks = import_text(SMALL, 2026).tasks
    got = [(t.unit, t.target.kind, t.target.minimum, t.target.maximum, t.deadline.text, t.cooperating_units)
           for t in tasks]
    assert got == [
        ("vp", "qualitative", None, None, "Quý I–IV/2026", ("thanh-tra",)),
        ("vp", "at_least", 500_000, None, "tháng 11 - 12/2026", ()),
        ("vp", "percentage", 90, None, "trước ngày 10 tháng 12 năm 2026", ()),
        ("kh-tc", "range", 3, 5, "Thường xuyên", ()),
        ("thanh-tra", "range", 20, 25, "2026 - 2030", ("tt-kt-tdc",)),
        ("vp", "percentage", 100, None, "hằng năm", ()),
    ]
    assert all(t.deadline.ends_at is not None for t in tasks)
    assert tasks[0].deadline.ends_at == datetime(2026, 12, 31, 16, 59, 59, tzinfo=UTC)
    assert tasks[4].deadline.ends_at == datetime(2030, 12, 31, 16, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize("text", ["", "Không có gì.", "1. Phòng Không Tồn Tại\n\n- Làm 5 việc gì đó 13/2026."])
def test_any_text_gives_a_draft_and_an_unknown_unit_lowers_confidence(text: str) -> None:
    for task in import_text(text, 2026).tasks:
        assert task.unit is None and task.confidence < 0.6 and task.doubts


def test_json_shape_is_the_cli_contract() -> None:
    task = import_text(NOTICE, 2025).tasks[0].to_json()
    assert {"unit", "cooperating_units", "title", "target", "deadline", "legal_basis", "confidence",
            "source"} <= task.keys()
    assert {"kind", "value", "minimum", "maximum", "measure"} <= task["target"].keys()
    assert task["deadline"] == {"text": "từ năm 2025", "ends_at": "2025-12-31T16:59:59+00:00"}
    assert set(task["source"]) == {"start", "end", "text"}


@pytest.mark.parametrize(("name", "checked"), [("thanhhoa-cds-2022-2025", 10), ("thaibinh-tieuban-2025", 1)])
def test_other_public_notices_against_their_hand_made_tasks(name: str, checked: int) -> None:
    notices = ROOT / "tests/data/notices"
    text = (notices / f"{name}.txt").read_text(encoding="utf-8")
    expected = yaml.safe_load((notices / f"{name}.expected.yaml").read_text(encoding="utf-8"))
    result = agreement(import_text(text, 2025), expected)
    assert (result.found, result.checked, result.matched) == (result.tasks, checked, checked), result.misses


def test_lettered_items_on_one_line_are_tasks_of_their_own() -> None:
    text = ("3. Phòng Quản lý khoa học\n\n- Tổ chức các hoạt động, gồm: a) ít nhất 02 hội thảo (Quý II/2026); "
            "b) 100% nhiệm vụ được nghiệm thu đúng hạn; c) rà soát quy chế.\n")
    tasks = import_text(text, 2026).tasks
    assert [(t.target.kind, t.target.minimum, t.deadline.text) for t in tasks] == [
        ("at_least", 2, "Quý II/2026"), ("percentage", 100, None), ("qualitative", None, None)]
    assert tasks[0].title == "Tổ chức các hoạt động, gồm: a) ít nhất 02 hội thảo (Quý II/2026);"
    assert [t.title for t in tasks[1:]] == ["100% nhiệm vụ được nghiệm thu đúng hạn;", "rà soát quy chế."]
