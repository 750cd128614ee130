"""Transparency-log bundles verify offline with public keys alone; a unit bundle proves it is complete; any
change, a missing event or a missing cosignature makes them fail."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from commitments.api.app import create_app
from commitments.application import commands as c
from commitments.audit.application.tlog.bundle import export_bundle
from commitments.audit.bootstrap import LazyAudit
from commitments.audit.cli.main import audit_app
from commitments.audit.config import AuditSettings
from commitments.audit.domain.bundle_format import BundleInvalid
from commitments.audit.domain.encoding import pretty_json
from commitments.audit.domain.tlog.bundle_verify import verify_tlog_bundle
from commitments.audit.domain.tlog.entry import Entry
from commitments.audit.domain.tlog.note import Verifier
from commitments.audit.domain.tlog.scope import TlogScope
from commitments.bootstrap import build
from commitments.domain.evidence import EvidenceFile
from shared.auth.devkeys import ensure_key_pair, load_private_key
from shared.auth.tokens import TokenVerifier, mint_token
from shared.periods import ReportingPeriod
from tests.integration.audit.conftest import AuditLog
from tests.integration.audit.tlog.conftest import WitnessHandle
from tests.unit.audit.conftest import OFFICE, STAFF
from tests.unit.commitments.builders import register


def export(log: AuditLog, scope: TlogScope) -> dict[str, Any]:
    with log.audit.database.snapshot() as conn:
        return export_bundle(conn, log.audit.tlog, log.audit.store, scope)


def check(document: dict[str, Any], witness: WitnessHandle, quorum: int = 1) -> Any:
    return verify_tlog_bundle(pretty_json(document), witness.log_key, [witness.verifier], quorum)


def test_task_unit_year_and_program_bundles_verify_and_a_unit_bundle_is_complete(log: AuditLog,
                                                                                  witness: WitnessHandle) -> None:
    first, moved = log.populate(tasks=2, reports=1)
    other = uuid4()
    log.run(register(other, ref="QL-KH-01", unit="ql-kh"), OFFICE)
    log.run(c.ReassignTask(task_id=moved, expected_version=None, to_unit="ql-kh", reason="Sáp nhập phòng",
                           approval=None), OFFICE)
    log.checkpoint()
    task = check(export(log, TlogScope("task", task_id=first)), witness)
    assert [e.entry.originator_version for e in task.events] == [1, 2, 3] and task.cosigned_by == [
        "thanh-tra.qt/witness"]
    unit = check(export(log, TlogScope("unit", unit="ql-kh")), witness)
    assert {e.entry.originator_id for e in unit.events} == {moved, other}  # with the moved task's whole history
    assert len(unit.events) == 5 and unit.head.size == 8
    before = check(export(log, TlogScope("unit", unit="ql-cndmst")), witness)
    assert {e.entry.originator_id for e in before.events} == {first, moved}
    assert len(check(export(log, TlogScope("year", year=2025)), witness).events) == 8
    assert len(check(export(log, TlogScope("program")), witness).events) == 8


def test_a_changed_character_a_missing_event_or_a_missing_cosignature_is_refused(log: AuditLog,
                                                                                witness: WitnessHandle) -> None:
    log.populate(tasks=2, reports=2)
    log.checkpoint()
    bundle = export(log, TlogScope("unit", unit="ql-cndmst"))
    check(bundle, witness)
    changed = json.loads(json.dumps(bundle))
    changed["events"][2]["body"] = changed["events"][2]["body"].replace("2025", "2024", 1)
    with pytest.raises(BundleInvalid, match="content does not match"):
        check(changed, witness)
    missing = json.loads(json.dumps(bundle))
    del missing["events"][3]
    with pytest.raises(BundleInvalid, match="not complete"):
        check(missing, witness)
    lone = json.loads(json.dumps(bundle))
    lone["checkpoint"] = lone["checkpoint"].split("\u2014 thanh-tra.qt/witness")[0]
    with pytest.raises(BundleInvalid, match="0 of the 1 witness cosignatures"):
        check(lone, witness)
    assert check(lone, witness, quorum=0).head.size == 8
    stranger = Verifier("camket.qt-skhcn/events", Verifier.parse(witness.verifier.vkey()).public)
    with pytest.raises(BundleInvalid, match="no trusted signature"):
        verify_tlog_bundle(pretty_json(bundle), stranger, [witness.verifier], 1)
    task = export(log, TlogScope("task", task_id=log.rows()[0][1]))
    check(task, witness)
    task["events"][1]["proof"][0] = base64.b64encode(bytes(32)).decode()
    with pytest.raises(BundleInvalid, match="inclusion proof"):
        check(task, witness)
    text = pretty_json(bundle)
    with pytest.raises(BundleInvalid, match="canonical"):
        verify_tlog_bundle(text.replace('"format"', ' "format"', 1), witness.log_key, [witness.verifier], 1)


def test_the_command_line_verifier_recomputes_the_evaluation_and_shows_a_difference(
        log: AuditLog, witness: WitnessHandle, tmp_path: Path) -> None:
    log.populate(tasks=3, reports=2)
    log.checkpoint()
    path = tmp_path / "program.json"
    path.write_text(pretty_json(export(log, TlogScope("program"))), encoding="utf-8")
    keys = ["--log-key", witness.log_key.vkey(), "--witness", witness.verifier.vkey(), "--quorum", "1"]
    runner = CliRunner()
    result = runner.invoke(audit_app, ["verify-bundle", str(path), *keys, "--evaluation", "2025"])
    assert result.exit_code == 0, result.output
    assert "HỢP LỆ / VALID: {'kind': 'program'} — đầy đủ" in result.output
    assert "1 | ql-cndmst | 3 | 0 | 0,00% | 0 | 0,00%" in result.output
    shown = {"units": [{"rank": 1, "unit": "ql-cndmst", "assigned": 3, "cancelled": 0, "suspended": 0,
                        "completed": 1, "completed_on_time": 1, "completed_late": 0, "quantitative": 3,
                        "exceeding_target": 0}]}
    (tmp_path / "dashboard.json").write_text(json.dumps(shown), encoding="utf-8")
    result = runner.invoke(audit_app, ["verify-bundle", str(path), *keys, "--evaluation", "2025",
                                       "--dashboard", str(tmp_path / "dashboard.json")])
    assert result.exit_code == 3, result.output
    assert "ql-cndmst.completed: nhật ký / log 0 ≠ bảng điều khiển / dashboard 1" in result.output
    result = runner.invoke(audit_app, ["verify-bundle", str(path), "--log-key", witness.log_key.vkey(),
                                       "--witness", witness.verifier.vkey(), "--quorum", "2"])
    assert result.exit_code == 1 and "1 of the 2 witness cosignatures" in result.output


def test_the_inspectorate_downloads_log_bundles_over_http(log: AuditLog, witness: WitnessHandle,
                                                          settings: AuditSettings, tmp_path: Path) -> None:
    log.populate(tasks=2, reports=1)
    log.checkpoint()
    key_path = ensure_key_pair(tmp_path / "jwt", "jwt")
    verifier = TokenVerifier(issuer="camket-dev", audience="camket", public_key_file=tmp_path / "jwt" / "jwt.pub.pem")
    container = build(settings, app=log.writer, verifier=verifier)
    container.audit = LazyAudit.given(log.audit)

    def headers(role: str) -> dict[str, str]:
        token = mint_token(load_private_key(key_path), issuer="camket-dev", audience="camket", user_id=f"{role}.u",
                           name="N", unit="thanh-tra", roles=[role])
        return {"Authorization": f"Bearer {token}"}

    with TestClient(create_app(container), raise_server_exceptions=False) as client:
        got = client.get("/api/v1/audit/tlog-export", params={"scope": "unit", "unit": "ql-cndmst"},
                         headers=headers("inspector"))
        assert got.status_code == 200 and got.headers["content-disposition"].endswith('ql-cndmst.json"')
        assert len(verify_tlog_bundle(got.text, witness.log_key, [witness.verifier], 1).events) == 6
        missing = client.get("/api/v1/audit/tlog-export", params={"scope": "year"}, headers=headers("inspector"))
        assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "year"
        none = client.get("/api/v1/audit/tlog-export", params={"scope": "unit", "unit": "tt-kt-tdc"},
                          headers=headers("board"))
        assert none.status_code == 404
        assert client.get("/api/v1/audit/tlog-export", params={"scope": "program"},
                          headers=headers("office")).status_code == 403


def test_the_log_names_the_evidence_files_an_event_cites_and_a_bundle_proves_them(log: AuditLog,
                                                                                   witness: WitnessHandle) -> None:
    (task,) = log.populate(tasks=1, reports=0)
    sha = "5e" * 32
    pdf = EvidenceFile(name="Biên bản.pdf", media_type="application/pdf", size=1000, sha256=sha)
    log.run(c.ReportProgress(task_id=task, expected_version=None, as_of=date(2025, 3, 1),
                             period=ReportingPeriod.parse("2025-03"), achieved_value=2, note="", evidence=(),
                             evidence_files=(pdf,)), STAFF)
    log.checkpoint()
    document = export(log, TlogScope("task", task_id=task))
    events = check(document, witness).events
    assert [e.entry.evidence for e in events] == [(), (), (bytes.fromhex(sha),)]
    # An entry that names other files than its content does (a sealer's false statement) is refused.
    entry = Entry.decode(base64.b64decode(document["events"][-1]["entry"]))
    document["events"][-1]["entry"] = base64.b64encode(replace(entry, evidence=()).encode()).decode()
    with pytest.raises(BundleInvalid, match="evidence files"):
        check(document, witness)
