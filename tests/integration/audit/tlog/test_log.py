"""The sealer keeps a C2SP transparency log over every event; the witness cosigns it; a rewritten history is
refused by the witness (409) and reported by `verify`; an inconsistent checkpoint is never signed."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import psycopg
import pytest
from psycopg.sql import SQL, Identifier
from typer.testing import CliRunner

from commitments.audit.adapters.indexer import ChangeIndexer
from commitments.audit.adapters.schema import AuditTables
from commitments.audit.adapters.tlog.witness_client import WitnessClient, request_body
from commitments.audit.application.tlog.reading import checkpoint_note
from commitments.audit.application.tlog.sealing import LogRefused
from commitments.audit.bootstrap import build_sealer, read_only_app, tlog_witnesses
from commitments.audit.cli.main import audit_app
from commitments.audit.domain.merkle import MerkleTree
from commitments.audit.domain.tlog.checkpoint import parse_body
from commitments.audit.domain.tlog.cosign import cosigners
from commitments.audit.domain.tlog.entry import Entry, leaf_hash
from commitments.audit.domain.tlog.note import open_note
from tests.integration.audit.conftest import AuditLog
from tests.integration.audit.tlog.conftest import ORIGIN, WitnessHandle

AUDIT_TABLES = ("audit_seals", "audit_checkpoints", "audit_changes", "audit_tlog_entries", "audit_tlog_hashes",
                "audit_tlog_checkpoints", "audit_tlog_cosignatures")


def test_every_event_is_an_entry_and_each_checkpoint_is_signed_and_cosigned(log: AuditLog,
                                                                           witness: WitnessHandle) -> None:
    log.populate(tasks=3, reports=4)
    log.checkpoint()
    store = log.audit.tlog
    rows = log.rows()
    note = checkpoint_note(store, log.conn)
    assert note is not None
    head = parse_body(open_note(note.text(), [witness.log_key]).body)
    assert head.origin == ORIGIN and head.size == len(rows) == 18
    assert cosigners(note, [witness.verifier]) == {"thanh-tra.qt/witness"}
    entries = [Entry.decode(e) for e in store.entries(log.conn, 0, 18)]
    assert [(e.notification_id, e.originator_id, e.originator_version) for e in entries] == rows
    assert all(e.signed and e.signature is not None and e.unit == "ql-cndmst" and e.year == 2025 for e in entries)
    assert MerkleTree([leaf_hash(e) for e in store.entries(log.conn, 0, 18)]).root() == head.root
    assert json.loads(witness.state.read_text())[ORIGIN]["size"] == 18

    log.populate(tasks=1, reports=1)  # the witness cosigns the grown log from the size it holds
    log.checkpoint()
    again = checkpoint_note(store, log.conn)
    assert again is not None and parse_body(again.body).size == 21
    assert cosigners(again, [witness.verifier]) == {"thanh-tra.qt/witness"}
    report = log.verify()
    assert report.ok, report.findings
    assert ("transparency log: 21 events, 2 checkpoints, latest cosigned by 1 of 1 required "
            "(thanh-tra.qt/witness)") in report.witnesses


def test_a_history_rewritten_and_resealed_is_refused_by_the_witness_and_reported(log: AuditLog,
                                                                                witness: WitnessHandle) -> None:
    log.populate(tasks=2, reports=2)
    log.checkpoint()
    sealed = json.loads(witness.state.read_text())[ORIGIN]
    # A DBA changes what one progress report said, wipes the audit's records and runs the sealer again.
    nid = log.rows()[3][0]
    before = log.conn.execute(SQL("SELECT state FROM {} WHERE notification_id = %s").format(log.table),
                              (nid,)).fetchone()
    assert log.tamper("UPDATE {events} SET state = overlay(state placing '\\x39'::bytea "
                      "from position('\\x32'::bytea in state) for 1) WHERE notification_id = %s", nid) == 1
    after = log.conn.execute(SQL("SELECT state FROM {} WHERE notification_id = %s").format(log.table),
                             (nid,)).fetchone()
    assert before is not None and after is not None and before[0] != after[0]
    for table in AUDIT_TABLES:
        log.tamper(f"DELETE FROM {{schema}}.{table}")
    reader = read_only_app(log.settings)
    try:
        resealer = build_sealer(log.settings, reader)
        log.conn.execute("SELECT pg_advisory_unlock_all()")  # the first sealer stepped aside
        resealer.start(log.conn)
        while resealer.seal_batch(log.conn):
            pass
        assert resealer.checkpoint(log.conn) is not None  # the Department's key signs the rewritten log...
    finally:
        reader.close()
    store = log.audit.tlog
    note = checkpoint_note(store, log.conn)
    assert note is not None and parse_body(note.body).size == sealed["size"]
    assert cosigners(note, [witness.verifier]) == set()  # ...but the witness did not cosign it
    assert WitnessClient(store, tlog_witnesses(log.settings)).submit(log.conn) == {"thanh-tra.qt/witness": 409}
    direct = httpx.post(f"{witness.url}/add-checkpoint", content=request_body(sealed["size"], [], note.text()))
    assert direct.status_code == 409 and direct.headers["content-type"].startswith("text/x.tlog.size")
    assert direct.text == f"{sealed['size']}\n"
    assert json.loads(witness.state.read_text())[ORIGIN] == sealed  # the witness kept the history it saw
    report = log.verify()
    unwitnessed = [f for f in report.findings if f.kind == "tlog_unwitnessed"]
    assert not report.ok and len(unwitnessed) == 1, report.findings
    assert "has 0 of the 1 cosignatures required" in unwitnessed[0].detail
    assert "latest cosigned by 0 of 1 required (-)" in report.witnesses[-1]


def test_a_checkpoint_inconsistent_with_one_signed_before_is_never_signed(log: AuditLog) -> None:
    log.populate(tasks=2, reports=1)
    log.checkpoint()
    table = Identifier(log.settings.db_schema, "audit_tlog_hashes")
    with psycopg.connect(log.settings.database_url, autocommit=True) as admin:
        admin.execute("SET session_replication_role = replica")
        admin.execute(SQL("UPDATE {} SET hash = sha256(hash) WHERE level = 0 AND idx = 1").format(table))
    reader = read_only_app(log.settings)
    try:
        log.conn.execute("SELECT pg_advisory_unlock_all()")
        restarted = build_sealer(log.settings, reader)  # resumes its tree from the altered stored hashes
        restarted.start(log.conn)
        with pytest.raises(LogRefused, match="does not extend the checkpoint of 6"):
            restarted.checkpoint(log.conn)  # the same size with another root
        log.populate(tasks=1, reports=1)
        while restarted.seal_batch(log.conn):
            pass
        with pytest.raises(LogRefused, match="does not extend the checkpoint of 6"):
            restarted.checkpoint(log.conn)
    finally:
        reader.close()
    assert [size for size, _ in log.audit.tlog.checkpoints(log.conn)] == [6]


def test_a_log_added_to_a_sealed_chain_covers_every_event_from_the_first(log: AuditLog) -> None:
    reader = read_only_app(log.settings)
    try:
        plain = build_sealer(log.settings, reader)
        tables = AuditTables(log.settings.db_schema)
        plain.indexer, plain.on_checkpoint = ChangeIndexer(reader, tables), None  # the chain alone
        log.conn.execute("SELECT pg_advisory_unlock_all()")
        plain.start(log.conn)
        log.populate(tasks=2, reports=2)
        while plain.seal_batch(log.conn):
            pass
        assert plain.checkpoint(log.conn) is not None
        store = log.audit.tlog
        store.create(log.conn)
        assert store.size(log.conn) == 0
        log.conn.execute("SELECT pg_advisory_unlock_all()")
        upgraded = build_sealer(log.settings, reader)
        upgraded.start(log.conn)
        assert upgraded.checkpoint(log.conn) is None  # nothing new to seal, yet the log catches up and signs
        assert store.size(log.conn) == 8 and [s for s, _ in store.checkpoints(log.conn)] == [8]
        log.populate(tasks=1, reports=1)
        while upgraded.seal_batch(log.conn):
            pass
        upgraded.checkpoint(log.conn)
    finally:
        reader.close()
    entries = [Entry.decode(e) for e in store.entries(log.conn, 0, 100)]
    assert [(e.notification_id, e.originator_id, e.originator_version) for e in entries] == log.rows()
    assert len(entries) == 11 and all(e.unit == "ql-cndmst" for e in entries)
    assert log.verify().ok


def test_the_verifier_key_command_prints_the_c2sp_key_the_go_verifier_uses(witness: WitnessHandle,
                                                                            tmp_path: Path) -> None:
    result = CliRunner().invoke(audit_app, ["tlog-key"], env={"CAMKET_STATE_DIR": str(tmp_path)})
    assert result.exit_code == 0, result.output
    assert result.output == witness.log_key.vkey() + "\n"
    assert result.output.startswith(f"{ORIGIN}+{witness.log_key.key_id.hex()}+")


def test_an_event_row_edited_after_it_was_logged_is_reported_by_verify(log: AuditLog) -> None:
    log.populate(tasks=1, reports=2)
    log.checkpoint()
    nid = log.rows()[2][0]
    assert log.tamper("UPDATE {events} SET state = overlay(state placing '\\x20'::bytea from 2 for 1) "
                      "WHERE notification_id = %s", nid) == 1
    report = log.verify()
    mismatches = [f.detail for f in report.findings if f.kind == "tlog_mismatch"]
    assert f"entry 2 does not match event row {nid}" in mismatches
    assert "the events no longer give the root of the checkpoint of 4" in mismatches
    assert any(f.kind == "edited" and f.position == 2 for f in report.findings)
