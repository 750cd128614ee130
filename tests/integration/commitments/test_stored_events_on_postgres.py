"""The stored-event fixtures (tests/unit/commitments/stored_events) written into PostgreSQL as they were
stored, and read back by the service: every task reads as it did, from its events and its snapshot."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

import pytest

from tests.integration.commitments.conftest import MakeApp
from tests.unit.commitments.test_stored_events import FIXTURES, load, same_facts, stored


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_the_fixtures_load_from_postgresql(make_app: MakeApp, path: Path) -> None:
    fixture = load(path)
    app = make_app()
    app.recorder.insert_events([stored(row) for row in fixture["events"]])
    assert app.snapshots is not None
    app.snapshots.recorder.insert_events([stored(row) for row in fixture["snapshots"]])
    for task_id, facts in fixture["facts"].items():
        same_facts(app.get_task(UUID(task_id)), facts)
