"""The commitments HTTP API in the test's process (ASGI, no socket), on the test's own schema."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from commitments.api.app import create_app
from commitments.application.service import CommitmentsApp
from commitments.bootstrap import build
from commitments.config import CommitmentsSettings
from shared.auth.devkeys import ensure_key_pair, load_private_key
from shared.auth.tokens import TokenVerifier, mint_token


class Api:
    def __init__(self, client: httpx.AsyncClient, key: Ed25519PrivateKey) -> None:
        self.client, self._key = client, key

    def auth(self, role: str, unit: str) -> dict[str, str]:
        token = mint_token(self._key, issuer="camket-dev", audience="camket", user_id=f"{role}.{unit}",
                           name="Phạm Thị Thử Nghiệm", unit=unit, roles=[role])
        return {"Authorization": f"Bearer {token}"}

    async def register(self, number: int, unit: str = "ql-kh", headers: dict[str, str] | None = None
                       ) -> dict[str, Any]:
        body = {"program_year": 2025, "unit": unit, "title": f"Nhiệm vụ qua API số {number}",
                "target": "ít nhất 10 doanh nghiệp", "deadline": "Quý III/2025"}
        response = await self.client.post("/api/v1/tasks", json=body,
                                         headers=self.auth("office", "vp") | (headers or {}))
        assert response.status_code == 201, response.text
        answer: dict[str, Any] = response.json()
        return answer

    async def report(self, task_id: str, value: int, unit: str = "ql-kh") -> None:
        body = {"as_of": "2025-03-31", "period": "2025-Q1", "achieved_value": value, "note": "Theo tiến độ"}
        response = await self.client.post(f"/api/v1/tasks/{task_id}/progress-reports", json=body,
                                          headers=self.auth("unit_staff", unit))
        assert response.status_code == 200, response.text


@asynccontextmanager
async def api(settings: CommitmentsSettings, app: CommitmentsApp, keys: Path) -> AsyncIterator[Api]:
    """The API over the given store; the caller's store stays open afterwards."""
    ensure_key_pair(keys, "jwt")
    verifier = TokenVerifier(issuer="camket-dev", audience="camket", public_key_file=keys / "jwt.pub.pem")
    container = build(settings, app=app, verifier=verifier)
    container.batcher.start()  # the ASGI transport runs no lifespan
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(container)),
                                     base_url="http://commitments") as client:
            yield Api(client, load_private_key(keys / "jwt.pem"))
    finally:
        container.batcher.stop()
