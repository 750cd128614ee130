"""The cluster tests use the publisher suite's store and writer fixtures."""

from __future__ import annotations

from tests.integration.publisher.conftest import settings, signer, store, subjects, writer

__all__ = ["settings", "signer", "store", "subjects", "writer"]
