"""Which briefing ("trực báo tuần, tháng") is due: the week or month that ended most recently,
once its sending time (a weekday and hour in Vietnam) has passed. Only the latest of each kind is
due: after downtime the last missed briefing goes out once; older ones are not sent late.

The windows themselves, their wording and what each section holds are the one rule of
`shared.rules.briefings`; the sending schedule is this service's own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from shared.rules.briefings import Window, WindowKind, window
from shared.vn import local_date, local_instant


class BriefingKind(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"


_WINDOWS = {BriefingKind.WEEKLY: WindowKind.WEEK, BriefingKind.MONTHLY: WindowKind.MONTH}


@dataclass(frozen=True)
class BriefingPeriod:
    kind: BriefingKind
    window: Window

    @property
    def following(self) -> Window:
        """What falls due next."""
        return self.window.next()

    @property
    def code(self) -> str:
        return self.window.code

    @property
    def label(self) -> str:
        return self.window.phrase

    @property
    def first_day(self) -> date:
        return self.window.first_day

    @property
    def last_day(self) -> date:
        return self.window.last_day

    @property
    def ends_at(self) -> datetime:
        return self.window.ends_at


def _ended_before(kind: BriefingKind, send_day: date) -> BriefingPeriod:
    """The last whole window that ended before the sending day (a Wednesday sends last Monday–Sunday)."""
    span = window(_WINDOWS[kind], send_day - timedelta(days=1))
    return BriefingPeriod(kind, span if span.last_day < send_day else span.previous())


def latest_week(now: datetime, weekday: int, hour: int) -> BriefingPeriod:
    today = local_date(now)
    send_day = today - timedelta(days=(today.weekday() - weekday) % 7)
    if local_instant(send_day, time(hour)) > now:
        send_day -= timedelta(days=7)
    return _ended_before(BriefingKind.WEEKLY, send_day)


def latest_month(now: datetime, hour: int) -> BriefingPeriod:
    send_day = local_date(now).replace(day=1)
    if local_instant(send_day, time(hour)) > now:
        send_day = (send_day - timedelta(days=1)).replace(day=1)
    return _ended_before(BriefingKind.MONTHLY, send_day)


def due_briefings(now: datetime, weekday: int, hour: int) -> list[BriefingPeriod]:
    return [latest_week(now, weekday, hour), latest_month(now, hour)]
