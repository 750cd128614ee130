"""The audit tree is RFC 9162's: the Certificate Transparency test vectors, and proofs for every shape."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from commitments.audit.domain.merkle import (
    EMPTY_ROOT,
    Frontier,
    MerkleTree,
    verify_consistency,
    verify_inclusion,
)

# RFC 6962 / CT reference leaves and roots (as in google/trillian and certificate-transparency-go).
CT_LEAVES = [b"", b"\x00", b"\x10", b"\x20\x21", b"\x30\x31", b"\x40\x41\x42\x43",
             b"\x50\x51\x52\x53\x54\x55\x56\x57", bytes(range(0x60, 0x70))]
CT_ROOTS = ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"]
INCLUSION_5_OF_8 = ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]
CONSISTENCY_6_TO_8 = ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]


def leaf(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def leaves(n: int) -> list[bytes]:
    return [leaf(i.to_bytes(4, "big")) for i in range(n)]


def test_roots_match_the_certificate_transparency_vectors() -> None:
    tree = MerkleTree([leaf(d) for d in CT_LEAVES])
    assert tree.root(0) == EMPTY_ROOT == hashlib.sha256(b"").digest()
    assert [tree.root(n).hex() for n in range(1, 9)] == CT_ROOTS


def test_proofs_match_the_certificate_transparency_vectors() -> None:
    tree = MerkleTree([leaf(d) for d in CT_LEAVES])
    assert [h.hex() for h in tree.inclusion_proof(5, 8)] == INCLUSION_5_OF_8
    assert [h.hex() for h in tree.consistency_proof(6, 8)] == CONSISTENCY_6_TO_8
    assert verify_inclusion(5, 8, leaf(CT_LEAVES[5]), tree.inclusion_proof(5, 8), bytes.fromhex(CT_ROOTS[7]))


@given(st.integers(1, 300), st.data())
def test_every_inclusion_proof_verifies_and_a_wrong_one_does_not(n: int, data: st.DataObject) -> None:
    tree = MerkleTree(leaves(n))
    size = data.draw(st.integers(1, n))
    index = data.draw(st.integers(0, size - 1))
    proof = tree.inclusion_proof(index, size)
    root = tree.root(size)
    assert verify_inclusion(index, size, tree.levels[0][index], proof, root)
    assert not verify_inclusion(index, size, leaf(b"other"), proof, root)
    if proof:
        flipped = [bytes([proof[0][0] ^ 1]) + proof[0][1:], *proof[1:]]
        assert not verify_inclusion(index, size, tree.levels[0][index], flipped, root)
    if size > 1:
        assert not verify_inclusion((index + 1) % size, size, tree.levels[0][index], proof, root)


@given(st.integers(1, 300), st.data())
def test_every_consistency_proof_verifies_and_a_rewritten_past_does_not(n: int, data: st.DataObject) -> None:
    tree = MerkleTree(leaves(n))
    old = data.draw(st.integers(1, n))
    proof = tree.consistency_proof(old, n)
    assert verify_consistency(old, n, tree.root(old), tree.root(), proof)
    rewritten = leaves(n)
    position = data.draw(st.integers(0, old - 1))
    rewritten[position] = leaf(b"rewritten")
    other = MerkleTree(rewritten)
    assert not verify_consistency(old, n, tree.root(old), other.root(), other.consistency_proof(old, n))


@given(st.integers(0, 600))
def test_the_frontier_of_a_growing_tree_has_the_same_root(n: int) -> None:
    frontier = Frontier()
    for item in leaves(n):
        frontier.append(item)
    assert frontier.size == n
    assert frontier.root() == MerkleTree(leaves(n)).root()
