"""Errors as RFC 9457 problem details naming the field at fault, the same in every service.

A service installs the common handlers (malformed or invalid requests, bad tokens, HTTP errors,
anything unexpected) and adds its own mapping from its errors to problems. No input yields a 500:
a 500 means a defect, and it is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.auth.jwks import KeysUnavailable
from shared.auth.tokens import InvalidToken
from shared.instants import InvalidInstant

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"
ToProblem = Callable[[Any], JSONResponse]


def problem(status: int, title: str, detail: str, *, field: str | None = None,
            errors: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None,
            **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors is None and field is not None:
        errors = [{"field": field, "message": detail}]
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def field_name(loc: tuple[Any, ...]) -> str:
    """('query', 'limit') → 'limit'; ('body', 'units', 0) → 'units[0]'; ('body', 'target', 'kind') → 'target.kind'."""
    if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
        loc = loc[1:]
    path = ""
    for part in (str(p) for p in loc):
        path += f"[{part}]" if part.isdigit() else (f".{part}" if path else part)
    return path or "body"


def unavailable(what: str, detail: str = "nothing was changed; retry") -> ToProblem:
    return lambda _: problem(503, f"{what} unavailable", detail, headers={"Retry-After": "2"})


def install(app: FastAPI, handlers: Mapping[type[Exception], ToProblem]) -> None:
    """The common handlers, then the service's own (a more specific class wins, as in Starlette)."""
    app.add_exception_handler(RequestValidationError, _handler(_validation))
    app.add_exception_handler(InvalidToken, _handler(lambda e: problem(
        401, "Not authenticated", str(e), field="Authorization",
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})))
    app.add_exception_handler(KeysUnavailable, _handler(unavailable("Identity provider", "the token keys cannot be "
                                                                                  "fetched; retry")))
    app.add_exception_handler(InvalidInstant, _handler(lambda e: problem(
        422, "Invalid instant", e.message, field=e.field)))
    app.add_exception_handler(StarletteHTTPException, _handler(
        lambda e: problem(e.status_code, str(e.detail), str(e.detail))))
    for exc_type, to_problem in handlers.items():
        app.add_exception_handler(exc_type, _handler(to_problem))
    app.add_exception_handler(Exception, _unexpected)


def add(app: FastAPI, handlers: Mapping[type[Exception], ToProblem]) -> None:
    """More of a service's own mapping, installed by a part of it (the audit routes) after `install`."""
    for exc_type, to_problem in handlers.items():
        app.add_exception_handler(exc_type, _handler(to_problem))


async def status_for(request: Request, error: Exception) -> int:
    """The status the app's handlers answer the error with (the most specific handler, as Starlette picks it);
    500 for an error no handler but the catch-all takes."""
    handlers = request.app.exception_handlers
    for kind in type(error).__mro__:
        if kind is Exception:
            break
        handler = handlers.get(kind)
        if handler is not None:
            answer = await handler(request, error)
            return int(answer.status_code)
    return 500


def _validation(exc: RequestValidationError) -> JSONResponse:
    if any(e["type"] == "json_invalid" for e in exc.errors()):
        return problem(400, "Malformed JSON", "the request body is not valid JSON", field="body")
    errors = [{"field": field_name(tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()]
    return problem(422, "Invalid request", "; ".join(f"{e['field']}: {e['message']}" for e in errors),
                   errors=errors)


def _handler(to_problem: ToProblem) -> Any:
    async def handle(_: Request, exc: Exception) -> JSONResponse:
        return to_problem(exc)

    return handle


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem(500, "Internal error", "an unexpected error occurred; it has been logged")
