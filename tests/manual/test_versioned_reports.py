"""Definitions are versioned: a year is counted with the definitions in force for it as known at the report's
as-of. Changing the IKU from 2021 (a fourth indicator, a narrower rule for one, another retired) leaves every
2020 report, as of any moment, as it was, byte for byte (but for the log's seal, which names the grown log)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.cli.test_report import ROWS

ROWS_2021 = """activity,event,occurred_at,title,leaders,location,channel,reference,note
AG-21-1,scheduled,2021-02-01T08:00,Kunjungan kerja,walikota,Kecamatan,,,
AG-21-1,held,2021-02-01T08:00,,,,,,
AG-21-1,published,2021-02-01T09:00,,,,website,https://x/21-1,
AG-21-2,scheduled,2021-02-02T08:00,Rapat,sekda,Aula,,,
AG-21-2,held,2021-02-02T08:00,,,,,,
AG-21-2,published,2021-02-02T09:00,,,,instagram,https://ig/21-2,
"""
PERIODS = ["2020", "2020-Q1", "2020-Q2", "2020-S1", "2020-02", "2020-03"]
FORMATS = ["json", "csv", "table"]


def without_seal(fmt: str, text: str) -> str:
    """The report with the log's seal left out: it names the log's head, which the new events moved."""
    if fmt == "json":
        data = json.loads(text)
        data.pop("seal")
        return json.dumps(data, ensure_ascii=False, indent=2)
    if fmt == "csv":
        return "\n".join(line.rsplit(",", 1)[0] for line in text.splitlines())
    return "\n".join(line for line in text.splitlines() if not line.startswith("Segel log"))


@pytest.fixture
def iku(tmp_path):
    runner = CliRunner()
    data = str(tmp_path / "data")

    def run(*args: str) -> str:
        result = runner.invoke(cli, ["--data-dir", data, *args])
        assert result.exit_code == 0, result.output
        return result.output

    for name, text in (("2020.csv", ROWS), ("2021.csv", ROWS_2021)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        run("import", str(tmp_path / name))
    run("target", "set", "2020", "published", "80", "--reason", "PK 2020")
    return run


def reports_of_2020(run, moments: list[str]) -> dict:
    return {(period, fmt, moment): without_seal(fmt, run("report", period, "--format", fmt,
                                                         *(["--as-of", moment] if moment else [])))
            for period in PERIODS for fmt in FORMATS for moment in moments}


def test_a_definition_changed_from_2021_leaves_every_2020_report_as_it_was(iku):
    moments = ["", "2020-06-30T23:59", "2030-01-01"]
    before = reports_of_2020(iku, moments)
    before_2021 = iku("report", "2021", "--format", "json")
    iku("indicator", "define", "walikota_daring", "--from", "2021", "--numerator-kind", "published",
        "--channels", "website; media online", "--leaders", "walikota", "--exclusion-reasons", "tertutup",
        "--name", "Prosentase kegiatan Walikota yang dipublikasikan di media daring",
        "--definition", "Kegiatan Walikota yang dipublikasikan di website atau media daring",
        "--formula", "Kegiatan Walikota dipublikasikan daring / kegiatan Walikota terlaksana × 100%",
        "--reason", "Renstra 2021-2026")
    iku("indicator", "define", "published", "--from", "2021", "--leaders", "walikota;wakil_walikota",
        "--name", "Prosentase kegiatan Walikota dan Wakil Walikota yang dipublikasikan", "--reason", "Renstra")
    iku("indicator", "retire", "documented", "--from", "2021", "--reason", "Renstra 2021-2026")
    iku("target", "set", "2021", "walikota_daring", "90", "--reason", "PK 2021")
    assert reports_of_2020(iku, moments) == before
    after_2021 = json.loads(iku("report", "2021", "--format", "json"))
    assert [(row["code"], row["numerator"], row["denominator"]) for row in after_2021["indicators"]] == [
        ("published", 1, 1), ("protocol_served", 0, 2), ("walikota_daring", 1, 1)]
    assert [row["code"] for row in json.loads(before_2021)["indicators"]] == [
        "published", "documented", "protocol_served"]
    # the 2021 report as known before the change is the 2021 report of then
    then = json.loads(iku("report", "2021", "--format", "json", "--as-of", "2020-12-31"))
    assert [row["code"] for row in then["indicators"]] == ["published", "documented", "protocol_served"]
