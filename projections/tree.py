"""The Merkle tree over the event log, kept in the read model beside the hash chain (RFC 9162 §2.1, see
`projections.merkle`).

Leaf i is the log's (i+1)-th stored event, in log order; its leaf data is the event's canonical form, the same
bytes the hash chain covers (`chain.canonical`). Three tables (migration m014) hold the tree:

- `merkle_leaves`: each leaf's index, the log position of its event and its leaf hash;
- `merkle_nodes`: the root of every complete perfect subtree of 2^level leaves for the levels in `KEPT_LEVELS`
  (a proof over millions of events then reads one stored root per level and a few dozen leaf hashes);
- `merkle_head`: the tree's size and its frontier (the roots of the perfect subtrees on its right edge).

The follower extends them in the same transaction as the batch's rows (`StoredTree.extend`): appending an
event hashes its leaf and the O(log n) nodes it completes, never the tree. Like the chain, they are not
projected tables: a rebuild keeps them and checks the replayed log against every stored leaf and subtree,
and `iku verify` recomputes the tree from the stored events and compares it (`TreeCheck`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from projections import merkle
from projections.merkle import Frontier
from projections.readmodel import ProjectionError

#: the lowest level whose perfect subtrees are stored (16 leaves): a proof then reads at most 15 leaf hashes per
#: level below it and one stored root per level above (about 1/8 as many rows as leaves)
LOWEST_KEPT = 4
KEPT_LEVELS = frozenset(range(LOWEST_KEPT, 65))


class TreeMismatchError(ProjectionError):
    """The replayed log disagrees with the Merkle tree stored when its events were first read."""


@dataclass(frozen=True)
class TreeHead:
    """The size of the tree and its root."""

    size: int
    root: bytes


class StoredTree:
    """The Merkle tree of one read model (`db`: a sqlite-utils Database)."""

    def __init__(self, db: Any) -> None:
        self.db = db

    # --- reading ---------------------------------------------------------------------------------------

    def size(self) -> int:
        row = self.db.execute("SELECT size FROM merkle_head WHERE id = 1").fetchone()
        return row[0] if row else 0

    def frontier(self) -> Frontier:
        row = self.db.execute("SELECT size, frontier FROM merkle_head WHERE id = 1").fetchone()
        return Frontier.from_text(row[0], row[1]) if row else Frontier()

    def head(self) -> TreeHead:
        frontier = self.frontier()
        return TreeHead(frontier.size, frontier.root())

    def last_position(self) -> int:
        """The log position of the tree's last leaf (0: an empty tree)."""
        row = self.db.execute("SELECT position FROM merkle_leaves ORDER BY leaf DESC LIMIT 1").fetchone()
        return row[0] if row else 0

    def leaves(self, start: int, end: int) -> list[bytes]:
        """The leaf hashes of leaves [start, end)."""
        return [row[0] for row in self.db.execute(
            "SELECT hash FROM merkle_leaves WHERE leaf >= ? AND leaf < ? ORDER BY leaf", [start, end])]

    def cached(self, start: int, end: int) -> bytes | None:
        """The stored root of the perfect subtree [start, end), if its level is kept."""
        level = (end - start).bit_length() - 1
        if level not in KEPT_LEVELS:
            return None
        row = self.db.execute("SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?",
                              [level, start >> level]).fetchone()
        return row[0] if row else None

    def root(self, size: int) -> bytes:
        """The root of the tree of the first `size` leaves (size ≤ the tree's size)."""
        self._require_size(size)
        return merkle.subtree_hash(self.leaves, 0, size, self.cached)

    def leaf(self, position: int) -> tuple[int, bytes] | None:
        """The index and leaf hash of the event at a log position (None: not in the tree)."""
        row = self.db.execute("SELECT leaf, hash FROM merkle_leaves WHERE position = ?", [position]).fetchone()
        return (row[0], row[1]) if row else None

    def size_at(self, position: int) -> int:
        """How many leaves the tree had once the event at `position` was added (leaves up to that position)."""
        row = self.db.execute("SELECT leaf FROM merkle_leaves WHERE position <= ? ORDER BY position DESC LIMIT 1",
                              [position]).fetchone()
        return row[0] + 1 if row else 0

    def inclusion(self, index: int, size: int) -> list[bytes]:
        self._require_size(size)
        return merkle.inclusion_proof_from(self.leaves, size, index, self.cached)

    def consistency(self, old_size: int, new_size: int) -> list[bytes]:
        self._require_size(new_size)
        return merkle.consistency_proof_from(self.leaves, old_size, new_size, self.cached)

    def frontier_at(self, size: int) -> Frontier:
        """The frontier of the tree of the first `size` leaves, from the stored tree."""
        self._require_size(size)
        nodes, start = [], 0
        for bit in reversed(range(size.bit_length())):
            if size >> bit & 1:
                nodes.append(merkle.subtree_hash(self.leaves, start, start + (1 << bit), self.cached))
                start += 1 << bit
        return Frontier(size, nodes)

    def _require_size(self, size: int) -> None:
        if size > self.size():
            raise ValueError(f"the tree has {self.size()} leaves, not {size}")

    # --- writing (in the caller's transaction) ------------------------------------------------------------

    def extend(self, first: int, rows: Sequence[tuple[int, bytes]]) -> None:
        """Add the leaves `rows` ((log position, leaf hash) in log order) as leaves `first`, `first`+1, …

        Past the tree's end they are appended; where the tree has them already (a rebuild replaying the log)
        they, and the subtrees they complete, must be the ones stored, or `TreeMismatchError`."""
        size = self.size()
        if first > size:
            raise TreeMismatchError(f"the Merkle tree has {size} leaves: leaf {first} cannot be added")
        frontier = self.frontier() if first == size else self.frontier_at(first)
        stored = {row[0]: (row[1], row[2]) for row in self.db.execute(
            "SELECT leaf, position, hash FROM merkle_leaves WHERE leaf >= ? AND leaf < ?", [first, first + len(rows)])}
        new_leaves, nodes = [], []
        for index, (position, leaf) in enumerate(rows, start=first):
            if index in stored:
                if stored[index] != (position, leaf):
                    raise TreeMismatchError(
                        f"the event at position {position} is not the leaf {index} of the Merkle tree stored when it "
                        f"was first read (run `iku verify`); the read model is left as it was")
            else:
                new_leaves.append((index, position, leaf))
            completed = frontier.append(leaf)
            nodes += [(level, (index + 1 >> level) - 1, completed[level])
                      for level in range(LOWEST_KEPT, len(completed))]
        self._put_nodes(nodes, replaying=first < size)
        self.db.conn.executemany("INSERT INTO merkle_leaves (leaf, position, hash) VALUES (?, ?, ?)", new_leaves)
        if frontier.size > size:
            self.db.conn.execute("INSERT OR REPLACE INTO merkle_head (id, size, frontier) VALUES (1, ?, ?)",
                                 [frontier.size, frontier.to_text()])

    def _put_nodes(self, nodes: list[tuple[int, int, bytes]], replaying: bool) -> None:
        if replaying:
            for level, idx, value in nodes:
                row = self.db.execute("SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?",
                                      [level, idx]).fetchone()
                if row is not None and row[0] != value:
                    raise TreeMismatchError(
                        f"the stored Merkle subtree of 2^{level} leaves from leaf {idx << level} differs from the "
                        f"replayed log (run `iku verify`); the read model is left as it was")
            self.db.conn.executemany("INSERT OR IGNORE INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)", nodes)
        else:
            self.db.conn.executemany("INSERT INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)", nodes)


class TreeCheck:
    """Recompute the tree from the stored events, one at a time in log order (`add`), and compare it with the
    stored leaves, subtrees and head (`finish`); each answers a problem code, or None."""

    def __init__(self, db: Any) -> None:
        self._rows: Iterator[tuple[int, int, bytes]] = iter(
            db.execute("SELECT leaf, position, hash FROM merkle_leaves ORDER BY leaf"))
        self._nodes = {(level, idx): value for level, idx, value in
                       db.execute("SELECT level, idx, hash FROM merkle_nodes")}
        self._head = StoredTree(db).frontier()
        self.frontier = Frontier()
        self._ended = False  # the stored leaves ran out (a read model still catching up)
        self._root_at_head: bytes | None = None  # the recomputed root at the stored head's size

    def add(self, position: int, data: bytes) -> str | None:
        leaf = merkle.leaf_hash(data)
        index = self.frontier.size
        completed = self.frontier.append(leaf)
        if self.frontier.size == self._head.size:
            self._root_at_head = self.frontier.root()
        if self._ended:
            return None
        row = next(self._rows, None)
        if row is None:
            self._ended = True
            return "tree_leaf" if index < self._head.size else None  # a leaf the head counts is gone
        if tuple(row) != (index, position, leaf):
            return "tree_leaf"
        for level in range(LOWEST_KEPT, len(completed)):
            if self._nodes.pop((level, (index + 1 >> level) - 1), None) != completed[level]:
                return "tree_node"
        return None

    def finish(self) -> str | None:
        if next(self._rows, None) is not None:
            return "tree_leaf"  # a stored leaf that no stored event is
        if self._nodes:
            return "tree_node"  # a stored subtree of leaves that are not there
        if self._head.size and self._head.root() != self._root_at_head:
            return "tree_head"  # the stored head is not the tree of that many stored events
        return None
