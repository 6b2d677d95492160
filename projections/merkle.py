"""A Merkle tree over the event log, exactly as RFC 9162 (Certificate Transparency v2) §2.1.

The log's events, in log order, are the leaves. With SHA-256 as HASH:

    leaf hash  = HASH(0x00 ‖ leaf data)
    node hash  = HASH(0x01 ‖ left ‖ right)
    MTH({})    = HASH("")
    MTH(D[n])  = node hash of MTH(D[0:k]) and MTH(D[k:n]), k the largest power of two smaller than n (n > 1)

Every function here takes leaf *hashes* (already `leaf_hash`ed), so callers never rehash leaf data. The
proofs are RFC 9162's inclusion proof PATH (§2.1.3.1) and consistency proof PROOF (§2.1.4.1); the verifiers
are its algorithms (§2.1.3.2, §2.1.4.2) and answer False, never raise, for anything that does not verify.

The `*_from` builders read leaf hashes through `get_leaves(start, end)` (positions [start, end), 0-based) and
may ask `cache(start, end)` for the stored hash of a perfect subtree, so a proof over millions of events
neither loads every leaf hash nor rehashes the tree. `Frontier` is the incremental tree: the roots of the
perfect subtrees on the tree's right edge, from which appending a leaf and the root cost O(log n) hashing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()
MAX_SIZE = 1 << 64  # the largest tree (RFC 9162 sizes are uint64): no recursion over it is deeper than 64
READ_BATCH = 4096  # the most leaf hashes read at once (32 bytes each)

GetLeaves = Callable[[int, int], Sequence[bytes]]
Cache = Callable[[int, int], bytes | None]


def leaf_hash(data: bytes) -> bytes:
    """HASH(0x00 ‖ data): the hash of one entry of the log."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """HASH(0x01 ‖ left ‖ right): the hash of an inner node."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def tree_root(hashes: Sequence[bytes]) -> bytes:
    """MTH of the leaves whose hashes are given; the tree of no leaves hashes to SHA-256("")."""
    _require_hashes(hashes)
    if not hashes:
        return EMPTY_ROOT
    level = list(hashes)
    for _ in range(_depth(len(level))):
        # Pairing each level left to right, and lifting an odd last node as it is, builds the
        # RFC's tree: its left subtrees are perfect, and only the right edge is ragged.
        paired = list(map(node_hash, level[0::2], level[1::2]))
        level = paired + level[len(paired) * 2:]
    return level[0]


# --- proofs -------------------------------------------------------------------------------------------


def inclusion_proof(hashes: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(index, D[n]) over the tree of the leaf hashes given (RFC 9162 §2.1.3.1)."""
    return inclusion_proof_from(_list_source(hashes), len(hashes), index)


def consistency_proof(hashes: Sequence[bytes], old_size: int) -> list[bytes]:
    """PROOF(old_size, D[n]) from the tree of the first `old_size` leaves to the whole (RFC 9162 §2.1.4.1)."""
    return consistency_proof_from(_list_source(hashes), old_size, len(hashes))


def inclusion_proof_from(get_leaves: GetLeaves, size: int, index: int, cache: Cache | None = None) -> list[bytes]:
    """PATH(index, D[size]): the siblings on the way from the leaf up to the root, lowest first."""
    _require_tree_size(size)
    if not (_is_count(index) and index < size):
        raise ValueError(f"leaf index {index!r} is not in a tree of {size} leaves")
    siblings: list[bytes] = []
    start, end = 0, size
    while end - start > 1:  # walk down from the root: the proof is read bottom-up, so it is reversed
        middle = start + _split(end - start)
        if index < middle:
            siblings.append(_range_hash(get_leaves, cache, middle, end))
            end = middle
        else:
            siblings.append(_range_hash(get_leaves, cache, start, middle))
            start = middle
    siblings.reverse()
    return siblings


def consistency_proof_from(get_leaves: GetLeaves, old_size: int, new_size: int,
                           cache: Cache | None = None) -> list[bytes]:
    """PROOF(old_size, D[new_size]) = SUBPROOF(old_size, D[new_size], true); [] when the sizes are equal."""
    _require_tree_size(new_size)
    if not (_is_count(old_size) and 0 < old_size <= new_size):
        raise ValueError(f"old size {old_size!r} is not between 1 and the new size {new_size}")
    siblings: list[bytes] = []
    start, end = 0, new_size
    while old_size < end:
        middle = start + _split(end - start)
        if old_size <= middle:
            siblings.append(_range_hash(get_leaves, cache, middle, end))
            end = middle
        else:
            siblings.append(_range_hash(get_leaves, cache, start, middle))
            start = middle
    # Now [start, end) ends where the old tree does. Having never gone right (SUBPROOF's b still true), it is the
    # old tree itself, whose root the verifier holds; else the proof starts with its hash.
    if start:
        siblings.append(_range_hash(get_leaves, cache, start, end))
    siblings.reverse()
    return siblings


def subtree_hash(get_leaves: GetLeaves, start: int, end: int, cache: Cache | None = None) -> bytes:
    """MTH(D[start:end]), reading leaf hashes through `get_leaves` and stored perfect subtrees through `cache`."""
    if not (_is_count(start) and _is_count(end) and start <= end <= MAX_SIZE):
        raise ValueError(f"[{start!r}, {end!r}) is not a range of leaves")
    if start == end:
        return EMPTY_ROOT
    return _range_hash(get_leaves, cache, start, end)


def _range_hash(get_leaves: GetLeaves, cache: Cache | None, start: int, end: int) -> bytes:
    """MTH(D[start:end]) for a non-empty range; recursion is as deep as log2(end - start) + 1."""
    size = end - start
    perfect = _is_perfect(start, end)
    if perfect and cache is not None:
        stored = cache(start, end)
        if stored is not None:
            return stored
    # With a cache, a ragged range is split so that its perfect parts can come from the cache.
    if size <= READ_BATCH and (perfect or cache is None):
        return _read_root(get_leaves, start, end)
    middle = start + _split(size)
    return node_hash(_range_hash(get_leaves, cache, start, middle), _range_hash(get_leaves, cache, middle, end))


def _read_root(get_leaves: GetLeaves, start: int, end: int) -> bytes:
    leaves = get_leaves(start, end)
    if len(leaves) != end - start:
        raise ValueError(f"get_leaves({start}, {end}) gave {len(leaves)} leaf hashes, not {end - start}")
    return tree_root(leaves)


def _list_source(hashes: Sequence[bytes]) -> GetLeaves:
    def get_leaves(start: int, end: int) -> Sequence[bytes]:
        return hashes[start:end]

    return get_leaves


def _split(size: int) -> int:
    """k: the largest power of two smaller than `size` (size > 1)."""
    return 1 << (_depth(size) - 1)


def _depth(size: int) -> int:
    """How many levels of inner nodes the tree of `size` leaves has (size > 0): ceil(log2(size))."""
    return (size - 1).bit_length()


def _is_perfect(start: int, end: int) -> bool:
    """Whether [start, end) is a perfect subtree of the log's tree: 2^j leaves, starting at a multiple of 2^j."""
    size = end - start
    return size & (size - 1) == 0 and start % size == 0


def _require_tree_size(size: int) -> None:
    if not (_is_count(size) and size <= MAX_SIZE):
        raise ValueError(f"tree size {size!r} is not between 0 and 2^64")


# --- verification -------------------------------------------------------------------------------------


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """Whether `proof` shows the leaf hash at `index` in the tree of `size` leaves whose root is `root`
    (RFC 9162 §2.1.3.2)."""
    if not (_is_hash(leaf) and _is_hash(root) and _are_hashes(proof)):
        return False
    if not (_is_count(index) and _is_count(size) and index < size):
        return False
    fn, sn = index, size - 1
    result = leaf
    for sibling in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            fn, sn = _shift_to_right_child(fn, sn)
        else:
            result = node_hash(result, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and result == root


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """Whether `proof` shows the tree of `old_size` leaves with root `old_root` to be the start of the tree of
    `new_size` leaves with root `new_root` (RFC 9162 §2.1.4.2; equal sizes need equal roots and no proof, and an
    old size of 0 never verifies)."""
    if not (_is_hash(old_root) and _is_hash(new_root) and _are_hashes(proof)):
        return False
    if not (_is_count(old_size) and _is_count(new_size) and 0 < old_size <= new_size):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # the old tree is a perfect subtree: the proof leaves its root out
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    ones = _trailing_zeros(fn + 1)  # right-shift both equally until LSB(fn) is not set
    fn, sn = fn >> ones, sn >> ones
    old_result = new_result = path[0]
    for node in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            old_result = node_hash(node, old_result)
            new_result = node_hash(node, new_result)
            fn, sn = _shift_to_right_child(fn, sn)
        else:
            new_result = node_hash(new_result, node)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and old_result == old_root and new_result == new_root


def _shift_to_right_child(fn: int, sn: int) -> tuple[int, int]:
    """Right-shift both equally until LSB(fn) is set or fn is 0: climb to where the node is a right child.

    fn is never 0 here (fn == sn and sn > 0, or fn odd), so this is: shift by fn's trailing zero bits."""
    zeros = _trailing_zeros(fn)
    return fn >> zeros, sn >> zeros


def _trailing_zeros(value: int) -> int:
    """The number of trailing zero bits of a positive `value`. The verifiers shift by it at once rather than bit
    by bit, so none of their loops runs longer than the proof."""
    return (value ^ (value - 1)).bit_length() - 1  # ones at the trailing zeros and the lowest set bit


def _is_count(value: object) -> bool:
    return isinstance(value, int) and value >= 0


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == HASH_SIZE


def _are_hashes(values: object) -> bool:
    return isinstance(values, Sequence) and all(_is_hash(value) for value in values)


def _require_hashes(values: Sequence[bytes]) -> None:
    # Checked a whole list at once (`map` over builtins): tree_root reads thousands of leaf hashes at a time.
    if not (set(map(type, values)) <= {bytes} and set(map(len, values)) <= {HASH_SIZE}):
        wrong = next(value for value in values if not _is_hash(value))
        raise ValueError(f"a leaf hash is not {HASH_SIZE} bytes: {wrong!r}")


# --- the incremental tree -----------------------------------------------------------------------------


class Frontier:
    """The incremental tree: the roots of the perfect subtrees on the tree's right edge (at most log2(n)+1
    hashes), so appending a leaf costs O(log n) hashing and the root of n leaves is computed from them alone,
    never rehashing the tree.

    The subtrees are those of the set bits of `size`, largest (leftmost) first.
    """

    size: int

    def __init__(self, size: int = 0, nodes: Sequence[bytes] = ()) -> None:
        nodes = tuple(nodes)
        if not (_is_count(size) and size <= MAX_SIZE):
            raise ValueError(f"tree size {size!r} is not between 0 and 2^64")
        if len(nodes) != size.bit_count():
            raise ValueError(f"a tree of {size} leaves has {size.bit_count()} frontier nodes, not {len(nodes)}")
        _require_hashes(nodes)
        self.size = size
        self._nodes = list(nodes)

    def append(self, leaf: bytes) -> list[bytes]:
        """Add the next leaf hash: merge it with the equal-sized subtrees it completes. Returns the roots of the
        perfect subtrees that now end at this leaf, by level: item j covers the last 2^j leaves (item 0 is the
        leaf itself), so a caller can store the subtrees of the levels it keeps without rehashing them."""
        _require_hashes([leaf])
        if self.size >= MAX_SIZE:
            raise ValueError("the tree is full")
        merged, carry = leaf, self.size
        completed = [merged]
        while carry & 1:
            merged = node_hash(self._nodes.pop(), merged)
            completed.append(merged)
            carry >>= 1
        self._nodes.append(merged)
        self.size += 1
        return completed

    def root(self) -> bytes:
        """MTH of every leaf appended: the frontier's subtrees joined from the right."""
        if not self._nodes:
            return EMPTY_ROOT
        result = self._nodes[-1]
        for node in reversed(self._nodes[:-1]):
            result = node_hash(node, result)
        return result

    @property
    def nodes(self) -> tuple[bytes, ...]:
        """The state to store, left to right."""
        return tuple(self._nodes)

    def to_text(self) -> str:
        """The nodes as lowercase hex joined by ","; "" for the empty tree."""
        return ",".join(node.hex() for node in self._nodes)

    @classmethod
    def from_text(cls, size: int, text: str) -> Frontier:
        """The frontier stored by `to_text` for a tree of `size` leaves; ValueError if it is not one."""
        nodes = [bytes.fromhex(part) for part in text.split(",")] if text else []
        return cls(size, nodes)
