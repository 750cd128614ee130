"""Audit bundles exported from the real store verify offline with the checkpoint public key alone; the same
bundle with any one character changed does not."""

from __future__ import annotations

import random
import string
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commitments.audit.adapters.key_files import load_ring
from commitments.audit.cli.main import audit_app
from commitments.audit.config import AuditSettings
from commitments.audit.domain.bundle_format import Scope
from commitments.audit.domain.bundle_verify import BundleInvalid, verify_bundle
from commitments.audit.domain.checkpoints import CheckpointSigner
from commitments.audit.domain.encoding import pretty_json
from tests.integration.audit.conftest import AuditLog


def other(char: str, rng: random.Random) -> str:
    pool = "0123456789abcdef" if char in "0123456789abcdef" else string.ascii_letters + string.digits + " {}[]\":,"
    return rng.choice([c for c in pool if c != char])


def test_a_task_bundle_verifies_offline_and_no_single_character_can_change(
        log: AuditLog, settings: AuditSettings) -> None:
    tasks = log.populate()
    log.checkpoint()
    log.populate(tasks=1, reports=1)
    log.checkpoint()  # the bundle carries the first checkpoint too, proven to be a prefix of the second
    text = pretty_json(log.audit.export(Scope("task", task_id=tasks[0])))
    keys = load_ring([settings.checkpoint_public_key_path])
    report = verify_bundle(text, keys)
    assert (report.events, report.tasks, report.checkpoints, report.forged) == (6, 1, 2, [])
    rng = random.Random(20250630)
    for position in sorted(rng.sample(range(len(text)), 400)):
        changed = text[:position] + other(text[position], rng) + text[position + 1:]
        with pytest.raises(BundleInvalid):
            verify_bundle(changed, keys)
    with pytest.raises(BundleInvalid, match="signature"):
        verify_bundle(text, CheckpointSigner.generate().ring())  # another key proves nothing


def test_unit_and_program_bundles_verify_and_prove_completeness(log: AuditLog, settings: AuditSettings) -> None:
    log.populate(tasks=2, reports=2)
    log.checkpoint()
    keys = load_ring([settings.checkpoint_public_key_path])
    unit = verify_bundle(pretty_json(log.audit.export(Scope("unit", unit="ql-cndmst"))), keys)
    program = verify_bundle(pretty_json(log.audit.export(Scope("program"))), keys)
    assert (unit.tasks, unit.events, program.events) == (2, 8, 8)
    bundle = log.audit.export(Scope("task", task_id=log.rows()[0][1]))
    del bundle["events"][-1]  # leave out the task's last change: the head the checkpoint records gives it away
    with pytest.raises(BundleInvalid, match="versions 1 to 4"):
        verify_bundle(pretty_json(bundle), keys)


def test_the_command_line_verifier(log: AuditLog, settings: AuditSettings, tmp_path: Path) -> None:
    tasks = log.populate(tasks=1, reports=1)
    log.tamper("INSERT INTO {events} (originator_id, originator_version, topic, state) "
               "SELECT originator_id, 4, topic, state FROM {events} WHERE originator_version = 3")  # forged v4
    log.checkpoint()
    path = tmp_path / "bundle.json"
    path.write_text(pretty_json(log.audit.export(Scope("task", task_id=tasks[0]))), encoding="utf-8")
    key = ["--key", str(settings.checkpoint_public_key_path)]
    runner = CliRunner()
    result = runner.invoke(audit_app, ["verify-bundle", str(path), *key])
    assert result.exit_code == 2, result.output  # authentic, and it shows the log holds a forged row
    assert "WARNING" in result.output and "version 4" in result.output
    path.write_text(path.read_text(encoding="utf-8").replace("ít nhất 8", "ít nhất 9"), encoding="utf-8")
    result = runner.invoke(audit_app, ["verify-bundle", str(path), *key])
    assert result.exit_code == 1 and "INVALID" in result.output
