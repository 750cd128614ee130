"""Dependencies of the routes: the container, the verified principal, If-Match and Idempotency-Key.

All are `async def`: none blocks, and FastAPI would run a plain `def` dependency in its thread pool."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request

from commitments.api.problems import BadRequest
from commitments.bootstrap import Container
from shared.auth.tokens import InvalidToken, Principal

_ETAG = re.compile(r'^(?:W/)?"?(\d{1,9})"?$')
_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")


async def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


async def get_principal(request: Request, authorization: Annotated[str | None, Header()] = None) -> Principal:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise InvalidToken("send 'Authorization: Bearer <token>'")
    container: Container = request.app.state.container
    return await container.verifier.authenticate(authorization[7:].strip())


async def get_expected_version(if_match: Annotated[str | None, Header(alias="If-Match")] = None) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return None
    m = _ETAG.match(if_match.strip())
    if not m:
        raise BadRequest("If-Match must be the task's version as an ETag, e.g. \"3\"", "If-Match")
    return int(m[1])


async def get_idempotency_key(key: Annotated[str | None, Header(alias="Idempotency-Key")] = None) -> str | None:
    if key is not None and not _KEY.match(key):
        raise BadRequest("Idempotency-Key must be 1–200 visible ASCII characters", "Idempotency-Key")
    return key


ContainerDep = Annotated[Container, Depends(get_container)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]


@dataclass(frozen=True)
class CommandContext:
    """Everything a write route needs besides its body, gathered by one dependency (each dependency
    costs FastAPI a resolution step on every request)."""

    container: Container
    principal: Principal
    expected_version: int | None
    idempotency_key: str | None
    path: str


async def get_command_context(request: Request) -> CommandContext:
    # Headers are read here rather than declared as parameters: FastAPI's per-parameter machinery
    # costs more than the rest of the request. They are documented by COMMAND_HEADERS instead.
    headers = request.headers
    principal = await get_principal(request, headers.get("authorization"))
    return CommandContext(container=request.app.state.container, principal=principal,
                          expected_version=await get_expected_version(headers.get("if-match")),
                          idempotency_key=await get_idempotency_key(headers.get("idempotency-key")),
                          path=request.scope["path"])  # what request.url.path gives here, without parsing a URL


COMMAND_HEADERS = {"parameters": [
    {"name": "Authorization", "in": "header", "required": True, "schema": {"type": "string"},
     "description": "Bearer token (JWT) of the user; the event records this user as its actor."},
    {"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"},
     "description": "The task's version you last saw, as an ETag (\"3\"); a stale one gets 409."},
    {"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string", "maxLength": 200},
     "description": "Retrying with the same key returns the first answer and records nothing new."},
]}


CommandDep = Annotated[CommandContext, Depends(get_command_context)]
