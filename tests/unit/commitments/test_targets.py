"""Targets as the 2025 notice writes them, and the rules of each kind."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commitments.domain.errors import InvalidValue
from commitments.domain.targets import Target, TargetKind, milestone, parse_target, qualitative


@pytest.mark.parametrize(("text", "kind", "low", "high", "measure", "per"), [
    ("ít nhất 10 doanh nghiệp", TargetKind.AT_LEAST, 10, None, "doanh nghiệp", None),
    ("03 doanh nghiệp KH&CN", TargetKind.EXACTLY, 3, 3, "doanh nghiệp KH&CN", None),
    ("01 - 02 lớp", TargetKind.RANGE, 1, 2, "lớp", None),
    ("4 – 5 cuộc/năm", TargetKind.RANGE, 4, 5, "cuộc", "năm"),
    ("5-10 công nghệ", TargetKind.RANGE, 5, 10, "công nghệ", None),
    ("100% TTHC của Sở đạt mức độ dịch vụ công trực tuyến toàn trình", TargetKind.PERCENTAGE, 100, None,
     "TTHC của Sở đạt mức độ dịch vụ công trực tuyến toàn trình", None),
    ("10 doanh nghiệp", TargetKind.EXACTLY, 10, 10, "doanh nghiệp", None),
    ("1.500 lượt truy cập", TargetKind.EXACTLY, 1500, 1500, "lượt truy cập", None),
    ("97,5% hồ sơ", TargetKind.PERCENTAGE, 97.5, None, "hồ sơ", None),
])
def test_the_notices_wordings_are_read(text: str, kind: TargetKind, low: float, high: float | None, measure: str,
                                       per: str | None) -> None:
    target = parse_target(text)
    assert (target.kind, target.minimum, target.maximum, target.measure, target.per) == (kind, low, high, measure,
                                                                                         per)
    assert target.text == text


@pytest.mark.parametrize("text", ["", "   ", "nhiều doanh nghiệp", "khoảng chục lớp"])
def test_a_wording_without_a_number_is_refused_naming_the_target(text: str) -> None:
    with pytest.raises(InvalidValue) as error:
        parse_target(text)
    assert error.value.field == "target"


def test_a_range_with_min_above_max_is_refused() -> None:
    with pytest.raises(InvalidValue, match="above its maximum") as error:
        parse_target("10 - 5 lớp")
    assert error.value.field == "target.maximum"


def test_a_percentage_above_100_is_refused() -> None:
    with pytest.raises(InvalidValue, match="above 100%"):
        parse_target("120% TTHC")


def test_a_negative_target_is_refused() -> None:
    with pytest.raises(InvalidValue, match="negative"):
        Target(kind=TargetKind.AT_LEAST, minimum=-1)


def test_met_exceeded_and_percent_of_target_per_kind() -> None:
    at_least, exact, band = parse_target("ít nhất 10 doanh nghiệp"), parse_target("03 doanh nghiệp"), parse_target(
        "5-10 công nghệ")
    assert at_least.is_met(10) and not at_least.is_met(9) and at_least.exceeds(11) and not at_least.exceeds(10)
    assert exact.is_met(3) and exact.exceeds(4) and exact.percent_of(4) == pytest.approx(133.33, abs=0.01)
    assert band.is_met(5) and not band.exceeds(10) and band.exceeds(11) and band.percent_of(5) == 100
    assert milestone("Kế hoạch được ban hành").is_met(1) and not milestone("x").is_met(0)
    assert qualitative().is_met(None) is None and qualitative().percent_of(3) is None


def test_achieved_values_are_checked_against_the_kind() -> None:
    with pytest.raises(InvalidValue, match="negative"):
        parse_target("ít nhất 10 doanh nghiệp").check_achieved(-1)
    with pytest.raises(InvalidValue, match="above 100%"):
        parse_target("100% TTHC").check_achieved(100.5)
    with pytest.raises(InvalidValue, match="done"):
        milestone("Hội thảo được tổ chức").check_achieved(2)


measures = st.sampled_from(["doanh nghiệp", "lớp", "công nghệ", "cuộc", "sản phẩm OCOP", "nhiệm vụ KH&CN"])
dashes = st.sampled_from(["-", " - ", " – ", "–", " — "])


@given(st.integers(0, 100_000), measures)
def test_at_least_round_trips(n: int, measure: str) -> None:
    target = parse_target(f"ít nhất {n:02d} {measure}")
    assert (target.kind, target.minimum, target.measure) == (TargetKind.AT_LEAST, n, measure)


@given(st.integers(0, 999), st.integers(0, 999), dashes, measures, st.sampled_from(["", "/năm", "/quý"]))
def test_ranges_round_trip_or_are_refused(a: int, b: int, dash: str, measure: str, rate: str) -> None:
    text = f"{a:02d}{dash}{b:02d} {measure}{rate}"
    if a > b:
        with pytest.raises(InvalidValue):
            parse_target(text)
        return
    target = parse_target(text)
    assert (target.kind, target.minimum, target.maximum, target.measure) == (TargetKind.RANGE, a, b, measure)
    assert target.per == (rate[1:] or None)


@given(st.integers(0, 150), measures)
def test_percentages_are_bounded(n: int, measure: str) -> None:
    if n > 100:
        with pytest.raises(InvalidValue):
            parse_target(f"{n}% {measure}")
    else:
        assert parse_target(f"{n}% {measure}").minimum == n


@given(st.text(max_size=40))
def test_the_parser_never_fails_with_anything_but_a_domain_error(text: str) -> None:
    try:
        target = parse_target(text)
    except InvalidValue as error:
        assert error.field is not None and error.field.startswith("target")
    else:
        assert target.is_numeric and target.minimum is not None and target.minimum >= 0
