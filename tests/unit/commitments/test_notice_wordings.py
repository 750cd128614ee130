"""The wordings other notices use, read by the domain's parsers (issue 15): golden cases and properties."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commitments.domain.deadlines import DeadlineKind, parse_deadline
from commitments.domain.errors import InvalidValue
from commitments.domain.targets import TargetKind, parse_target


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(("text", "kind", "low", "high", "measure"), [
    ("ít nhất 10 doanh nghiệp", TargetKind.AT_LEAST, 10, None, "doanh nghiệp"),
    ("tối thiểu 500.000 lượt truy cập", TargetKind.AT_LEAST, 500_000, None, "lượt truy cập"),
    ("trên 90% hồ sơ trực tuyến", TargetKind.PERCENTAGE, 90, None, "hồ sơ trực tuyến"),
    ("đạt 95% TTHC", TargetKind.PERCENTAGE, 95, None, "TTHC"),
    ("Phấn đấu đạt 100% xã có điểm truy cập", TargetKind.PERCENTAGE, 100, None, "xã có điểm truy cập"),
    ("phấn đấu 03 doanh nghiệp KH&CN", TargetKind.EXACTLY, 3, 3, "doanh nghiệp KH&CN"),
    ("ít nhất 80% cán bộ", TargetKind.PERCENTAGE, 80, None, "cán bộ"),
    ("từ 3 đến 5 lớp", TargetKind.RANGE, 3, 5, "lớp"),
    ("3 đến 5 lớp", TargetKind.RANGE, 3, 5, "lớp"),
    ("01 – 02 lớp", TargetKind.RANGE, 1, 2, "lớp"),
    ("80 - 90% hồ sơ", TargetKind.RANGE, 80, 90, "% hồ sơ"),
    ("1.200 - 1.500 người", TargetKind.RANGE, 1200, 1500, "người"),
])
def test_notice_target_wordings(text: str, kind: TargetKind, low: float, high: float | None, measure: str) -> None:
    target = parse_target(text)
    assert (target.kind, target.minimum, target.maximum, target.measure) == (kind, low, high, measure)
    assert target.text == text


@pytest.mark.parametrize(("text", "kind", "start", "end"), [
    ("Quý I–IV/2025", DeadlineKind.QUARTER, utc(2024, 12, 31, 17), utc(2025, 12, 31, 16, 59, 59)),
    ("Quý II - III/2026", DeadlineKind.QUARTER, utc(2026, 3, 31, 17), utc(2026, 9, 30, 16, 59, 59)),
    ("tháng 11 - 12/2025", DeadlineKind.MONTH, utc(2025, 10, 31, 17), utc(2025, 12, 31, 16, 59, 59)),
    ("tháng 3 đến tháng 5 năm 2025", DeadlineKind.MONTH, utc(2025, 2, 28, 17), utc(2025, 5, 31, 16, 59, 59)),
    ("trước ngày 10 tháng 12 năm 2025", DeadlineKind.DAY, None, utc(2025, 12, 10, 16, 59, 59)),
    ("2025 - 2030", DeadlineKind.MULTI_YEAR, utc(2024, 12, 31, 17), utc(2030, 12, 31, 16, 59, 59)),
])
def test_notice_deadline_wordings(text: str, kind: DeadlineKind, start: datetime | None, end: datetime) -> None:
    deadline = parse_deadline(text)
    assert (deadline.kind, deadline.starts_at, deadline.ends_at, deadline.text) == (kind, start, end, text)


@pytest.mark.parametrize("text", ["Thường xuyên", "thường xuyên", "Hằng năm", "hàng năm"])
def test_every_year_wordings_recur_from_the_program_year(text: str) -> None:
    deadline = parse_deadline(text, year=2026)
    assert deadline.kind is DeadlineKind.RECURRING_YEARLY and deadline.recurring
    assert deadline.effective_end(2026) == utc(2026, 12, 31, 16, 59, 59)
    assert deadline.effective_end(2027) == utc(2027, 12, 31, 16, 59, 59)


def test_every_year_without_the_program_year_is_refused_naming_the_deadline() -> None:
    with pytest.raises(InvalidValue, match="program year") as error:
        parse_deadline("Thường xuyên")
    assert error.value.field == "deadline"


def test_a_span_of_periods_backwards_is_refused() -> None:
    with pytest.raises(InvalidValue) as error:
        parse_deadline("tháng 12 - 11/2025")
    assert error.value.field == "deadline"


_numbers = st.integers(min_value=0, max_value=999_999)


def _vn(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # "500.000": dots for thousands, as notices write them


@given(_numbers, st.sampled_from(["ít nhất", "tối thiểu", "Ít nhất"]), st.sampled_from(["doanh nghiệp", "lớp"]))
def test_at_least_reads_any_number_with_thousands_dots(n: int, words: str, measure: str) -> None:
    target = parse_target(f"{words} {_vn(n)} {measure}")
    assert (target.kind, target.minimum, target.measure) == (TargetKind.AT_LEAST, n, measure)


@given(st.integers(0, 100), st.sampled_from(["trên", "đạt", "phấn đấu đạt", "Phấn đấu", "ít nhất", ""]))
def test_a_percentage_is_read_whatever_the_leading_words(n: int, words: str) -> None:
    target = parse_target(f"{words} {n}% hồ sơ".strip())
    assert (target.kind, target.minimum, target.measure) == (TargetKind.PERCENTAGE, n, "hồ sơ")


@given(_numbers, _numbers, st.sampled_from(["-", "–", " - ", " – ", " đến "]), st.booleans())
def test_ranges_read_with_any_dash_or_den(a: int, b: int, sep: str, from_word: bool) -> None:
    low, high = sorted((a, b))
    target = parse_target(f"{'từ ' if from_word else ''}{_vn(low)}{sep}{_vn(high)} công nghệ")
    assert (target.kind, target.minimum, target.maximum) == (TargetKind.RANGE, low, high)


@given(st.integers(2000, 2099), st.integers(1, 4), st.integers(1, 4), st.sampled_from(["–", "-", " - ", " đến "]))
def test_a_span_of_quarters_ends_with_its_last_quarter(year: int, q1: int, q2: int, sep: str) -> None:
    first, last = sorted((q1, q2))
    roman = {1: "I", 2: "II", 3: "III", 4: "IV"}
    deadline = parse_deadline(f"Quý {roman[first]}{sep}{roman[last]}/{year}")
    assert deadline.ends_at == parse_deadline(f"Quý {roman[last]}/{year}").ends_at
    assert deadline.starts_at == parse_deadline(f"Quý {roman[first]}/{year}").starts_at


@given(st.integers(2000, 2099), st.integers(1, 12), st.integers(1, 12))
def test_a_span_of_months_ends_with_its_last_month(year: int, m1: int, m2: int) -> None:
    first, last = sorted((m1, m2))
    deadline = parse_deadline(f"tháng {first} - {last}/{year}")
    assert deadline.ends_at == parse_deadline(f"{last}/{year}").ends_at


@given(st.dates(min_value=datetime(2000, 1, 1).date(), max_value=datetime(2099, 12, 31).date()),
       st.sampled_from(["", "trước ", "chậm nhất "]))
def test_a_day_in_words_is_the_same_day_as_in_figures(day: object, before: str) -> None:
    from datetime import date

    assert isinstance(day, date)
    words = parse_deadline(f"{before}ngày {day.day} tháng {day.month} năm {day.year}")
    assert words.ends_at == parse_deadline(f"{day.day}/{day.month}/{day.year}").ends_at
