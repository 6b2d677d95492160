"""Merkle proofs over the event log (RFC 9162): that an event is in the log a seal names (inclusion), and that
the log a later seal names only grew from the one an earlier seal names (consistency).

Seals of either kind are accepted: a tree seal (`mth:SIZE:ROOT`) names its tree head; a chain seal printed
before the tree existed (`POSITION:DIGEST`) is resolved to the tree head at its position once its digest is
found in the read model's chain (which `iku verify` proves against the stored events).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from projections import chain, merkle
from projections.tree import StoredTree
from services.errors import ConfigurationError


class ProofError(ConfigurationError):
    """A proof cannot be given (a seal this log never had, a position not in it): said in the reader's language."""


@dataclass(frozen=True)
class Head:
    """A tree head: `size` events and their root; `given`: the seal it was named by (an old chain seal names it
    by its position and digest), empty for this log's head now."""

    size: int
    root: bytes
    given: str = ""

    def text(self) -> str:
        """The head as a tree seal, `mth:SIZE:ROOT`."""
        return f"{chain.TREE_PREFIX}{self.size}:{self.root.hex()}"

    @property
    def seal(self) -> str:
        """The seal as given, or as a tree seal."""
        return self.given or self.text()


@dataclass(frozen=True)
class Inclusion:
    position: int
    index: int
    leaf: bytes
    head: Head
    proof: list[bytes]
    ok: bool

    def as_json(self) -> dict[str, Any]:
        return {"position": self.position, "leaf_index": self.index, "leaf_hash": self.leaf.hex(),
                "tree_size": self.head.size, "root": self.head.root.hex(), "seal": self.head.text(),
                "proof": [node.hex() for node in self.proof], "verified": self.ok}


@dataclass(frozen=True)
class Consistency:
    old: Head
    new: Head
    proof: list[bytes] = field(default_factory=list)
    ok: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"old_seal": self.old.seal, "old_size": self.old.size, "old_root": self.old.root.hex(),
                "new_seal": self.new.text(), "new_size": self.new.size, "new_root": self.new.root.hex(),
                "proof": [node.hex() for node in self.proof], "verified": self.ok}


def current(db: Any) -> Head:
    """The read model's tree head now."""
    tree = StoredTree(db).head()
    if tree.size == 0:
        raise ProofError("log masih kosong: belum ada segel pohon Merkle")
    return Head(tree.size, tree.root)


def resolve(db: Any, seal: chain.Seal) -> Head:
    """The tree head a seal names, checked against this log: a tree seal's size must be in the tree (its root is
    then compared by the proof), a chain seal's digest must be the chain's at its position."""
    tree = StoredTree(db)
    if seal.names_tree:
        if seal.size > tree.size():
            raise ProofError("segel %(seal)s menunjuk %(size)s peristiwa, log ini baru berisi %(have)s",
                             seal=str(seal), size=seal.size, have=tree.size())
        return Head(seal.size, bytes.fromhex(seal.root))  # named by itself: its text is the tree seal
    row = db.execute("SELECT digest FROM chain WHERE position = ?", [seal.position]).fetchone()
    if row is None or row[0] != seal.digest:
        raise ProofError("segel %(seal)s tidak ditemukan di rantai log ini (jalankan iku verify --seal)",
                         seal=str(seal))
    size = tree.size_at(seal.position)
    if size == 0 or tree.last_position() < seal.position:
        raise ProofError("pohon Merkle belum mencapai posisi %(position)s; jalankan iku rebuild",
                         position=seal.position)
    return Head(size, tree.root(size), str(seal))


def inclusion(db: Any, position: int, seal: chain.Seal | None = None) -> Inclusion:
    """The inclusion proof of the event at a log position in the tree a seal names (default: now)."""
    head = resolve(db, seal) if seal is not None else current(db)
    tree = StoredTree(db)
    found = tree.leaf(position)
    if found is None:
        raise ProofError("tidak ada peristiwa di posisi %(position)s", position=position)
    index, leaf = found
    if index >= head.size:
        raise ProofError("peristiwa di posisi %(position)s dicatat sesudah segel %(seal)s", position=position,
                         seal=head.seal)
    proof = tree.inclusion(index, head.size)
    return Inclusion(position, index, leaf, head, proof, merkle.verify_inclusion(leaf, index, head.size, proof,
                                                                                 head.root))


def inclusions(db: Any, positions: list[int], head: Head) -> dict[int, tuple[int, list[bytes]]]:
    """Each position's leaf index and inclusion proof in the tree of `head`, this read model's head: every event
    a snapshot of the read model shows is a leaf of its tree."""
    tree = StoredTree(db)
    found: dict[int, tuple[int, list[bytes]]] = {}
    for position in positions:
        index = tree.leaf(position)[0]
        found[position] = (index, tree.inclusion(index, head.size))
    return found


def consistency(db: Any, old: chain.Seal, new: chain.Seal | None = None) -> Consistency:
    """The consistency proof from the tree an earlier seal names to a later one's (default: now), and whether it
    verifies against both roots (False: the log is not the one the earlier seal was printed from)."""
    old_head = resolve(db, old)
    new_head = resolve(db, new) if new is not None else current(db)
    if old_head.size > new_head.size:
        raise ProofError("segel lama %(old)s lebih besar (%(size)s peristiwa) dari segel baru %(new)s",
                         old=old_head.seal, size=old_head.size, new=new_head.seal)
    tree = StoredTree(db)
    proof = tree.consistency(old_head.size, new_head.size)
    # Checked against the roots as the seals state them: the proof is built from this log's tree, so it verifies
    # only if both seals were printed from this very log.
    ok = merkle.verify_consistency(old_head.size, new_head.size, old_head.root, new_head.root, proof)
    return Consistency(old_head, new_head, proof, ok)


@dataclass(frozen=True)
class SealCheck:
    """Whether today's log is consistent with a seal: `holds` (the consistency proof verifies), `broken` (it does
    not: the log was changed since), or `absent` (this log never had it, or not yet); with the proof, or why."""

    seal: str
    state: str
    proven: Consistency | None = None
    reason: ProofError | None = None


def check_seal(db: Any, seal: chain.Seal) -> SealCheck:
    """Check a seal (from a paper report, or an approval) against this log now."""
    try:
        proven = consistency(db, seal)
    except ProofError as error:
        return SealCheck(str(seal), "absent", reason=error)
    return SealCheck(str(seal), "holds" if proven.ok else "broken", proven)
