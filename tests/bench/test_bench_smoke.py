"""The benchmark runs end to end at a tiny size (its numbers are read in bench/RESULTS.md, never asserted)."""

import csv

import pytest

from bench.__main__ import run
from bench.history import write_csv
from services.csvimport import COLUMNS


def test_history_is_reproducible_from_its_seed(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert write_csv(first, 500, 7) == write_csv(second, 500, 7)
    assert first.read_bytes() == second.read_bytes()
    with first.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == COLUMNS and len(rows) == 501


def test_bench_produces_every_row_of_its_table():
    table = run(events=400, seed=1, samples=5, web=True, requests=3, naive_limit=5.0)
    for measurement in ("bulk import", "`iku rebuild`", "against the plain ceiling", "report current", "report as-of",
                        "naive replay",
                        "indicator page", "audit-log page", "peak memory", "KiB/event"):
        assert measurement in table, measurement
    assert "errors)" in table and ", 0 errors)" in table


@pytest.mark.postgres
def test_scaleout_bench_produces_every_row_of_its_table():
    from tests.conftest import POSTGRES_DSN, require_postgres

    require_postgres()
    from bench.scaleout import run as run_scaleout

    table = run_scaleout(events=300, seed=1, url=POSTGRES_DSN, writes=3, interval=0.1)
    for measurement in ("`iku migrate`", "new node catch-up", "plain ceiling from PostgreSQL",
                        "another node shows a write"):
        assert measurement in table, measurement
    assert "299 events" in table  # whole activities: the history stops just short of 300


def test_the_import_ab_compares_two_checkouts(tmp_path, capsys, monkeypatch):
    """Here both sides are this checkout: the older way of importing (read whole, one commit) still works."""
    import sys
    from pathlib import Path

    from bench import ab

    write_csv(tmp_path / "h.csv", 300, 3)
    root = Path(__file__).resolve().parents[2]
    monkeypatch.chdir(root)
    monkeypatch.setattr(sys, "argv", ["bench.ab", str(root), str(tmp_path / "h.csv")])
    ab.main()
    table = capsys.readouterr().out
    assert table.splitlines()[0] == "| file | before | after | ratio |"
    assert table.splitlines()[2].startswith("| h.csv | ") and table.count("events/s") == 2
