"""The Inspectorate sees what the dashboard showed: over a generated year of activity, at 20 random
past instants, the audit's program figures (`/audit/program/as-of`) equal the dashboard's `as_of`
figures for the same instant, field by field, for the whole program and for each unit."""

from __future__ import annotations

import random
from dataclasses import asdict, fields
from datetime import UTC, datetime, timedelta
from typing import Any

from commitments.application.batching import CommandBatcher
from commitments.audit.adapters.reader import TaskReader
from commitments.audit.application.timetravel import program_at
from commitments.bootstrap import memory_app
from commitments.persistence.signing import EventSigner
from reporting.application import queries
from reporting.application.views import CountsView
from tests.integration.reporting.conftest import Reporting
from tests.integration.reporting.year import generate
from tests.unit.audit.conftest import MovableClock

SEED = 20250614
NOW = datetime(2026, 1, 15, 3, tzinfo=UTC)
FIELDS = tuple(f.name for f in fields(CountsView))


def dashboard_figures(counts: CountsView) -> dict[str, Any]:
    return asdict(counts)


def audit_figures(figures: dict[str, Any]) -> dict[str, Any]:
    return {name: figures[name] for name in FIELDS}


async def test_at_twenty_past_instants_the_audit_and_the_dashboard_agree_field_by_field(
        reporting: Reporting) -> None:
    signer = EventSigner.generate()
    app = memory_app(signer=signer)
    clock = MovableClock(datetime(2025, 1, 2, 2, tzinfo=UTC))
    task_ids = generate(CommandBatcher(app, clock=clock), clock, SEED)
    events = sorted((e for t in task_ids for e in app.history(t)), key=lambda e: (e.recorded_at, e.task_version))
    assert len(events) > 250 and {type(e).__name__ for e in events} >= {
        "TaskRegisteredV1", "ProgressReportedV1", "CompletionConfirmedV1", "CompletionRejectedV1",
        "TaskCancelledV1", "TaskSuspendedV1", "TaskResumedV1", "TargetRevisedV1", "TaskReassignedV1"}
    await reporting.publish(events)
    await reporting.catch_up()

    reader = TaskReader(app, {signer.key_id: signer.public_key})
    summaries = [s.task_id for s in app.store.list_summaries("qt-skhcn")]
    rnd = random.Random(SEED)
    year = (datetime(2025, 12, 31, 17, tzinfo=UTC) - datetime(2025, 1, 1, tzinfo=UTC)).total_seconds()
    instants = sorted(datetime(2025, 1, 1, tzinfo=UTC) + timedelta(seconds=rnd.uniform(0, year)) for _ in range(20))
    seen_rates = set()
    for instant in instants:
        audit = program_at(reader, summaries, instant)
        shown = await queries.program_summary(reporting.reads, "qt-skhcn", now=NOW, year=2025, as_of=instant)
        assert audit_figures(audit) == dashboard_figures(shown.total), instant
        by_unit = {u["unit"]: audit_figures(u) for u in audit["by_unit"]}
        assert by_unit == {u.unit: dashboard_figures(u.counts) for u in shown.units}, instant
        seen_rates.add(audit["completion_rate"])
    # the instants fall through the year: the figures move, cancelled and suspended tasks are left out
    assert len(seen_rates) > 5
    assert any(u["counted"] < u["total"] for u in program_at(reader, summaries, instants[-1])["by_unit"])
