"""`iku report`, `iku trail`, `iku rebuild`: formats, periods, as-of, and errors as one clear line."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli

ROWS = """activity,event,occurred_at,title,leaders,location,channel,reference,note
AG-1,scheduled,2020-01-06T08:00,Apel pagi,walikota;wakil_walikota,Halaman Balai Kota,,,
AG-1,held,2020-01-06T08:00,,,,,,
AG-1,published,2020-01-06T11:00,,,,website,https://example.go.id/1,
AG-2,scheduled,2020-03-31T19:00,Malam apresiasi,wakil_walikota,Alun-alun,,,
AG-2,held,2020-03-31T23:30,,,,,,
AG-2,documented,2020-04-01T08:00,,,,foto,ARSIP/2,
AG-3,scheduled,2020-06-30T20:00,Rapat malam,sekda,Aula,,,
AG-3,held,2020-06-30T17:30Z,,,,,,
AG-4,scheduled,2020-02-01T08:00,Kunjungan,walikota,Kecamatan,,,
AG-4,held,2020-02-01T08:00,,,,,,
AG-4,published,2020-02-01T09:00,,,,instagram,https://ig/4,
AG-4,protocol_served,2020-02-01T08:00,,,,Subbag Protokol,,
AG-5,scheduled,2020-02-02T08:00,Audiensi,walikota,Ruang Walikota,,,
AG-5,held,2020-02-02T08:00,,,,,,
AG-5,published,2020-02-02T09:00,,,,website,https://5,
AG-6,scheduled,2020-02-03T08:00,Peresmian,walikota,Pasar,,,
AG-6,held,2020-02-03T08:00,,,,,,
AG-7,scheduled,2020-02-04T08:00,Sidak,walikota,Dinas,,,
AG-7,held,2020-02-04T08:00,,,,,,
AG-7,published,2020-02-04T09:00,,,,website,https://7,
AG-7,documented,2020-02-04T09:00,,,,foto,ARSIP/7,
AG-8,scheduled,2020-02-05T08:00,Rapat,walikota,Aula,,,
AG-8,held,2020-02-05T08:00,,,,,,
AG-8,published,2020-02-05T09:00,,,,website,https://8,
"""


@pytest.fixture
def iku(tmp_path):
    runner = CliRunner()
    data = tmp_path / "data"
    source = tmp_path / "rows.csv"
    source.write_text(ROWS, encoding="utf-8")
    assert runner.invoke(cli, ["--data-dir", str(data), "import", str(source)]).exit_code == 0

    def run(*args: str):
        return runner.invoke(cli, ["--data-dir", str(data), *args])

    return run


def test_json_report_of_q1(iku):
    result = iku("report", "2020-Q1", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["period"]["label"] == "Triwulan I 2020"
    assert report["as_of"] is None
    published = report["indicators"][0]
    # Q1 holds AG-1, AG-2 (23:30 WIB on 31 March), AG-4 … AG-8: 7 activities, 5 published.
    assert (published["numerator"], published["denominator"], published["percent"]) == (5, 7, 71.43)


@pytest.mark.parametrize("args,denominator", [
    (["2020"], 8), (["2020-Q1"], 7), (["2020-Q2"], 0), (["2020-Q3"], 1), (["2020-S1"], 7), (["2020-S2"], 1),
    (["2020-03"], 1), (["2020-07"], 1), (["--from", "2020-02-01", "--to", "2020-02-03"], 3),
])
def test_periods(iku, args, denominator):
    report = json.loads(iku("report", *args, "--format", "json").stdout)
    assert report["indicators"][0]["denominator"] == denominator


def test_table_shows_fractions_with_decimal_comma(iku):
    result = iku("report", "2020-Q1")
    assert "Triwulan I 2020 (1 Januari 2020 s.d. 31 Maret 2020)" in result.stdout
    assert "Per      : kondisi terkini" in result.stdout  # no --as-of: as known now, and said so
    assert "5/7 = 71,43%" in result.stdout
    assert "2/7 = 28,57%" in result.stdout


def test_table_shows_na_for_an_empty_period(iku):
    assert "0/0 = n/a" in iku("report", "2020-Q2").stdout


def test_csv_report(iku):
    rows = list(csv.DictReader(io.StringIO(iku("report", "2020-Q1", "--format", "csv").stdout)))
    assert [r["code"] for r in rows] == ["published", "documented", "protocol_served"]
    assert rows[0]["percent"] == "71.43" and rows[0]["numerator"] == "5"


def test_as_of_before_anything_was_recorded_is_empty(iku):
    report = json.loads(iku("report", "2020", "--as-of", "2020-04-05", "--format", "json").stdout)
    assert report["as_of"] == "2020-04-05T00:00:00+07:00"
    assert report["indicators"][0]["denominator"] == 0


@pytest.mark.parametrize("args,needle", [
    (["report", "2020-Q5"], "periode tidak sah"),
    (["report", "2020", "--as-of", "kemarin"], "tanggal/waktu tidak sah"),
    (["report", "--from", "2020-02-01"], "--to"),
    (["report", "--from", "2020-03-01", "--to", "2020-02-01"], "sesudah"),
    (["report", "2020", "--from", "2020-01-01", "--to", "2020-02-01"], "bukan keduanya"),
    (["trail", "AG-404"], "tidak ditemukan"),
])
def test_errors_are_one_clear_line_and_a_non_zero_exit(iku, args, needle):
    result = iku(*args)
    assert result.exit_code != 0
    assert needle in result.stderr
    assert "Traceback" not in result.output


def test_trail_shows_each_event(iku):
    result = iku("trail", "AG-2")
    assert result.exit_code == 0
    assert "31 Maret 2020 pukul 23.30 WIB" in result.stdout
    assert "ARSIP/2" in result.stdout


def test_rebuild_reports_events_and_rate(iku):
    before = iku("report", "2020", "--format", "json").stdout
    result = iku("rebuild")
    assert result.exit_code == 0
    assert result.stdout.startswith("24 peristiwa diputar ulang")
    assert "peristiwa/dtk" in result.stdout
    assert iku("report", "2020", "--format", "json").stdout == before


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    for name in cli.commands:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example:" in result.stdout, f"iku {name} --help has no Example"


def test_installed_console_script_prints_no_traceback_on_a_bad_database_url(tmp_path):
    iku = Path(sys.executable).parent / "iku"
    if not iku.exists():
        pytest.skip("the iku console script is not installed in this environment")
    env = {**os.environ, "IKU_DATABASE_URL": "mysql://nowhere", "IKU_DATA_DIR": str(tmp_path)}
    result = subprocess.run([str(iku), "report", "2020"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode != 0
    assert "postgresql://" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
