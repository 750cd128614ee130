"""The notifications service's errors as problem details (the common handlers are shared.problems')."""

from __future__ import annotations

import psycopg
from fastapi import FastAPI

from shared import problems
from shared.problems import problem

__all__ = ["ApiError", "BadRequest", "Forbidden", "NotFound", "install", "problem"]


class ApiError(Exception):
    status, title = 400, "Bad request"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


class BadRequest(ApiError):
    status, title = 422, "Invalid request"


class Forbidden(ApiError):
    status, title = 403, "Forbidden"


class NotFound(ApiError):
    status, title = 404, "Not found"


def install(app: FastAPI) -> None:
    problems.install(app, {
        ApiError: lambda e: problem(e.status, e.title, e.message, field=e.field),
        psycopg.OperationalError: problems.unavailable("Database"),
    })
