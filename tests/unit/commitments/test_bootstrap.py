"""The container as bootstrap wires it, with fakes in place of PostgreSQL, the identity provider and the
blob store: a command goes through the writer thread, stamped by the clock bootstrap was given."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from eventsourcing.persistence import InfrastructureFactoryError

from commitments.application.outcomes import OutcomeKind, Submission
from commitments.bootstrap import build, memory_app, task_store
from commitments.config import CommitmentsSettings
from commitments.evidence.memory_store import MemoryBlobStore
from commitments.persistence.signing import EventSigner
from shared.auth.devkeys import ensure_key_pair
from shared.auth.tokens import TokenVerifier
from tests.unit.commitments.builders import register
from tests.unit.commitments.conftest import OFFICE

NOON = datetime(2025, 4, 1, 5, 0, tzinfo=UTC)


def test_a_command_goes_through_the_wired_writer_and_clock(tmp_path: Path) -> None:
    ensure_key_pair(tmp_path, "jwt")
    verifier = TokenVerifier(issuer="camket-dev", audience="camket", public_key_file=tmp_path / "jwt.pub.pem")
    container = build(CommitmentsSettings(), clock=lambda: NOON, app=memory_app(signer=EventSigner.generate()),
                      verifier=verifier, evidence_store=MemoryBlobStore())
    container.batcher.start()
    try:
        command = register()
        outcome = asyncio.run(container.batcher.submit(Submission.of(command, OFFICE)))
        assert outcome.kind is OutcomeKind.CREATED and not outcome.replayed
        assert container.app.get_task(command.task_id).created_on == NOON
        assert [row.ref for row in container.app.list_summaries(command.org)] == [command.ref]
    finally:
        container.close()


def test_the_application_refuses_a_store_that_is_not_a_task_storage() -> None:
    with pytest.raises(InfrastructureFactoryError, match="not a store of tasks"):
        task_store({"PERSISTENCE_MODULE": "eventsourcing.popo"})
