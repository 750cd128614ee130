"""The commitments API as the dashboard's forms call it: the user's own token, the form's
Idempotency-Key and the task version it showed (If-Match); problem details read back per field."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import IO, Any

import httpx

CHUNK = 256 * 1024
TIMEOUT = httpx.Timeout(30.0, connect=5.0)


@dataclass(frozen=True)
class Problem:
    status: int
    detail: str
    fields: dict[str, str] = field(default_factory=dict)  # the API's field name → its message
    current_version: int | None = None


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _answer(response: httpx.Response) -> Answer:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {"items": body}
    if response.is_success:
        return Answer(response.status_code, body)
    fields = {str(e.get("field")): str(e.get("message", "")) for e in body.get("errors") or []
              if isinstance(e, dict) and e.get("field")}
    version = body.get("current_version")
    etag = response.headers.get("etag", "").strip('W/"')
    if version is None and response.status_code == 409 and etag.isdigit():
        version = int(etag)
    problem = Problem(response.status_code, str(body.get("detail") or body.get("title") or response.reason_phrase),
                      fields, version if isinstance(version, int) else None)
    return Answer(response.status_code, body, problem)


class Commitments:
    """One user's calls: made with that user's bearer token, never a service account's."""

    def __init__(self, base_url: str, token: str, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.base_url, self.token, self.transport = base_url.rstrip("/"), token, transport

    @asynccontextmanager
    async def _client(self) -> AsyncIterator[httpx.AsyncClient]:
        async with httpx.AsyncClient(base_url=self.base_url, timeout=TIMEOUT, transport=self.transport,
                                     headers={"Authorization": f"Bearer {self.token}"}) as client:
            yield client

    async def command(self, path: str, body: dict[str, Any], *, key: str, version: int | None = None) -> Answer:
        headers = {"Idempotency-Key": key} if key else {}
        if version is not None:
            headers["If-Match"] = f'"{version}"'
        async with self._client() as client:
            return _answer(await client.post(path, json=body, headers=headers))

    async def send(self, method: str, path: str, body: dict[str, Any] | None = None, *,
                   version: int | None = None) -> Answer:
        """A draft's change (PATCH, DELETE, POST): If-Match the draft version the page showed."""
        headers = {"If-Match": f'"{version}"'} if version is not None else {}
        async with self._client() as client:
            return _answer(await client.request(method, path, json=body, headers=headers))

    async def upload_notice(self, name: str, data: bytes, program_year: str) -> Answer:
        """A notice to import into a program draft (multipart, as the drafts API takes it)."""
        async with self._client() as client:
            return _answer(await client.post("/api/v1/program-drafts", files={"file": (name, data)},
                                             data={"program_year": program_year}))

    async def get(self, path: str, params: dict[str, str] | None = None) -> Answer:
        async with self._client() as client:
            return _answer(await client.get(path, params=params))

    async def upload(self, name: str, file: IO[bytes]) -> Answer:
        """Streams the file to the evidence store; the answer names its SHA-256 and sniffed type."""
        async def blocks() -> AsyncIterator[bytes]:
            while block := file.read(CHUNK):
                yield block

        async with self._client() as client:
            response = await client.post("/api/v1/evidence", params={"name": name}, content=blocks(),
                                         headers={"Content-Type": "application/octet-stream"})
            return _answer(response)

    @asynccontextmanager
    async def download(self, sha256: str, name: str | None) -> AsyncIterator[httpx.Response]:
        async with self._client() as client:
            params = {"name": name} if name else None
            async with client.stream("GET", f"/api/v1/evidence/{sha256}", params=params) as response:
                yield response
