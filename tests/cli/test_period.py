"""`iku period …`: the quarter's cycle from the command line, each step by a named account whose role must allow
it (a refusal is one line and a non-zero exit), and reports saying whether their figures are final."""

from __future__ import annotations

import json

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner

from cli.main import cli
from services import accounts
from tests.cli.test_report import ROWS


@pytest.fixture
def iku(tmp_path, monkeypatch):
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    runner = CliRunner()
    data = tmp_path / "data"
    source = tmp_path / "rows.csv"
    source.write_text(ROWS, encoding="utf-8")

    def run(*args: str, stdin: str | None = None):
        return runner.invoke(cli, ["--data-dir", str(data), *args], input=stdin)

    assert run("import", str(source)).exit_code == 0
    for name, role in (("siti", "operator"), ("kasubbag", "verifier"), ("kabag", "approver"), ("bpk", "auditor")):
        assert run("user", "add", name, "--role", role, "--password-stdin", stdin="kata-sandi-panjang-1").exit_code == 0
    return run


def close(iku, code: str) -> None:
    for step, actor in (("submit", "siti"), ("verify", "kasubbag"), ("approve", "kabag")):
        result = iku("period", step, code, "--actor", actor)
        assert result.exit_code == 0, result.output


def test_a_quarter_is_closed_step_by_step_and_its_report_says_final(iku):
    assert "sementara (terbuka, revisi 0)" in iku("report", "2020-Q1").stdout
    result = iku("period", "submit", "2020-Q1", "--actor", "siti")
    assert result.stdout.strip() == "Triwulan I 2020: periode diajukan oleh siti (revisi 0)"
    result = iku("period", "return", "2020-Q1", "--actor", "kasubbag", "--reason", "bukti kurang")
    assert result.exit_code == 0
    close(iku, "2020-Q1")
    status = iku("period", "status", "2020").stdout.splitlines()
    assert status[0].startswith("Triwulan I 2020") and "disetujui (ditutup)" in status[0] and "revisi 1" in status[0]
    assert "terbuka" in status[1] and status[4].startswith("Tahun 2020")
    report = json.loads(iku("report", "2020-Q1", "--format", "json").stdout)
    assert list(report)[:3] == ["period", "as_of", "indicators"]  # the contract's keys first
    assert (report["state"], report["revision"]) == ("approved", 1)
    final = report["final"]
    assert final["approved_by"] == "kabag" and final["seal"].startswith("mth:")
    assert [(row["code"], row["numerator"], row["denominator"]) for row in final["figures"]] == [
        ("published", 5, 7), ("documented", 2, 7), ("protocol_served", 1, 7)]
    table = iku("report", "2020-Q1").stdout
    assert "Status   : Final — disetujui oleh kabag," in table and "revisi 1, segel " + final["seal"] in table
    assert "state" not in json.loads(iku("report", "2020-03", "--format", "json").stdout)  # a month: no cycle


@pytest.mark.parametrize(("args", "message"), [
    (("period", "verify", "2020-Q1", "--actor", "kasubbag"), "berstatus terbuka: tidak dapat memverifikasi"),
    (("period", "submit", "2020-Q1", "--actor", "bpk"), "peran Auditor (akun bpk) tidak dapat mengajukan"),
    (("period", "submit", "2020-Q1", "--actor", "nobody"), "akun nobody tidak ada"),
    (("period", "submit", "2020-S1", "--actor", "siti"), "hanya triwulan"),
    (("period", "approve", "2020", "--actor", "kabag"), "berstatus terbuka"),
    (("period", "status", "20x0"), "tahun tidak sah"),
])
def test_a_refused_step_is_one_line_and_a_non_zero_exit(iku, args, message):
    result = iku(*args)
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output


def test_return_and_reopen_need_a_reason(iku):
    iku("period", "submit", "2020-Q1", "--actor", "siti")
    missing = iku("period", "return", "2020-Q1", "--actor", "kasubbag")
    assert missing.exit_code != 0 and "--reason" in missing.output
    result = iku("period", "return", "2020-Q1", "--actor", "kasubbag", "--reason", " ")
    assert result.exit_code == 1 and "alasan wajib diisi" in result.output


def test_a_late_fact_for_a_closed_quarter_is_refused_until_it_is_reopened(iku, tmp_path):
    close(iku, "2020-Q1")
    late = tmp_path / "late.csv"
    late.write_text("activity,event,occurred_at,title,leaders,location,channel,reference,note\n"
                    "AG-6,documented,2020-04-03T10:00,,,,foto,ARSIP/6,\n", encoding="utf-8")
    result = iku("import", str(late))
    assert result.exit_code != 0
    assert "Triwulan I 2020 sudah ditutup (revisi 1, disetujui oleh kabag)" in result.output
    assert iku("period", "reopen", "2020-Q1", "--actor", "kabag", "--reason", "dokumentasi susulan").exit_code == 0
    assert iku("import", str(late)).exit_code == 0
    report = json.loads(iku("report", "2020-Q1", "--format", "json").stdout)
    assert (report["state"], report["revision"], report["final"]) == ("open", 1, None)
    assert report["indicators"][1]["numerator"] == 3
    assert report["reopened"]["figures"][1]["numerator"] == 2  # what was reported, beside the log now
    table = iku("report", "2020-Q1").stdout
    assert "Status   : sementara (terbuka, revisi 1)" in table
    assert ("  Prosentase kegiatan pimpinan daerah yang didokumentasikan: disetujui 2/7 = 28,57%, "
            "log sekarang 3/7 = 42,86%") in table


def test_the_year_closes_after_its_quarters_and_the_status_speaks_english(iku):
    for q in (1, 2, 3, 4):
        close(iku, f"2020-Q{q}")
    close(iku, "2020")
    lines = iku("--lang", "en", "period", "status", "2020").stdout.splitlines()
    assert lines[4].startswith("Year 2020") and "approved (closed)" in lines[4] and "revision 1" in lines[4]


def test_a_fact_recorded_after_verification_stops_the_approval_until_verified_again(iku, tmp_path):
    iku("period", "submit", "2020-Q1", "--actor", "siti")
    iku("period", "verify", "2020-Q1", "--actor", "kasubbag")
    late = tmp_path / "late.csv"
    late.write_text("activity,event,occurred_at,title,leaders,location,channel,reference,note\n"
                    "AG-6,documented,2020-04-03T10:00,,,,foto,ARSIP/6,\n", encoding="utf-8")
    assert iku("import", str(late)).exit_code == 0  # not closed yet: recorded
    refused = iku("period", "approve", "2020-Q1", "--actor", "kabag")
    assert refused.exit_code == 1
    assert "angka Triwulan I 2020 berubah sejak diverifikasi oleh kasubbag" in refused.output
    assert iku("period", "return", "2020-Q1", "--actor", "kabag", "--reason", "angka berubah").exit_code == 0
    close(iku, "2020-Q1")
    final = json.loads(iku("report", "2020-Q1", "--format", "json").stdout)["final"]
    assert final["figures"][1]["numerator"] == 3  # the late documentation is in what was approved


def test_an_import_names_each_line_a_closed_quarter_refuses(iku, tmp_path):
    close(iku, "2020-Q1")
    late = tmp_path / "late.csv"
    late.write_text("activity,event,occurred_at,title,leaders,location,channel,reference,note\n"
                    "AG-9,scheduled,2020-04-03T10:00,Rapat,sekda,Aula,,,\n"
                    "AG-6,documented,2020-04-03T10:00,,,,foto,ARSIP/6,\n"
                    "AG-5,documented,2020-04-03T10:00,,,,foto,ARSIP/5,\n", encoding="utf-8")
    result = iku("import", str(late))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "sudah ditutup" in line]
    assert [line.split(":")[0].split()[-1] for line in lines] == ["3", "4"]  # each refused line, by its number
    assert iku("trail", "AG-9").exit_code != 0  # all or nothing: the plan on line 2 is not stored either


def test_a_report_as_of_a_moment_says_what_the_cycle_was_then(iku):
    before = json.loads(iku("report", "2020-Q1", "--format", "json").stdout)
    close(iku, "2020-Q1")
    iku("period", "reopen", "2020-Q1", "--actor", "kabag", "--reason", "koreksi")
    now = json.loads(iku("report", "2020-Q1", "--format", "json").stdout)
    assert (now["state"], now["revision"]) == ("open", 1)
    approved_at = now["reopened"]["approved_at"]
    then = json.loads(iku("report", "2020-Q1", "--as-of", approved_at, "--format", "json").stdout)
    assert (then["state"], then["revision"], then["final"]["approved_at"]) == ("approved", 1, approved_at)
    earliest = json.loads(iku("report", "2020-Q1", "--as-of", "2020-01-01", "--format", "json").stdout)
    assert (earliest["state"], earliest["revision"], earliest["final"]) == ("open", 0, None)
    assert before["state"] == "open"
