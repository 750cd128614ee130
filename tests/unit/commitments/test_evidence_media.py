"""Evidence types are read from the bytes: one table of what is accepted, and what is refused
whatever its name says."""

from __future__ import annotations

import io

import pytest

from commitments.evidence.media import ACCEPTED, sniff
from tests import evidence_samples as f

CASES = [
    (f.PDF, "bao-cao.pdf", "application/pdf"),
    (f.PNG, "anh.png", "image/png"),
    (f.JPEG, "anh.jpg", "image/jpeg"),
    (f.WEBP, "anh.webp", "image/webp"),
    (f.DOCX, "bien-ban.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (f.DOCX, "no-extension", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (f.XLSX, "so-lieu.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (f.ODT, "quyet-dinh.odt", "application/vnd.oasis.opendocument.text"),
    (f.OLE, "cong-van.doc", "application/msword"),
    (f.OLE, "bang.xls", "application/vnd.ms-excel"),
    # refused: an executable named .pdf, a Java archive named .docx, a legacy container named .exe,
    # text, an empty file, a truncated ZIP
    (f.EXE, "bao-cao.pdf", None),
    (f.JAR_AS_DOCX, "bien-ban.docx", None),
    (f.OLE, "setup.exe", None),
    (b"plain text, not a document", "ghi-chu.pdf", None),
    (b"", "empty.pdf", None),
    (f.DOCX[:40], "cut.docx", None),
]


@pytest.mark.parametrize(("data", "name", "expected"), CASES)
def test_the_type_comes_from_the_bytes(data: bytes, name: str, expected: str | None) -> None:
    file = io.BytesIO(data)
    assert sniff(file, name) == expected
    assert file.tell() == 0
    assert expected is None or expected in ACCEPTED
