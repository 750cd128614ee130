"""Evidence files: upload the bytes (the answer names their SHA-256, which a report then cites) and
download them, re-hashed before they leave. Uploading is for the roles that write; any role reads."""

from __future__ import annotations

import base64
import tempfile
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse

from commitments.api.deps import ContainerDep, PrincipalDep
from commitments.application.permissions import Forbidden, may_upload_evidence
from commitments.evidence.model import EvidenceRefused
from commitments.evidence.store import CHUNK

router = APIRouter(prefix="/api/v1/evidence", tags=["evidence"])
Sha256 = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="the file's SHA-256, lowercase hex")]


@router.post("", status_code=201, summary="Upload an evidence file (PDF, image or office document)",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
async def upload(request: Request, container: ContainerDep, principal: PrincipalDep,
                 name: Annotated[str, Query(min_length=1, max_length=255, description="the file's name")]
                 ) -> JSONResponse:
    if not may_upload_evidence(principal):
        raise Forbidden("uploading evidence needs a role that writes (unit, office or board)")
    limit = container.evidence.max_bytes
    with tempfile.SpooledTemporaryFile(max_size=4 * CHUNK) as spool:
        received = 0
        async for block in request.stream():
            received += len(block)
            if received > limit:  # refused while arriving: an oversized upload is never spooled whole
                raise EvidenceRefused(f"the file must be at most {limit} bytes", status=413)
            spool.write(block)
        stored = await run_in_threadpool(container.evidence.accept, name, spool)  # type: ignore[arg-type]
    body = {"sha256": stored.sha256, "name": stored.name, "media_type": stored.media_type, "size": stored.size}
    return JSONResponse(body, status_code=201, headers={"Location": f"/api/v1/evidence/{stored.sha256}"})


@router.get("/{sha256}", summary="Download an evidence file (its SHA-256 checked again first)",
            response_class=StreamingResponse)
async def download(sha256: Sha256, container: ContainerDep, _: PrincipalDep,
                   name: Annotated[str | None, Query(max_length=255)] = None) -> StreamingResponse:
    stored, spool = await run_in_threadpool(container.evidence.open, sha256)

    def blocks() -> object:
        try:
            while block := spool.read(CHUNK):
                yield block
        finally:
            spool.close()

    digest = base64.b64encode(bytes.fromhex(sha256)).decode()
    filename = quote(name or sha256, safe="")
    headers = {"Content-Length": str(stored.size), "ETag": f'"{sha256}"', "Repr-Digest": f"sha-256=:{digest}:",
               "X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=31536000, immutable",
               "Content-Disposition": f"attachment; filename*=UTF-8''{filename}"}
    return StreamingResponse(blocks(), media_type=stored.media_type, headers=headers)  # type: ignore[arg-type]
