"""Vietnam's civil time and the way Vietnamese documents write dates and numbers.

Instants are stored in UTC; civil dates and times are Asia/Ho_Chi_Minh (UTC+7, no DST).
Dates are written dd/mm/yyyy; numbers use "." for thousands and "," for decimals (98,62%).
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def utc_now() -> datetime:
    return datetime.now(tz=UTC)


def local_instant(day: date, at: time = time(0, 0)) -> datetime:
    """The UTC instant of a civil time in Vietnam."""
    return datetime.combine(day, at, tzinfo=VN_TZ).astimezone(UTC)


def end_of_day(day: date) -> datetime:
    """23:59:59 of a civil day in Vietnam, as a UTC instant (the usual effective end of a deadline)."""
    return local_instant(day, time(23, 59, 59))


def local_date(instant: datetime) -> date:
    return instant.astimezone(VN_TZ).date()


def format_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy; an instant is shown on its civil date in Vietnam."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local_date(value)
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime | None) -> str:
    """HH:MM dd/mm/yyyy in Vietnam's civil time."""
    if value is None:
        return ""
    return value.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")


def format_number(value: float | int | None, decimals: int = 0) -> str:
    """1.234,5 — a dot between thousands, a comma before decimals."""
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def format_quantity(value: float | int | None) -> str:
    """A measured quantity: whole numbers without decimals, others with up to two, trailing zeros
    dropped (2,5 not 2,50; 1.234 not 1.234,00) — the dashboard, the reports and the alerts alike."""
    if value is None:
        return ""
    if float(value).is_integer():
        return format_number(value)
    return format_number(value, 2).rstrip("0").rstrip(",")


def format_percent(value: float | None, decimals: int = 2) -> str:
    """98,62% — the way Vietnamese reports print a rate."""
    if value is None:
        return ""
    return f"{format_number(value, decimals)}%"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case text without diacritics, for accent-insensitive search ("Đổi mới" ~ "doi moi")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.casefold()
