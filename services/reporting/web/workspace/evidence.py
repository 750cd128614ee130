"""GET /evidence/{sha256}: an evidence file, fetched from the commitments service with the signed-in
user's token (which re-checks its hash before sending) and streamed on; its hash header kept."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from reporting.web.context import ContextDep
from reporting.web.errors import PageError
from reporting.web.workspace.offer import commitments_for

router = APIRouter(include_in_schema=False)
SHA256 = re.compile(r"^[0-9a-f]{64}$")
KEPT = ("content-type", "content-length", "content-disposition", "etag", "repr-digest", "x-content-type-options",
        "cache-control")


@router.get("/evidence/{sha256}")
async def evidence(sha256: str, request: Request, _: ContextDep, name: str | None = None) -> StreamingResponse:
    if not SHA256.match(sha256):
        raise PageError(400, "Mã SHA-256 của tệp phải gồm 64 chữ số thập lục phân viết thường.", "sha256")
    if name is not None and len(name) > 255:
        raise PageError(422, "Tên tệp dài quá 255 ký tự.", "name")
    opened = commitments_for(request).download(sha256, name)
    response = await opened.__aenter__()
    if response.status_code != 200:
        await opened.__aexit__(None, None, None)
        raise PageError(response.status_code if response.status_code in (401, 403, 404) else 502,
                        "Không tải được tệp minh chứng.", "sha256")

    async def body() -> AsyncIterator[bytes]:
        try:
            async for block in response.aiter_bytes():
                yield block
        finally:
            await opened.__aexit__(None, None, None)

    headers = {k: v for k, v in response.headers.items() if k.lower() in KEPT and k.lower() != "content-type"}
    return StreamingResponse(body(), media_type=response.headers.get("content-type"), headers=headers)
