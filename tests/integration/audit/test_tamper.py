"""Tampering with the real PostgreSQL tables, as a database administrator could (triggers switched off):
each change is found at its position; an untouched log verifies."""

from __future__ import annotations

from nats.js import JetStreamContext

from commitments.audit.adapters import witness
from shared.subjects import Subjects
from tests.integration.audit.conftest import AuditLog


def sealed(log: AuditLog) -> list[tuple[int, object, int]]:
    log.populate()
    log.checkpoint()
    return log.rows()


def test_an_untouched_log_verifies(log: AuditLog) -> None:
    rows = sealed(log)
    log.populate(tasks=1, reports=1)  # three more events the sealer has not reached yet
    report = log.verify()
    assert report.ok, report.as_dict()
    assert (report.log_size, report.sealed, report.checkpoints) == (len(rows) + 3, len(rows), 1)
    assert report.signatures_checked == 3  # only the unsealed tail: the seals vouch for the rest


def test_one_changed_byte_of_a_state_is_found_where_it_is(log: AuditLog) -> None:
    rows = sealed(log)
    nid = rows[7][0]
    assert log.tamper("UPDATE {events} SET state = set_byte(state, 30, get_byte(state, 30) # 1) "
                      "WHERE notification_id = %s", nid) == 1
    report = log.verify()
    first = report.first_change
    assert first is not None and (first.kind, first.position, first.notification_id) == ("edited", 7, nid)
    assert [f.position for f in report.forged] == [7]
    mismatch = report.first_checkpoint_mismatch
    assert mismatch is not None and mismatch.position == 7


def test_a_deleted_event_is_found_where_it_was(log: AuditLog) -> None:
    rows = sealed(log)
    nid, task, version = rows[5]
    log.tamper("DELETE FROM {events} WHERE notification_id = %s", nid)
    first = log.verify().first_change
    assert first is not None
    assert (first.kind, first.position, first.task_id, first.version) == ("deleted", 5, task, version)


def test_two_swapped_events_are_a_reordering_at_the_first(log: AuditLog) -> None:
    rows = sealed(log)
    a, b = rows[4][0], rows[11][0]
    log.tamper("UPDATE {events} SET notification_id = -1 WHERE notification_id = %s", a)
    log.tamper("UPDATE {events} SET notification_id = %s WHERE notification_id = %s", a, b)
    log.tamper("UPDATE {events} SET notification_id = %s WHERE notification_id = -1", b)
    report = log.verify()
    first = report.first_change
    assert first is not None and (first.kind, first.position) == ("reordered", 4)
    assert not report.forged  # each row still carries its own valid signature


def test_a_forged_row_appended_before_the_sealer_ran_is_reported_as_forged(log: AuditLog) -> None:
    rows = sealed(log)
    log.tamper("INSERT INTO {events} (originator_id, originator_version, topic, state) "
               "SELECT originator_id, 99, topic, state FROM {events} WHERE notification_id = %s", rows[2][0])
    log.populate(tasks=1, reports=0)  # the service goes on writing after it
    log.checkpoint()  # the sealer seals the forged row too, with its verdict in the leaf
    report = log.verify()
    assert [f.position for f in report.forged] == [len(rows)]
    assert report.first_change is None and report.first_checkpoint_mismatch is None


def test_a_forged_row_inserted_into_the_sealed_log_is_an_insertion(log: AuditLog) -> None:
    log.populate(tasks=2, reports=1)
    first_half = len(log.rows())
    log.tamper("SELECT setval(pg_get_serial_sequence('{schema}.commitments_events', 'notification_id'), "
               "(SELECT max(notification_id) + 10 FROM {events}))")  # ids skipped, as rolled-back inserts do
    log.populate(tasks=2, reports=1)
    log.checkpoint()
    gap = log.rows()[first_half - 1][0] + 3
    log.tamper("INSERT INTO {events} (originator_id, originator_version, topic, state, notification_id) "
               "SELECT originator_id, 77, topic, state, %s FROM {events} WHERE notification_id = %s", gap,
               log.rows()[0][0])
    report = log.verify()
    first = report.first_change
    assert first is not None and (first.kind, first.position, first.notification_id) == ("inserted", first_half, gap)
    assert [f.position for f in report.forged] == [first_half]


async def test_a_tail_truncated_after_a_published_checkpoint_is_caught_by_the_witnesses(
        log: AuditLog, js: JetStreamContext) -> None:
    log.populate()
    signed = log.checkpoint()
    rows = log.rows()
    await witness.ensure_audit_stream(js, Subjects(log.settings.org, log.settings.subject_prefix))
    await witness.publish(js, Subjects(log.settings.org, log.settings.subject_prefix), [signed])
    cut = len(rows) - 3
    log.tamper("DELETE FROM {events} WHERE notification_id >= %s", rows[cut][0])
    first = log.verify().first_change  # the seal records still know what was there
    assert first is not None and (first.kind, first.position) == ("deleted", cut)
    # the administrator also removes the seal records and the checkpoints from the database...
    log.tamper("DELETE FROM {schema}.audit_seals WHERE position >= %s", cut)
    log.tamper("DELETE FROM {schema}.audit_checkpoints")
    for table in ("audit_tlog_checkpoints", "audit_tlog_cosignatures"):  # and the transparency log's
        log.tamper(f"DELETE FROM {{schema}}.{table}")
    log.tamper("DELETE FROM {schema}.audit_tlog_entries WHERE position >= %s", cut)
    assert log.verify().ok  # ...so the database alone no longer tells...
    published, _ = await log.audit.published_checkpoints()
    report = log.verify(published)  # ...but the copies the witnesses keep do
    mismatch = report.first_checkpoint_mismatch
    assert mismatch is not None and (mismatch.position, mismatch.tree_size) == (cut, len(rows))
    kinds = {f.kind: f for f in report.findings}
    assert set(kinds) == {"checkpoint_missing", "checkpoint_mismatch", "seal_altered"}
    assert kinds["seal_altered"].position == cut
