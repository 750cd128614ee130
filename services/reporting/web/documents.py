"""Downloads of the official reports as Word and PDF (the pages' routes call these). Building a document
runs in a worker thread and the PDF in a LibreOffice subprocess, so neither holds the event loop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from fastapi.responses import Response

from reporting.exports.docx_reports import DOCX_TYPE
from reporting.exports.pdf import PDF_TYPE, PdfUnavailable, docx_to_pdf
from reporting.web.errors import PageError

log = logging.getLogger(__name__)


async def document_response(build: Callable[[], bytes], filename: str, *, pdf: bool) -> Response:
    """`filename` without its extension ("bao-cao-2025-Q2"): .docx or .pdf is added."""
    docx = await asyncio.to_thread(build)
    if not pdf:
        return _download(docx, DOCX_TYPE, f"{filename}.docx")
    try:
        rendered = await docx_to_pdf(docx)
    except PdfUnavailable as error:
        log.warning("PDF rendering failed: %s", error)
        raise PageError(503, "Chưa tạo được bản PDF lúc này; vui lòng thử lại sau hoặc tải bản Word (.docx).",
                        "format") from None
    return _download(rendered, PDF_TYPE, f"{filename}.pdf")


def _download(content: bytes, media_type: str, name: str) -> Response:
    return Response(content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})
