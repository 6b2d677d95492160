"""`python -m bench.scaleout --events N`: several nodes on one PostgreSQL store, measured in one run.

Each speed stands beside a peer or ceiling from the same run on the same events: the migration beside a
plain COPY of the same rows into PostgreSQL, a new node's catch-up from PostgreSQL beside the same catch-up
from the SQLite store, and the delay until another node shows a write beside the follower's interval.
Traffic goes only to 127.0.0.1 (PostgreSQL and the nodes), bounded in count and time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from bench.__main__ import cpu_name
from bench.history import write_csv
from services import csvimport
from services.migrate import migrate
from services.runtime import Runtime

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"


def _schema(url: str) -> tuple[str, str]:
    name = f"iku_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    return name, f"{url}?schema={name}"


def _drop(url: str, name: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {name} CASCADE")


def copy_ceiling(source: Path, url: str) -> float:
    """Seconds to COPY the same stored-event rows into a plain PostgreSQL table in one transaction."""
    import sqlite3

    name, _ = _schema(url)
    try:
        rows = sqlite3.connect(source / "events.sqlite3").execute(
            "SELECT originator_id, originator_version, topic, state FROM stored_events ORDER BY rowid").fetchall()
        started = time.perf_counter()
        with psycopg.connect(url) as conn:
            conn.execute(f"CREATE TABLE {name}.copy (originator_id uuid, originator_version int, topic text,"
                         " state bytea, notification_id bigserial)")
            with conn.cursor().copy(f"COPY {name}.copy (originator_id, originator_version, topic, state)"
                                    " FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return time.perf_counter() - started
    finally:
        _drop(url, name)


def plain_ceiling_seconds(url: str, model: Path, workdir: Path) -> tuple[int, float]:
    """The plain ceiling of a catch-up, read from PostgreSQL: the stored bytes through the fastest plain read
    (COPY … TO STDOUT), `json.loads` of each, and one row per event into a copy of the read model's events
    table with one executemany: no library mapper, no handlers, no chain. (events, seconds)"""
    import json
    import sqlite3

    schema = url.rsplit("schema=", 1)[1]
    target = sqlite3.connect(workdir / "ceiling-pg.sqlite3", isolation_level=None)
    target.execute(sqlite3.connect(model).execute("SELECT sql FROM sqlite_master WHERE name = 'events'").fetchone()[0])
    started = time.perf_counter()
    rows = []
    with psycopg.connect(url.split("?")[0]) as conn, conn.cursor() as cursor, cursor.copy(
            f"COPY (SELECT notification_id, originator_id, originator_version, topic, state FROM {schema}.activitylog_events"
            " ORDER BY notification_id) TO STDOUT") as copy:
        for block in copy:
            for line in bytes(block).splitlines():
                position, aggregate, version, topic, state = line.split(b"\t")
                d = json.loads(bytes.fromhex(state[3:].decode()))
                rows.append((int(position), aggregate.decode(), d.get("reference", ""), int(version), topic.decode(),
                             (d.get("occurred_at") or {}).get("_data_"), None, d["timestamp"]["_data_"],
                             d.get("actor"), d.get("title"), None, d.get("location"), d.get("channel"),
                             d.get("evidence_ref"), d.get("note"), *([None] * 12)))
    target.execute("BEGIN")
    target.executemany("INSERT INTO events VALUES (" + ",".join("?" * 27) + ")", rows)
    target.execute("COMMIT")
    return len(rows), time.perf_counter() - started


NEW_NODE = """
import sys, time
from pathlib import Path
from services.runtime import Runtime
started = time.perf_counter()
node = Runtime(Path(sys.argv[1]), database_url=sys.argv[2])
RESULT = {"events": node.follower.position(), "seconds": time.perf_counter() - started}
node.close()
"""


def catch_up_seconds(data_dir: Path, url: str) -> tuple[int, float, float]:
    """A new node on the store, in a process of its own: open it and build its read model; (events, seconds,
    peak MiB)."""
    from bench.measure import run_child

    done = run_child(NEW_NODE, str(data_dir), url)
    return done["events"], done["seconds"], done["peak_mib"]


def follow_delays(url: str, workdir: Path, writes: int, interval: float) -> list[float]:
    """Seconds from a write on this node until another node (an `iku serve` process) has applied it."""
    from bench.measure import _free_port

    node_dir = workdir / "node-b"
    Runtime(node_dir, database_url=url).close()  # level before the clock starts
    env = {**os.environ, "IKU_DATABASE_URL": url, "IKU_DATA_DIR": str(node_dir),
           "IKU_FOLLOW_INTERVAL": str(interval)}
    server = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(_free_port())],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    writer = Runtime(workdir / "node-a", database_url=url)
    import sqlite3

    reader = sqlite3.connect(node_dir / "readmodel.sqlite3", timeout=10)
    delays = []
    try:
        time.sleep(1.0)
        for n in range(writes):
            batch = writer.batch()
            batch.record("scheduled", f"AG-BENCH-{n:04d}", title="Rapat", leaders=["sekda"], location="Aula",
                         occurred_at=datetime(2025, 6, 1, 2, tzinfo=UTC), actor="bench")
            recorded = batch.commit()  # stored: from here the clock runs (this node's own catch-up not timed)
            stored = time.perf_counter()
            deadline = stored + 10
            while time.perf_counter() < deadline:
                if reader.execute("SELECT notification_id FROM tracking").fetchone()[0] >= recorded.last_position:
                    break
                time.sleep(0.001)
            delays.append(time.perf_counter() - stored)
            time.sleep(interval * (0.3 + (n % 7) / 10))  # writes land at every phase of the poll
    finally:
        reader.close()
        writer.close()
        server.terminate()
        server.wait(30)
    return delays


def run(events: int, seed: int, url: str, writes: int, interval: float) -> str:
    with tempfile.TemporaryDirectory(prefix="iku-bench-scaleout-") as tmp:
        workdir = Path(tmp)
        made = write_csv(workdir / "history.csv", events, seed)
        source = Runtime(workdir / "sqlite", database_url="")
        result, recorded = csvimport.store_file(source, workdir / "history.csv", "bench")
        assert recorded is not None, [error.message() for error in result.errors[:3]]
        source.applied(recorded)
        name, target = _schema(url)
        try:
            started = time.perf_counter()
            migrated = migrate(source, target)
            migrate_s = time.perf_counter() - started
            source.close()
            ceiling_s = copy_ceiling(workdir / "sqlite", url)
            pg_events, pg_s, pg_mib = catch_up_seconds(workdir / "from-pg", target)
            plain_events, plain_s = plain_ceiling_seconds(target, workdir / "from-pg" / "readmodel.sqlite3", workdir)
            (workdir / "from-sqlite").mkdir()
            os.link(workdir / "sqlite" / "events.sqlite3", workdir / "from-sqlite" / "events.sqlite3")
            sq_events, sq_s, _ = catch_up_seconds(workdir / "from-sqlite", "")
            delays = follow_delays(target, workdir, writes, interval)
        finally:
            _drop(url, name)
    n = migrated.events
    p50 = statistics.median(delays) * 1000
    p95 = statistics.quantiles(delays, n=20)[-1] * 1000
    return "\n".join([
        f"### Scale-out on PostgreSQL: {n:,} events ({made['activities']:,} activities, seed {seed})",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {cpu_name()} · {sys.version.split()[0]} · PostgreSQL on 127.0.0.1",
        "",
        "| measurement | iku-humas | ceiling / peer | ratio | target |",
        "|---|---|---|---|---|",
        f"| `iku migrate` to PostgreSQL (events/s, incl. both chain checks) | {n / migrate_s:,.0f} | "
        f"{n / ceiling_s:,.0f} (COPY of the same rows) | {ceiling_s / migrate_s:.0%} of ceiling | ≥ 25% |",
        f"| new node catch-up from PostgreSQL (events/s) | {pg_events / pg_s:,.0f} | "
        f"{plain_events / plain_s:,.0f} (plain ceiling from PostgreSQL: COPY out, json.loads, executemany) | "
        f"{(pg_events / pg_s) / (plain_events / plain_s):.0%} of ceiling | ≥ 50% |",
        f"| new node catch-up from PostgreSQL (events/s) | {pg_events / pg_s:,.0f} | "
        f"{sq_events / sq_s:,.0f} (same catch-up from SQLite) | {sq_s / pg_s:.0%} of peer | – |",
        f"| new node: time and peak memory to build its read model | {pg_s:,.1f} s, {pg_mib:.0f} MiB | – | – | – |",
        f"| `iku migrate`: time for the whole store | {migrate_s:,.1f} s | {ceiling_s:,.1f} s (COPY) | – | – |",
        f"| another node shows a write: p50 / p95 (ms), {len(delays)} writes | {p50:.1f} / {p95:.1f} | "
        f"{interval * 1000:.0f} (poll interval; NOTIFY wakes it sooner) | p95 {p95 / (interval * 1000):.2f}× interval | "
        f"p95 ≤ 1,000 ms |",
    ]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scaleout", description=__doc__)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--database-url", default=os.environ.get("IKU_TEST_POSTGRES", DEFAULT_URL))
    parser.add_argument("--writes", type=int, default=40, help="writes timed for the follow delay")
    parser.add_argument("--interval", type=float, default=0.5, help="the other node's IKU_FOLLOW_INTERVAL")
    args = parser.parse_args()
    print(run(args.events, args.seed, args.database_url, args.writes, args.interval))


if __name__ == "__main__":
    main()
