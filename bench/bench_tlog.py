"""Transparency log: tree append and inclusion-proof rates beside plain SHA-256 of the same bytes in the same
run (the entries; the interior nodes a proof folds), and proof sizes at 10k, 100k and 1M entries (they grow
with log2 of the size).

In memory, no database: entries of the real encoding (~190 bytes, one per event) are appended to the
sealer's growing tree, which also emits the tile-level hashes it would store; proofs are generated the way
the service does, from those stored tile hashes only (two passes: the spans a proof needs, then the proof).
"""

from __future__ import annotations

import hashlib
import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial

from bench.result import Result
from commitments.audit.domain.merkle import Perfect, verify_consistency, verify_inclusion
from commitments.audit.domain.tlog import tree
from commitments.audit.domain.tlog.entry import Entry, leaf_hash
from commitments.audit.domain.tlog.tree import GrowingTree, Span

SIZES = (10_000, 100_000, 1_000_000)
CHUNK = 10_000
PROOFS = 2_000


def entries(first: int, count: int) -> list[bytes]:
    task = uuid.UUID(int=first)
    template = Entry(0, task, 1, "commitments.domain.task:Task.ProgressReported", bytes(32),
                     (bytes(8), bytes(64)), True, "ql-cndmst", 2025)
    return [Entry(n, template.originator_id, n % 90 + 1, template.topic, hashlib.sha256(n.to_bytes(8, "big")).digest(),
                  template.signature, True, template.unit, 2025).encode() for n in range(first, first + count)]


def chunks(total: int) -> Iterator[list[bytes]]:
    for first in range(0, total, CHUNK):
        yield entries(first, min(CHUNK, total - first))


class Stored(Mapping[tuple[int, int], bytes]):
    """The stored tile hashes, one list per tile level (a dict of a million keys would cost ~150 MB)."""

    def __init__(self) -> None:
        self.levels: dict[int, list[bytes]] = {}

    def add(self, level: int, index: int, value: bytes) -> None:
        row = self.levels.setdefault(level, [])
        assert len(row) == index
        row.append(value)

    def __getitem__(self, key: tuple[int, int]) -> bytes:
        return self.levels[key[0]][key[1]]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return ((lvl, i) for lvl, row in self.levels.items() for i in range(len(row)))

    def __len__(self) -> int:
        return sum(len(r) for r in self.levels.values())


def run() -> list[Result]:
    total = SIZES[-1]
    grown, stored, append_s, plain_s = GrowingTree(), Stored(), 0.0, 0.0
    roots: dict[int, bytes] = {}
    for chunk in chunks(total):
        started = time.perf_counter()
        for e in chunk:
            hashlib.sha256(b"\x00" + e).digest()
        plain_s += time.perf_counter() - started
        started = time.perf_counter()
        for e in chunk:
            for level, index, value in grown.append(leaf_hash(e)):
                stored.add(level, index, value)
        append_s += time.perf_counter() - started
        if grown.size in SIZES:
            roots[grown.size] = grown.root()
    results = [Result(f"tlog append (leaf hash + tree + tile hashes), {total:,} entries", total / append_s,
                      "entries/s", "plain SHA-256 of the same entries", total / plain_s, goal="≥ 25 % of plain")]
    results.append(_proof_rate(stored, total, roots[total]))
    for size in SIZES:
        results += _sizes(stored, size, roots[size], roots[SIZES[0]])
    return results


def _read(stored: Stored) -> Callable[[Iterable[Span]], Mapping[tuple[int, int], bytes]]:
    def read(spans: Iterable[Span]) -> Mapping[tuple[int, int], bytes]:
        return {(lvl, i): stored[lvl, i] for lvl, first, count in spans for i in range(first, first + count)}
    return read


def _inclusion(perfect: Perfect, *, index: int, size: int) -> list[bytes]:
    return tree.inclusion(perfect, index, size)


def _proof_rate(stored: Stored, size: int, root: bytes) -> Result:
    chosen = random.Random(7).sample(range(size), PROOFS)
    started = time.perf_counter()
    proofs = [tree.apply(partial(_inclusion, index=i, size=size), _read(stored)) for i in chosen]
    elapsed = time.perf_counter() - started
    sample = {chosen[0]: proofs[0], chosen[-1]: proofs[-1]}
    for index, proof in sample.items():
        assert verify_inclusion(index, size, stored[0, index], proof, root)
    # The same work as plain hashing: one SHA-256 per interior node the proofs fold from the stored tiles.
    nodes = sum(c - 1 for i in chosen for _, _, c in tree.needed(partial(_inclusion, index=i, size=size)))
    node = b"\x01" + bytes(64)
    started = time.perf_counter()
    for _ in range(nodes):
        hashlib.sha256(node).digest()
    plain = time.perf_counter() - started
    return Result(f"tlog inclusion proof from stored tiles, {size:,} entries ({nodes // PROOFS} node hashes each)",
                  PROOFS / elapsed, "proofs/s", "plain SHA-256 of the same nodes", PROOFS / plain,
                  goal="≥ 25 % of plain")


def _sizes(stored: Stored, size: int, root: bytes, first_root: bytes) -> list[Result]:
    inclusion = tree.apply(lambda p: tree.inclusion(p, size // 3, size), _read(stored))
    assert verify_inclusion(size // 3, size, stored[0, size // 3], inclusion, root)
    results = [Result(f"tlog inclusion proof size at {size:,} entries", 32 * len(inclusion), "bytes",
                      goal="32 × ⌈log2 n⌉")]
    if size > SIZES[0]:
        consistency = tree.apply(lambda p: tree.consistency(p, SIZES[0], size), _read(stored))
        assert verify_consistency(SIZES[0], size, first_root, root, consistency)
        results.append(Result(f"tlog consistency proof size {SIZES[0]:,} → {size:,}", 32 * len(consistency),
                              "bytes", goal="≤ 32 × 2⌈log2 n⌉"))
    return results
