"""Period reports, the weekly and monthly briefing, the year-end evaluation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from reporting.api.deps import DayDep, NowDep, OrgDep, PrincipalDep, ReadsDep, Year
from reporting.api.problems import Forbidden
from reporting.application import reports
from reporting.application.access import may_see_evaluation
from reporting.application.report_views import Briefing, Evaluation, PeriodReport
from shared.periods import ReportingPeriod
from shared.rules.briefings import WindowKind
from shared.text import SafeLine
from shared.vn import local_date

router = APIRouter(prefix="/api/v1", tags=["reports"])


@router.get("/reports/{period}", response_model=PeriodReport)
async def period_report(*, period: Annotated[str, Path(max_length=16, description="2025-06, 2025-Q2, 2025-H1, 2025-9M "
                                                                               "or 2025")],
                        _: PrincipalDep, reads: ReadsDep, org: OrgDep, now: NowDep,
                        unit: Annotated[SafeLine | None, Query(max_length=64)] = None) -> PeriodReport:
    """The report of a month, quarter, half year, nine months or year."""
    return await reports.period_report(reads, org, ReportingPeriod.parse(period), now=now, unit=unit)


@router.get("/briefings/{kind}", response_model=Briefing)
async def briefing(*, kind: WindowKind, _: PrincipalDep, reads: ReadsDep, org: OrgDep, now: NowDep, day: DayDep,
                   year: Year = None) -> Briefing:
    """The weekly or monthly briefing (trực báo tuần, tháng) of the window containing `day`."""
    return await reports.briefing(reads, org, kind, day or local_date(now), now=now, year=year)


@router.get("/evaluations/{year}", response_model=Evaluation)
async def evaluation(*, year: Annotated[int, Path(ge=2000, le=2200)], principal: PrincipalDep, reads: ReadsDep,
                     org: OrgDep) -> Evaluation:
    """The year-end evaluation of each unit, ranked, with the rule used: the Board and the Inspectorate
    only (403 for other roles)."""
    if not may_see_evaluation(principal):
        raise Forbidden("the year-end evaluation is for the Board (board) and the Inspectorate (inspector)")
    return await reports.year_end_evaluation(reads, org, year)
