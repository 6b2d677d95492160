"""The official report: XLSX and PDF carry the same figures as `iku report --format json`, with formats,
merged headers, the seal and the signature block."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pypdf import PdfReader

from cli.main import cli
from services.presentation import format_fraction
from tests.cli.test_report import ROWS


@pytest.fixture
def data(tmp_path):
    runner = CliRunner()
    source = tmp_path / "rows.csv"
    source.write_text(ROWS, encoding="utf-8")

    def iku(*args):
        result = runner.invoke(cli, ["--data-dir", str(tmp_path / "data"), *args])
        assert result.exit_code == 0, result.output
        return result

    iku("import", str(source))
    iku("target", "set", "2020", "published", "80", "--reason", "Renstra")
    iku("profile", "set", "penandatangan_nama", "Drs. Budi Santoso")
    iku("profile", "set", "penandatangan_nip", "197001011995031001")
    return iku, tmp_path


def quarter_json(iku, period):
    return json.loads(iku("report", period, "--format", "json").stdout)


def test_xlsx_has_numbers_formats_merged_headers_and_agrees_with_json(data):
    iku, tmp = data
    iku("report", "2020", "--format", "xlsx", "-o", str(tmp / "iku.xlsx"))
    sheet = load_workbook(tmp / "iku.xlsx").active
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "A6:A7" in merged and "G6:J6" in merged  # NO spans two header rows; TW I spans its four columns
    assert sheet.page_setup.orientation == "landscape"
    q1 = quarter_json(iku, "2020-Q1")["indicators"][0]
    year = quarter_json(iku, "2020")["indicators"][0]
    row = 8  # first indicator
    assert sheet.cell(row, 7).value == pytest.approx(0.80) and sheet.cell(row, 7).number_format == "0.00%"
    assert sheet.cell(row, 8).value == f"{q1['numerator']}/{q1['denominator']}"
    assert sheet.cell(row, 9).value == pytest.approx(q1["percent"] / 100)
    assert sheet.cell(row, 10).value == pytest.approx(q1["capaian"] / 100)
    assert sheet.cell(row, 6 + 4 * 4 + 3).value == pytest.approx(year["percent"] / 100)
    assert sheet.cell(row + 1, 7).value is None  # no target for documented: n/a, not 0
    texts = [str(c.value) for line in sheet.iter_rows() for c in line if c.value]
    assert "Drs. Budi Santoso" in texts and "NIP. 197001011995031001" in texts
    assert any(quarter_json(iku, "2020")["seal"] in text for text in texts)


def test_pdf_shows_the_figures_and_the_signature_block(data):
    iku, tmp = data
    iku("report", "2020", "--format", "pdf", "-o", str(tmp / "iku.pdf"))
    text = "\n".join(page.extract_text() for page in PdfReader(tmp / "iku.pdf").pages)
    for period in ("2020-Q1", "2020-Q3", "2020"):
        for item in quarter_json(iku, period)["indicators"]:
            assert format_fraction(item["numerator"], item["denominator"], item["percent"]) in text
    assert "REALISASI INDIKATOR KINERJA UTAMA TAHUN 2020" in text
    assert "Drs. Budi Santoso" in text and "NIP. 197001011995031001" in text
    assert "Kepala Bagian Humas dan Protokol" in text
    assert quarter_json(iku, "2020")["seal"] in text.replace("\n", "")


@pytest.mark.parametrize("period", ["2020-S1", "2020-03"])
def test_official_formats_need_a_year_or_a_quarter_and_a_file(data, period):
    iku, tmp = data
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp / "data"), "report", period, "--format", "pdf",
                                      "-o", str(tmp / "x.pdf")])
    assert result.exit_code != 0 and "laporan resmi satu tahun atau laporan kinerja satu triwulan" in result.output
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp / "data"), "report", "2020", "--format", "pdf"])
    assert result.exit_code != 0


def test_logo_is_printed_on_both_exports(data):
    from PIL import Image

    iku, tmp = data
    Image.new("RGB", (40, 40), (200, 30, 30)).save(tmp / "logo.png")
    iku("profile", "logo", str(tmp / "logo.png"))
    iku("report", "2020", "--format", "xlsx", "-o", str(tmp / "iku.xlsx"))
    iku("report", "2020", "--format", "pdf", "-o", str(tmp / "iku.pdf"))
    assert len(load_workbook(tmp / "iku.xlsx").active._images) == 1
    assert len(PdfReader(tmp / "iku.pdf").pages[0].images) == 1


def test_a_logo_that_is_not_png_or_jpeg_is_refused_and_not_kept(data):
    iku, tmp = data
    (tmp / "logo.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp / "data"), "profile", "logo", str(tmp / "logo.pdf")])
    assert result.exit_code != 0 and "logo harus PNG atau JPEG" in result.output
    assert not [path for path in (tmp / "data").rglob("evidence/*/*") if path.is_file()]


def test_both_documents_print_the_address_and_the_predikat(data):
    iku, tmp = data
    iku("profile", "set", "alamat", "Jl. Gajah Mada No. 145, Kota Mojokerto 61321")
    iku("report", "2020", "--format", "xlsx", "-o", str(tmp / "iku.xlsx"))
    iku("report", "2020", "--format", "pdf", "-o", str(tmp / "iku.pdf"))
    predikat = quarter_json(iku, "2020-Q1")["indicators"][0]["predikat"]
    assert predikat
    cells = [str(c.value) for line in load_workbook(tmp / "iku.xlsx").active.iter_rows() for c in line if c.value]
    assert "Jl. Gajah Mada No. 145, Kota Mojokerto 61321" in cells and predikat in cells
    text = "\n".join(page.extract_text() for page in PdfReader(tmp / "iku.pdf").pages)
    assert "Jl. Gajah Mada No. 145, Kota Mojokerto 61321" in text and predikat in text


def test_both_documents_sign_with_the_day_and_no_time(data):
    import re

    iku, tmp = data
    iku("report", "2020", "--format", "xlsx", "-o", str(tmp / "iku.xlsx"))
    iku("report", "2020", "--format", "pdf", "-o", str(tmp / "iku.pdf"))
    cells = [str(c.value) for line in load_workbook(tmp / "iku.xlsx").active.iter_rows() for c in line if c.value]
    text = "\n".join(page.extract_text() for page in PdfReader(tmp / "iku.pdf").pages)
    place_and_day = re.compile(r"^Mojokerto, \d{1,2} \w+ \d{4}$")
    assert any(place_and_day.match(cell) for cell in cells)
    assert any(place_and_day.match(line.strip()) for line in text.splitlines())


def test_typed_text_is_written_as_text_never_as_a_formula(data):
    iku, tmp = data
    typed = {"pemda": '=HYPERLINK("http://example.com","x")', "alamat": "=1+1", "penandatangan_nama": "@SUM(A1)",
             "tempat": "+Mojokerto"}
    for key, value in typed.items():
        iku("profile", "set", key, value)
    iku("report", "2020", "--format", "xlsx", "-o", str(tmp / "iku.xlsx"))
    cells = [c for line in load_workbook(tmp / "iku.xlsx").active.iter_rows() for c in line if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if c.data_type == "s"}
    assert {"=1+1", "@SUM(A1)", '=HYPERLINK("HTTP://EXAMPLE.COM","X")'} <= texts


def test_the_pdf_prints_names_the_core_fonts_lack(data):
    iku, tmp = data
    iku("profile", "set", "alamat", "Jl. “Balai Kota” – No. 1, Kota Mojokerto ✓")
    iku("profile", "set", "penandatangan_nama", "Dr. Ağus Sétiawan")
    iku("report", "2020", "--format", "pdf", "-o", str(tmp / "iku.pdf"))
    text = "\n".join(page.extract_text() for page in PdfReader(tmp / "iku.pdf").pages)
    assert 'Jl. "Balai Kota" - No. 1, Kota Mojokerto ?' in text and "Dr. A?us Sétiawan" in text
