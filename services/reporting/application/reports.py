"""Period reports (tháng, quý, 6 tháng, 9 tháng, năm), the weekly and monthly briefing and the
year-end evaluation. A period that has ended is reported as it stood at its end; one still running,
as it stands now."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from reporting.application.present import (
    assessed,
    change_entry,
    counts_view,
    org_name,
    revision_view,
    task_view,
    unit_name,
    unit_order,
)
from reporting.application.queries import InvalidQuery, states_at
from reporting.application.read_store import ReadStore
from reporting.application.report_views import (
    ActivityView,
    Briefing,
    BriefingWindow,
    Evaluation,
    PeriodReport,
    PeriodView,
    UnitActivity,
    UnitEvaluationView,
)
from reporting.application.views import TaskView, UnitSummary
from reporting.domain.summary import Assessed, count
from shared.catalog import organisation
from shared.periods import ReportingPeriod
from shared.rules.briefings import Window, WindowKind, due_next, is_overdue, window
from shared.rules.evaluation import RULE, ranked
from shared.rules.rates import counts_as_exceeding
from shared.status import TaskStatus


async def period_report(db: ReadStore, org: str, period: ReportingPeriod, *, now: datetime,
                        unit: str | None = None) -> PeriodReport:
    """The report of a period for the program year it belongs to (one unit's, or the whole program's)."""
    states, at = await states_at(db, org, now=now, as_of=min(period.ends_at, now), year=period.year)
    tasks = [t for t in assessed(states, at) if unit is None or t.state.unit == unit]
    due = [t for t in tasks if period.contains(t.state.due_at)]
    done = [t for t in tasks if t.status.completed and t.state.completed_on
            and period.first_day <= t.state.completed_on <= period.last_day]
    activity = {u: a for u, a in (await db.activity(org, period.year, period.code)).items() if unit in (None, u)}
    revisions = await db.revisions(org, year=period.year, effective=(period.first_day, period.last_day))
    return PeriodReport(
        org=org, org_name=org_name(org), place=_place(org), program_year=period.year, unit=unit,
        period=PeriodView(code=period.code, kind=period.kind.value, label=period.label, first_day=period.first_day,
                          last_day=period.last_day),
        as_of=at, final=now > period.ends_at, summary=counts_view(count(tasks)), units=_by_unit(org, tasks),
        due_in_period=_views(due, at), due_summary=counts_view(count(due)), completed_in_period=_views(done, at),
        overdue=_views([t for t in tasks if t.status is TaskStatus.IN_PROGRESS_OVERDUE], at),
        exceeding=_views([t for t in tasks if counts_as_exceeding(t.status, t.state.exceeds_target)], at),
        activity=_total(activity.values()),
        activity_by_unit=[UnitActivity(unit=u, unit_name=unit_name(org, u), activity=ActivityView(**a))
                          for u, a in sorted(activity.items(), key=lambda i: unit_order(org, i[0]))],
        revisions=[revision_view(org, r) for r in revisions if unit in (None, r.unit)])


async def briefing(db: ReadStore, org: str, kind: WindowKind, day: date, *, now: datetime,
                   year: int | None = None) -> Briefing:
    """What changed in the week or month of `day`, what is overdue, what falls due in the next one,
    and the revisions made; as it stood at the window's end (now, while it runs)."""
    span = window(kind, day)
    if span.starts_at > now:
        raise InvalidQuery(f"{span.label} has not started yet", "day")
    states, at = await states_at(db, org, now=now, as_of=min(span.ends_at, now), year=year)
    tasks = assessed(states, at)
    following = span.next()
    titles = {t.state.task_id: t.state for t in tasks}
    changes = [c for c in await db.changes(org, span.starts_at, at) if c.task_id in titles]
    coming = [t for t in tasks if due_next(t.state.lifecycle, t.state.due_at, following)]
    revisions = await db.revisions(org, year=year, recorded=(span.starts_at, at))
    return Briefing(
        org=org, org_name=org_name(org), window=_window_view(span), next_window=_window_view(following), as_of=at,
        summary=counts_view(count(tasks)),
        changes=[change_entry(c, titles[c.task_id], unit_name(org, c.unit)) for c in changes],
        overdue=_views([t for t in tasks if is_overdue(t.status)], at),
        due_next=_views(sorted(coming, key=lambda t: (t.state.due_at, t.state.ref)), at),
        revisions=[revision_view(org, r) for r in revisions])


async def year_end_evaluation(db: ReadStore, org: str, year: int) -> Evaluation:
    """Each unit's share of tasks completed on time and exceeding target, ranked, with the rule."""
    units = [UnitEvaluationView(rank=rank, unit=u.unit, unit_name=unit_name(org, u.unit), assigned=u.assigned,
                                cancelled=u.cancelled, suspended=u.suspended, completed=u.completed,
                                completed_on_time=u.completed_on_time, completed_late=u.completed_late,
                                quantitative=u.quantitative, exceeding_target=u.exceeding_target,
                                on_time_share=u.on_time_share, exceeding_share=u.exceeding_share,
                                completed_share=u.completed_share)
             for rank, u in ranked(await db.evaluation(org, year))]
    return Evaluation(org=org, org_name=org_name(org), program_year=year, rule=RULE, units=units)


def _views(tasks: list[Assessed], at: datetime) -> list[TaskView]:
    return [task_view(t.state, at) for t in tasks]


def _by_unit(org: str, tasks: list[Assessed]) -> list[UnitSummary]:
    grouped: dict[str, list[Assessed]] = defaultdict(list)
    for t in tasks:
        grouped[t.state.unit].append(t)
    return [UnitSummary(unit=u, unit_name=unit_name(org, u), counts=counts_view(count(ts)))
            for u, ts in sorted(grouped.items(), key=lambda i: unit_order(org, i[0]))]


def _total(rows: Iterable[dict[str, int]]) -> ActivityView:
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        for name, value in row.items():
            totals[name] += value
    return ActivityView(**totals)


def _window_view(span: Window) -> BriefingWindow:
    return BriefingWindow(kind=span.kind.value, label=span.label, first_day=span.first_day, last_day=span.last_day)


def _place(org: str) -> str:
    try:
        return organisation(org).place
    except FileNotFoundError:
        return ""
