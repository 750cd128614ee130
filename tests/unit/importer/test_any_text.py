"""Any text, however odd, gives a draft: the importer never raises, and every span points into the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from commitments.importer import import_text
from shared.vn import nfc

_PIECES = st.sampled_from([
    "1. Văn phòng Sở", "7.1. Trung tâm Kỹ thuật TCĐLCL:", "- ", "a) ", "\n", "\n\n", " | ", "ít nhất ", "trên ",
    "100%", "01 - 02 lớp", "500.000", "Quý I–IV/2026", "tháng 11 - 12/2025", "trước ngày 31 tháng 2 năm 2025",
    "Thường xuyên", "(hằng năm)", "ngày 1/1/0001", "trước ngày 1 tháng 1 năm 0001", "năm 0000",
    "2025 - 2030", "2030 - 2025", "13/2025", "Nghị quyết 57", "57-NQ/TW", "“", "”",
    "*", "**", "phối hợp với các phòng, đơn vị", "Chủ trì", ". ", "; ", "Giao các phòng", "STT | Nội dung | Chỉ tiêu",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=40))
def test_any_text_gives_a_draft_with_sound_spans(pieces: list[str]) -> None:
    text = "".join(pieces)
    draft = import_text(text, 2026)
    for task in draft.tasks:
        assert 0 <= task.source.start <= task.source.end <= len(draft.text)
        assert draft.text[task.source.start:task.source.end] == task.source.text
        assert 0 <= task.confidence <= 1
        assert task.to_json()["title"] == task.title
    assert draft.text == nfc(text.replace("\r\n", "\n"))
