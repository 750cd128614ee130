"""Verification over an in-memory log: each kind of tampering is found at its position (the same cases run
against the real PostgreSQL tables in tests/integration/audit)."""

from __future__ import annotations

import json
from dataclasses import replace

from commitments.audit.domain.leaves import LogRow
from tests.unit.audit.memlog import TOPIC, MemoryLog


def sealed_log(events: int = 40, checkpoint: bool = True) -> MemoryLog:
    log = MemoryLog()
    log.append(events)
    log.seal()
    if checkpoint:
        log.checkpoint()
    return log


def test_an_untouched_log_verifies_without_checking_a_single_signature() -> None:
    log = sealed_log()
    log.append(5)  # not yet sealed: these signatures are checked
    report = log.verify()
    assert report.ok, report.findings
    assert (report.log_size, report.sealed, report.signatures_checked) == (45, 40, 5)


def test_one_changed_byte_is_an_edit_and_a_forgery_at_its_position() -> None:
    log = sealed_log()
    log.edit_byte(17)
    report = log.verify()
    assert report.first_change is not None
    assert (report.first_change.kind, report.first_change.position) == ("edited", 17)
    assert [f.position for f in report.forged] == [17]
    mismatch = report.first_checkpoint_mismatch
    assert mismatch is not None and mismatch.position == 17


def test_a_deleted_event_is_found_where_it_was() -> None:
    log = sealed_log()
    gone = log.rows.pop(11)
    report = log.verify()
    assert report.first_change is not None
    assert (report.first_change.kind, report.first_change.position) == ("deleted", 11)
    assert report.first_change.notification_id == gone.notification_id + 1  # the row now standing there
    assert report.first_change.version == gone.originator_version
    assert not report.forged


def test_swapped_events_are_a_reordering_at_the_first_of_the_two() -> None:
    log = sealed_log()
    log.swap_ids(8, 30)
    report = log.verify()
    assert report.first_change is not None
    assert (report.first_change.kind, report.first_change.position) == ("reordered", 8)
    assert not report.forged  # both rows still carry their own valid signatures


def test_a_forged_row_inserted_before_sealing_is_sealed_as_forged_and_reported() -> None:
    log = sealed_log(20)
    log.append(5)
    log.rows.append(LogRow(log.next_id(), log.tasks[0], 99, TOPIC, json.dumps({"value": "giả"}).encode()))
    log.append(5)
    log.seal()
    log.checkpoint()
    report = log.verify()
    assert [f.position for f in report.forged] == [25]
    assert report.first_change is None and report.first_checkpoint_mismatch is None


def test_a_row_inserted_into_a_gap_after_sealing_is_an_insertion() -> None:
    log = sealed_log(10)
    log.rows = [replace(r, notification_id=r.notification_id * 10) for r in log.rows]  # ids with gaps...
    log.seals = []
    log.checkpoints = []
    log.tree = type(log.tree)()
    log.seal()
    log.checkpoint()
    forged = log.signed_row(35, log.tasks[1], 50, {"value": "chèn"})  # ...and one slipped between 30 and 40
    log.rows.append(forged)
    report = log.verify()
    assert report.first_change is not None
    assert (report.first_change.kind, report.first_change.position) == ("inserted", 3)
    assert not report.forged  # it even carries a valid signature (a replayed one): the tree still sees it


def test_a_truncated_tail_after_a_checkpoint_is_a_deletion_and_a_checkpoint_mismatch() -> None:
    log = sealed_log(30)
    del log.rows[26:]
    report = log.verify()
    assert report.first_change is not None
    assert (report.first_change.kind, report.first_change.position) == ("deleted", 26)
    mismatch = report.first_checkpoint_mismatch
    assert mismatch is not None and (mismatch.position, mismatch.tree_size) == (26, 30)


def test_rows_and_seal_records_rewritten_together_still_break_the_checkpoint() -> None:
    log = sealed_log(30)
    log.edit_byte(12)
    log.reseal_as_genuine()  # the attacker rewrites the seal records too (without the checkpoint key)
    report = log.verify()
    kinds = {f.kind for f in report.findings}
    assert {"checkpoint_mismatch", "seal_altered", "forged"} <= kinds
    assert [f.position for f in report.forged] == [12]


def test_seal_records_changed_under_a_checkpoint_the_rows_still_match_are_not_a_change_to_the_log() -> None:
    log = sealed_log(30)
    log.seals[10:] = [replace(s, chain=bytes(32)) for s in log.seals[10:]]  # only the seal records
    report = log.verify()
    assert report.first_change is None and report.first_checkpoint_mismatch is None and not report.forged
    assert [(f.kind, f.position) for f in report.findings] == [("seal_altered", 10)]
