"""The Merkle tree the follower keeps in the read model is the tree of the stored log, built from scratch: after
random appends in batches of any size, rebuilds, and followers killed mid-batch, on SQLite and PostgreSQL
stores; proofs read from it verify against roots computed from scratch; a read model from before the tree is
given it; and a stored tree edited behind the program's back is refused by a rebuild and found by `iku verify`."""

from __future__ import annotations

import random
import re
import sqlite3
import uuid
from datetime import timedelta

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.main import cli
from domain.times import parse_instant
from projections import catchup, chain, merkle
from projections.readmodel import Projector
from projections.tree import LOWEST_KEPT, StoredTree, TreeMismatchError
from services.runtime import Runtime
from tests.conftest import SteppingClock, open_runtime, tree_rows

T = parse_instant


def scratch(runtime) -> list[bytes]:
    """The leaf hashes of the stored log, computed here from the store's own events."""
    return [merkle.leaf_hash(chain.canonical(notification, event.timestamp))
            for notification, event in chain.stored_events(runtime.log)]


def assert_tree_is_the_logs(runtime, rng: random.Random) -> None:
    db = runtime.fresh()
    leaves = scratch(runtime)
    tree = StoredTree(db)
    n = len(leaves)
    assert tree.size() == n
    assert [row[0] for row in db.execute("SELECT hash FROM merkle_leaves ORDER BY leaf")] == leaves
    positions = [row[0] for row in db.execute("SELECT position FROM merkle_leaves ORDER BY leaf")]
    assert positions == [notification.id for notification, _ in chain.stored_events(runtime.log)]
    assert tree.head().root == merkle.tree_root(leaves)
    stored = list(db.execute("SELECT level, idx, hash FROM merkle_nodes"))
    assert len(stored) == sum(n >> level for level in range(LOWEST_KEPT, 64))
    for level, idx, value in stored:
        assert value == merkle.tree_root(leaves[idx << level:(idx + 1) << level]), (level, idx)
    if n:
        assert chain.head(db).root == merkle.tree_root(leaves).hex()
    for _ in range(12 if n else 0):
        size = rng.randint(1, n)
        root = merkle.tree_root(leaves[:size])
        assert tree.root(size) == root
        index = rng.randrange(size)
        assert merkle.verify_inclusion(leaves[index], index, size, tree.inclusion(index, size), root)
        old = rng.randint(1, size)
        assert merkle.verify_consistency(old, size, merkle.tree_root(leaves[:old]), root, tree.consistency(old, size))


def record(runtime, number: int, count: int) -> None:
    """`count` events on new activities, stored in one batch (the follower then applies them in its batches)."""
    batch = runtime.batch()
    for offset in range(count):
        reference = f"AG-{number}-{offset}"
        batch.record("scheduled", reference, title="Rapat", leaders=["sekda"], location="Aula",
                     occurred_at=T("2020-03-31T23:30"), actor="siti")
        if offset % 2:
            batch.record("held", reference, occurred_at=T("2020-03-31T23:30"), actor="siti")
    recorded = batch.commit()  # stored, not yet applied: the next step decides how it is read
    assert recorded.positions


def kill_mid_batch(runtime, after: int, monkeypatch) -> None:
    """Run a catch-up that dies after applying `after` events of a batch (its transaction is rolled back)."""
    original, applied = Projector.apply, []

    def dying(self, position, event):
        if len(applied) >= after:
            raise KeyboardInterrupt("killed")
        applied.append(position)
        original(self, position, event)

    monkeypatch.setattr(Projector, "apply", dying)
    try:
        with pytest.raises(KeyboardInterrupt):
            runtime.follower.catch_up()
    finally:
        monkeypatch.setattr(Projector, "apply", original)


STEPS = st.lists(st.one_of(
    st.tuples(st.just("append"), st.integers(1, 40)),
    st.tuples(st.just("catch_up"), st.just(0)),
    st.tuples(st.just("rebuild"), st.just(0)),
    st.tuples(st.just("kill"), st.integers(0, 12)),
), min_size=1, max_size=8)


def run_history(backend, tmp_path, steps, batch_size, seed, monkeypatch) -> None:
    rng = random.Random(seed)
    with open_runtime(backend, tmp_path / uuid.uuid4().hex, clock=SteppingClock(step=timedelta(seconds=1))) as runtime:
        runtime.follower.batch_size = batch_size
        for number, (step, value) in enumerate(steps):
            if step == "append":
                record(runtime, number, value)
            elif step == "catch_up":
                runtime.follower.catch_up()
            elif step == "rebuild":
                runtime.rebuild()
            elif runtime.follower.lag():
                kill_mid_batch(runtime, value, monkeypatch)
            assert_tree_is_the_logs(runtime, rng)
        assert chain.verify(runtime.log, runtime.fresh()).ok


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(steps=STEPS, batch_size=st.sampled_from([1, 3, 16, 17, 2000]), seed=st.integers(0, 2**16))
def test_the_incremental_tree_is_the_tree_of_the_log_on_sqlite(tmp_path, monkeypatch, steps, batch_size, seed):
    run_history("sqlite", tmp_path, steps, batch_size, seed, monkeypatch)


@pytest.mark.postgres
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(steps=STEPS, batch_size=st.sampled_from([1, 7, 2000]), seed=st.integers(0, 2**16))
def test_the_incremental_tree_is_the_tree_of_the_log_on_postgres(tmp_path, monkeypatch, steps, batch_size, seed):
    run_history("postgres", tmp_path, steps, batch_size, seed, monkeypatch)


def test_a_log_of_many_batches_crossing_kept_levels(tmp_path, monkeypatch):
    """600 events in batches of 37, one follower killed half-way: every stored subtree of 16, 32 … 512 leaves."""
    with open_runtime("sqlite", tmp_path / "data", clock=SteppingClock(step=timedelta(seconds=1))) as runtime:
        runtime.follower.batch_size = 37
        record(runtime, 0, 400)
        kill_mid_batch(runtime, 200, monkeypatch)
        assert 0 < runtime.follower.position() < runtime.follower.head()
        assert_tree_is_the_logs(runtime, random.Random(1))
        assert {row[0] for row in runtime.db.execute("SELECT DISTINCT level FROM merkle_nodes")} == set(range(4, 10))
        kept = tree_rows(runtime.db)
        runtime.rebuild()  # replays every batch against the stored leaves and subtrees
        assert tree_rows(runtime.db) == kept
        record(runtime, 1, 30)
        runtime.fresh()
        assert_tree_is_the_logs(runtime, random.Random(3))


@pytest.fixture
def sealed(tmp_path):
    with open_runtime("sqlite", tmp_path / "data", clock=SteppingClock(step=timedelta(seconds=1))) as runtime:
        record(runtime, 0, 30)
        runtime.fresh()
    return tmp_path / "data"


def edit(data, statement, params=()):
    conn = sqlite3.connect(data / "readmodel.sqlite3", isolation_level=None)
    conn.execute(statement, params)
    conn.close()


def iku(data, *args):
    return CliRunner().invoke(cli, ["--data-dir", str(data), *args])


@pytest.mark.parametrize(("statement", "problem"), [
    ("UPDATE merkle_leaves SET hash = zeroblob(32) WHERE leaf = 7", "daun pohon Merkle"),
    ("DELETE FROM merkle_leaves WHERE leaf = 44", "daun pohon Merkle"),
    ("UPDATE merkle_nodes SET hash = zeroblob(32) WHERE level = 4 AND idx = 1", "simpul pohon Merkle"),
    ("DELETE FROM merkle_nodes WHERE level = 5", "simpul pohon Merkle"),
    ("INSERT INTO merkle_nodes VALUES (9, 0, zeroblob(32))", "simpul pohon Merkle"),
    ("INSERT INTO merkle_leaves VALUES (45, 46, zeroblob(32))", "daun pohon Merkle"),  # a leaf of no event
    ("UPDATE merkle_head SET frontier = replace(frontier, substr(frontier, 1, 1), 'f')", "kepala pohon Merkle"),
])
def test_iku_verify_finds_a_stored_tree_edited_behind_its_back(sealed, statement, problem):
    assert iku(sealed, "verify").exit_code == 0
    edit(sealed, statement)
    result = iku(sealed, "verify")
    assert result.exit_code == 1
    assert problem in result.output


@pytest.mark.parametrize(("statement", "message"), [
    ("UPDATE merkle_leaves SET hash = zeroblob(32) WHERE leaf = 7",
     "the event at position 8 is not the leaf 7 of the Merkle tree stored when it was first read (run `iku verify`); "
     "the read model is left as it was"),
    ("UPDATE merkle_nodes SET hash = zeroblob(32) WHERE level = 4 AND idx = 1",
     "the stored Merkle subtree of 2^4 leaves from leaf 16 differs from the replayed log (run `iku verify`); the read "
     "model is left as it was"),
    ("UPDATE merkle_leaves SET position = position + 1000 WHERE leaf = 44",
     "the event at position 45 is not the leaf 44 of the Merkle tree stored when it was first read"),
])
def test_a_rebuild_refuses_a_stored_tree_that_differs_from_the_replayed_log(sealed, statement, message):
    edit(sealed, statement)
    with open_runtime("sqlite", sealed) as runtime:
        before = tree_rows(runtime.db)
        with pytest.raises(TreeMismatchError, match=re.escape(message)):
            runtime.rebuild()
        assert tree_rows(runtime.db) == before  # the read model is left as it was


def forget_the_tree(data) -> None:
    for table in ("merkle_leaves", "merkle_nodes", "merkle_head"):
        edit(data, f"DELETE FROM {table}")


def test_a_read_model_from_before_the_tree_is_given_it_when_opened(sealed):
    with open_runtime("sqlite", sealed) as runtime:
        seal = chain.head(runtime.db)
    forget_the_tree(sealed)
    with open_runtime("sqlite", sealed) as runtime:
        assert chain.head(runtime.db) == seal  # levelled by the first catch-up, before anything reads a seal
        assert_tree_is_the_logs(runtime, random.Random(2))
        record(runtime, 1, 3)
        runtime.fresh()
        assert_tree_is_the_logs(runtime, random.Random(4))
        assert StoredTree(runtime.db).root(seal.size).hex() == seal.root


def test_a_bundle_asked_before_the_tree_is_level_is_a_clear_503_not_a_500(sealed, monkeypatch):
    from argon2 import PasswordHasher

    from services import accounts
    from webapp import create_app

    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    with open_runtime("sqlite", sealed) as runtime:
        accounts.add_user(runtime, "auditor", "auditor", "kata-sandi-uji-panjang", actor="setup")
    forget_the_tree(sealed)
    # the moment between a server's start and its follower's first round, which levels the tree
    levelling = catchup.Follower._level_tree
    monkeypatch.setattr(catchup.Follower, "_level_tree", lambda self: None)
    node = Runtime(sealed, database_url="", catch_up=False)
    try:
        client = create_app({"RUNTIME": node, "TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()
        assert client.post("/masuk", data={"username": "auditor", "password": "kata-sandi-uji-panjang"}
                           ).status_code == 303
        assert not chain.head(node.db).names_tree  # the chain alone, while the tree is behind it
        response = client.get("/data-dukung.zip?periode=2020")
        assert response.status_code == 503
        assert "pohon Merkle log belum lengkap; jalankan iku rebuild Silakan coba lagi sebentar lagi." in \
            response.get_data(as_text=True)
        monkeypatch.setattr(catchup.Follower, "_level_tree", levelling)
        node.follower.catch_up()
        assert client.get("/data-dukung.zip?periode=2020").status_code == 200
    finally:
        node.close()


class CountingTree(StoredTree):
    """The stored tree, counting the leaf hashes a proof reads."""

    read = 0

    def leaves(self, start, end):
        found = super().leaves(start, end)
        CountingTree.read += len(found)
        return found


def test_proofs_read_stored_subtrees_not_the_leaves(tmp_path):
    """At 3,000 events a proof reads one stored root per level from 16 leaves up, and at most 15 leaf hashes per
    level below: never a leaf range a stored subtree covers."""
    with open_runtime("sqlite", tmp_path / "data", clock=SteppingClock(step=timedelta(seconds=1))) as runtime:
        record(runtime, 0, 2000)
        db = runtime.fresh()
        leaves = scratch(runtime)
        n = len(leaves)
        tree = CountingTree(db)
        for index in (0, 1234, n - 1):
            CountingTree.read = 0
            assert merkle.verify_inclusion(leaves[index], index, n, tree.inclusion(index, n), merkle.tree_root(leaves))
            assert CountingTree.read <= 4 * 15, CountingTree.read
        CountingTree.read = 0
        assert tree.root(n) == merkle.tree_root(leaves) and CountingTree.read <= 15
        CountingTree.read = 0
        assert tree.consistency(1000, n) == merkle.consistency_proof(leaves, 1000)
        assert CountingTree.read <= 4 * 15
        CountingTree.read = 0
        assert tree.frontier_at(2999).nodes == merkle.Frontier(2999, tree.frontier_at(2999).nodes).nodes
        assert tree.frontier_at(2999).root() == merkle.tree_root(leaves[:2999]) and CountingTree.read <= 2 * 15
        with pytest.raises(ValueError, match=f"^the tree has {n} leaves, not {n + 1}$"):
            tree.root(n + 1)
        with pytest.raises(TreeMismatchError, match=f"^the Merkle tree has {n} leaves: leaf {n + 1} cannot be added$"):
            tree.extend(n + 1, [(99999, leaves[0])])
