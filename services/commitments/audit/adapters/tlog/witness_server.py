"""`camket witness`: a tlog-witness over HTTP (POST <prefix>/add-checkpoint), its state in one JSON file.

The file ({origin: {"size": n, "root": base64}}) is written to a temporary file, flushed to disk and renamed
over the old one before the witness answers, so a cosigned size survives a crash and is never rolled back.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool

from commitments.audit.domain.tlog.checkpoint import TreeHead
from commitments.audit.domain.tlog.cosign import Cosigner
from commitments.audit.domain.tlog.note import Verifier
from commitments.audit.domain.tlog.witness_state import Witness

MAX_BODY = 64 * 1024


def load_state(path: Path) -> dict[str, TreeHead]:
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {o: TreeHead(o, int(v["size"]), base64.b64decode(v["root"])) for o, v in data.items()}


def save_state(path: Path, state: dict[str, TreeHead]) -> None:
    data = {o: {"size": h.size, "root": base64.b64encode(h.root).decode()} for o, h in sorted(state.items())}
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        json.dump(data, out, indent=1)
        out.flush()
        os.fsync(out.fileno())
    tmp.replace(path)


def create_witness_app(cosigner: Cosigner, logs: list[Verifier], state_file: Path) -> FastAPI:
    by_origin: dict[str, list[Verifier]] = {}
    for key in logs:
        by_origin.setdefault(key.name, []).append(key)
    witness = Witness(cosigner, by_origin, load_state(state_file), lambda: int(time.time()))
    lock = threading.Lock()
    app = FastAPI(title="Cam kết — tlog witness", version="1.0.0")

    def add(text: str) -> tuple[int, str, str]:
        with lock:  # check and record in one step (see the protocol's rollback race)
            answer = witness.add_checkpoint(text, lambda s: save_state(state_file, s))
        return answer.status, answer.body, answer.content_type

    @app.post("/add-checkpoint")
    async def add_checkpoint(request: Request) -> Response:
        declared = request.headers.get("content-length", "0")
        if not declared.isdigit() or int(declared) > MAX_BODY:  # refused before reading it
            return Response("request too large\n", status_code=413, media_type="text/plain")
        body = await request.body()
        if len(body) > MAX_BODY:
            return Response("request too large\n", status_code=413, media_type="text/plain")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return Response("not UTF-8\n", status_code=400, media_type="text/plain")
        status, answer, content_type = await run_in_threadpool(add, text)
        return Response(answer, status_code=status, media_type=content_type)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok", "service": "witness", "name": cosigner.name, "key": cosigner.verifier.vkey()}

    return app
