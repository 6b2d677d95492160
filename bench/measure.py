"""The measurements, each beside its ceiling (or peer) from the same run on the same data."""

from __future__ import annotations

import http.client
import json
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from domain.indicators import SEED
from domain.periods import date_range
from domain.times import from_utc_text, now
from projections import counting, read
from services.runtime import Runtime

PYTHON = sys.executable


def run_child(code: str, *args: str, cwd: Path | None = None) -> dict[str, Any]:
    """Run `code` in a fresh Python; it prints one JSON line; its peak RSS (MiB) is added: the kernel's
    high-water mark of the child's own memory (VmHWM), not `ru_maxrss`, which a child inherits from the
    bench at fork and keeps across exec (a bench holding a 1M-event history would lend it 700 MiB)."""
    wrapper = code + "\nimport json as _j\nfor _l in open('/proc/self/status'):\n" \
                     "    if _l.startswith('VmHWM:'):\n        _peak = int(_l.split()[1]) / 1024\n" \
                     "print(_j.dumps({**RESULT, 'peak_mib': _peak}))\n"
    output = subprocess.run([PYTHON, "-c", wrapper, *args], capture_output=True, text=True, check=True,
                            cwd=cwd).stdout
    return json.loads(output.strip().splitlines()[-1])


IMPORT = """
import sys, time
from pathlib import Path
from services import csvimport
from services.runtime import Runtime
started = time.perf_counter()
runtime = Runtime(Path(sys.argv[1]), database_url="")
result, recorded = csvimport.store_file(runtime, Path(sys.argv[2]), "bench")
assert recorded is not None, [e.message() for e in result.errors[:3]]
runtime.applied(recorded)
RESULT = {"events": sum(result.by_kind.values()), "seconds": time.perf_counter() - started}
"""

IMPORT_CEILING = """
import csv, sqlite3, sys, time
started = time.perf_counter()
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("CREATE TABLE rows (activity, event, occurred_at, title, leaders, location, channel, reference, note)")
with open(sys.argv[2], newline="", encoding="utf-8") as handle:
    reader = csv.reader(handle)
    next(reader)
    rows = list(reader)
conn.execute("BEGIN")
conn.executemany("INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
conn.execute("COMMIT")
RESULT = {"events": len(rows), "seconds": time.perf_counter() - started}
"""

REBUILD = """
import sys
from pathlib import Path
from services.runtime import Runtime
runtime = Runtime(Path(sys.argv[1]), database_url="")
done = runtime.rebuild()
RESULT = {"events": done.applied, "seconds": done.seconds}
"""

# Read the stored events, decode them with the library's mapper, write the same event rows with one
# executemany into a copy of the read model's table: what a rebuild cannot beat in Python.
REBUILD_CEILING = """
import sqlite3, sys, time, shutil
from pathlib import Path
from domain.times import now, utc_text, wib_date
from services.runtime import Runtime
runtime = Runtime(Path(sys.argv[1]), database_url="")
target = sqlite3.connect(sys.argv[2], isolation_level=None)
schema = runtime.db.execute("SELECT sql FROM sqlite_master WHERE name = 'events'").fetchone()[0]
target.execute(schema)
started = time.perf_counter()
rows, start = [], 0
while True:
    page = runtime.log.recorder.select_notifications(start, 5000, inclusive_of_start=False)
    if not page:
        break
    for n in page:
        e = runtime.log.mapper.to_domain_event(n)
        rows.append((n.id, e.originator_id.hex, "", e.originator_version, type(e).__name__,
                     utc_text(e.occurred_at), wib_date(e.occurred_at).isoformat(), utc_text(e.timestamp),
                     e.actor, getattr(e, "title", None), None, getattr(e, "location", None),
                     getattr(e, "channel", None), getattr(e, "evidence_ref", None), e.note, None, None, None, None,
                     None, None, None, None, None, None, None, None))  # … fact_kind, sha256, setting, indicator,
    # exclusion_reason, held_leaders, document
    start = page[-1].id
target.execute("BEGIN")
target.executemany("INSERT INTO events VALUES (" + ",".join("?" * 27) + ")", rows)
target.execute("COMMIT")
RESULT = {"events": len(rows), "seconds": time.perf_counter() - started}
"""


# The plain ceiling: read the stored bytes straight from the store's table, `json.loads` them, and write one row
# per event (the same columns, taken from the decoded dict) with one executemany: no library mapper, no domain
# event objects, no handlers.
PLAIN_REBUILD_CEILING = """
import json, sqlite3, sys, time
from pathlib import Path
store = sqlite3.connect(str(Path(sys.argv[1]) / "events.sqlite3"))
model = sqlite3.connect(str(Path(sys.argv[1]) / "readmodel.sqlite3"))
target = sqlite3.connect(sys.argv[2], isolation_level=None)
target.execute(model.execute("SELECT sql FROM sqlite_master WHERE name = 'events'").fetchone()[0])
started = time.perf_counter()
rows = []
for position, aggregate, version, topic, state in store.execute(
        "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events ORDER BY rowid"):
    d = json.loads(state)
    rows.append((position, aggregate, d.get("reference", ""), version, topic, (d.get("occurred_at") or {}).get("_data_"),
                 None, d["timestamp"]["_data_"], d.get("actor"), d.get("title"), None, d.get("location"), d.get("channel"),
                 d.get("evidence_ref"), d.get("note"), None, None, None, None, None, None, None, None, None, None,
                 None, None))
target.execute("BEGIN")
target.executemany("INSERT INTO events VALUES (" + ",".join("?" * 27) + ")", rows)
target.execute("COMMIT")
RESULT = {"events": len(rows), "seconds": time.perf_counter() - started}
"""


def import_and_rebuild(workdir: Path, csv_path: Path) -> dict[str, Any]:
    data = workdir / "data"
    imported = run_child(IMPORT, str(data), str(csv_path))
    ceiling = run_child(IMPORT_CEILING, str(workdir / "ceiling-import.sqlite3"), str(csv_path))
    rebuilt = run_child(REBUILD, str(data))
    rebuild_ceiling = run_child(REBUILD_CEILING, str(data), str(workdir / "ceiling-rebuild.sqlite3"))
    plain = run_child(PLAIN_REBUILD_CEILING, str(data), str(workdir / "ceiling-plain.sqlite3"))
    return {"import": imported, "import_ceiling": ceiling, "rebuild": rebuilt, "rebuild_ceiling": rebuild_ceiling,
            "rebuild_plain": plain}


def _flat_table(runtime: Runtime, path: Path) -> sqlite3.Connection:
    """The ceiling for reports: one flat, indexed table of the current valid facts with their held date."""
    flat = sqlite3.connect(path, isolation_level=None)
    flat.execute("CREATE TABLE facts (activity_id TEXT, kind TEXT, held_date TEXT)")
    rows = runtime.db.execute(
        "SELECT f.activity_id, f.kind, h.occurred_date FROM events f JOIN events h ON h.activity_id = f.activity_id"
        " AND h.kind = 'held' AND h.withdrawn_at IS NULL"
        " WHERE f.kind IN ('held', 'published', 'documented', 'protocol_served') AND f.withdrawn_at IS NULL"
    ).fetchall()
    flat.execute("BEGIN")
    flat.executemany("INSERT INTO facts VALUES (?, ?, ?)", rows)
    flat.execute("COMMIT")
    flat.execute("CREATE INDEX facts_by_date ON facts (held_date, kind, activity_id)")
    return flat


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(round(len(ordered) * 0.95)) - 1)]


def _random_periods(runtime: Runtime, rng: random.Random, count: int):
    first, last = runtime.db.execute(
        "SELECT MIN(occurred_date), MAX(occurred_date) FROM events WHERE kind = 'held'").fetchone()
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    span = (end - start).days
    periods = []
    for _ in range(count):
        length = rng.choice((30, 91, 182, 365))
        begin = start + timedelta(days=rng.randint(0, max(0, span - length)))
        periods.append(date_range(begin, begin + timedelta(days=length - 1)))
    return periods


def report_latency(workdir: Path, seed: int, samples: int, naive_limit: float) -> dict[str, Any]:
    runtime = Runtime(workdir / "data", database_url="")
    rng = random.Random(seed)
    periods = _random_periods(runtime, rng, samples)
    first_rec, last_rec = runtime.db.execute("SELECT MIN(recorded_at), MAX(recorded_at) FROM events").fetchone()
    flat = _flat_table(runtime, workdir / "flat.sqlite3")
    result: dict[str, Any] = {}

    def timed(fn) -> list[float]:
        times = []
        for period in periods:
            started = time.perf_counter()
            fn(period)
            times.append((time.perf_counter() - started) * 1000)
        return times

    result["current"] = _percentiles(timed(lambda p: counting.indicator_counts(runtime.db, p, now(), SEED)))
    lo, hi = from_utc_text(first_rec), from_utc_text(last_rec)
    moments = [lo + (hi - lo) * rng.random() for _ in periods]
    it = iter(moments)
    result["as_of"] = _percentiles(timed(lambda p: counting.indicator_counts(runtime.db, p, next(it), SEED)))
    kinds = [i.numerator_kind for i in SEED]

    def flat_count(period):
        args = (period.start.isoformat(), period.end.isoformat())
        flat.execute("SELECT kind, COUNT(DISTINCT activity_id) FROM facts WHERE held_date BETWEEN ? AND ?"
                     " AND kind IN ('held', ?, ?, ?) GROUP BY kind", (*args, *kinds)).fetchall()

    result["ceiling"] = _percentiles(timed(flat_count))
    result["naive"] = naive_replay(runtime, periods[0], naive_limit)
    flat.close()
    runtime.close()
    return result


def naive_replay(runtime: Runtime, period, limit: float) -> dict[str, Any]:
    """The peer: rebuild every Activity through the library's repository and count in Python."""
    started = time.perf_counter()
    ids = [row[0] for row in runtime.db.execute("SELECT activity_id FROM activities")]
    counted = 0
    for hex_id in ids:
        from uuid import UUID

        activity = runtime.log.repository.get(UUID(hex_id))
        counted += activity.held_version is not None
        if time.perf_counter() - started > limit:
            elapsed = time.perf_counter() - started
            return {"ms": elapsed / max(1, ids.index(hex_id) + 1) * len(ids) * 1000, "extrapolated": True}
    return {"ms": (time.perf_counter() - started) * 1000, "extrapolated": False}


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _login(port: int, username: str, password: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/masuk")
    response = conn.getresponse()
    body = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', body).group(1)
    form = urllib.parse.urlencode({"username": username, "password": password, "csrf_token": token})
    conn.request("POST", "/masuk", form, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.getheader("Set-Cookie", "").split(";")[0]


def web_load(workdir: Path, clients: int, requests_per_client: int, time_limit: float) -> dict[str, Any]:
    """Serve the data dir with `iku serve`, then 8 clients on 127.0.0.1, bounded in count and time."""
    from services import accounts

    runtime = Runtime(workdir / "data", database_url="")
    password = "bench-password-123"
    if read.accounts.account(runtime.db, "bench") is None:
        accounts.add_user(runtime, "bench", "auditor", password, actor="bench")
    year = runtime.db.execute("SELECT MAX(held_date) FROM activities").fetchone()[0][:4]
    runtime.close()
    port = _free_port()
    server = subprocess.Popen([PYTHON, "-m", "cli.main", "--data-dir", str(workdir / "data"), "serve", "--port",
                               str(port), "--threads", str(clients)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            try:
                probe.request("GET", "/masuk")
                probe.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
            finally:
                probe.close()
        cookie = _login(port, "bench", password)
        pages = {"indicator page": f"/?periode={year}", "audit-log page": "/jejak-audit"}
        result = {name: _hammer(port, cookie, url, clients, requests_per_client, time_limit)
                  for name, url in pages.items()}
        result["peak_mib"] = _peak_rss_mib(server.pid)
        return result
    finally:
        server.terminate()
        server.wait(timeout=30)


def _hammer(port: int, cookie: str, url: str, clients: int, per_client: int, time_limit: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + time_limit

    def client() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(per_client):
            if time.monotonic() > stop_at:
                break
            started = time.perf_counter()
            conn.request("GET", url, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors += response.status != 200
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    p50, p95 = _percentiles(latencies)
    return {"p50": p50, "p95": p95, "rps": len(latencies) / wall, "requests": len(latencies), "errors": errors}


def _peak_rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0

