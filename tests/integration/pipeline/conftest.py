"""One running pipeline per test module (see stack.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.pipeline.stack import Stack, pipeline


@pytest.fixture(scope="module")
def stack(database_url: str, nats_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with pipeline(database_url, nats_url, tmp_path_factory.mktemp("pipeline")) as running:
        yield running
