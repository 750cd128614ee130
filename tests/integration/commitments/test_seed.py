"""The 2025 program loads through the application on PostgreSQL, once."""

from __future__ import annotations

from datetime import UTC, datetime

from commitments.application.batching import CommandBatcher
from commitments.seed.loader import default_program, load, read_program
from shared.catalog import organisation
from tests.integration.commitments.conftest import MakeApp


def test_the_program_loads_every_task_once(make_app: MakeApp) -> None:
    app = make_app()
    expected = len(read_program(default_program())["tasks"])
    first = load(CommandBatcher(app), "qt-skhcn")
    assert (len(first.registered), first.failed) == (expected, {})
    second = load(CommandBatcher(make_app()), "qt-skhcn")
    assert (len(second.registered), len(second.unchanged)) == (0, expected)
    tasks = app.list_tasks("qt-skhcn", datetime(2025, 2, 1, tzinfo=UTC), program_year=2025)
    assert len(tasks) == expected == app.recorder.max_notification_id()
    owners = {u.code for u in organisation().task_owners}
    assert {t["unit"] for t in tasks} == owners
    by_ref = {t["ref"]: t for t in tasks}
    assert by_ref["QL-CNDMST-03"]["target"]["text"] == "ít nhất 10 doanh nghiệp"
    assert "VP-07" not in by_ref  # the closing procedure is not a task (seed README)
    assert (by_ref["KH-TC-03"]["deadline"]["text"], by_ref["KH-TC-03"]["deadline"]["due_at"]) == (
        "", "2025-12-31T16:59:59Z")
    assert by_ref["QL-TDC-04"]["cooperating_units"] == ["tt-kt-tdc"]
