"""A task whose notice writes no deadline is due at the end of its program year: its page shows that
day and "cả năm", never "Không thời hạn" (shared.rules.deadlines)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shared.contracts.common import DeadlineV1
from shared.vn import end_of_day
from tests.integration.reporting_web.conftest import Headers, project, serve
from tests.integration.reporting_web.html import text
from tests.unit.reporting.builders import TaskScript, at, qualitative
from tests.unit.reporting_web.scenario import EVENTS

YEAR_END = end_of_day(date(2025, 12, 31))
WHOLE_YEAR = TaskScript("KH-TC-03", "kh-tc", target=qualitative(), title="Thực hiện các dự án đầu tư công",
                        deadline=DeadlineV1(kind="none", text="", starts_at=None, ends_at=None, recurring=False,
                                            due_at=YEAR_END))


@pytest.fixture(scope="module")
def client(database_url: str, schema: str, keys: Path) -> Iterator[TestClient]:
    asyncio.run(project(database_url, schema, [*EVENTS, WHOLE_YEAR.registered(at(date(2025, 1, 15)))]))
    yield from serve(database_url, schema, keys)


def test_a_task_without_a_written_deadline_shows_31_12_and_the_whole_year(client: TestClient,
                                                                          signed_in: Headers) -> None:
    response = client.get(f"/tasks/{WHOLE_YEAR.task_id}", headers=signed_in("office", "vp"))
    assert response.status_code == 200
    page = text(response.text)
    assert "Thời hạn (theo văn bản) 31/12/2025 (cả năm)" in page, page[:2000]
    assert "Không thời hạn" not in page and "()" not in page
