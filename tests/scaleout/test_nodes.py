"""Two `iku serve` processes on one PostgreSQL store: concurrent writes lose nothing and repeat nothing,
both read models end equal to each other and to the oracle, and a killed follower resumes exactly."""

from __future__ import annotations

import shutil
import threading
import uuid
from datetime import date, datetime

import pytest

from domain.indicators import SEED
from domain.periods import parse_period
from domain.times import UTC, now
from projections import counting
from services import accounts
from services.demo import build_demo
from services.migrate import migrate
from services.runtime import Runtime
from tests.conftest import postgres_schema, require_postgres, wait_until
from tests.projections.oracle import oracle_counts, oracle_state, stored_events
from tests.scaleout.nodes import Client, Node, dump

pytestmark = pytest.mark.postgres

PASSWORD = "kata-sandi-uji-panjang"
SHARED = [f"AG-2020-{n:04d}" for n in range(1, 13)]  # both nodes write to these
PER_NODE = 8  # and each to activities of its own


@pytest.fixture
def store(tmp_path):
    require_postgres()
    with postgres_schema() as url:
        setup = Runtime(tmp_path / "setup", database_url=url)
        try:
            yield url, setup
        finally:
            setup.close()


def started(*nodes: Node) -> list[Node]:
    for node in nodes:
        node.wait_ready()
    return list(nodes)


def write_from(node: Node, name: str, barrier: threading.Barrier, outcomes: list) -> None:
    """What one operator does on one node; both start each shared step together to collide."""
    client = Client(node)
    client.login("operator", PASSWORD)

    def record(path: str, expect_race: bool, **fields) -> None:
        if expect_race:
            barrier.wait(timeout=30)
        status, page = client.post(path, submission_id=uuid.uuid4().hex, **fields)
        assert status in (200, 422), (status, page[:300])
        if status == 200 and "evidence_ref" in fields:  # the page after the redirect shows this node's write
            assert fields["evidence_ref"] in page
        outcomes.append((name, path, fields.get("kind", "scheduled"), status, "muat ulang" in page))

    for reference in SHARED:
        record(f"/kegiatan/{reference}/catat", True, kind="held", occurred_at="2020-03-02T09:00")
        record(f"/kegiatan/{reference}/catat", True, kind="published", occurred_at="2020-03-02T12:00",
               channel="website", evidence_ref=f"https://example.go.id/{name}/{reference}")
    for n in range(1, PER_NODE + 1):
        reference = f"AG-2020-{name}{n:03d}"
        record("/agenda", False, reference=reference, title=f"Kunjungan {name} {n}", leaders=["sekda"],
               location="Kecamatan", occurred_at="2020-03-05T09:00")
        record(f"/kegiatan/{reference}/catat", False, kind="held", occurred_at="2020-03-05T09:30")
        record(f"/kegiatan/{reference}/catat", False, kind="documented", occurred_at="2020-03-05T10:00",
               channel="foto", evidence_ref=f"ARSIP/{name}/{n}")


def test_two_nodes_writing_at_once_lose_and_repeat_nothing(store, tmp_path):
    url, setup = store
    accounts.add_user(setup, "operator", "operator", PASSWORD, actor="setup")
    for reference in SHARED:
        setup.record("scheduled", reference, title="Rapat koordinasi", leaders=["walikota"], location="Balai Kota",
                     occurred_at=datetime(2020, 3, 2, 2, 0, tzinfo=UTC), actor="setup")
    before = setup.follower.head()
    nodes = started(Node(tmp_path / "node-a", url), Node(tmp_path / "node-b", url))
    try:
        barrier, outcomes = threading.Barrier(2), []
        writers = [threading.Thread(target=write_from, args=(node, name, barrier, outcomes))
                   for node, name in zip(nodes, "AB", strict=True)]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join(120)
        assert not any(writer.is_alive() for writer in writers)
        expected_requests = 2 * (2 * len(SHARED) + 3 * PER_NODE)
        assert len(outcomes) == expected_requests, "a writer failed: see the assertion above"

        # A page on B shows what A just stored, with no write on B to catch it up: its follower did.
        on_a, on_b = Client(nodes[0]), Client(nodes[1])
        on_a.login("operator", PASSWORD)
        on_b.login("operator", PASSWORD)
        status, _ = on_a.post("/agenda", reference="AG-2020-LATE", title="Jumpa pers", leaders=["walikota"],
                              location="Balai Kota", occurred_at="2020-03-09T10:00")
        assert status == 200
        assert wait_until(lambda: on_b.request("/kegiatan/AG-2020-LATE")[0] == 200, 10)
        accepted_late = 1

        head = setup.follower.head()
        assert all(wait_until(lambda node=node: node.position() == head, 30) for node in nodes)
        dumps = [node.dump() for node in nodes]
    finally:
        for node in nodes:
            node.stop()

    # Exactly one stored event per accepted request: nothing lost, nothing doubled.
    accepted = [o for o in outcomes if o[3] == 200]
    events = stored_events(setup.log)[before:]
    assert len(events) == len(accepted) + accepted_late
    all_events = [e for e in stored_events(setup.log) if type(e).__qualname__.startswith("Activity.")]
    state = oracle_state(all_events)
    for reference in SHARED:
        assert state[reference] == {"status": "held", "published": 2, "documented": 0, "protocol_served": 0}
    assert sum(1 for o in outcomes if o[2] == "held" and o[3] == 200 and "/AG-2020-00" in o[1]) == len(SHARED)
    assert state["AG-2020-LATE"]["status"] == "scheduled"
    refused = [o for o in outcomes if o[3] == 422]
    assert all(o[2] == "held" for o in refused) and len(refused) == len(SHARED)
    for name in "AB":
        for n in range(1, PER_NODE + 1):
            assert state[f"AG-2020-{name}{n:03d}"] == {"status": "held", "published": 0, "documented": 1,
                                                      "protocol_served": 0}

    # Both read models are the same, and say what the oracle says.
    assert dumps[0] == dumps[1]
    db = setup.fresh()
    assert db.execute("SELECT * FROM events ORDER BY 1").fetchall() == dumps[0]["events"]
    for period in ("2020", "2020-Q1", "2020-03"):
        chosen = parse_period(period)
        assert counting.indicator_counts(db, chosen, now(), SEED) == oracle_counts(all_events, chosen.start,
                                                                                   chosen.end, datetime.now(tz=UTC))
    assert oracle_counts(all_events, date(2020, 1, 1), date(2020, 12, 31), datetime.now(tz=UTC))["published"][
        "denominator"] == \
        len(SHARED) + 2 * PER_NODE


def test_a_follower_killed_mid_catch_up_resumes_exactly(store, tmp_path):
    url, setup = store
    demo = tmp_path / "demo"
    build_demo(demo, end=datetime(2021, 1, 1, tzinfo=UTC))
    source = Runtime(demo, database_url="")
    try:
        migrate(source, url)
    finally:
        source.close()
    head = setup.follower.head()
    assert head > 6000

    node = Node(tmp_path / "node", url, IKU_CATCHUP_BATCH="3")  # many small transactions: room to kill
    assert wait_until(lambda: node.position() > 0, 60)
    node.kill()
    stopped_at = node.position()
    assert 0 < stopped_at < head, "the follower finished before it could be killed"

    restarted = started(Node(tmp_path / "node", url))[0]
    try:
        assert wait_until(lambda: restarted.position() == head, 60)
        resumed = restarted.dump()
    finally:
        restarted.stop()
    reference = Runtime(tmp_path / "reference", database_url=url)  # built in one go from the store
    reference.close()
    assert resumed == dump(tmp_path / "reference")
    shutil.rmtree(demo)
