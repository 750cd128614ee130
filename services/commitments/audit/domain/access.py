"""Inspections are inspected: every request to an audit view, allowed or refused, is recorded before
its answer leaves (api/routes/audited.py), and a request that cannot be recorded is not answered.

Only the Inspectorate (`inspector`) and the Board (`board`) read the audit views. A record says who
(user id, name, unit, roles; empty for a request without a valid token), when, which view, about what
(a task id, a unit), with which query (as sent, byte for byte, and as read), and the HTTP status of the
answer. The table is append-only like the events, and hash-chained: each row carries the chain value
of the row before it (`prev`) and its own, SHA-256(prev ‖ the row's canonical bytes). Writers take
turns under a transaction advisory lock, so the chain follows the ids. `verify_chain` walks it: an
edited row no longer hashes to its chain value, a deleted one leaves the next row's `prev` pointing
at nothing, a moved one at a row elsewhere. (Cutting rows off the end leaves no gap: that needs the
head to be published, as checkpoints are for the events.)
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from commitments.audit.domain.findings import Finding
from shared.auth.tokens import Principal

AUDIT_ROLES = ("inspector", "board")
GENESIS = bytes(32)
ANONYMOUS = Principal(user_id="", name="", unit="", roles=frozenset())
COLUMNS = ("id", "at", "user_id", "user_name", "user_unit", "roles", "view", "subject", "query", "outcome", "raw_query",
           "prev", "chain")


def may_read_audit(principal: Principal) -> bool:
    return principal.has(*AUDIT_ROLES)


def loggable(text: str) -> str:
    """What PostgreSQL's text and jsonb can hold: NUL and lone surrogates become U+FFFD (the raw query
    keeps the exact bytes)."""
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd")


def clean(value: Any) -> Any:
    if isinstance(value, str):
        return loggable(value)
    if isinstance(value, dict):
        return {loggable(str(k)): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value if value is None or isinstance(value, bool | int | float) else loggable(str(value))


def canonical(row: dict[str, Any]) -> bytes:
    """The bytes a row's chain value covers: every column but the chain itself."""
    fields = [row["id"], row["at"].astimezone(UTC).isoformat(), row["user_id"], row["user_name"], row["user_unit"],
              sorted(row["roles"]), row["view"], row["subject"], row["query"], row["outcome"],
              bytes(row["raw_query"] or b"").hex()]
    return json.dumps(fields, ensure_ascii=True, sort_keys=True, separators=(",", ":")).encode()


def chain_of(prev: bytes, row: dict[str, Any]) -> bytes:
    return hashlib.sha256(prev + canonical(row)).digest()


def new_row(next_id: int | None, at: Any, principal: Principal, *, view: str, subject: str | None,
            query: dict[str, Any], outcome: int, raw_query: bytes) -> dict[str, Any]:
    """The row to append, every text made storable (its chain value is computed from exactly this)."""
    return {"id": next_id, "at": at, "user_id": loggable(principal.user_id), "user_name": loggable(principal.name),
            "user_unit": loggable(principal.unit), "roles": sorted(loggable(r) for r in principal.roles), "view": view,
            "subject": loggable(subject) if subject is not None else None, "query": clean(query), "outcome": outcome,
            "raw_query": raw_query}


def chain_findings(rows: list[dict[str, Any]]) -> tuple[int, list[Finding]]:
    """(rows checked, findings): each row must hash to its chain value and follow the row before it.
    Rows written before the chain existed (no chain value) are accepted only before the first chained one."""
    chains = {bytes(r["chain"]): r["id"] for r in rows if r["chain"] is not None}
    findings: list[Finding] = []
    previous: bytes | None = None
    for row in rows:
        if row["chain"] is None:
            if previous is not None:
                findings.append(Finding("access_log_edited", f"access-log row {row['id']} lost its chain value"))
            continue
        prev, chain = bytes(row["prev"]), bytes(row["chain"])
        if chain_of(prev, row) != chain:
            findings.append(Finding("access_log_edited", f"access-log row {row['id']} was changed after it was "
                                                         "written"))
        expected = GENESIS if previous is None else previous
        if prev != expected:
            moved = chains.get(prev)
            kind = "access_log_reordered" if moved is not None or prev == GENESIS else "access_log_deleted"
            where = f"follows row {moved}" if moved is not None else "follows a row no longer there"
            findings.append(Finding(kind, f"access-log row {row['id']} {where}"))
        previous = chain
    return len(rows), findings
