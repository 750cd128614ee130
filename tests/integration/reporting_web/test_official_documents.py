"""The official reports downloaded from the dashboard as Word and as PDF (LibreOffice headless), and the PDF
rendered to PNG pages with poppler's pdftoppm, as a reader would see them."""

from __future__ import annotations

import asyncio
import os
import subprocess
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient

from reporting.exports import pdf
from reporting.exports.docx_reports import DOCX_TYPE, period_report_docx
from tests.integration.reporting_web.conftest import Headers
from tests.unit.reporting_web.scenario import period_report_q2

PNG = b"\x89PNG\r\n\x1a\n"


def _pages(document: bytes, folder: Path) -> list[Path]:
    source = folder / "document.pdf"
    source.write_bytes(document)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(source), str(folder / "page")], check=True, timeout=60)
    return sorted(folder.glob("page-*.png"))


def _text(document: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(document), "-"],
                          check=True, capture_output=True, text=True, timeout=60).stdout


def test_the_period_report_renders_to_pdf_pages_with_its_vietnamese_text(tmp_path: Path) -> None:
    docx = period_report_docx(period_report_q2(), issued_on=date(2025, 7, 10))
    rendered = asyncio.run(pdf.docx_to_pdf(docx))
    assert rendered.startswith(b"%PDF-")
    pages = _pages(rendered, tmp_path)
    assert len(pages) >= 2 and all(p.read_bytes().startswith(PNG) for p in pages)
    first, second = _text(tmp_path / "document.pdf", 1), _text(tmp_path / "document.pdf", 2)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first and "Độc lập - Tự do - Hạnh phúc" in first
    assert "Quảng Trị, ngày 10 tháng 7 năm 2025" in first and "40,00%" in first
    assert first.strip().splitlines()[0].split()[0] == "UBND"  # no page number on page 1
    assert second.strip().splitlines()[0].strip() == "2"  # page 2 starts with its number in the top margin
    fonts = subprocess.run(["pdffonts", str(tmp_path / "document.pdf")], check=True, capture_output=True, text=True,
                           timeout=60).stdout
    assert "LiberationSerif" in fonts  # Times New Roman's metric twin, with every Vietnamese letter


def test_a_conversion_that_never_finishes_is_killed_at_the_timeout(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    pid_file = tmp_path / "pid"
    stuck = tmp_path / "soffice"
    stuck.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 600\n")  # never writes a PDF, never ends
    stuck.chmod(0o755)
    monkeypatch.setattr(pdf, "SOFFICE", str(stuck))
    with pytest.raises(pdf.PdfUnavailable, match="did not finish within 1 s"):
        asyncio.run(pdf.docx_to_pdf(b"PK", timeout=1))
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # ended and reaped: nothing left running


def test_the_report_page_links_its_word_and_pdf(client: TestClient, signed_in: Headers, tmp_path: Path) -> None:
    staff = signed_in("unit_staff", "ql-kh")
    html = client.get("/reports?period=2025-H1", headers=staff).text
    assert 'href="/reports/docx?period=2025-H1">Tải văn bản Word (.docx)' in html
    assert 'href="/reports/pdf?period=2025-H1">Tải bản PDF' in html
    word = client.get("/reports/docx?period=2025-H1", headers=staff)
    assert word.status_code == 200 and word.headers["content-type"] == DOCX_TYPE
    assert word.headers["content-disposition"] == 'attachment; filename="bao-cao-2025-H1.docx"'
    doc = Document(BytesIO(word.content))
    assert doc.tables[0].cell(0, 1).paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert "Kết quả thực hiện Chương trình công tác trọng tâm — 6 tháng đầu năm 2025" in [p.text for p in
                                                                                         doc.paragraphs]
    printed = client.get("/reports/pdf?period=2025-H1&unit=ql-kh", headers=staff)
    assert printed.status_code == 200 and printed.headers["content-type"] == "application/pdf"
    assert printed.headers["content-disposition"] == 'attachment; filename="bao-cao-2025-H1-ql-kh.pdf"'
    assert _pages(printed.content, tmp_path)


def test_the_evaluation_documents_are_the_boards_and_the_inspectorates(client: TestClient,
                                                                       signed_in: Headers) -> None:
    board = signed_in("board", "bgd")
    assert 'href="/evaluation/docx?year=2025"' in client.get("/evaluation?year=2025", headers=board).text
    word = client.get("/evaluation/docx?year=2025", headers=board)
    assert word.status_code == 200 and word.headers["content-type"] == DOCX_TYPE
    texts = [p.text for p in Document(BytesIO(word.content)).paragraphs]
    assert "Đánh giá kết quả thực hiện nhiệm vụ năm 2025 phục vụ công tác thi đua, khen thưởng" in texts
    for path in ("/evaluation/docx?year=2025", "/evaluation/pdf?year=2025"):
        refused = client.get(path, headers=signed_in("unit_head", "ql-kh"))
        assert refused.status_code == 403 and refused.headers["content-type"].startswith("text/html")


def test_a_bad_period_is_a_400_naming_it_and_no_document(client: TestClient, signed_in: Headers) -> None:
    response = client.get("/reports/docx?period=2025-Q9", headers=signed_in("office", "vp"))
    assert response.status_code == 400 and "period" in response.text
