"""The background follower: another node's writes reach this node's read model by themselves."""

from __future__ import annotations

import pytest

from projections import read
from projections.db import PROJECTED_TABLES
from services.runtime import Runtime
from tests.conftest import wait_until
from tests.projections.test_readmodel import T


def held_activity(runtime, reference, held_at, evidence=()):
    """Stored by the first node without catching up any read model (as a write on another machine)."""
    batch = runtime.batch()
    batch.record("scheduled", reference, title=f"Kegiatan {reference}", leaders=["walikota"], location="Balai",
                 occurred_at=T(held_at), actor="siti")
    batch.record("held", reference, occurred_at=T(held_at), actor="siti")
    for kind in evidence:
        batch.record(kind, reference, occurred_at=T(held_at), channel="website",
                     evidence_ref=f"{reference}/{kind}", actor="budi")
    batch.commit()


def dump(db) -> dict:
    return {table: db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() for table in PROJECTED_TABLES}


@pytest.fixture
def other_node(runtime, tmp_path):
    """A second node: its own data dir and read model, the same event store."""
    node = Runtime(tmp_path / "node-b", database_url=runtime.database_url or "", catch_up=False)
    if not runtime.database_url:  # SQLite: the store is a file in the first node's data dir
        node.close()
        node = Runtime(runtime.data_dir, database_url="", catch_up=False)
    yield node
    node.close()


def test_writes_of_another_node_show_without_any_request(runtime, other_node):
    held_activity(runtime, "AG-1", "2020-02-01T09:00", ["published"])
    following = other_node.follow(interval=0.05)
    assert wait_until(lambda: other_node.follower.position() == runtime.follower.head())
    held_activity(runtime, "AG-2", "2020-02-02T09:00")
    assert wait_until(lambda: other_node.follower.position() == runtime.follower.head())
    assert following.error is None and following.behind() == 0
    assert dump(other_node.db) == dump(runtime.fresh())
    assert read.activities.activity(other_node.db, "AG-2")["status"] == "held"


def test_readers_never_see_half_a_batch(runtime, other_node):
    for n in range(30):
        held_activity(runtime, f"AG-{n}", "2020-02-01T09:00")
    assert other_node.follower.position() == 0
    other_node.follower.batch_size = 7
    seen = []

    def snapshot() -> int:
        # A reader's snapshot: the tracking position and the rows always move together.
        other_node.db.execute("BEGIN")
        position = other_node.follower.position()
        rows = other_node.db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        other_node.db.execute("COMMIT")
        seen.append((position, rows))
        return position

    snapshot()  # before following; then as often as the reader gets to it (how often depends on the load)
    other_node.follow(interval=0.01)
    while snapshot() < runtime.follower.head():
        pass
    assert seen[0] == (0, 0) and seen[-1][0] == runtime.follower.head()
    assert [s for s in seen if s[0] != s[1]] == []


def test_a_failure_is_kept_and_following_goes_on(runtime, other_node, monkeypatch):
    calls = []
    original = other_node.follower.catch_up

    def flaky(**_options):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("store unreachable")
        return original(**_options)

    monkeypatch.setattr(other_node.follower, "catch_up", flaky)
    held_activity(runtime, "AG-1", "2020-02-01T09:00")
    following = other_node.follow(interval=0.02)
    assert wait_until(lambda: other_node.follower.position() == runtime.follower.head())
    assert wait_until(lambda: following.error is None)
    assert len(calls) >= 2


def test_pages_say_when_they_are_behind_the_store(runtime, other_node, monkeypatch):
    from webapp import create_app

    held_activity(runtime, "AG-1", "2020-02-01T09:00")
    following = other_node.follow(interval=0.02)
    assert wait_until(lambda: following.behind() == 0 and other_node.follower.position() > 0)
    app = create_app({"RUNTIME": other_node, "TESTING": True, "PUBLIC_INDICATORS": True})
    client = app.test_client()
    assert b"catching-up" not in client.get("/").data
    with other_node.follower._lock:  # the follower is busy: new events wait
        held_activity(runtime, "AG-2", "2020-02-02T09:00")
        assert wait_until(lambda: following.behind() == 2)
        page = client.get("/").get_data(as_text=True)
        assert 'id="catching-up"' in page and "2 peristiwa belum tampil" in page
    assert wait_until(lambda: following.behind() == 0)
    assert 'id="catching-up"' not in client.get("/").get_data(as_text=True)


def test_a_page_reads_one_snapshot_while_the_follower_applies(runtime, other_node):
    from webapp import create_app
    from webapp.wiring import position, read_model

    held_activity(runtime, "AG-1", "2020-02-01T09:00")
    following = other_node.follow(interval=0.02)
    assert wait_until(lambda: other_node.follower.position() == runtime.follower.head())
    app = create_app({"RUNTIME": other_node, "TESTING": True})
    with app.test_request_context("/", method="GET"):
        first = position()
        rows = read_model().execute("SELECT COUNT(*) FROM events").fetchone()[0]
        held_activity(runtime, "AG-2", "2020-02-02T09:00")
        assert wait_until(lambda: other_node.follower.position() == runtime.follower.head())
        assert position() == first  # the follower moved on; this page still reads where it began
        assert read_model().execute("SELECT COUNT(*) FROM events").fetchone()[0] == rows
    with app.test_request_context("/", method="GET"):
        assert position() == first + 2
    assert following.error is None


def test_pages_say_when_the_store_cannot_be_followed(runtime, other_node, monkeypatch):
    from webapp import create_app

    def unreachable():
        raise OSError("connection refused")

    monkeypatch.setattr(other_node.follower, "head", unreachable)
    following = other_node.follow(interval=0.02)
    assert wait_until(lambda: following.error is not None)
    client = create_app({"RUNTIME": other_node, "TESTING": True, "PUBLIC_INDICATORS": True}).test_client()
    page = client.get("/?lang=en").get_data(as_text=True)
    assert 'id="store-unreachable"' in page
    monkeypatch.undo()
    assert wait_until(lambda: following.error is None)
    assert 'id="store-unreachable"' not in client.get("/").get_data(as_text=True)


def test_pages_say_when_the_store_no_longer_matches_its_chain(runtime, other_node, monkeypatch):
    from projections.catchup import ChainMismatchError
    from webapp import create_app

    def tampered(**_options):
        raise ChainMismatchError("the event at position 3 is not what was chained")

    held_activity(runtime, "AG-1", "2020-02-01T09:00")
    monkeypatch.setattr(other_node.follower, "catch_up", tampered)
    following = other_node.follow(interval=0.02)
    assert wait_until(lambda: following.error is not None)
    client = create_app({"RUNTIME": other_node, "TESTING": True, "PUBLIC_INDICATORS": True}).test_client()
    page = client.get("/").get_data(as_text=True)
    assert 'id="chain-mismatch"' in page and "iku verify" in page and 'id="store-unreachable"' not in page


@pytest.mark.parametrize("backend", ["postgres"])
def test_on_postgresql_a_notification_wakes_the_follower_long_before_its_poll(runtime, other_node, backend):
    following = other_node.follow(interval=60)  # a poll that would not come within this test
    assert following.waker is not None
    assert wait_until(lambda: other_node.follower.position() == runtime.follower.head())
    held_activity(runtime, "AG-1", "2020-02-01T09:00")
    assert wait_until(lambda: other_node.follower.position() == runtime.follower.head(), 10)


@pytest.mark.parametrize("backend", ["postgres"])
def test_a_lost_listening_connection_falls_back_to_polling(runtime, other_node, backend):
    following = other_node.follow(interval=0.05)
    assert wait_until(lambda: other_node.follower.position() == runtime.follower.head())
    following.waker._conn.close()  # the network drops the listener
    held_activity(runtime, "AG-1", "2020-02-01T09:00")
    assert wait_until(lambda: other_node.follower.position() == runtime.follower.head())
    assert wait_until(lambda: following.waker is None)
