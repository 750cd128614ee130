"""Addresses of the pages, built in one place."""

from __future__ import annotations

from urllib.parse import urlencode

from shared.periods import PeriodKind, ReportingPeriod


def with_query(path: str, **params: object) -> str:
    kept = {k: str(v) for k, v in params.items() if v not in (None, "")}
    return f"{path}?{urlencode(kept)}" if kept else path


def task(task_id: str) -> str:
    return f"/tasks/{task_id}"


def unit(code: str) -> str:
    return f"/units/{code}"


def period_choices(year: int) -> list[tuple[str, str]]:
    """Every reporting period of a year: months, quarters, halves, nine months, the year."""
    kinds = [(PeriodKind.MONTH, range(1, 13)), (PeriodKind.QUARTER, range(1, 5)), (PeriodKind.HALF, range(1, 3)),
             (PeriodKind.NINE_MONTHS, [0]), (PeriodKind.YEAR, [0])]
    periods = [ReportingPeriod(year, kind, n) for kind, numbers in kinds for n in numbers]
    return [(p.code, p.label) for p in periods]
