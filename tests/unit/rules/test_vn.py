"""The golden cases of Vietnamese numbers and dates (shared.vn), and every code path that writes them:
the dashboard's and reports' cells and the alerts' and briefings' texts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from notifications.domain.messages import quantity
from reporting.exports.formatting import number, percent
from shared.vn import format_date, format_percent, format_quantity
from tests.unit.notifications.builders import facts

QUANTITIES = [(2.5, "2,5"), (2.25, "2,25"), (3, "3"), (3.0, "3"), (1234.5, "1.234,5"), (1234567, "1.234.567"),
              (0.1 + 0.2, "0,3"), (2.499, "2,5"), (0, "0")]


@pytest.mark.parametrize(("value", "text"), QUANTITIES)
def test_quantities_on_the_dashboard_and_in_the_alerts(value: float, text: str) -> None:
    assert format_quantity(value) == number(value) == text
    assert quantity(value, facts(measure="")) == text
    assert quantity(value, facts(measure="doanh nghiệp")) == f"{text} doanh nghiệp"


@pytest.mark.parametrize(("value", "text"), [(98.6248, "98,62%"), (100, "100,00%"), (200 / 3, "66,67%")])
def test_rates(value: float, text: str) -> None:
    assert format_percent(value) == percent(value) == text


@pytest.mark.parametrize(("value", "text"), [(date(2025, 1, 5), "05/01/2025"),
                                             (datetime(2025, 6, 30, 17, tzinfo=UTC), "01/07/2025")])
def test_dates_are_civil_days_in_vietnam(value: date, text: str) -> None:
    assert format_date(value) == text
