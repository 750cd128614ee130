"""Which briefing ("trực báo tuần, tháng") is due: the week or month that ended most recently,
once its sending time (a weekday and hour in Vietnam) has passed. Only the latest of each kind is
due: after downtime the last missed briefing goes out once; older ones are not sent late."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from shared.vn import format_date, local_date, local_instant


class BriefingKind(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"


@dataclass(frozen=True)
class BriefingPeriod:
    kind: BriefingKind
    first_day: date
    last_day: date  # inclusive
    next_last_day: date  # end of the following period: what falls due next

    @property
    def code(self) -> str:
        if self.kind is BriefingKind.MONTHLY:
            return f"{self.first_day:%Y-%m}"
        return f"{self.first_day.isoformat()}/{self.last_day.isoformat()}"

    @property
    def label(self) -> str:
        if self.kind is BriefingKind.MONTHLY:
            return f"tháng {self.first_day.month}/{self.first_day.year}"
        return f"tuần {format_date(self.first_day)} – {format_date(self.last_day)}"

    @property
    def starts_at(self) -> datetime:
        return local_instant(self.first_day)

    @property
    def ends_at(self) -> datetime:
        """The first instant after the period (exclusive bound)."""
        return local_instant(self.last_day + timedelta(days=1))

    @property
    def next_ends_at(self) -> datetime:
        return local_instant(self.next_last_day + timedelta(days=1))


def latest_week(now: datetime, weekday: int, hour: int) -> BriefingPeriod:
    today = local_date(now)
    send_day = today - timedelta(days=(today.weekday() - weekday) % 7)
    if local_instant(send_day, time(hour)) > now:
        send_day -= timedelta(days=7)
    return BriefingPeriod(BriefingKind.WEEKLY, send_day - timedelta(days=7), send_day - timedelta(days=1),
                          send_day + timedelta(days=6))


def latest_month(now: datetime, hour: int) -> BriefingPeriod:
    today = local_date(now)
    send_day = today.replace(day=1)
    if local_instant(send_day, time(hour)) > now:
        send_day = (send_day - timedelta(days=1)).replace(day=1)
    last = send_day - timedelta(days=1)
    following = (send_day + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return BriefingPeriod(BriefingKind.MONTHLY, last.replace(day=1), last, following)


def due_briefings(now: datetime, weekday: int, hour: int) -> list[BriefingPeriod]:
    return [latest_week(now, weekday, hour), latest_month(now, hour)]
