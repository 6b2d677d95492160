"""The Manual IKU (PDF, DOCX) and the LKjIP's table of capaian kinerja (XLSX, DOCX) of 2020, made with `iku manual`
and `iku lkjip` from a history with a fourth indicator an admin defined, a PK revision, an exclusion and a year
before: read back (pypdf, python-docx, openpyxl) against the report's own figures, and printed by LibreOffice
(headless) with every word at 7 pt or more. The data dir is built once for the module."""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from cli.main import cli
from domain.periods import year
from domain.times import now, parse_instant
from services import lkjip, manualdoc, reports
from services.presentation import exclusions_text, format_fraction, format_percent
from services.runtime import Runtime
from tests.cli.test_report import ROWS
from tests.targets.test_report_rendering import _require, font_sizes, overlaps, read_words

ROWS_2019 = """AG-0,scheduled,2019-05-01T08:00,Apel hari pendidikan,walikota,Balai Kota,,,
AG-0,held,2019-05-01T08:00,,,,,,
AG-0,published,2019-05-01T09:00,,,,website,https://example.go.id/0,
"""
FOURTH = {"code": "walikota_daring", "numerator_kind": "published", "channels": "website; media online",
          "leaders": "walikota", "name": "Prosentase kegiatan Walikota yang dipublikasikan di media daring",
          "definition": "Kegiatan Walikota yang terlaksana dan diberitakan di website pemerintah kota atau media daring.",
          "formula": "Jumlah kegiatan Walikota yang dipublikasikan di media daring / jumlah kegiatan Walikota yang "
                     "terlaksana × 100%",
          "renstra_target": "90", "effective_from": "2020"}
BASIS = "188.45/12/417.101/2020"
DOCUMENTS = ("manual.pdf", "manual.docx", "lkjip.xlsx", "lkjip.docx")
ENV = {"IKU_DATABASE_URL": None, "IKU_LANG": None}  # the module's data dir, on SQLite, in Indonesian


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The data dir (2019 and 2020, targets, a logo, the fourth indicator, a PK revision, an exclusion), the four
    documents the CLI wrote from it with what it said, the report of 2018–2020 and the documents' data."""
    from PIL import Image

    tmp = tmp_path_factory.mktemp("documents")
    data_dir = tmp / "data"
    runner = CliRunner()

    def iku(*args: str):
        result = runner.invoke(cli, ["--data-dir", str(data_dir), *args], env=ENV)
        assert result.exit_code == 0, result.output
        return result

    (tmp / "rows.csv").write_text(ROWS + ROWS_2019, encoding="utf-8")
    iku("import", str(tmp / "rows.csv"))
    for code, value in (("published", "80"), ("documented", "50")):
        iku("target", "set", "2020", code, value, "--reason", "PK 2020")
    Image.new("RGB", (60, 60), (20, 90, 160)).save(tmp / "logo.png")
    iku("profile", "logo", str(tmp / "logo.png"))
    runtime = Runtime(data_dir, database_url="")
    try:
        runtime.applied(runtime.log.define_indicator(FOURTH, reason="Perluasan IKU 2020", actor="admin"))
        runtime.applied(runtime.log.revise_target(2020, "published", "85", basis_number=BASIS, basis_date="2020-06-15",
                                                  reason="PK perubahan", actor="admin"))
        runtime.record("excluded", "AG-6", indicator="published", exclusion_reason="tertutup", note="Rapat tertutup",
                       occurred_at=parse_instant("2020-02-03T10:00"), actor="siti")
        db, moment = runtime.fresh(), now()
        expected = {y: {row["code"]: row for row in reports.report(db, year(y), moment, "id")["indicators"]}
                    for y in (2018, 2019, 2020)}
        table, manual = lkjip.data(db, 2020, moment), manualdoc.data(db, 2020, moment)
    finally:
        runtime.close()
    files, said = {}, {}
    for name in DOCUMENTS:
        command, fmt = name.split(".")
        files[name] = tmp / name
        said[name] = iku(command, "2020", "--format", fmt, "-o", str(files[name])).output
    return {"tmp": tmp, "iku": iku, "runner": runner, "data_dir": data_dir, "files": files, "said": said,
            "expected": expected, "lkjip": table, "manual": manual}


@pytest.fixture(scope="module")
def printed(built):
    """Each document as printed: the PDF itself, the DOCX and XLSX converted by LibreOffice (one run, with a
    profile of its own), and the LKjIP table of many indicators (several pages); read back as words."""
    _require("pdftotext")
    folder = built["tmp"] / "printed"
    folder.mkdir()
    long = copy.deepcopy(built["lkjip"])
    long["rows"] = [dict(row, no=number, cells=[str(number), *row["cells"][1:]])
                    for number, row in enumerate(long["rows"] * 12, start=1)]
    (built["tmp"] / "long.xlsx").write_bytes(lkjip.xlsx(long))
    (built["tmp"] / "long.docx").write_bytes(lkjip.docx(long))
    files = {**built["files"], "long.xlsx": built["tmp"] / "long.xlsx", "long.docx": built["tmp"] / "long.docx"}
    paths = {"manual.pdf": files["manual.pdf"]}
    if shutil.which("soffice"):
        sources = {}
        for name, path in files.items():
            if not name.endswith(".pdf"):  # one name per output: manual.docx and lkjip.docx would both be .pdf
                sources[name] = folder / name.replace(".", "-") / path.name
                sources[name].parent.mkdir()
                shutil.copy(path, sources[name])
        for name, source in sources.items():
            subprocess.run(["soffice", f"-env:UserInstallation={(built['tmp'] / 'lo-profile').as_uri()}",
                            "--headless", "--convert-to", "pdf", "--outdir", str(source.parent), str(source)],
                           check=True, capture_output=True, timeout=300)
            paths[name] = source.with_suffix(".pdf")
            assert paths[name].exists(), f"LibreOffice did not print {name}"
    return {name: {"path": path, "words": read_words(path)} for name, path in paths.items()}


def printed_of(printed: dict, name: str) -> dict:
    if not name.endswith(".pdf"):
        _require("soffice")
    return printed[name]


def text_of(path: Path) -> str:
    """All the text of a document, whitespace made single spaces."""
    if path.suffix == ".pdf":
        parts = [page.extract_text() for page in PdfReader(path).pages]
    elif path.suffix == ".docx":
        document = Document(path)
        parts = [paragraph.text for paragraph in document.paragraphs]
        parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    else:
        parts = [str(cell.value) for row in load_workbook(path).active.iter_rows() for cell in row
                 if cell.value is not None]
    return " ".join(" ".join(parts).split())


def table_rows(path: Path) -> list[list[str]]:
    """The LKjIP table's rows as texts, the header first (a spanning sasaran cell: its text in its first row)."""
    if path.suffix == ".docx":
        rows = [[cell.text for cell in row.cells] for row in Document(path).tables[0].rows]
    else:
        sheet = load_workbook(path).active
        values = [["" if cell.value is None else str(cell.value) for cell in row] for row in sheet.iter_rows()]
        start = next(index for index, row in enumerate(values) if row[0] == "No")
        rows = []
        for row in values[start:]:
            if not row[0].isdigit() and rows:
                break
            rows.append(row)
    return [[" ".join(text.split()) for text in row] for row in rows]


def indicator_names(built) -> list[str]:
    return [row["name"] for row in built["expected"][2020].values()]


# --- the Manual IKU -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["manual.pdf", "manual.docx"])
def test_the_manual_has_a_sheet_for_each_indicator_in_force_including_the_one_an_admin_defined(built, name):
    text = text_of(built["files"][name])
    assert len(built["expected"][2020]) == 4
    for number, indicator in enumerate(indicator_names(built), start=1):
        assert indicator in text
        assert f"Lembar {number} dari 4" in text
    assert "MANUAL INDIKATOR KINERJA UTAMA TAHUN 2020" in text and "PEMERINTAH KOTA MOJOKERTO" in text
    for label in ("Sasaran strategis", "Definisi operasional", "Polaritas", "Sumber data", "Penanggung jawab",
                  "Frekuensi pelaporan", "Konsolidasi periode", "Alasan pengecualian yang diizinkan", "Berlaku sejak"):
        assert text.count(label) == 4, label


@pytest.mark.parametrize("name", ["manual.pdf", "manual.docx"])
def test_the_manual_states_each_counting_rule_from_the_definition(built, name):
    text = text_of(built["files"][name])
    # the fourth indicator: its channels, its one leader, no exclusions, its Renstra target, its version
    assert "walikota_daring" in text and "melalui kanal: website, media online" in text
    assert "Kegiatan Walikota yang terlaksana pada periode" in text
    assert "tidak ada" in text and "90,00%" in text
    assert "dicatat oleh admin" in text and "Perluasan IKU 2020" in text
    # the seed: every leader, its allowed exclusions, its IKU 2020 origin
    assert "Kegiatan Walikota, Wakil Walikota atau Sekretaris Daerah yang terlaksana" in text
    assert "tertutup/rahasia, diwakilkan pejabat lain, bukan kegiatan pimpinan" in text
    assert text.count("definisi awal (IKU 2020)") == 3
    assert text.count("Maksimal (semakin tinggi semakin baik)") == 4
    assert "jumlah pembilang ÷ jumlah penyebut" in text


def test_the_manual_data_keeps_the_version_in_force_and_its_field_order(built):
    sheets = built["manual"]["sheets"]
    assert [sheet["code"] for sheet in sheets] == ["published", "documented", "protocol_served", "walikota_daring"]
    fourth = dict(sheets[3]["fields"])
    assert fourth["Berlaku sejak"] == "2020" and fourth["Target akhir Renstra"] == "90,00%"
    assert "Target akhir Renstra" not in dict(sheets[0]["fields"])  # not recorded: no row
    assert [label for label, _ in sheets[0]["fields"]][:3] == ["Sasaran strategis", "Indikator kinerja", "Kode"]


# --- the LKjIP table ----------------------------------------------------------------------------------------

def expected_cells(built, code: str) -> list[str]:
    """A row of the table as the reports of 2020, 2019 and 2018 give its figures (Sasaran left out)."""
    this, dash = built["expected"][2020][code], "-"

    def percent(value):
        return dash if value is None else format_percent(value)

    def realisasi(y):
        row = built["expected"][y].get(code)
        return dash if row is None else format_fraction(row["numerator"], row["denominator"], row["percent"])

    return [percent(this["target_awal"]), percent(this["target_perubahan"]), realisasi(2020),
            format_percent(this["capaian"]), realisasi(2019), realisasi(2018),
            "90,00%" if code == "walikota_daring" else dash]


@pytest.mark.parametrize("name", ["lkjip.xlsx", "lkjip.docx"])
def test_the_lkjip_table_has_the_reports_figures_for_each_indicator(built, name):
    rows = table_rows(built["files"][name])
    assert rows[0] == ["No", "Sasaran", "Indikator", "Target (PK awal)", "Target (PK perubahan)", "Realisasi 2020",
                       "Capaian 2020", "Realisasi 2019", "Realisasi 2018", "Target akhir Renstra"]
    assert len(rows) == 1 + 4
    for number, (code, row) in enumerate(built["expected"][2020].items(), start=1):
        line = rows[number]
        assert line[0] == str(number) and line[2].startswith(row["name"])
        assert line[3:] == expected_cells(built, code), code


def test_the_lkjip_figures_are_the_reports_target_awal_perubahan_and_capaian_in_force(built):
    published = built["expected"][2020]["published"]
    assert (published["target_awal"], published["target_perubahan"], published["target"]) == (80.0, 85.0, 85.0)
    assert published["excluded"] == 1  # AG-6, tertutup
    row = built["lkjip"]["rows"][0]
    for key in ("numerator", "denominator", "percent", "target_awal", "target_perubahan", "target", "capaian"):
        assert row[key] == published[key], key
    assert row["previous"][0] == {"year": 2019, "numerator": 1, "denominator": 1, "percent": 100.0,
                                  "text": "1/1 = 100,00%"}
    assert built["lkjip"]["rows"][3]["previous"][0]["text"] == "-"  # not in force in 2019
    assert row["cells"][4:6] == ["85,00%", format_fraction(published["numerator"], published["denominator"],
                                                           published["percent"])]


@pytest.mark.parametrize("name", ["lkjip.xlsx", "lkjip.docx"])
def test_the_lkjip_table_prints_the_exclusions_under_the_indicator_and_the_pk_revisions_basis(built, name):
    published = built["expected"][2020]["published"]
    line = exclusions_text(published["excluded"], published["exclusions"])
    assert line == "1 kegiatan dikecualikan: 1 tertutup/rahasia"
    rows = table_rows(built["files"][name])
    assert line in rows[1][2]
    assert not any("dikecualikan" in row[2] for row in rows[2:])
    text = text_of(built["files"][name])
    assert f"nomor {BASIS} tanggal 15 Juni 2020" in text
    assert "TABEL CAPAIAN KINERJA TAHUN 2020" in text and "PEMERINTAH KOTA MOJOKERTO" in text


def test_the_lkjip_workbook_prints_landscape_fitted_to_the_width_with_the_header_repeated(built):
    sheet = load_workbook(built["files"]["lkjip.xlsx"]).active
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    header = next(row[0].row for row in sheet.iter_rows() if row[0].value == "No")
    assert sheet.print_title_rows == f"${header}:${header}"


def test_the_lkjip_word_table_is_landscape_with_its_header_row_repeated(built):
    document = Document(built["files"]["lkjip.docx"])
    section = document.sections[0]
    assert section.page_width > section.page_height
    header = document.tables[0].rows[0]._tr
    assert header.xpath("./w:trPr/w:tblHeader")
    assert not document.tables[0].rows[1]._tr.xpath("./w:trPr/w:tblHeader")


# --- as printed -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_word_prints_at_7pt_or_more(printed, name):
    words = printed_of(printed, name)["words"]
    sizes = font_sizes(words)
    smallest = min(sizes, key=sizes.get)
    assert sizes[smallest] >= 7.0 - 0.05, f"{smallest.text!r} prints at {sizes[smallest]:.2f} pt"


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_text_runs_over_other_text(printed, name):
    words = printed_of(printed, name)["words"]
    assert overlaps(words, font_sizes(words)) == []


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_printed_pages_have_their_orientation_and_every_indicator(built, printed, name):
    found = printed_of(printed, name)
    reader = PdfReader(found["path"])
    box = reader.pages[0].mediabox
    landscape = name.startswith("lkjip")
    assert (float(box.width) > float(box.height)) == landscape
    if not landscape:
        assert len(reader.pages) == 4  # a sheet, a page
    texts = {word.text for word in found["words"]}  # words: a table's cells print side by side, line by line
    for indicator in indicator_names(built):
        assert set(indicator.split()) <= texts, indicator
    for row in built["lkjip"]["rows"] if landscape else ():
        assert set(row["realisasi_text"].split()) <= texts
    assert not [text for text in texts if "###" in text]  # a spreadsheet's sign of a number too wide for its column


@pytest.mark.parametrize("name", ["long.xlsx", "long.docx"])
def test_a_long_lkjip_table_repeats_its_header_on_every_page(printed, name):
    words = printed_of(printed, name)["words"]
    pages = sorted({word.page for word in words})
    assert len(pages) >= 2
    for page in pages:
        texts = {word.text for word in words if word.page == page}
        assert {"No", "Sasaran", "Indikator", "Capaian", "Renstra"} <= texts, f"page {page}: no header"


# --- the commands ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "said"), [("manual.pdf", "Manual IKU 2020, 4 indikator"),
                                            ("manual.docx", "Manual IKU 2020, 4 indikator"),
                                            ("lkjip.xlsx", "tabel capaian kinerja 2020, 4 indikator"),
                                            ("lkjip.docx", "tabel capaian kinerja 2020, 4 indikator")])
def test_each_command_writes_its_document_and_says_what_it_holds(built, name, said):
    assert f"{built['files'][name]}: {said}" in built["said"][name]
    assert built["files"][name].stat().st_size > 1000


@pytest.mark.parametrize("command", ["manual", "lkjip"])
def test_as_of_a_moment_before_the_definition_leaves_the_fourth_indicator_out(built, tmp_path, command):
    output = tmp_path / f"{command}.docx"
    result = built["iku"](command, "2020", "--format", "docx", "-o", str(output), "--as-of", "2020-01-01")
    assert "2020, 3 indikator" in result.output
    text = text_of(output)
    assert "Prosentase Pelayanan Keprotokolan" in text and FOURTH["name"] not in text


def invoke(built, *args: str):
    return built["runner"].invoke(cli, ["--data-dir", str(built["data_dir"]), *args], env=ENV)


@pytest.mark.parametrize("command", ["manual", "lkjip"])
@pytest.mark.parametrize("bad", ["dua-ribu", "1899", "3000"])
def test_a_bad_year_is_refused_in_one_line_without_a_file(built, tmp_path, command, bad):
    result = invoke(built, command, bad, "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "tahun tidak sah" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("command", "fmt"), [("manual", "xlsx"), ("lkjip", "pdf")])
def test_a_format_the_document_does_not_have_is_refused(built, tmp_path, command, fmt):
    result = invoke(built, command, "2020", "--format", fmt, "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "--format" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["manual", "lkjip"])
def test_an_output_that_cannot_be_written_is_said_so(built, tmp_path, command):
    result = invoke(built, command, "2020", "-o", str(tmp_path / "no-such-folder" / "out"))
    assert result.exit_code == 1
    assert "tidak dapat menulis" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("command", ["manual", "lkjip"])
def test_each_command_has_help_with_an_example(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "Example: iku " + command in result.output

