"""Verification builds each row's log entry from the row's bytes and compares it with the stored entry as bytes
(`rebuild.entries_of_rows`); it must give exactly what the definition gives (`rebuild.general`: decode the stored
entry for its tags, encode the row's entry with them) for every stored entry, genuine, altered or malformed."""

from __future__ import annotations

import json
import struct
from uuid import UUID

import pytest

from commitments.audit.domain.leaves import LogRow
from commitments.audit.domain.tlog.entry import Entry, evidence_hashes
from commitments.audit.domain.tlog.rebuild import entries_of_rows, general
from commitments.audit.domain.tlog.tree import GrowingTree
from tests.unit.audit.tlog.test_entry_evidence import rows

pytestmark = pytest.mark.unit


def _unsigned_and_long_topic() -> list[LogRow]:
    task = UUID("00000000-0000-0000-0000-00000000abcd")
    return [LogRow(900, task, 1, "commitments.Task.Registered", b'{"evidence_files":[],"a":1}'),
            LogRow(901, task, 2, "t" * 1500, b'{"x":1}'), LogRow(902, task, 3, "Đã.báo", b"")]


def _stored_variants(row: LogRow) -> list[bytes | None]:
    good = Entry.of(row, True, "ql-kh", 2025).encode()
    head = good[:-(2 + 2 + 32 * len(Entry.of(row, True, "").evidence))]  # without the year and the evidence
    unit_at = head.rfind(b"ql-kh") - 2
    variants: list[bytes | None] = [
        None, b"", good, Entry.of(row, False, "", 0).encode(), Entry.of(row, True, "ư" * 256, 65535).encode(),
        good[:-1], good + b"\x00", good[:20], bytes([2]) + good[1:],
        good[:unit_at - 1] + b"\x02" + good[unit_at:],  # a verdict neither 0 nor 1
        good[:unit_at] + struct.pack(">H", 300) + "ư".encode() * 150 + good[unit_at + 7:],  # a unit past 256 chars
        good[:unit_at] + struct.pack(">H", 5) + b"\xff\xfeabc" + good[unit_at + 7:],  # a unit not UTF-8
    ]
    variants += [good[:i] + bytes([good[i] ^ 1]) + good[i + 1:] for i in range(0, len(good), 7)]
    return variants


def test_the_entries_built_from_row_bytes_are_the_definitions_for_every_stored_entry() -> None:
    sample = rows()[:12] + _unsigned_and_long_topic()
    for row in sample:
        stored = _stored_variants(row)
        data = [row.encode()] * len(stored)
        expected = [general(r, s) for r, s in zip(data, stored, strict=True)]
        present = [s if s is not None else b"\x00" for s in stored]  # None only where the stored list ends
        assert entries_of_rows(data, present) == [general(r, s) for r, s in zip(data, present, strict=True)]
        assert entries_of_rows(data, []) == [general(r, None) for r in data]
        assert expected[2] == Entry.of(row, True, "ql-kh", 2025).encode()  # a genuine entry is itself


def _parsed(body: bytes) -> tuple[bytes, ...]:
    """What evidence_hashes gives by parsing whenever the key is spelled out (its definition)."""
    if b'"evidence_files"' not in body:
        return ()
    try:
        found = tuple(bytes.fromhex(f["_data_"]["sha256"]) for f in json.loads(body).get("evidence_files"))
    except (ValueError, TypeError, KeyError, AttributeError):
        return ()
    return found if all(len(h) == 32 for h in found) else ()


FILE = '[{"_type_":"evidence_file","_data_":{"sha256":"' + "ab" * 32 + '"}}]'


@pytest.mark.parametrize("body", [
    b'{"evidence_files":[]}', b'{"a":1,"evidence_files":[]}', b'{"x":{"evidence_files":[]}}',
    ('{"x":{"evidence_files":[]},"evidence\\u005ffiles":' + FILE + "}").encode(),
    ('{"evidence_files":[],"evidence\\u005ffiles":' + FILE + "}").encode(),
    ('{"evidence_files":' + FILE + "}").encode(), ('{"evidence_files":[],"evidence_files":' + FILE + "}").encode(),
    ('{"x":{"evidence_files":[]}, "evidence_files" :' + FILE + "}").encode(),
    ('{"x":"evidence_files", "evidence_files":' + FILE + "}").encode(),
    ('{"x":{"evidence_files":[]},"evidence_files":' + FILE + "}").encode("utf-16"),
    '{"n":"'.encode("utf-16-le") + b'"evidence_files":[] ' + ('","evidence_files":' + FILE + "}").encode("utf-16-le"),
    b'{"evidence_files":[]', b'{"evidence_files":[]x}', b'["evidence_files"]', b'{"evidence_files":[],"n":"\\""}',
])
def test_the_shortcut_for_an_empty_list_names_what_parsing_names(body: bytes) -> None:
    assert evidence_hashes(body) == _parsed(body)


def test_extending_the_tree_gives_the_roots_appending_gives() -> None:
    leaves = [bytes([i % 256, i // 256]) * 16 for i in range(300)]
    one, many = GrowingTree(), GrowingTree()
    for i, leaf in enumerate(leaves):
        one.append(leaf)
        if i in (0, 1, 2, 6, 7, 8, 127, 128, 255, 299):
            many.extend(leaves[many.size:i + 1])
            assert (many.size, many.root(), many.stack) == (one.size, one.root(), one.stack)
