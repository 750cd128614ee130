"""The golden cases of targets (shared.rules.targets: met, share reached, over-achievement), and every
service's code path that applies them: the write side's Target (the API's view, the audit) and the
readers' Target, translated from the public contract's TargetV1 (the dashboard, the reports)."""

from __future__ import annotations

import pytest

from commitments.integration.values import target_v1
from reporting.domain import targets as reading
from reporting.integration.contract_v1 import target as reporting_target
from tests.unit.rules.stories import target

# target as written, achieved → percent of the threshold, met, exceeded, by how much
CASES = [
    ("ít nhất 10 doanh nghiệp", None, None, False, False, None),
    ("ít nhất 10 doanh nghiệp", 4, 40.0, False, False, None),
    ("ít nhất 10 doanh nghiệp", 10, 100.0, True, False, None),
    ("ít nhất 10 doanh nghiệp", 12, 120.0, True, True, 2.0),
    ("01 - 02 lớp", 1, 100.0, True, False, None),  # a range is met at its minimum …
    ("01 - 02 lớp", 2, 200.0, True, False, None),  # … and exceeded only above its maximum
    ("01 - 02 lớp", 3, 300.0, True, True, 1.0),
    ("100% TTHC", 98.5, 98.5, False, False, None),
    ("05 doanh nghiệp", 6, 120.0, True, True, 1.0),
    ("milestone", 0, 0.0, False, False, None),
    ("milestone", 1, 100.0, True, False, None),  # a milestone is done, never exceeded
    ("qualitative", None, None, None, False, None),  # only the Board's confirmation says it is done
]


@pytest.mark.parametrize(("text", "achieved", "percent", "met", "exceeds", "over"), CASES)
def test_the_write_side_target(text: str, achieved: float | None, percent: float | None, met: bool | None,
                               exceeds: bool, over: float | None) -> None:
    t = target(text)
    assert (t.percent_of(achieved), t.is_met(achieved), t.exceeds(achieved)) == (percent, met, exceeds)


@pytest.mark.parametrize(("text", "achieved", "percent", "met", "exceeds", "over"), CASES)
def test_the_readers_target(text: str, achieved: float | None, percent: float | None, met: bool | None,
                            exceeds: bool, over: float | None) -> None:
    t = reporting_target(target_v1(target(text)))
    assert (reading.percent_of(t, achieved), reading.is_met(t, achieved), reading.exceeds(t, achieved),
            reading.over_achievement(t, achieved)) == (percent, met, exceeds, over)
