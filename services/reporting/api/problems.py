"""The reporting service's errors as problem details (the common handlers are shared.problems')."""

from __future__ import annotations

import psycopg
from fastapi import FastAPI
from psycopg_pool import PoolTimeout

from reporting.application.queries import InvalidQuery, NotFound
from shared import problems
from shared.periods import InvalidPeriod
from shared.problems import problem

__all__ = ["BadRequest", "Forbidden", "install", "problem"]


class BadRequest(Exception):
    """Malformed input outside a model: a query parameter, a path segment, a header."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message, self.field = message, field


class Forbidden(Exception):
    """The role may not read this (see reporting.application.access)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def install(app: FastAPI) -> None:
    problems.install(app, {
        BadRequest: lambda e: problem(400, "Bad request", e.message, field=e.field),
        Forbidden: lambda e: problem(403, "Forbidden", e.message, field="Authorization"),
        NotFound: lambda e: problem(404, "Not found", e.message, field=e.field),
        InvalidQuery: lambda e: problem(422, "Invalid query", e.message, field=e.field),
        InvalidPeriod: lambda e: problem(422, "Invalid period", str(e), field="period"),
        psycopg.OperationalError: problems.unavailable("Read models", "the database cannot be reached; retry"),
        PoolTimeout: lambda e: problem(503, "Read models busy", "no database connection was free; retry",
                                       headers={"Retry-After": "1"}),
    })
