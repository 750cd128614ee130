"""A small 2025 program told as public events, seen on 10/07/2025: one task of each colour.

- QL-CNDMST-01 (ql-cndmst): at least 10, then 12 enterprises, due 9/2025, 4 then 7 reported → blue
- QL-KH-01 (ql-kh): exactly 3 workshops, due 6/2025, done 25/06, confirmed 27/06 → green
- QL-TDC-01 (ql-tdc): 01 - 02 classes, due 5/2025, 3 held, done 10/06 → orange, exceeds its target
- VP-01 (vp): a milestone due in Quý 1/2025, nothing reported → red
- TT-CGCN-01 (tt-cgcn): qualitative, due within 2025, nothing reported → grey

`states()` folds them with the reporting domain, `task_views()` presents them as the pages get them.
"""

from __future__ import annotations

from datetime import date, datetime, time
from uuid import UUID

from reporting.application.present import assessed, counts_view, org_name, task_view, unit_name
from reporting.application.report_views import ActivityView, PeriodReport, PeriodView
from reporting.application.views import TaskView, UnitSummary
from reporting.domain.summary import count
from reporting.domain.task_state import TaskState, evolve
from reporting.integration.contract_v1 import translate
from shared.contracts.v1 import TaskEventV1
from shared.periods import ReportingPeriod
from shared.vn import local_instant
from tests.unit.reporting.builders import (
    ORG,
    TaskScript,
    at,
    at_least,
    between,
    due_month,
    due_quarter,
    due_year,
    exactly,
    milestone,
    qualitative,
)

NOW = local_instant(date(2025, 7, 10), time(10, 0))
BLUE = TaskScript("QL-CNDMST-01", "ql-cndmst", target=at_least(10), deadline=due_month(2025, 9),
                  title="Hỗ trợ doanh nghiệp đổi mới sáng tạo, ứng dụng chuyển đổi số")
GREEN = TaskScript("QL-KH-01", "ql-kh", target=exactly(3, "hội thảo"), deadline=due_month(2025, 6),
                   title="Tổ chức hội thảo khoa học về Nghị quyết 57")
ORANGE = TaskScript("QL-TDC-01", "ql-tdc", target=between(1, 2, "lớp"), deadline=due_month(2025, 5),
                    title="Mở lớp đào tạo về tiêu chuẩn, đo lường, chất lượng")
RED = TaskScript("VP-01", "vp", target=milestone("Kế hoạch được ban hành"), deadline=due_quarter(2025, 1),
                 title="Ban hành Kế hoạch chuyển đổi số của Sở")
GREY = TaskScript("TT-CGCN-01", "tt-cgcn", target=qualitative(), deadline=due_year(2025),
                  title="Nâng cao năng lực chuyển giao công nghệ")
SCRIPTS = (BLUE, GREEN, ORANGE, RED, GREY)


def _story() -> list[TaskEventV1]:
    events = [s.registered() for s in SCRIPTS]
    events += [BLUE.progress(4, date(2025, 3, 31)), ORANGE.progress(3, date(2025, 6, 5)),
               BLUE.revised(at(date(2025, 5, 5), 10), target=at_least(12), effective_on=date(2025, 5, 5)),
               ORANGE.requested(date(2025, 6, 10)), ORANGE.confirmed(at(date(2025, 6, 12), 9)),
               GREEN.progress(3, date(2025, 6, 20)), GREEN.requested(date(2025, 6, 25)),
               GREEN.confirmed(at(date(2025, 6, 27), 9)), BLUE.progress(7, date(2025, 6, 30))]
    return sorted(events, key=lambda e: (e.recorded_at, e.task_version))


EVENTS: list[TaskEventV1] = _story()
TASK_IDS: dict[str, UUID] = {s.ref: s.task_id for s in SCRIPTS}


def states(until: datetime = NOW) -> list[TaskState]:
    folded: dict[UUID, TaskState] = {}
    for event in EVENTS:
        if event.recorded_at <= until:
            folded[event.task_id] = evolve(folded.get(event.task_id), translate(event))
    return sorted(folded.values(), key=lambda s: s.ref)


def task_views(now: datetime = NOW) -> list[TaskView]:
    return [task_view(s, now) for s in states(now)]


def by_ref(views: list[TaskView], ref: str) -> TaskView:
    return next(v for v in views if v.ref == ref)




def period_report_q2() -> PeriodReport:
    """The report of Quý II/2025 as the reporting service would make it (see reports.period_report)."""
    tasks = assessed(states(), NOW)
    period = ReportingPeriod.parse("2025-Q2")
    due = [t for t in tasks if period.contains(t.state.due_at)]
    units = [UnitSummary(unit=t.state.unit, unit_name=unit_name(ORG, t.state.unit), counts=counts_view(count([t])))
             for t in tasks]
    views = [task_view(t.state, NOW) for t in due]
    return PeriodReport(
        org=ORG, org_name=org_name(ORG), place="Quảng Trị", program_year=2025, unit=None,
        period=PeriodView(code=period.code, kind=period.kind.value, label=period.label, first_day=period.first_day,
                          last_day=period.last_day),
        as_of=period.ends_at, final=True, summary=counts_view(count(tasks)), units=units, due_in_period=views,
        due_summary=counts_view(count(due)), completed_in_period=views, overdue=[], exceeding=views[1:],
        activity=ActivityView(progress_reports=3, completions=2, completed_on_time=1, completed_late=1),
        activity_by_unit=[], revisions=[])
