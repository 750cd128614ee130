"""Errors as RFC 9457 problem details naming the field at fault. No input ever yields a 500."""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from psycopg_pool import PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from reporting.application.queries import InvalidQuery, NotFound
from shared.auth.tokens import InvalidToken
from shared.periods import InvalidPeriod

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"


class BadRequest(Exception):
    """Malformed input outside a model: a query parameter, a path segment, a header."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message, self.field = message, field


def problem(status: int, title: str, detail: str, *, field: str | None = None,
            errors: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors is None and field is not None:
        errors = [{"field": field, "message": detail}]
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("query", "path", "header", "body")]
    return ".".join(parts) or str(loc[-1] if loc else "request")


async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [{"field": _field(tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()]
    return problem(422, "Invalid request", "; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    handlers: dict[type[Exception], Any] = {
        BadRequest: lambda e: problem(400, "Bad request", e.message, field=e.field),
        InvalidToken: lambda e: problem(401, "Not authenticated", str(e), field="Authorization",
                                        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}),
        NotFound: lambda e: problem(404, "Not found", e.message, field=e.field),
        InvalidQuery: lambda e: problem(422, "Invalid query", e.message, field=e.field),
        InvalidPeriod: lambda e: problem(422, "Invalid period", str(e), field="period"),
        psycopg.OperationalError: lambda e: problem(503, "Read models unavailable", "the database cannot be "
                                                    "reached; retry", headers={"Retry-After": "2"}),
        PoolTimeout: lambda e: problem(503, "Read models busy", "no database connection was free; retry",
                                       headers={"Retry-After": "1"}),
        StarletteHTTPException: lambda e: problem(e.status_code, str(e.detail), str(e.detail)),
    }
    for exc_type, handler in handlers.items():
        app.add_exception_handler(exc_type, _async(handler))
    app.add_exception_handler(Exception, _unexpected)


def _async(handler: Any) -> Any:
    async def run(_: Request, exc: Exception) -> JSONResponse:
        response: JSONResponse = handler(exc)
        return response

    return run


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem(500, "Internal error", "an unexpected error occurred; it has been logged")
