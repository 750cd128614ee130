"""The stored-tile tree answers the same roots and proofs as the in-memory RFC 6962 tree, and tile paths
follow C2SP tlog-tiles."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping

import pytest

from commitments.audit.domain.merkle import MerkleTree, verify_consistency, verify_inclusion
from commitments.audit.domain.tlog import tiles, tree
from commitments.audit.domain.tlog.tree import GrowingTree, Span

SIZES = [1, 2, 3, 255, 256, 257, 511, 1000, 65536 + 300]


def leaves(n: int) -> list[bytes]:
    return [hashlib.sha256(b"\x00" + i.to_bytes(4, "big")).digest() for i in range(n)]


def grown(n: int) -> tuple[GrowingTree, dict[tuple[int, int], bytes]]:
    t, stored = GrowingTree(), {}
    for leaf in leaves(n):
        for level, index, value in t.append(leaf):
            stored[level, index] = value
    return t, stored


def reader(stored: Mapping[tuple[int, int], bytes]) -> Callable[[Iterable[Span]], Mapping[tuple[int, int], bytes]]:
    def read(spans: Iterable[Span]) -> Mapping[tuple[int, int], bytes]:
        return {(lvl, i): stored[lvl, i] for lvl, first, count in spans for i in range(first, first + count)}
    return read


@pytest.mark.parametrize("n", [1, 2, 3, 255, 256, 257, 1000, 4097])
def test_the_growing_tree_has_the_in_memory_root_and_stores_only_tile_levels(n: int) -> None:
    t, stored = grown(n)
    assert t.root() == MerkleTree(leaves(n)).root()
    assert {level for level, _ in stored} <= {0, 8, 16}
    assert tree.apply(lambda p: tree.root(p, n), reader(stored)) == t.root()
    resumed = tree.apply(lambda p: GrowingTree.resume(n, p), reader(stored))
    assert resumed.root() == t.root() and resumed.size == n


def test_proofs_from_stored_tiles_equal_the_in_memory_proofs_and_verify() -> None:
    n = SIZES[-1]
    _t, stored = grown(n)
    memory = MerkleTree(leaves(n))
    read = reader(stored)
    for size in (257, 1000, n):
        for index in (0, 1, 255, 256, size - 1):
            proof = tree.apply(lambda p, i=index, s=size: tree.inclusion(p, i, s), read)
            assert proof == memory.inclusion_proof(index, size)
            assert verify_inclusion(index, size, leaves(n)[index], proof, memory.root(size))
    for old, new in ((1, 2), (3, 257), (256, 1000), (1000, n), (n, n)):
        proof = tree.apply(lambda p, a=old, b=new: tree.consistency(p, a, b), read)
        assert proof == memory.consistency_proof(old, new)
        assert verify_consistency(old, new, memory.root(old), memory.root(new), proof)
    # the recorder asks only for the stored spans a proof touches, never the whole tree
    assert sum(c for _, _, c in tree.needed(lambda p: tree.inclusion(p, 5, n))) < 2000


@pytest.mark.parametrize(("n", "path"), [(0, "000"), (7, "007"), (1234, "x001/234"), (1234067, "x001/x234/067")])
def test_tile_index_paths(n: int, path: str) -> None:
    assert tiles.encode_index(n) == path
    parsed = tiles.parse_path("3", path)
    assert parsed == tiles.Tile(3, n, 256)
    assert tiles.Tile(-1, n, 17).path() == f"tile/entries/{path}.p/17"
    assert tiles.parse_path("entries", f"{path}.p/17") == tiles.Tile(-1, n, 17)


@pytest.mark.parametrize("rest", ["1", "0001", "x000/001", "001.p/0", "001.p/256", "001.p/07", "x1/001", "001/",
                                  "abc", "x001/" * 5000 + "001"])
def test_malformed_tile_paths_are_refused(rest: str) -> None:
    assert tiles.parse_path("0", rest) is None


def test_a_tile_exists_only_as_the_tree_has_it() -> None:
    assert tiles.available(tiles.Tile(0, 0, 256), 300)
    assert tiles.available(tiles.Tile(0, 1, 44), 300)
    assert not tiles.available(tiles.Tile(0, 1, 43), 300)
    assert not tiles.available(tiles.Tile(0, 1, 256), 300)
    assert tiles.available(tiles.Tile(1, 0, 1), 300)
    assert not tiles.available(tiles.Tile(1, 0, 1), 255)


def test_entry_bundles_round_trip() -> None:
    entries = [b"", b"a", bytes(300)]
    assert tiles.unbundle(tiles.bundle(entries)) == entries
    with pytest.raises(ValueError):
        tiles.unbundle(tiles.bundle(entries)[:-1])
