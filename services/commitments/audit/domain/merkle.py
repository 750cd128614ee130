"""The Merkle tree of RFC 9162 (Certificate Transparency v2): hashes, roots, inclusion and consistency proofs.

Leaves are hashed by the caller (see `leaves.py`); interior nodes are SHA-256(0x01 ‖ left ‖ right); the
root of an empty tree is SHA-256(""). A tree of n leaves splits at the largest power of two below n,
so every subtree a proof needs is a perfect, aligned one: `MerkleTree` keeps the levels of perfect
subtrees and answers any root or proof in O(log n) after one pass over the leaves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

_sha256 = hashlib.sha256
NODE = b"\x01"
EMPTY_ROOT = _sha256(b"").digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return _sha256(NODE + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two smaller than n (n ≥ 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class MerkleTree:
    def __init__(self, leaves: Sequence[bytes]) -> None:
        self.levels: list[Sequence[bytes]] = [leaves]
        level = leaves
        while len(level) > 1:
            level = [_sha256(NODE + a + b).digest() for a, b in zip(level[0::2], level[1::2], strict=False)]
            self.levels.append(level)

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def root(self, size: int | None = None) -> bytes:
        size = self.size if size is None else size
        if not 0 <= size <= self.size:
            raise ValueError(f"tree size {size} outside 0..{self.size}")
        return self._subtree(0, size) if size else EMPTY_ROOT

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        if not 0 <= index < size <= self.size:
            raise ValueError(f"no leaf {index} in a tree of {size}")
        return self._path(index, 0, size)

    def consistency_proof(self, old: int, new: int) -> list[bytes]:
        if not 0 < old <= new <= self.size:
            raise ValueError(f"no consistency proof from {old} to {new} in a tree of {self.size}")
        return self._subproof(old, 0, new, complete=True)

    def _perfect(self, height: int, index: int) -> bytes:
        return self.levels[height][index]

    def _subtree(self, lo: int, hi: int) -> bytes:
        return subtree_hash(self._perfect, lo, hi)

    def _path(self, index: int, lo: int, hi: int) -> list[bytes]:
        return inclusion_path(self._perfect, index, lo, hi)

    def _subproof(self, m: int, lo: int, hi: int, *, complete: bool) -> list[bytes]:
        return consistency_path(self._perfect, m, lo, hi, complete=complete)


# Any tree, in memory or stored, answers roots and proofs from the hashes of its perfect, aligned subtrees:
# perfect(height, index) is the hash over leaves [index << height, (index + 1) << height).
Perfect = Callable[[int, int], bytes]


def subtree_hash(perfect: Perfect, lo: int, hi: int) -> bytes:
    n = hi - lo
    if n & (n - 1) == 0:
        height = n.bit_length() - 1
        return perfect(height, lo >> height)
    k = split_point(n)
    return node_hash(subtree_hash(perfect, lo, lo + k), subtree_hash(perfect, lo + k, hi))


def inclusion_path(perfect: Perfect, index: int, lo: int, hi: int) -> list[bytes]:
    n = hi - lo
    if n == 1:
        return []
    k = split_point(n)
    if index < lo + k:
        return [*inclusion_path(perfect, index, lo, lo + k), subtree_hash(perfect, lo + k, hi)]
    return [*inclusion_path(perfect, index, lo + k, hi), subtree_hash(perfect, lo, lo + k)]


def consistency_path(perfect: Perfect, m: int, lo: int, hi: int, *, complete: bool) -> list[bytes]:
    n = hi - lo
    if m == n:
        return [] if complete else [subtree_hash(perfect, lo, hi)]
    k = split_point(n)
    if m <= k:
        return [*consistency_path(perfect, m, lo, lo + k, complete=complete), subtree_hash(perfect, lo + k, hi)]
    return [*consistency_path(perfect, m - k, lo + k, hi, complete=False), subtree_hash(perfect, lo, lo + k)]


class Frontier:
    """The roots of the perfect subtrees of a growing tree: append a leaf, get the root, in O(log n)."""

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []  # (height, hash), tallest first

    def append(self, leaf: bytes) -> None:
        height, value = 0, leaf
        while self._stack and self._stack[-1][0] == height:
            value = node_hash(self._stack.pop()[1], value)
            height += 1
        self._stack.append((height, value))
        self.size += 1

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        value = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            value = node_hash(left, value)
        return value


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes | None:
    """RFC 9162 §2.1.3.2: the root that this proof and leaf imply, or None if the proof cannot fit."""
    if not 0 <= index < size:
        return None
    fn, sn, value = index, size - 1, leaf
    for sibling in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            value = node_hash(sibling, value)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            value = node_hash(value, sibling)
        fn, sn = fn >> 1, sn >> 1
    return value if sn == 0 else None


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> bool:
    return root_from_inclusion(index, size, leaf, proof) == root


def verify_consistency(old: int, new: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    """RFC 9162 §2.1.4.2: the tree of `new` leaves extends the tree of `old` leaves unchanged."""
    if old == new:
        return not proof and old_root == new_root
    if old == 0:
        return not proof
    if not 0 < old < new or not proof:
        return False
    path = [old_root, *proof] if old & (old - 1) == 0 else list(proof)
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    first = second = path[0]
    for sibling in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            first, second = node_hash(sibling, first), node_hash(sibling, second)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            second = node_hash(second, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and first == old_root and second == new_root
