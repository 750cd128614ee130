"""The application's story tests on the PostgreSQL recorder: the same tests as tests/unit/commitments
(test_task.py, test_batching.py), which run there on the in-memory recorder, collected here again with
`app` on a schema of the test's own. A behaviour that holds in memory but not on the real store fails here."""

from __future__ import annotations

import pytest

from commitments.application.service import CommitmentsApp
from tests.integration.commitments.conftest import MakeApp
from tests.unit.commitments.conftest import batcher, clock, run
from tests.unit.commitments.test_batching import *  # noqa: F403 (the stories themselves)
from tests.unit.commitments.test_task import *  # noqa: F403

__all__ = ["batcher", "clock", "run"]


@pytest.fixture
def app(make_app: MakeApp) -> CommitmentsApp:
    return make_app()
