"""Figures provable offline: over a generated year of activity, the year-end evaluation recomputed from the
logged events (as a complete transparency-log bundle carries them) with the published rule equals the
dashboard's, unit by unit and count by count; a difference is named field by field."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

from commitments.application.batching import CommandBatcher
from commitments.application.service import CommitmentsApp
from commitments.audit.domain.keys import row_signed
from commitments.audit.domain.leaves import LogRow
from commitments.audit.domain.tlog.bundle_verify import BundleEvent
from commitments.audit.domain.tlog.entry import Entry
from commitments.audit.domain.tlog.figures import differences, evaluation
from commitments.bootstrap import memory_app
from commitments.domain.signed_records import split_signed
from commitments.persistence.signing import EventSigner
from reporting.application.reports import year_end_evaluation
from tests.integration.reporting.conftest import Reporting
from tests.integration.reporting.year import generate
from tests.unit.audit.conftest import MovableClock

SEED = 20251231


def logged(app: CommitmentsApp, signer: EventSigner) -> list[BundleEvent]:
    """Every stored event as a program bundle holds it: its entry and its content."""
    keys = {signer.key_id: signer.public_key}
    out = []
    for n in app.recorder.select_notifications(start=1, limit=1_000_000):
        row = LogRow(n.id, n.originator_id, n.originator_version, n.topic, n.state)
        split = split_signed(row.state)
        assert split is not None
        out.append(BundleEvent(len(out), Entry.of(row, row_signed(row, keys), "", 0), split[0]))
    return out


async def test_the_evaluation_recomputed_from_the_log_equals_the_dashboards(reporting: Reporting) -> None:
    signer = EventSigner.generate()
    app = memory_app(signer=signer)
    clock = MovableClock(datetime(2025, 1, 2, 2, tzinfo=UTC))
    task_ids = generate(CommandBatcher(app, clock=clock), clock, SEED)
    public = sorted((e for t in task_ids for e in app.history(t)), key=lambda e: (e.recorded_at, e.task_version))
    await reporting.publish(public)
    await reporting.catch_up()
    shown = asdict(await year_end_evaluation(reporting.reads, "qt-skhcn", 2025))["units"]

    events = logged(app, signer)
    recomputed = evaluation(events, "qt-skhcn", 2025)
    assert differences(recomputed, shown) == []
    assert len(recomputed) >= 5 and sum(u.completed_on_time for _, u in recomputed) > 0
    assert sum(u.completed_late for _, u in recomputed) > 0 and sum(u.exceeding_target for _, u in recomputed) > 0
    assert sum(u.cancelled + u.suspended for _, u in recomputed) > 0

    altered = [dict(u) for u in shown]
    altered[0]["completed_on_time"] += 1
    assert differences(recomputed, altered) == [
        f"{altered[0]['unit']}.completed_on_time: nhật ký / log {altered[0]['completed_on_time'] - 1} ≠ "
        f"bảng điều khiển / dashboard {altered[0]['completed_on_time']}"]
