"""The application's queries over the read store the bootstrap wires: here an in-memory one, so the
queries' own rules (now and as-of, filters, the briefing's sections, the evaluation's ranking) are
checked without PostgreSQL."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from reporting.application import queries, reports
from reporting.bootstrap import Container, build
from reporting.config import ReportingSettings
from shared.auth.devkeys import ensure_key_pair
from shared.auth.tokens import TokenVerifier
from shared.rules.briefings import WindowKind
from shared.status import TaskStatus
from shared.vn import local_instant
from tests.unit.reporting.memory_store import InMemoryReadStore
from tests.unit.reporting_web.scenario import EVENTS, GREEN, NOW, ORANGE, TASK_IDS, task_views

ORG = "qt-skhcn"


@pytest.fixture
def container(tmp_path: Path) -> Container:
    ensure_key_pair(tmp_path, "jwt")
    verifier = TokenVerifier(issuer="camket-dev", audience="camket", public_key_file=tmp_path / "jwt.pub.pem")
    return build(ReportingSettings(org=ORG), token_verifier=verifier, reads=InMemoryReadStore(EVENTS))


async def test_the_bootstrap_wires_the_read_store_it_is_given(container: Container) -> None:
    assert isinstance(container.reads, InMemoryReadStore)
    assert await queries.program_years(container.reads, ORG) == [2025]


async def test_the_task_list_is_each_task_with_its_status_now(container: Container) -> None:
    listed = await queries.task_list(container.reads, ORG, now=NOW)
    assert listed == sorted(task_views(NOW), key=lambda v: v.ref)
    assert [(v.ref, v.status.colour) for v in listed] == [
        ("QL-CNDMST-01", "blue"), ("QL-KH-01", "green"), ("QL-TDC-01", "orange"), ("TT-CGCN-01", "grey"),
        ("VP-01", "red")]
    late = await queries.task_list(container.reads, ORG, now=NOW, status=TaskStatus.COMPLETED_LATE)
    assert [v.ref for v in late] == ["QL-TDC-01"]


async def test_a_past_day_shows_the_status_it_had_then(container: Container) -> None:
    day = local_instant(date(2025, 6, 26), time(12))  # QL-KH-01 asked for confirmation on 25/06
    summary = await queries.program_summary(container.reads, ORG, now=NOW, year=2025, as_of=day)
    by_status = {s.code: s.count for s in summary.total.by_status if s.count}
    assert by_status == {"awaiting_confirmation": 1, "completed_late": 1, "in_progress_on_time": 1,
                         "in_progress_overdue": 1, "not_started": 1}
    assert summary.as_of == day and summary.total.completed == 1
    now = await queries.program_summary(container.reads, ORG, now=NOW, year=2025)
    assert (now.total.completed, now.total.completed_on_time, now.total.completed_late) == (2, 1, 1)
    with pytest.raises(queries.InvalidQuery):
        await queries.program_summary(container.reads, ORG, now=day, as_of=NOW)


async def test_a_task_with_its_history_and_a_briefing_of_its_week(container: Container) -> None:
    detail = await queries.task_detail(container.reads, ORG, TASK_IDS[GREEN.ref], now=NOW)
    assert [h.event_label for h in detail.history] == [
        "Giao nhiệm vụ", "Báo cáo tiến độ", "Đề nghị xác nhận hoàn thành", "Xác nhận hoàn thành"]
    week = await reports.briefing(container.reads, ORG, WindowKind.WEEK, date(2025, 6, 12), now=NOW)
    assert [(c.ref, c.event_type) for c in week.changes] == [  # newest first
        (ORANGE.ref, "CompletionConfirmed"), (ORANGE.ref, "CompletionRequested")]
    evaluation = await reports.year_end_evaluation(container.reads, ORG, 2025)
    assert [(u.rank, u.unit, u.completed_on_time) for u in evaluation.units][:1] == [(1, "ql-kh", 1)]
