"""The transparency log's entry names the evidence files an event cites (their SHA-256), read from the
stored event itself: the bytes of the workspace fixture, as stored."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from uuid import UUID

from commitments.audit.domain.leaves import LogRow
from commitments.audit.domain.tlog.entry import Entry, evidence_hashes

FIXTURE = Path(__file__).parents[2] / "commitments" / "stored_events" / "events-2026-12-workspace.json"
PDF_SHA256 = bytes.fromhex("ab" * 32)  # the fixture story's evidence file


def rows() -> list[LogRow]:
    events = json.loads(FIXTURE.read_text(encoding="utf-8"))["events"]
    return [LogRow(i + 1, UUID(e["originator_id"]), e["originator_version"], e["topic"],
                   base64.b64decode(e["state"])) for i, e in enumerate(events)]


def test_an_event_with_files_names_their_hashes_and_the_entry_round_trips() -> None:
    named = {r.topic.rsplit(".", 1)[1]: Entry.of(r, True, "ql-kh", 2025) for r in rows()
             if Entry.of(r, True, "ql-kh", 2025).evidence}
    assert set(named) == {"ProgressReported", "RevisionProposed", "CompletionRequested"}
    for entry in named.values():
        assert entry.evidence == (PDF_SHA256,)
        assert Entry.decode(entry.encode()) == entry


def test_events_without_files_and_states_that_are_not_events_name_none() -> None:
    without = [r for r in rows() if b"evidence_files" not in r.state]
    assert without and all(Entry.of(r, True, "ql-kh").evidence == () for r in without)
    for body in (b"", b"\xff\xfe", b'{"evidence_files": 3}', b'{"evidence_files": [{"_data_": {"sha256": "zz"}}]}',
                 b'["evidence_files"]', b'{"evidence_files": [{"_data_": {"sha256": "abcd"}}]}'):
        assert evidence_hashes(body) == ()
