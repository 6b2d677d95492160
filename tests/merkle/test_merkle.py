"""The Merkle tree over the event log, checked against RFC 9162 §2.1 itself.

The reference below is written straight from the RFC's recursive definitions (MTH, PATH, PROOF/SUBPROOF) and
shares no code with `projections.merkle`; its verifiers rebuild the roots a proof implies by following the same
definitions, so the module's iterative verifiers (§2.1.3.2, §2.1.4.2) are checked against a second reading of
the RFC. Known answers are pasted hex, so a change to a prefix byte or to the split rule is caught even if
the module and the reference were changed alike.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable, Mapping, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projections import merkle
from projections.merkle import (
    Frontier,
    consistency_proof,
    consistency_proof_from,
    inclusion_proof,
    inclusion_proof_from,
    leaf_hash,
    node_hash,
    subtree_hash,
    tree_root,
    verify_consistency,
    verify_inclusion,
)

# --- the reference: RFC 9162 §2.1, read literally ----------------------------------------------------------


def sha256(*parts: bytes) -> bytes:
    return hashlib.sha256(b"".join(parts)).digest()


def largest_power_of_two_below(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


class Rfc9162:
    """MTH, PATH and PROOF over D = `data` (entries, not hashes); a range D[lo:hi] is named by its ends, and
    each MTH is remembered, so every prefix tree of the same log shares the work."""

    def __init__(self, data: Sequence[bytes]) -> None:
        self.data = data
        self.memo: dict[tuple[int, int], bytes] = {}

    def leaf(self, i: int) -> bytes:
        return sha256(b"\x00", self.data[i])

    def mth(self, lo: int, hi: int) -> bytes:
        if (lo, hi) not in self.memo:
            n = hi - lo
            if n == 0:
                value = sha256(b"")
            elif n == 1:
                value = self.leaf(lo)
            else:
                k = largest_power_of_two_below(n)
                value = sha256(b"\x01", self.mth(lo, lo + k), self.mth(lo + k, hi))
            self.memo[lo, hi] = value
        return self.memo[lo, hi]

    def path(self, m: int, n: int, lo: int = 0) -> list[bytes]:
        """PATH(m, D[lo:lo+n])."""
        if n == 1:
            return []
        k = largest_power_of_two_below(n)
        if m < k:
            return self.path(m, k, lo) + [self.mth(lo + k, lo + n)]
        return self.path(m - k, n - k, lo + k) + [self.mth(lo, lo + k)]

    def proof(self, m: int, n: int) -> list[bytes]:
        """PROOF(m, D[n]) = SUBPROOF(m, D[n], true)."""
        return self.subproof(m, n, True)

    def subproof(self, m: int, n: int, b: bool, lo: int = 0) -> list[bytes]:
        if m == n:
            return [] if b else [self.mth(lo, lo + n)]
        k = largest_power_of_two_below(n)
        if m <= k:
            return self.subproof(m, k, b, lo) + [self.mth(lo + k, lo + n)]
        return self.subproof(m - k, n - k, False, lo + k) + [self.mth(lo, lo + k)]


def ref_root_from_path(leaf: bytes, m: int, n: int, path: list[bytes]) -> bytes | None:
    """The root that `path` = PATH(m, D[n]) implies for the leaf hash; None if it has not PATH's shape."""
    if n == 1:
        return None if path else leaf
    if not path:
        return None
    k = largest_power_of_two_below(n)
    if m < k:
        below = ref_root_from_path(leaf, m, k, path[:-1])
        return None if below is None else sha256(b"\x01", below, path[-1])
    below = ref_root_from_path(leaf, m - k, n - k, path[:-1])
    return None if below is None else sha256(b"\x01", path[-1], below)


def ref_verify_inclusion(leaf: bytes, m: int, n: int, path: Sequence[bytes], root: bytes) -> bool:
    return 0 <= m < n and ref_root_from_path(leaf, m, n, list(path)) == root


def ref_roots_from_proof(m: int, n: int, proof: list[bytes], b: bool, old_root: bytes) -> tuple[bytes, bytes] | None:
    """(MTH(D[m]), MTH(D[n])) as `proof` = SUBPROOF(m, D[n], b) implies them; None if it has not the shape."""
    if m == n:
        if b:
            return None if proof else (old_root, old_root)
        return (proof[0], proof[0]) if len(proof) == 1 else None
    if not proof:
        return None
    k = largest_power_of_two_below(n)
    if m <= k:
        below = ref_roots_from_proof(m, k, proof[:-1], b, old_root)
        return None if below is None else (below[0], sha256(b"\x01", below[1], proof[-1]))
    below = ref_roots_from_proof(m - k, n - k, proof[:-1], False, old_root)
    return None if below is None else (sha256(b"\x01", proof[-1], below[0]), sha256(b"\x01", proof[-1], below[1]))


def ref_verify_consistency(m: int, n: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    return 0 < m <= n and ref_roots_from_proof(m, n, list(proof), True, old_root) == (old_root, new_root)


# --- the log used throughout ---------------------------------------------------------------------------------

EVENTS = [f"event {i}".encode() for i in range(8200)]
REF = Rfc9162(EVENTS)
HASHES = [REF.leaf(i) for i in range(len(EVENTS))]
ROOTS = [REF.mth(0, n) for n in range(301)]


def flip(value: bytes, position: int = 0) -> bytes:
    """`value` with one bit changed."""
    return value[:position] + bytes([value[position] ^ 1]) + value[position + 1:]


POWERS_OF_TWO = frozenset(2**j for j in range(65))


def lookup(stored: Mapping[tuple[int, int], bytes]) -> Callable[[int, int], bytes | None]:
    return lambda start, end: stored.get((start, end))


def ref_cache(start: int, end: int) -> bytes | None:
    """Every perfect subtree of the log, from the reference; asked for anything else, it fails the test."""
    width = end - start
    assert width in POWERS_OF_TWO and start % width == 0, (start, end)
    return REF.mth(start, end)


class Reads:
    """A node source over HASHES that records each `get_leaves` and `cache` call."""

    def __init__(self, min_cached: int | None = None) -> None:
        self.reads: list[tuple[int, int]] = []
        self.asked: list[tuple[int, int]] = []
        self.min_cached = min_cached

    def get_leaves(self, start: int, end: int) -> list[bytes]:
        self.reads.append((start, end))
        return HASHES[start:end]

    def cache(self, start: int, end: int) -> bytes | None:
        self.asked.append((start, end))
        if self.min_cached is None or end - start < self.min_cached:
            return None
        return REF.mth(start, end)

    @property
    def leaves_read(self) -> int:
        return sum(end - start for start, end in self.reads)


# --- hashing and known answers -------------------------------------------------------------------------------

EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

#: MTH over the leaves bytes([0]) … bytes([n-1]), computed once with the reference above
KNOWN_ROOTS = {
    1: "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    2: "a20bf9a7cc2dc8a08f5f415a71b19f6ac427bab54d24eec868b5d3103449953a",
    3: "3b6cccd7e3e023ff393006f030315ee7ad9eb111b022b41fba7e5b7a3973f688",
    7: "3560191803028444b232018ac047fdb561c09c23a7a6876c85e08b5e4d48e9f3",
    8: "ef7f49b620f6c7ea9b963a214da34b5021c6ded8ed57734380a311ab726aa907",
}

#: the eight entries of the Certificate Transparency test data and the tree heads of their prefixes, as every
#: RFC 6962 / RFC 9162 implementation computes them
CT_ENTRIES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def test_the_empty_tree_hashes_to_sha256_of_nothing():
    assert tree_root([]).hex() == EMPTY
    assert Frontier().root().hex() == EMPTY
    assert subtree_hash(Reads().get_leaves, 7, 7).hex() == EMPTY


def test_leaf_and_node_hashes_carry_their_prefix_byte():
    assert leaf_hash(b"").hex() == CT_ROOTS[0]  # SHA-256(0x00)
    assert leaf_hash(b"event 0") == hashlib.sha256(b"\x00event 0").digest()
    left, right = HASHES[0], HASHES[1]
    assert node_hash(left, right) == hashlib.sha256(b"\x01" + left + right).digest()
    assert [leaf_hash(event) for event in EVENTS[:300]] == HASHES[:300]


@pytest.mark.parametrize("n", sorted(KNOWN_ROOTS))
def test_known_roots(n):
    leaves = [bytes([i]) for i in range(n)]
    assert Rfc9162(leaves).mth(0, n).hex() == KNOWN_ROOTS[n]
    assert tree_root([leaf_hash(leaf) for leaf in leaves]).hex() == KNOWN_ROOTS[n]


def test_certificate_transparency_tree_heads():
    hashes = [leaf_hash(bytes.fromhex(entry)) for entry in CT_ENTRIES]
    assert [tree_root(hashes[:n]).hex() for n in range(1, 9)] == CT_ROOTS
    frontier = Frontier()
    for n, leaf in enumerate(hashes, start=1):
        frontier.append(leaf)
        assert frontier.root().hex() == CT_ROOTS[n - 1]


def test_tree_root_equals_the_reference_at_every_size():
    assert [tree_root(HASHES[:n]) for n in range(301)] == ROOTS
    assert tree_root(tuple(HASHES[:1000])) == REF.mth(0, 1000)


def test_tree_root_refuses_what_is_not_a_leaf_hash():
    for bad in (b"x" * 31, b"x" * 33, "x" * 32, None):
        with pytest.raises(ValueError, match=rf"^a leaf hash is not 32 bytes: {re.escape(repr(bad))}$"):
            tree_root([*HASHES[:2], bad, HASHES[3]])
    with pytest.raises(ValueError, match=r"^a leaf hash is not 32 bytes: b'xxx'$"):
        tree_root([b"xxx"])
    with pytest.raises(ValueError, match=r"^a leaf hash is not 32 bytes: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'$"):
        tree_root(["x" * 32])


# --- inclusion proofs ----------------------------------------------------------------------------------------


def test_inclusion_proofs_equal_the_reference_for_every_size_and_index_up_to_128():
    for n in range(1, 129):
        hashes = HASHES[:n]
        for index in range(n):
            proof = inclusion_proof(hashes, index)
            assert proof == REF.path(index, n), (n, index)
            assert verify_inclusion(hashes[index], index, n, proof, ROOTS[n]) is True


def test_inclusion_proofs_up_to_300_from_a_cache_and_from_the_list():
    # Every size and index through the node-source builder (each proof costs O(log n) with the cache), and
    # sampled indices through the list wrapper, which hashes the whole tree for each proof.
    sample = random.Random(9162)
    for n in range(1, 301):
        for index in range(n):
            proof = inclusion_proof_from(Reads().get_leaves, n, index, ref_cache)
            assert proof == REF.path(index, n), (n, index)
            assert verify_inclusion(HASHES[index], index, n, proof, ROOTS[n]) is True
        if n > 128:
            for index in {0, 1, n // 2, n - 2, n - 1, sample.randrange(n)}:
                assert inclusion_proof(HASHES[:n], index) == REF.path(index, n), (n, index)


def test_a_one_leaf_tree_has_an_empty_proof():
    assert inclusion_proof(HASHES[:1], 0) == []
    assert verify_inclusion(HASHES[0], 0, 1, [], HASHES[0]) is True
    assert verify_inclusion(HASHES[0], 0, 1, [HASHES[1]], HASHES[0]) is False


def inclusion_tamperings(n: int, index: int, proof: list[bytes]):
    """(what changed, leaf, index, size, proof, root) for every way of spoiling a valid inclusion proof."""
    leaf, root = HASHES[index], ROOTS[n]
    yield "leaf", flip(leaf), index, n, proof, root
    yield "another leaf", HASHES[index + 1], index, n, proof, root
    yield "root", leaf, index, n, proof, flip(root, 31)
    yield "added at the end", leaf, index, n, [*proof, HASHES[n]], root
    yield "added at the start", leaf, index, n, [HASHES[n], *proof], root
    yield "the root added", leaf, index, n, [*proof, root], root
    for i in range(len(proof)):
        yield f"element {i} changed", leaf, index, n, [*proof[:i], flip(proof[i], i), *proof[i + 1:]], root
        yield f"element {i} dropped", leaf, index, n, proof[:i] + proof[i + 1:], root
    for i in range(len(proof) - 1):
        yield f"elements {i} and {i + 1} swapped", leaf, index, n, [*proof[:i], proof[i + 1], proof[i], *proof[i + 2:]], root
    for other in (index - 1, index + 1, index ^ 1, index + n, -1):
        yield f"index {other}", leaf, other, n, proof, root
    yield "size + 1 with its own root", leaf, index, n + 1, proof, ROOTS[n + 1]
    yield "size - 1 with its own root", leaf, index, n - 1, proof, ROOTS[n - 1]
    yield "size 0", leaf, index, 0, proof, root


def test_every_spoiled_inclusion_proof_is_refused_up_to_48():
    for n in range(1, 49):
        for index in range(n):
            proof = REF.path(index, n)
            for what, *args in inclusion_tamperings(n, index, proof):
                assert verify_inclusion(*args) is False, (n, index, what)
                assert not ref_verify_inclusion(*args), (n, index, what)


def test_a_wrong_size_with_the_right_root_is_decided_as_the_rfc_decides():
    # An inclusion proof binds the size through the root only: PATH(0, D[5]) = [h1, h23, h4] also rebuilds
    # MTH(D[5]) when read as a proof in a tree of 6, so only the root (MTH(D[6]) there) tells them apart.
    accepted = []
    for n in range(1, 101):
        for index in range(n):
            proof = REF.path(index, n)
            for size in (n - 1, n + 1):
                verdict = verify_inclusion(HASHES[index], index, size, proof, ROOTS[n])
                assert verdict is ref_verify_inclusion(HASHES[index], index, size, proof, ROOTS[n]), (n, index, size)
                if verdict:
                    accepted.append((index, n, size))
    assert (0, 5, 6) in accepted
    assert verify_inclusion(HASHES[0], 0, 6, REF.path(0, 5), REF.mth(0, 6)) is False


def test_inclusion_verification_refuses_malformed_arguments_without_raising():
    leaf, proof, root = HASHES[2], REF.path(2, 5), ROOTS[5]
    assert verify_inclusion(leaf, 2, 5, proof, root) is True
    cases = [
        (leaf, -1, 5, proof, root), (leaf, 2, -5, proof, root), (leaf, 5, 5, proof, root), (leaf, 2, 0, [], root),
        (leaf, "2", 5, proof, root), (leaf, 2.0, 5, proof, root), (leaf, 2, None, proof, root),
        (leaf[:31], 2, 5, proof, root), (leaf + b"\x00", 2, 5, proof, root), (leaf.hex(), 2, 5, proof, root),
        (leaf, 2, 5, proof, root[:31]), (leaf, 2, 5, proof, None), (leaf, 2, 5, proof, root.hex()),
        (leaf, 2, 5, [proof[0][:31], *proof[1:]], root), (leaf, 2, 5, [proof[0].hex(), *proof[1:]], root),
        (leaf, 2, 5, [*proof[:2], None], root), (leaf, 2, 5, None, root), (leaf, 2, 5, 7, root),
        (leaf, 2, 5, b"".join(proof), root), (leaf, 2, 5, "".join(p.hex() for p in proof), root),
        (leaf, 2, 5, [bytearray(p) for p in proof], root), (None, 0, 1, [], None),
    ]
    for case in cases:
        assert verify_inclusion(*case) is False, case


def test_inclusion_verification_checks_every_hash_length():
    # A 31-byte "leaf" hashed with a real proof gives a real 32-byte root: only the length check refuses it.
    short = b"x" * 31
    assert verify_inclusion(short, 0, 2, [HASHES[1]], node_hash(short, HASHES[1])) is False
    assert verify_inclusion(short, 0, 1, [], short) is False
    assert verify_inclusion(HASHES[0], 0, 2, [short], node_hash(HASHES[0], short)) is False
    assert verify_inclusion(HASHES[0], 0, 3, [HASHES[1], short], node_hash(ROOTS[2], short)) is False
    assert verify_inclusion(HASHES[0], 0, 2, [HASHES[1]], node_hash(HASHES[0], HASHES[1])) is True


def test_inclusion_proofs_refuse_bad_arguments():
    for size, index in ((5, 5), (5, 6), (5, -1), (0, 0), (5, "1"), (5, 1.0), (5, None)):
        with pytest.raises(ValueError, match=rf"^leaf index {index!r} is not in a tree of {size} leaves$"):
            inclusion_proof(HASHES[:size], index)
    for size in (-1, merkle.MAX_SIZE + 1, 2.0, None):
        with pytest.raises(ValueError, match=rf"^tree size {size!r} is not between 0 and 2\^64$"):
            inclusion_proof_from(Reads().get_leaves, size, 0)


# --- consistency proofs --------------------------------------------------------------------------------------


def test_consistency_verification_refuses_malformed_arguments_without_raising():
    proof = REF.proof(3, 7)
    old, new = ROOTS[3], ROOTS[7]
    assert verify_consistency(3, 7, old, new, proof) is True
    # Sizes that are no numbers first, then sizes 0: these are the order a mistaken check fails fastest in.
    cases = [
        (0, 0, ROOTS[0], ROOTS[0], []), ("3", 7, old, new, proof), (3, 7.0, old, new, proof), (None, 7, old, new, proof),
        (0, 7, ROOTS[0], new, proof), (0, 7, ROOTS[0], new, []),
        (-3, 7, old, new, proof), (3, -7, old, new, proof), (8, 7, old, new, proof), (7, 3, new, old, proof),
        (3, 7, old, new, []), (4, 7, ROOTS[4], new, []), (3, 7, old, new, ()),
        (3, 7, old[:31], new, proof), (3, 7, old, new + b"\x00", proof), (3, 7, old.hex(), new, proof),
        (3, 7, old, None, proof), (3, 7, old, new, [*proof[:3], proof[3][:31]]), (3, 7, old, new, [None, *proof]),
        (3, 7, old, new, None), (3, 7, old, new, 4), (3, 7, old, new, b"".join(proof)),
        (3, 7, old, new, [p.hex() for p in proof]), (3, 7, old, new, [bytearray(p) for p in proof]),
        (5, 5, ROOTS[5][:31], ROOTS[5][:31], []), (5, 5, "x", "x", []),
    ]
    for case in cases:
        assert verify_consistency(*case) is False, case


def test_consistency_proofs_equal_the_reference_for_every_pair_up_to_150():
    for n in range(1, 151):
        hashes = HASHES[:n]
        for m in range(1, n + 1):
            proof = consistency_proof(hashes, m)
            assert proof == REF.proof(m, n), (m, n)
            assert verify_consistency(m, n, ROOTS[m], ROOTS[n], proof) is True


def test_consistency_proofs_up_to_300_from_a_cache_and_from_the_list():
    sample = random.Random(6962)
    for _ in range(3000):
        n = sample.randrange(151, 301)
        m = sample.randrange(1, n + 1)
        proof = consistency_proof_from(Reads().get_leaves, m, n, ref_cache)
        assert proof == REF.proof(m, n), (m, n)
        assert verify_consistency(m, n, ROOTS[m], ROOTS[n], proof) is True
    for _ in range(200):
        n = sample.randrange(151, 301)
        m = sample.randrange(1, n + 1)
        assert consistency_proof(HASHES[:n], m) == REF.proof(m, n), (m, n)


def test_known_consistency_proofs():
    assert consistency_proof(HASHES[:8], 8) == []
    assert consistency_proof(HASHES[:8], 4) == [REF.mth(4, 8)]
    # RFC 9162 §2.1.4.3's example tree of seven leaves d0 … d6: a … f and j (over d6) are leaf hashes,
    # g, h, i the pairs, k = MTH(D[0:4]) and l = MTH(D[4:7]).
    b, c, d, f = HASHES[1], HASHES[2], HASHES[3], HASHES[5]
    g, h, i, j, k, l_ = REF.mth(0, 2), REF.mth(2, 4), REF.mth(4, 6), HASHES[6], REF.mth(0, 4), REF.mth(4, 7)
    assert consistency_proof(HASHES[:7], 3) == [c, d, g, l_]
    assert consistency_proof(HASHES[:7], 4) == [l_]
    assert consistency_proof(HASHES[:7], 6) == [i, j, k]
    # … and §2.1.3.3's inclusion proofs in it.
    assert inclusion_proof(HASHES[:7], 0) == [b, h, l_]
    assert inclusion_proof(HASHES[:7], 3) == [c, g, l_]
    assert inclusion_proof(HASHES[:7], 4) == [f, j, k]
    assert inclusion_proof(HASHES[:7], 6) == [i, k]


def consistency_tamperings(m: int, n: int, proof: list[bytes]):
    """(what changed, old size, new size, old root, new root, proof) for every way of spoiling a valid one."""
    old, new = ROOTS[m], ROOTS[n]
    yield "old root", m, n, flip(old), new, proof
    yield "new root", m, n, old, flip(new, 31), proof
    yield "roots swapped", m, n, new, old, proof
    yield "added at the end", m, n, old, new, [*proof, HASHES[0]]
    yield "added at the start", m, n, old, new, [HASHES[0], *proof]
    yield "the old root added", m, n, old, new, [old, *proof]
    for i in range(len(proof)):
        yield f"element {i} changed", m, n, old, new, [*proof[:i], flip(proof[i], i), *proof[i + 1:]]
        yield f"element {i} dropped", m, n, old, new, proof[:i] + proof[i + 1:]
    for i in range(len(proof) - 1):
        yield f"elements {i} and {i + 1} swapped", m, n, old, new, [*proof[:i], proof[i + 1], proof[i], *proof[i + 2:]]
    yield "old size + 1 with its root", m + 1, n, ROOTS[m + 1], new, proof
    yield "old size - 1 with its root", m - 1, n, ROOTS[m - 1], new, proof
    yield "new size + 1 with its root", m, n + 1, old, ROOTS[n + 1], proof
    yield "new size - 1 with its root", m, n - 1, old, ROOTS[n - 1], proof
    yield "sizes swapped", n, m, new, old, proof
    yield "old size 0", 0, n, ROOTS[0], new, proof
    yield "old size 0, no proof", 0, n, ROOTS[0], new, []


def test_every_spoiled_consistency_proof_is_refused_up_to_48():
    for n in range(1, 49):
        for m in range(1, n + 1):
            proof = REF.proof(m, n)
            for what, *args in consistency_tamperings(m, n, proof):
                if m == n and what in ("roots swapped", "sizes swapped"):
                    continue  # the same tree both ways
                assert verify_consistency(*args) is False, (m, n, what)
                assert not ref_verify_consistency(*args), (m, n, what)


def test_a_wrong_size_with_the_right_roots_is_decided_as_the_rfc_decides():
    for n in range(1, 65):
        for m in range(1, n + 1):
            proof = REF.proof(m, n)
            for old_size, new_size in ((m - 1, n), (m + 1, n), (m, n - 1), (m, n + 1)):
                verdict = verify_consistency(old_size, new_size, ROOTS[m], ROOTS[n], proof)
                assert verdict is ref_verify_consistency(old_size, new_size, ROOTS[m], ROOTS[n], proof), (m, n)


def test_equal_sizes_need_equal_roots_and_no_proof():
    assert verify_consistency(5, 5, ROOTS[5], ROOTS[5], []) is True
    assert verify_consistency(5, 5, ROOTS[5], ROOTS[5], ()) is True
    assert verify_consistency(5, 5, ROOTS[5], ROOTS[6], []) is False
    assert verify_consistency(5, 5, ROOTS[5], ROOTS[5], [ROOTS[5]]) is False
    assert verify_consistency(1, 1, HASHES[0], HASHES[0], []) is True


def test_consistency_verification_checks_every_hash_length():
    short = b"x" * 31
    # A 31-byte old root at a power-of-two size goes into the proof as it is, and a real new root comes out.
    assert verify_consistency(1, 2, short, node_hash(short, HASHES[1]), [HASHES[1]]) is False
    assert verify_consistency(1, 2, HASHES[0], node_hash(HASHES[0], short), [short]) is False
    assert verify_consistency(1, 2, HASHES[0], ROOTS[2], [HASHES[1]]) is True


def test_consistency_proofs_refuse_bad_arguments():
    for old_size, new_size in ((0, 5), (6, 5), (-1, 5), ("1", 5), (1.0, 5), (None, 5), (1, 0)):
        with pytest.raises(ValueError, match=rf"^old size {old_size!r} is not between 1 and the new size {new_size}$"):
            consistency_proof(HASHES[:new_size], old_size)
    for size in (-1, merkle.MAX_SIZE + 1, "5"):
        with pytest.raises(ValueError, match=rf"^tree size {size!r} is not between 0 and 2\^64$"):
            consistency_proof_from(Reads().get_leaves, 1, size)


@settings(max_examples=300, deadline=None)
@given(
    value=st.one_of(st.binary(min_size=32, max_size=32), st.binary(max_size=40), st.none(), st.text(max_size=4)),
    other=st.one_of(st.binary(min_size=32, max_size=32), st.binary(max_size=40), st.integers()),
    a=st.integers(), b=st.integers(),
    proof=st.one_of(st.lists(st.binary(min_size=32, max_size=32), max_size=70),
                    st.lists(st.one_of(st.binary(max_size=40), st.none(), st.integers()), max_size=8),
                    st.none(), st.integers(), st.binary(max_size=64), st.text(max_size=8)),
)
def test_fuzz_verifiers_never_raise(value, other, a, b, proof):
    assert verify_inclusion(value, a, b, proof, other) in (True, False)
    assert verify_consistency(a, b, value, other, proof) in (True, False)


# --- the node source and its cache ---------------------------------------------------------------------------


def perfect_cache(size: int, smallest: int) -> dict[tuple[int, int], bytes]:
    """Every perfect subtree of at least `smallest` leaves inside a tree of `size` leaves."""
    stored = {}
    width = smallest
    while width <= size:
        for start in range(0, size - width + 1, width):
            stored[start, start + width] = REF.mth(start, start + width)
        width *= 2
    return stored


def test_with_a_cache_an_inclusion_proof_reads_only_the_small_subtrees():
    stored = perfect_cache(4096, 16)
    for index in range(4096):
        source = Reads()
        proof = inclusion_proof_from(source.get_leaves, 4096, index, lookup(stored))
        assert proof == REF.path(index, 4096), index
        assert source.leaves_read == 15 and len(source.reads) == 4, index  # the siblings of 8, 4, 2 and 1 leaves
    source = Reads()
    inclusion_proof_from(source.get_leaves, 4096, 0, lookup(stored))
    assert source.reads == [(8, 16), (4, 8), (2, 4), (1, 2)]


@pytest.mark.parametrize("size", [4000, 4093, 4095, 3001])
def test_with_a_cache_proofs_in_a_ragged_tree_read_a_bounded_number_of_leaves(size):
    stored = perfect_cache(size, 16)
    worst_inclusion = worst_consistency = 0
    for index in [*range(0, size, 97), size - 1]:
        source = Reads()
        assert inclusion_proof_from(source.get_leaves, size, index, lookup(stored)) == REF.path(index, size)
        assert len(source.reads) <= 2 * 12
        worst_inclusion = max(worst_inclusion, source.leaves_read)
        source = Reads()
        assert consistency_proof_from(source.get_leaves, index + 1, size, lookup(stored)) == REF.proof(index + 1, size)
        assert len(source.reads) <= 4 * 12
        worst_consistency = max(worst_consistency, source.leaves_read)
    assert worst_inclusion <= 64
    assert worst_consistency <= 128


def test_without_a_cache_the_leaves_are_read_in_batches():
    source = Reads()
    assert subtree_hash(source.get_leaves, 0, 4096) == REF.mth(0, 4096)
    assert source.reads == [(0, 4096)]
    source = Reads()
    assert subtree_hash(source.get_leaves, 0, 4096 + 1) == REF.mth(0, 4097)
    assert source.reads == [(0, 4096), (4096, 4097)]
    source = Reads()
    assert subtree_hash(source.get_leaves, 3, 15) == REF.mth(3, 15)
    assert source.reads == [(3, 15)]


def test_with_a_cache_only_perfect_subtrees_are_asked_for_and_ragged_ranges_are_split():
    source = Reads(min_cached=4)
    assert subtree_hash(source.get_leaves, 0, 13, source.cache) == REF.mth(0, 13)
    assert source.asked == [(0, 8), (8, 12), (12, 13)]
    assert source.reads == [(12, 13)]
    # A miss on a perfect subtree reads it at once; a range starting off its alignment is no perfect subtree.
    source = Reads(min_cached=64)
    assert subtree_hash(source.get_leaves, 0, 12, source.cache) == REF.mth(0, 12)
    assert source.asked == [(0, 8), (8, 12)]
    assert source.reads == [(0, 8), (8, 12)]
    source = Reads(min_cached=1)
    assert subtree_hash(source.get_leaves, 3, 5, source.cache) == sha256(b"\x01", HASHES[3], HASHES[4])
    assert source.asked == [(3, 4), (4, 5)]
    assert source.reads == []
    source = Reads(min_cached=64)
    assert subtree_hash(source.get_leaves, 6, 10, source.cache) == REF.mth(6, 10)
    assert source.asked == [(6, 8), (8, 10)]
    source = Reads(min_cached=10**9)
    assert subtree_hash(source.get_leaves, 0, 8192 + 1, source.cache) == REF.mth(0, 8193)
    assert source.asked == [(0, 8192), (0, 4096), (4096, 8192), (8192, 8193)]
    assert source.reads == [(0, 4096), (4096, 8192), (8192, 8193)]


def test_cached_and_uncached_proofs_agree():
    stored = perfect_cache(2500, 8)
    for size in (1, 2, 3, 17, 64, 1000, 2500):
        for index in sorted({0, size // 3, size - 1}):
            assert (inclusion_proof_from(Reads().get_leaves, size, index, lookup(stored))
                    == inclusion_proof(HASHES[:size], index))
            assert (consistency_proof_from(Reads().get_leaves, index + 1, size, lookup(stored))
                    == consistency_proof(HASHES[:size], index + 1))


def test_a_source_giving_the_wrong_number_of_leaves_is_refused():
    def short(start: int, end: int) -> list[bytes]:
        return HASHES[start:end - 1]

    with pytest.raises(ValueError, match=r"^get_leaves\(4, 8\) gave 3 leaf hashes, not 4$"):
        inclusion_proof_from(short, 8, 0)
    with pytest.raises(ValueError, match=r"^get_leaves\(0, 5\) gave 4 leaf hashes, not 5$"):
        subtree_hash(short, 0, 5)


def test_subtree_hash_refuses_what_is_not_a_range():
    for start, end in ((5, 4), (-1, 4), (0, merkle.MAX_SIZE + 1), ("0", 4), (0, 4.0)):
        with pytest.raises(ValueError, match=rf"^\[{start!r}, {end!r}\) is not a range of leaves$"):
            subtree_hash(Reads().get_leaves, start, end)


def test_proofs_in_the_largest_tree_stay_64_deep():
    fake = hashlib.sha256(b"stored").digest()

    def nothing(start: int, end: int) -> list[bytes]:
        raise AssertionError("no leaf is read when every perfect subtree is stored")

    asked: list[tuple[int, int]] = []

    def everything(start: int, end: int) -> bytes:
        asked.append((start, end))
        assert len(asked) <= 1000, "a proof asks for a number of stored subtrees bounded by the depth"
        assert (end - start) & (end - start - 1) == 0 and start % (end - start) == 0
        return fake

    def ragged(pieces: int) -> bytes:
        """MTH of a tree made of `pieces` stored perfect subtrees of falling sizes."""
        result = fake
        for _ in range(pieces - 1):
            result = sha256(b"\x01", fake, result)
        return result

    size = merkle.MAX_SIZE
    assert inclusion_proof_from(nothing, size, size - 1, everything) == [fake] * 64
    assert asked == [(0, 1 << 63), *((size - (2 << j), size - (1 << j)) for j in range(62, -1, -1))]
    # 2^64 - 1 leaves: 64 perfect subtrees, the right half of the tree made of 63 of them, 63 levels deep.
    assert inclusion_proof_from(nothing, size - 1, 0, everything) == [fake] * 63 + [ragged(63)]
    assert subtree_hash(nothing, 0, size - 1, everything) == ragged(64)
    assert subtree_hash(nothing, 0, size, everything) == fake
    assert len(REF.proof(2**12 - 3, 2**12)) == 13  # PROOF(2^k - 3, D[2^k]) has k + 1 hashes
    assert len(consistency_proof_from(nothing, size - 3, size, everything)) == 65


# --- the incremental tree ------------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(count=st.integers(min_value=0, max_value=500), salt=st.binary(max_size=4),
       cut=st.integers(min_value=0, max_value=500))
def test_the_frontier_root_equals_the_tree_root_at_every_size(count, salt, cut):
    entries = [salt + i.to_bytes(2, "big") for i in range(count)]
    hashes = [leaf_hash(entry) for entry in entries]
    reference = Rfc9162(entries)
    cut = min(cut, len(hashes))
    frontier = Frontier()
    for size, leaf in enumerate(hashes, start=1):
        frontier.append(leaf)
        assert frontier.size == size
        assert frontier.root() == reference.mth(0, size)
        assert len(frontier.nodes) == size.bit_count()
        assert Frontier.from_text(size, frontier.to_text()).nodes == frontier.nodes
        if size == cut:
            stored = (frontier.size, frontier.to_text())
            assert frontier.root() == tree_root(hashes[:cut])
    assert frontier.root() == tree_root(hashes)
    # Restored from the state stored mid-way, the tree continues to the same roots.
    restored = Frontier.from_text(*stored) if cut else Frontier()
    for size, leaf in enumerate(hashes[cut:], start=cut + 1):
        restored.append(leaf)
        assert restored.root() == reference.mth(0, size)
    assert restored.nodes == frontier.nodes and restored.size == len(hashes)


def test_the_frontier_over_the_log():
    frontier = Frontier()
    for size in range(1, 1100):
        frontier.append(HASHES[size - 1])
        assert frontier.root() == REF.mth(0, size), size
    assert frontier.nodes == (REF.mth(0, 1024), REF.mth(1024, 1088), REF.mth(1088, 1096), REF.mth(1096, 1098),
                              HASHES[1098])
    again = Frontier(frontier.size, frontier.nodes)
    again.append(HASHES[1099])
    assert again.root() == REF.mth(0, 1100)
    assert again.nodes == (REF.mth(0, 1024), REF.mth(1024, 1088), REF.mth(1088, 1096), REF.mth(1096, 1100))


def test_the_frontier_text_form():
    frontier = Frontier()
    assert frontier.to_text() == "" and frontier.nodes == () and frontier.size == 0
    assert Frontier.from_text(0, "").nodes == ()
    assert Frontier(2, iter([ROOTS[2]])).root() == ROOTS[2]
    for leaf in HASHES[:3]:
        frontier.append(leaf)
    assert frontier.to_text() == f"{REF.mth(0, 2).hex()},{HASHES[2].hex()}"
    assert frontier.nodes == (REF.mth(0, 2), HASHES[2])
    restored = Frontier.from_text(3, frontier.to_text())
    assert restored.size == 3 and restored.root() == ROOTS[3]
    assert Frontier.from_text(3, frontier.to_text().upper()).root() == ROOTS[3]


def test_a_stored_frontier_must_fit_its_size():
    two = (HASHES[0], HASHES[1])
    with pytest.raises(ValueError, match=r"^a tree of 3 leaves has 2 frontier nodes, not 1$"):
        Frontier(3, two[:1])
    with pytest.raises(ValueError, match=r"^a tree of 4 leaves has 1 frontier nodes, not 2$"):
        Frontier(4, two)
    with pytest.raises(ValueError, match=r"^a tree of 0 leaves has 0 frontier nodes, not 1$"):
        Frontier.from_text(0, HASHES[0].hex())
    with pytest.raises(ValueError, match=r"^a leaf hash is not 32 bytes: "):
        Frontier(3, (HASHES[0], HASHES[1][:31]))
    with pytest.raises(ValueError, match=r"^a leaf hash is not 32 bytes: "):
        Frontier.from_text(1, "abcd")
    with pytest.raises(ValueError):
        Frontier.from_text(1, "zz" * 32)
    with pytest.raises(ValueError):
        Frontier.from_text(2, HASHES[0].hex() + ",")
    for size in (-1, merkle.MAX_SIZE + 1, "1", 1.0):
        with pytest.raises(ValueError, match=rf"^tree size {size!r} is not between 0 and 2\^64$"):
            Frontier(size, (HASHES[0],))


def test_the_frontier_takes_only_leaf_hashes_and_stops_at_the_largest_tree():
    frontier = Frontier()
    for bad in (b"x" * 31, "x" * 32, None):
        with pytest.raises(ValueError, match=r"^a leaf hash is not 32 bytes: "):
            frontier.append(bad)
    assert frontier.size == 0 and frontier.nodes == ()
    full = Frontier(merkle.MAX_SIZE, [HASHES[3]])
    assert full.root() == HASHES[3] and full.to_text() == HASHES[3].hex()
    almost = Frontier(merkle.MAX_SIZE - 1, [HASHES[0]] * 64)
    almost.append(HASHES[1])
    assert almost.size == merkle.MAX_SIZE and len(almost.nodes) == 1
    with pytest.raises(ValueError, match=r"^the tree is full$"):
        almost.append(HASHES[2])
    assert almost.size == merkle.MAX_SIZE


def test_append_returns_the_perfect_subtrees_that_end_at_the_new_leaf():
    frontier = Frontier()
    for size in range(1, 300):
        completed = frontier.append(HASHES[size - 1])
        # one per trailing zero bit of the new size, and the leaf itself
        assert len(completed) == (size & -size).bit_length()
        for level, root in enumerate(completed):
            assert root == REF.mth(size - (1 << level), size), (size, level)
    assert frontier.append(HASHES[299])[0] == HASHES[299]
