"""Errors as RFC 9457 problem details, each naming the field at fault. No input ever yields a 500."""

from __future__ import annotations

import logging
from typing import Any

from eventsourcing.persistence import PersistenceError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from commitments.application.outcomes import IdempotencyMismatch, StoreUnavailable
from commitments.application.permissions import Forbidden
from commitments.domain.errors import DomainError, InvalidState, InvalidValue, TaskNotFound, VersionConflict
from shared.auth.tokens import InvalidToken

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"


class BadRequest(Exception):
    """Malformed input outside the body model: a header, a query parameter."""

    def __init__(self, message: str, field: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.field, self.status = message, field, status


def problem(status: int, title: str, detail: str, *, field: str | None = None, kind: str = "about:blank",
            errors: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None,
            **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"type": kind, "title": title, "status": status, "detail": detail}
    if errors is None and field is not None:
        errors = [{"field": field, "message": detail}]
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _field(loc: tuple[Any, ...]) -> str:
    located = bool(loc) and loc[0] in ("body", "query", "path", "header")
    parts = [str(p) for p in (loc[1:] if located else loc)]
    path = ""
    for part in parts:
        path += f"[{part}]" if part.isdigit() else (f".{part}" if path else part)
    return path or "body"


async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [{"field": _field(tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()]
    if any(e["type"] == "json_invalid" for e in exc.errors()):
        return problem(400, "Malformed JSON", "the request body is not valid JSON", field="body")
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(422, "Invalid request", detail, errors=errors)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    handlers: dict[type[Exception], Any] = {
        BadRequest: lambda _, e: problem(e.status, "Bad request", e.message, field=e.field),
        InvalidToken: lambda _, e: problem(401, "Not authenticated", str(e), field="Authorization",
                                           headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}),
        Forbidden: lambda _, e: problem(403, "Forbidden", e.message),
        TaskNotFound: lambda _, e: problem(404, "Task not found", e.message, field=e.field),
        VersionConflict: lambda _, e: problem(409, "Version conflict", e.message, field="If-Match",
                                              current_version=e.current, headers={"ETag": f'"{e.current}"'}),
        InvalidState: lambda _, e: problem(409, "Not allowed in the task's state", e.message, field=e.field),
        InvalidValue: lambda _, e: problem(422, "Invalid value", e.message, field=e.field),
        DomainError: lambda _, e: problem(422, "Refused", e.message, field=e.field),
        IdempotencyMismatch: lambda _, e: problem(422, "Idempotency key reused", str(e), field="Idempotency-Key"),
        StoreUnavailable: lambda _, e: problem(503, "Event store unavailable", "nothing was recorded; retry",
                                               headers={"Retry-After": "2"}),
        PersistenceError: lambda _, e: problem(503, "Event store unavailable", "the store did not answer; retry",
                                               headers={"Retry-After": "2"}),
        StarletteHTTPException: lambda _, e: problem(e.status_code, str(e.detail), str(e.detail)),
    }
    for exc_type, handler in handlers.items():
        app.add_exception_handler(exc_type, _async(handler))
    app.add_exception_handler(Exception, _unexpected)


def _async(handler: Any) -> Any:
    async def run(request: Request, exc: Exception) -> JSONResponse:
        response: JSONResponse = handler(request, exc)
        return response

    return run


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem(500, "Internal error", "an unexpected error occurred; it has been logged")
