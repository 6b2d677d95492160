"""A fourth indicator an admin defines (Walikota's activities published on the website or online media, with
exclusions allowed for closed-door meetings) is counted everywhere the three are: the JSON and CSV reports, the
official report's XLSX and PDF, and the LKjIP table's DOCX, each with the figures of the independent oracle
(the stored events replayed in plain Python and counted by the domain's rule)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from cli.main import cli
from domain.periods import parse_period
from domain.times import UTC
from services.runtime import Runtime
from tests.cli.test_report import ROWS
from tests.projections.oracle import oracle_counts, stored_events

NAME = "Prosentase kegiatan Walikota yang dipublikasikan di media daring"
EXTRA = """activity,event,occurred_at,title,leaders,location,channel,reference,note
AG-9,scheduled,2020-05-04T08:00,Rapat terbatas,walikota,Ruang Walikota,,,
AG-9,held,2020-05-04T08:00,,,,,,
AG-9,published,2020-05-04T10:00,,,,Media Online,https://berita/9,
AG-10,scheduled,2020-05-05T08:00,Rapat Forkopimda,walikota,Aula,,,
AG-10,held,2020-05-05T08:00,,,,,,
AG-10,excluded,2020-05-05T12:00,,,,tertutup,walikota_daring,rapat tertutup
AG-11,scheduled,2020-08-03T08:00,Kunjungan,sekda,Kecamatan,,,
AG-11,held,2020-08-03T08:00,,,,,,
AG-11,published,2020-08-03T10:00,,,,website,https://x/11,
"""
PERIODS = ["2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4", "2020"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fourth")
    data = tmp / "data"
    runner = CliRunner()

    def iku(*args: str) -> str:
        result = runner.invoke(cli, ["--data-dir", str(data), *args], env={"IKU_DATABASE_URL": None})
        assert result.exit_code == 0, result.output
        return result.output

    (tmp / "rows.csv").write_text(ROWS, encoding="utf-8")
    iku("import", str(tmp / "rows.csv"))
    iku("indicator", "define", "walikota_daring", "--from", "2020", "--numerator-kind", "published",
        "--channels", "website; media online", "--leaders", "walikota", "--exclusion-reasons", "tertutup",
        "--name", NAME, "--definition", "Kegiatan Walikota yang diberitakan daring",
        "--formula", "Kegiatan Walikota dipublikasikan daring / kegiatan Walikota terlaksana × 100%",
        "--reason", "Renstra 2021-2026", "--actor", "admin")
    (tmp / "extra.csv").write_text(EXTRA, encoding="utf-8")
    iku("import", str(tmp / "extra.csv"))
    iku("target", "set", "2020", "walikota_daring", "90", "--reason", "PK 2020")
    iku("target", "revise", "2020", "walikota_daring", "75", "--basis-number", "188.45/7/2020", "--basis-date",
        "2020-06-15", "--reason", "PK perubahan")
    iku("report", "2020", "--format", "xlsx", "-o", str(tmp / "report.xlsx"))
    iku("report", "2020-Q2", "--format", "pdf", "-o", str(tmp / "q2.pdf"))
    iku("report", "2020", "--format", "pdf", "-o", str(tmp / "report.pdf"))
    iku("lkjip", "2020", "--format", "docx", "-o", str(tmp / "lkjip.docx"))
    runtime = Runtime(data, database_url="")
    try:
        events = stored_events(runtime.log)
        indicators = runtime.log.indicators(2020)
    finally:
        runtime.close()
    expected = {}
    for code in PERIODS:
        period = parse_period(code)
        expected[code] = oracle_counts(events, period.start, period.end, datetime.now(tz=UTC), indicators)
    return {"iku": iku, "tmp": tmp, "expected": expected}


def test_the_oracle_sees_the_rule_at_work(built):
    year = built["expected"]["2020"]["walikota_daring"]
    # Walikota's held: AG-1, AG-4..AG-8, AG-9, AG-10 (excluded); online: AG-1, 5, 7, 8 (website), AG-9 (media online)
    assert year == {"numerator": 5, "denominator": 7, "excluded": 1}
    assert built["expected"]["2020"]["published"]["denominator"] == 11  # every leader, no exclusion of its own


@pytest.mark.parametrize("period", PERIODS)
def test_json_and_csv_reports_count_the_fourth_indicator_as_the_oracle(built, period):
    expected = built["expected"][period]
    report = json.loads(built["iku"]("report", period, "--format", "json"))
    assert [row["code"] for row in report["indicators"]] == ["published", "documented", "protocol_served",
                                                             "walikota_daring"]
    assert {row["code"]: {"numerator": row["numerator"], "denominator": row["denominator"],
                          "excluded": row["excluded"]} for row in report["indicators"]} == expected
    rows = list(csv.DictReader(io.StringIO(built["iku"]("report", period, "--format", "csv"))))
    assert {row["code"]: (int(row["numerator"]), int(row["denominator"])) for row in rows} == {
        code: (value["numerator"], value["denominator"]) for code, value in expected.items()}
    assert rows[-1]["name"] == NAME


def fractions(expected: dict, code: str) -> list[str]:
    return [f"{expected[period][code]['numerator']}/{expected[period][code]['denominator']}" for period in PERIODS]


def test_the_official_report_xlsx_and_pdf_carry_the_fourth_indicator(built):
    sheet = load_workbook(built["tmp"] / "report.xlsx").active
    row = next(row for row in sheet.iter_rows(values_only=True) if NAME in [str(cell) for cell in row])
    assert [cell for cell in row if isinstance(cell, str) and "/" in cell and cell[0].isdigit()] == \
        fractions(built["expected"], "walikota_daring")
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(built["tmp"] / "report.pdf").pages)
    assert "Prosentase kegiatan Walikota yang dipublikasikan" in text
    year = built["expected"]["2020"]["walikota_daring"]
    assert f"{year['numerator']}/{year['denominator']}" in text
    revision = (f"{NAME}: target PK awal 90,00%, PK perubahan 75,00% (188.45/7/2020, 15 Juni 2020)")
    assert revision in text and f"{NAME}: 1 kegiatan dikecualikan: 1 tertutup/rahasia" in text
    notes = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell and "PK perubahan" in str(cell)]
    assert notes == [revision]
    quarter = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(built["tmp"] / "q2.pdf").pages)
    assert revision in quarter and "1 kegiatan dikecualikan: 1 tertutup/rahasia" in quarter


def test_the_lkjip_docx_carries_the_fourth_indicator(built):
    table = Document(built["tmp"] / "lkjip.docx").tables[0]
    row = next(row for row in table.rows if any(NAME in cell.text for cell in row.cells))
    year = built["expected"]["2020"]["walikota_daring"]
    assert any(cell.text.startswith(f"{year['numerator']}/{year['denominator']} = ") for cell in row.cells)
    assert any("1 kegiatan dikecualikan: 1 tertutup/rahasia" in cell.text for cell in row.cells)
