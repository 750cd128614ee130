"""The audit access log is written before the data leaves: a read that cannot be recorded is refused
(503, never the data), refused requests (401, 403) and bad input are recorded too, and the log is
hash-chained so that `verify` reports a deleted, edited or reordered row."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.sql import SQL, Identifier

from commitments.audit.adapters.schema import ACCESS_LOG
from tests.integration.audit.conftest import AuditLog
from tests.integration.audit.test_api import Client, http

__all__ = ["http"]  # the fixture, shared with test_api


def entries(log: AuditLog) -> list[tuple[Any, ...]]:
    return log.conn.execute(SQL("SELECT id, user_id, view, subject, query, outcome, raw_query FROM {} ORDER BY id")
                            .format(Identifier(log.settings.db_schema, ACCESS_LOG))).fetchall()


def test_a_read_with_a_nul_in_its_query_is_recorded_before_it_is_answered(log: AuditLog, http: Client) -> None:
    task = log.populate(tasks=1, reports=1)[0]
    answer = http.client.get(f"/api/v1/audit/tasks/{task}/history?x=%00&after=0", headers=http.auth("board"))
    assert answer.status_code == 200 and answer.json()["count"] == 3
    (entry,) = entries(log)
    assert entry[1:6] == ("board.user", "history", str(task), {"x": "\ufffd", "after": "0"}, 200)
    assert bytes(entry[6]) == b"x=%00&after=0"  # the query exactly as sent


def test_refused_and_bad_requests_are_recorded_with_their_status(log: AuditLog, http: Client) -> None:
    task = log.populate(tasks=1, reports=1)[0]
    assert http.client.get(f"/api/v1/audit/tasks/{task}/history").status_code == 401
    bad = http.client.get(f"/api/v1/audit/tasks/{task}/history", headers={"Authorization": "Bearer forged"})
    assert bad.status_code == 401
    assert http.get(f"/tasks/{task}/history", role="unit_staff").status_code == 403
    assert http.get(f"/tasks/{task}/history", limit="0").status_code == 422
    assert http.get("/tasks/00000000-0000-0000-0000-000000000000/history").status_code == 404
    seen = [(e[1], e[2], e[5]) for e in entries(log)]
    assert seen == [("", "history", 401), ("", "history", 401), ("unit_staff.user", "history", 403),
                    ("inspector.user", "history", 422), ("inspector.user", "history", 404)]


def test_a_read_that_cannot_be_recorded_is_refused_without_the_data(log: AuditLog, http: Client) -> None:
    task = log.populate(tasks=1, reports=1)[0]
    table = Identifier(log.settings.db_schema, ACCESS_LOG)
    with psycopg.connect(log.settings.database_url, autocommit=True) as admin:
        # The log refuses every insert, as a full disk or a revoked grant would.
        admin.execute(SQL("CREATE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                          "RAISE EXCEPTION 'no room'; END $$").format(Identifier(log.settings.db_schema, "refuse")))
        admin.execute(SQL("CREATE TRIGGER refuse BEFORE INSERT ON {} FOR EACH ROW EXECUTE FUNCTION {}()").format(
            table, Identifier(log.settings.db_schema, "refuse")))
        refused = http.get(f"/tasks/{task}/history", role="board")
        assert refused.status_code == 503 and refused.headers["content-type"] == "application/problem+json"
        assert "events" not in refused.text and "entries" not in refused.json()
        assert http.get("/verify").status_code == 503
        assert http.get(f"/tasks/{task}/history", role="office").status_code == 503  # even a refusal is not sent
        admin.execute(SQL("DROP TRIGGER refuse ON {}").format(table))
    assert http.get(f"/tasks/{task}/history", role="board").status_code == 200
    assert [e[5] for e in entries(log)] == [200]


def _log_rows(log: AuditLog, http: Client, n: int) -> None:
    for i in range(n):
        assert http.get("/checkpoints", note=str(i)).status_code == 200


def test_an_intact_access_log_verifies(log: AuditLog, http: Client) -> None:
    _log_rows(log, http, 4)
    report = log.verify()
    assert report.ok and report.access_log_rows == 4


def test_a_deleted_access_log_row_is_reported(log: AuditLog, http: Client) -> None:
    _log_rows(log, http, 4)
    assert log.tamper("DELETE FROM {schema}.audit_access_log WHERE id = (SELECT min(id) + 1 FROM "
                      "{schema}.audit_access_log)") == 1
    report = log.verify()
    assert [f.kind for f in report.findings] == ["access_log_deleted"] and not report.ok
    assert "no longer there" in report.findings[0].detail


def test_an_edited_access_log_row_is_reported(log: AuditLog, http: Client) -> None:
    _log_rows(log, http, 3)
    assert log.tamper("UPDATE {schema}.audit_access_log SET user_id = 'someone.else' WHERE id = (SELECT max(id) "
                      "FROM {schema}.audit_access_log)") == 1
    assert [f.kind for f in log.verify().findings] == ["access_log_edited"]


def test_a_reordered_access_log_is_reported(log: AuditLog, http: Client) -> None:
    _log_rows(log, http, 3)
    first = entries(log)[0][0]
    log.tamper("UPDATE {schema}.audit_access_log SET id = -id WHERE id IN (%s, %s)", first, first + 1)
    log.tamper("UPDATE {schema}.audit_access_log SET id = %s WHERE id = %s", first, -(first + 1))
    log.tamper("UPDATE {schema}.audit_access_log SET id = %s WHERE id = %s", first + 1, -first)
    kinds = {f.kind for f in log.verify().findings}
    assert "access_log_reordered" in kinds and kinds <= {"access_log_reordered", "access_log_edited"}
