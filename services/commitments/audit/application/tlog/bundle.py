"""Bundles of the transparency log: a scope's events with their content, proven against a cosigned checkpoint.

    {"format": "camket.tlog.bundle/1", "scope": {"kind": "task", "task_id": …} | {"kind": "unit", "unit": …}
       | {"kind": "year", "year": 2025} | {"kind": "program"},
     "checkpoint": "<the signed checkpoint note, with the witnesses' cosignature lines>",
     "log": ["<base64 entry>", …],              every entry of the tree (unit, year, program bundles)
     "events": [{"index": i, "entry": "<base64>", "body": "<content text>" | "body_b64": "…",
                 "proof": ["<base64 hash>", …]}]}   the RFC 6962 inclusion proof (task bundles)

A task bundle proves each event it holds is in the log. A unit (or year) bundle carries the whole tree's
entries — a few hundred bytes each — so its verifier rebuilds the root and checks that every task with an
entry tagged with the unit (year) has all its events, with their content, in the bundle: it is complete. A
program bundle carries every event's content.
"""

from __future__ import annotations

import base64
from typing import Any

from commitments.audit.application.ports import AuditStore, Conn, TlogStore
from commitments.audit.application.tlog import reading
from commitments.audit.domain.errors import ExportRefused, NotRecorded
from commitments.audit.domain.tlog.checkpoint import parse_body
from commitments.audit.domain.tlog.entry import Entry
from commitments.audit.domain.tlog.scope import FORMAT, TlogScope
from commitments.domain.signed_records import split_signed

PAGE = 5000


class BundleRefused(ExportRefused):
    """No honest bundle can be made now (no checkpoint, or the events no longer match the log)."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def body_field(state: bytes) -> dict[str, str]:
    split = split_signed(state)
    body = state if split is None else split[0]
    try:
        return {"body": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"body_b64": b64(body)}


def export_bundle(conn: Conn, store: TlogStore, audit: AuditStore, scope: TlogScope) -> dict[str, Any]:
    """Call inside a REPEATABLE READ transaction, so that the events, the log and its checkpoint agree."""
    note = reading.checkpoint_note(store, conn)
    if note is None:
        raise BundleRefused("no signed checkpoint of the transparency log yet: is `camket audit sealer` running?")
    size = parse_body(note.body).size
    raw = [e for first in range(0, size, PAGE) for e in store.entries(conn, first, min(PAGE, size - first))]
    entries = [Entry.decode(e) for e in raw]
    tasks = scope.tasks(entries)
    chosen = [i for i, e in enumerate(entries) if tasks is None or e.originator_id in tasks]
    if not chosen:
        raise NotRecorded(f"nothing recorded for {scope.document()} up to the latest checkpoint", "scope")
    events = []
    for start in range(0, len(chosen), PAGE):
        page = chosen[start:start + PAGE]
        rows = audit.rows_by_id(conn, [entries[i].notification_id for i in page])
        for i in page:
            row = rows.get(entries[i].notification_id)
            if row is None or Entry.of(row, entries[i].signed, entries[i].unit, entries[i].year) != entries[i]:
                raise BundleRefused(f"the event at position {i} changed since it was logged: run `camket audit verify`")
            proof = reading.inclusion(store, conn, i, size) if scope.kind == "task" else []
            events.append({"index": i, "entry": b64(raw[i]), **body_field(row.state), "proof": [b64(h) for h in proof]})
    return {"format": FORMAT, "scope": scope.document(), "checkpoint": note.text(),
            "log": [] if scope.kind == "task" else [b64(e) for e in raw], "events": events}
