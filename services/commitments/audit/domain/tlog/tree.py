"""The event log's RFC 6962 tree as the sealer grows it and as tiles store it.

Only the hashes at tile levels are stored (tree heights 0, 8, 16, …: what C2SP tlog-tiles serves); any
other perfect subtree is folded from at most 128 stored hashes below it. Reading is two passes: the first
runs the proof with a recorder to learn which stored ranges it touches, so they are read in one query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from commitments.audit.domain.merkle import (
    EMPTY_ROOT,
    Perfect,
    consistency_path,
    inclusion_path,
    node_hash,
    subtree_hash,
)

TILE_HEIGHT = 8
T = TypeVar("T")
Span = tuple[int, int, int]  # (stored level, first index, count)
StoredNode = tuple[int, int, bytes]  # (stored level, index, hash)


def span_of(height: int, index: int) -> Span:
    """The stored hashes a perfect subtree is folded from."""
    base = height - height % TILE_HEIGHT
    width = 1 << (height - base)
    return base, index * width, width


def fold(hashes: list[bytes]) -> bytes:
    while len(hashes) > 1:
        hashes = [node_hash(a, b) for a, b in zip(hashes[0::2], hashes[1::2], strict=True)]
    return hashes[0]


def needed(compute: Callable[[Perfect], object]) -> set[Span]:
    spans: set[Span] = set()

    def record(height: int, index: int) -> bytes:
        spans.add(span_of(height, index))
        return EMPTY_ROOT

    compute(record)
    return spans


def from_stored(stored: Mapping[tuple[int, int], bytes]) -> Perfect:
    def perfect(height: int, index: int) -> bytes:
        base, first, width = span_of(height, index)
        try:
            return fold([stored[base, i] for i in range(first, first + width)])
        except KeyError:
            raise LookupError(f"no stored hash under height {height} index {index}") from None
    return perfect


def root(perfect: Perfect, size: int) -> bytes:
    return subtree_hash(perfect, 0, size) if size else EMPTY_ROOT


def inclusion(perfect: Perfect, index: int, size: int) -> list[bytes]:
    if not 0 <= index < size:
        raise ValueError(f"no leaf {index} in a tree of {size}")
    return inclusion_path(perfect, index, 0, size)


def consistency(perfect: Perfect, old: int, new: int) -> list[bytes]:
    if not 0 <= old <= new:
        raise ValueError(f"no consistency proof from {old} to {new}")
    return [] if old == 0 else consistency_path(perfect, old, 0, new, complete=True)


@dataclass
class GrowingTree:
    """The perfect subtrees of the tree so far (tallest first): append a leaf hash in O(1) amortised, and
    learn the stored nodes it completes."""

    size: int = 0
    stack: list[tuple[int, bytes]] = field(default_factory=list)  # (height, hash)

    def append(self, leaf: bytes) -> list[StoredNode]:
        position, height, value = self.size, 0, leaf
        made: list[StoredNode] = [(0, position, leaf)]
        while self.stack and self.stack[-1][0] == height:
            value = node_hash(self.stack.pop()[1], value)
            height += 1
            if height % TILE_HEIGHT == 0:
                made.append((height, position >> height, value))
        self.stack.append((height, value))
        self.size += 1
        return made

    def extend(self, leaves: Iterable[bytes]) -> None:
        """`append` for many leaf hashes, without listing the stored nodes (what a verifier needs)."""
        stack, size = self.stack, self.size
        for leaf in leaves:
            value = leaf
            for _ in range((~size & (size + 1)).bit_length() - 1):  # one merge per trailing 1 bit of the size
                value = node_hash(stack.pop()[1], value)
            stack.append(((~size & (size + 1)).bit_length() - 1, value))
            size += 1
        self.size = size

    def root(self) -> bytes:
        if not self.stack:
            return EMPTY_ROOT
        value = self.stack[-1][1]
        for _, left in reversed(self.stack[:-1]):
            value = node_hash(left, value)
        return value

    @classmethod
    def resume(cls, size: int, perfect: Perfect) -> GrowingTree:
        stack, start = [], 0
        for height in range(size.bit_length() - 1, -1, -1):
            if size >> height & 1:
                stack.append((height, perfect(height, start >> height)))
                start += 1 << height
        return cls(size, stack)


def apply(compute: Callable[[Perfect], T], read: Callable[[Iterable[Span]], Mapping[tuple[int, int], bytes]]) -> T:
    """Runs a computation over stored hashes: learns the spans it needs, reads them at once, runs it."""
    return compute(from_stored(read(needed(compute))))
