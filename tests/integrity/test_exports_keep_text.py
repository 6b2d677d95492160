"""Every text a person typed is written as text in every export (XLSX, CSV, bundle), never as a formula a
spreadsheet would run: tested field by field, with each way a cell can start a formula."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from domain.periods import parse_period
from domain.times import now, parse_instant
from projections import chain
from services import auditexport, bundle, officialreport
from tests.conftest import open_runtime

FORMULAS = ('=HYPERLINK("http://evil.example","klik")', "+1+1", "-2+3", "@SUM(A1)")
WHEN = parse_instant("2020-03-02T09:00")
PROFILE_FIELDS = ("pemda", "unit", "alamat", "tempat", "penandatangan_jabatan", "penandatangan_nama",
                  "penandatangan_nip")
ACTIVITY_FIELDS = ("title", "location", "note", "channel", "evidence_ref", "reason", "actor")


def history(runtime, field: str, text: str) -> None:
    """A held, published, later cancelled-and-withdrawn history with `text` in `field` (plain text elsewhere)."""
    value = {name: (text if name == field else "biasa") for name in ACTIVITY_FIELDS}
    runtime.record("scheduled", "AG-1", title=value["title"], leaders=["sekda"], location=value["location"],
                   occurred_at=WHEN, actor=value["actor"], note=value["note"])
    runtime.record("held", "AG-1", occurred_at=WHEN, actor=value["actor"], note=value["note"])
    runtime.record("published", "AG-1", occurred_at=WHEN, channel=value["channel"],
                   evidence_ref=value["evidence_ref"], actor=value["actor"])
    runtime.record("withdrawn", "AG-1", withdrawn_kind="published", reason=value["reason"], occurred_at=WHEN,
                   actor=value["actor"])
    runtime.log.set_target(2020, "published", "90", reason=value["reason"], actor=value["actor"])


def csv_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8"))) for cell in row]


def assert_csv_keeps_text(data: bytes, text: str) -> None:
    cells = csv_cells(data)
    assert text not in cells, "written as a formula"
    assert "'" + text in cells, "the typed text is there, as text"


def assert_xlsx_keeps_text(data: bytes, text: str) -> None:
    workbook = load_workbook(io.BytesIO(data))
    found = False
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                # (headings may print a field in capitals)
                found = found or (isinstance(cell.value, str) and text.upper() in cell.value.upper())
    assert found, "the typed text is there, as text"


@pytest.mark.parametrize("text", FORMULAS)
@pytest.mark.parametrize("field", ACTIVITY_FIELDS)
def test_the_audit_log_and_the_bundle_keep_every_typed_field_as_text(tmp_path, field, text):
    with open_runtime("sqlite", tmp_path / "data") as runtime:
        history(runtime, field, text)
        db = runtime.fresh()
        seal = str(chain.head(db))
        rows = auditexport.log_rows(db, {}, newest_first=False)
        assert_csv_keeps_text("".join(auditexport.csv_chunks(rows, seal)).encode(), text)
        out = io.BytesIO()
        auditexport.write_xlsx(auditexport.log_rows(db, {}, newest_first=False), seal, out)
        assert_xlsx_keeps_text(out.getvalue(), text)
        with zipfile.ZipFile(io.BytesIO(bundle.build(db, parse_period("2020"), now(), log=runtime.log, stated=False))) as archive:
            files = [archive.read(name) for name in archive.namelist() if name.endswith(".csv")]
        cells = [cell for data in files for cell in csv_cells(data)]
        assert text not in cells and "'" + text in cells


@pytest.mark.parametrize("text", FORMULAS)
@pytest.mark.parametrize("field", PROFILE_FIELDS)
def test_the_official_report_keeps_every_profile_field_as_text(tmp_path, field, text):
    with open_runtime("sqlite", tmp_path / "data") as runtime:
        runtime.log.set_profile(field, text, actor="admin")
        data = officialreport.build(runtime.fresh(), 2020, now(), stated=False, printed_at=now())
        assert_xlsx_keeps_text(officialreport.to_xlsx(data), text)
        assert text not in csv_cells(officialreport.to_csv(data))
