"""The program as a whole and per unit: counts by status, completion rates, tasks exceeding target."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from reporting.api.deps import AsOfDep, NowDep, OrgDep, PrincipalDep, ReadsDep, Year
from reporting.application import queries
from reporting.application.views import ProgramSummary, RevisionView, UnitSummary
from shared.periods import ReportingPeriod

router = APIRouter(prefix="/api/v1", tags=["program"])


@router.get("/years", response_model=list[int])
async def years(*, _: PrincipalDep, reads: ReadsDep, org: OrgDep) -> list[int]:
    """The program years that have tasks."""
    return await queries.program_years(reads, org)


@router.get("/summary", response_model=ProgramSummary)
async def summary(*, _: PrincipalDep, reads: ReadsDep, org: OrgDep, now: NowDep, as_of: AsOfDep,
                  year: Year = None) -> ProgramSummary:
    """Counts by status and completion rates for the program and each unit, now or on a past day."""
    return await queries.program_summary(reads, org, now=now, year=year, as_of=as_of)


@router.get("/units/{unit}", response_model=UnitSummary)
async def unit(*, unit: Annotated[str, Path(max_length=64)], _: PrincipalDep, reads: ReadsDep, org: OrgDep,
               now: NowDep, as_of: AsOfDep, year: Year = None) -> UnitSummary:
    """One unit's counts by status and completion rates."""
    return await queries.unit_summary(reads, org, unit, now=now, year=year, as_of=as_of)


@router.get("/revisions", response_model=list[RevisionView])
async def revisions(*, _: PrincipalDep, reads: ReadsDep, org: OrgDep, year: Year = None,
                    period: str | None = None) -> list[RevisionView]:
    """Target and deadline revisions with their approval, by the day they take effect."""
    parsed = ReportingPeriod.parse(period) if period else None
    return await queries.revision_list(reads, org, year=year, period=parsed)
