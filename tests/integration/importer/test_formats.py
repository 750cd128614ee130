"""A `.docx` and a `.pdf` of the 2025 notice import the same as its text (files written here, read back)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commitments.importer import Draft, import_file, import_text

ROOT = Path(__file__).resolve().parents[3]
NOTICE = ROOT / "tests/data/notices/qt-skhcn-2025.txt"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian fonts-dejavu-core: Vietnamese glyphs


def _paragraphs() -> list[str]:
    return [line.replace("*", "") for line in NOTICE.read_text(encoding="utf-8").splitlines() if line.strip()]


def _same(draft: Draft) -> list[tuple[object, ...]]:
    """Everything but the offsets, which depend on the file's layout."""
    return [(t.unit, t.cooperating_units, t.title, t.target, t.deadline, t.legal_basis, t.confidence)
            for t in draft.tasks]


def test_docx_imports_the_same_as_the_text(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for paragraph in _paragraphs():
        document.add_paragraph(paragraph)
    path = tmp_path / "notice.docx"
    document.save(str(path))
    assert _same(import_file(path, 2025)) == _same(import_file(NOTICE, 2025))


def test_pdf_text_layer_imports_the_same_as_the_text(tmp_path: Path) -> None:
    if not FONT.exists():
        pytest.fail(f"{FONT} is missing: apt-get install fonts-dejavu-core")
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT)))
    style = ParagraphStyle("body", fontName="DejaVuSans", fontSize=11, leading=14, spaceAfter=6)
    path = tmp_path / "notice.pdf"
    escaped = [p.replace("&", "&amp;").replace("<", "&lt;") for p in _paragraphs()]
    SimpleDocTemplate(str(path), pagesize=A4).build([Paragraph(p, style) for p in escaped])
    text_draft, pdf_draft = import_file(NOTICE, 2025), import_file(path, 2025)
    assert len(pdf_draft.tasks) == len(text_draft.tasks)
    assert _same(pdf_draft) == _same(text_draft)


def test_cli_prints_the_draft_as_json_and_as_a_table(tmp_path: Path) -> None:
    import typer

    from commitments.importer.cli import register

    app = typer.Typer()
    register(app)  # what `camket` does through the commitments service's entry point
    runner = CliRunner()
    result = runner.invoke(app, ["program", "import", str(NOTICE), "--year", "2026", "--json"])
    assert result.exit_code == 0, result.output
    tasks = json.loads(result.stdout)["tasks"]
    assert tasks == [{**t, "target": {k: v for k, v in t["target"].items() if k != "text"}}
                     for t in import_text(NOTICE.read_text(encoding="utf-8"), 2026).to_json()["tasks"]]
    assert set(tasks[0]["target"]) == {"kind", "value", "minimum", "maximum", "measure"}
    assert tasks[0]["deadline"]["ends_at"] == "2026-12-31T16:59:59+00:00"  # "từ năm 2025" in the 2026 program
    table = runner.invoke(app, ["program", "import", str(NOTICE), "--year", "2026"], terminal_width=200)
    assert table.exit_code == 0, table.output
    assert f"Dự thảo chương trình: {len(tasks)} nhiệm vụ" in table.stdout and "từ năm 2025" in table.stdout
    missing = runner.invoke(app, ["program", "import", str(tmp_path / "none.docx"), "--year", "2026"])
    assert missing.exit_code == 2
    for name, content in (("damaged.docx", b"PK not a zip"), ("damaged.pdf", b"%PDF-1.7 nothing"),
                          ("latin1.txt", "Quảng Trị".encode("cp1258", errors="replace") + b"\xff")):
        (tmp_path / name).write_bytes(content)
        refused = runner.invoke(app, ["program", "import", str(tmp_path / name), "--year", "2026"])
        assert refused.exit_code == 2 and name in refused.stderr, refused.output
