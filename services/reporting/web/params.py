"""The pages' query parameters, read as text and checked here, so that a bad value gets an error page
naming the field (400) rather than the JSON API's problem answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from reporting.web.errors import PageError
from shared.catalog import organisation
from shared.instants import EARLIEST_DAY, LATEST_DAY
from shared.periods import InvalidPeriod, ReportingPeriod
from shared.status import TaskStatus
from shared.text import UnsafeText, clean_line
from shared.vn import end_of_day, format_date, local_date

MAX_SEARCH = 200


def text(value: str | None, field: str = "q") -> str | None:
    """A parameter's text, trimmed; a control character or the like (shared.text) is refused."""
    if not value:
        return None
    try:
        return clean_line(value).strip() or None
    except UnsafeText as error:
        raise PageError(400, f"Tham số “{field}” chứa ký tự không được phép ({error}).", field) from None


def year(value: str | None) -> int | None:
    raw = text(value, "year")
    if raw is None:
        return None
    if not raw.isdigit() or not 2000 <= int(raw) <= 2200:
        raise PageError(400, f"Năm không hợp lệ: “{raw}” (cần một năm từ 2000 đến 2200).", "year")
    return int(raw)


def unit(value: str | None, org: str) -> str | None:
    raw = text(value, "unit")
    if raw is None:
        return None
    try:
        known = organisation(org).unit(raw) is not None
    except FileNotFoundError:  # no reference data for this organisation: take the code as it is
        known = len(raw) <= 64
    if not known:
        raise PageError(400, f"Không có đơn vị mã “{raw}” trong danh mục.", "unit")
    return raw


def status(value: str | None) -> TaskStatus | None:
    raw = text(value, "status")
    if raw is None:
        return None
    try:
        return TaskStatus(raw)
    except ValueError:
        raise PageError(400, f"Trạng thái không hợp lệ: “{raw}”.", "status") from None


def period(value: str | None) -> ReportingPeriod | None:
    raw = text(value, "period")
    if raw is None:
        return None
    try:
        return ReportingPeriod.parse(raw)
    except InvalidPeriod:
        raise PageError(400, f"Kỳ không hợp lệ: “{raw}” (ví dụ 2025-06, 2025-Q2, 2025-H1, 2025-9M, 2025).",
                        "period") from None


def day(value: str | None, field: str) -> date | None:
    raw = text(value, field)
    if raw is None:
        return None
    try:
        picked = date.fromisoformat(raw)
    except ValueError:
        raise PageError(400, f"Ngày không hợp lệ: “{raw}” (cần dạng YYYY-MM-DD).", field) from None
    if not EARLIEST_DAY <= picked <= LATEST_DAY:
        raise PageError(422, f"Ngày ngoài phạm vi: “{raw}” (từ {format_date(EARLIEST_DAY)} đến "
                             f"{format_date(LATEST_DAY)}).", field)
    return picked


def as_of(value: str | None, now: datetime) -> datetime | None:
    """The end of a past day in Vietnam (now for today, or a later day): "as the dashboard stood then"."""
    picked = day(value, "as_of")
    if picked is None or picked >= local_date(now):
        return None
    return end_of_day(picked)


def search(value: str | None) -> str | None:
    raw = text(value)
    if raw is not None and len(raw) > MAX_SEARCH:
        raise PageError(400, f"Từ khóa tìm kiếm dài quá {MAX_SEARCH} ký tự.", "q")
    return raw


@dataclass(frozen=True)
class Filters:
    """The overview's filters as chosen, to fill the form back in."""

    year: int | None
    unit: str | None
    status: TaskStatus | None
    period: ReportingPeriod | None
    search: str | None
    as_of: datetime | None
    as_of_day: date  # the day shown in "số liệu tính đến ngày …"
