"""The audit log as files: CSV and XLSX with the same columns, filters and order, times in WIB."""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

import sqlite_utils

from domain.times import WIB, utc_text, wib_iso
from projections import read
from services.presentation import neutralise

COLUMNS = ("position", "reference", "version", "kind", "occurred_at", "recorded_at", "recorded_at_utc", "actor",
           "title", "leaders", "location", "channel", "evidence_ref", "fact_kind", "sha256", "setting", "note", "withdrawn_position", "withdrawn_at",
           "withdrawn_by", "withdrawn_reason", "seal")
#: columns that hold a moment: ISO 8601 with +07:00 in CSV, a date-time in WIB in XLSX
MOMENTS = ("occurred_at", "recorded_at", "withdrawn_at")
NUMBERS = ("position", "version", "withdrawn_position")
#: Excel's last row, less the header
XLSX_MAX_ROWS = 1_048_575
WIDTHS = {"position": 10, "reference": 16, "version": 9, "kind": 16, "occurred_at": 22, "recorded_at": 22,
          "recorded_at_utc": 29, "actor": 14, "title": 40, "leaders": 24, "location": 28, "channel": 18,
          "evidence_ref": 40, "fact_kind": 16, "sha256": 24, "setting": 16, "note": 40, "withdrawn_position": 12, "withdrawn_at": 22, "withdrawn_by": 14,
          "withdrawn_reason": 32, "seal": 24}
BATCH = 2000


class TooManyRowsError(ValueError):
    """The filtered log has more rows than one spreadsheet can hold."""


def log_rows(db: sqlite_utils.Database, filters: dict[str, Any], newest_first: bool) -> Iterator[dict[str, Any]]:
    """Every row of the filtered log in the order asked, read page by page (keyset), as `COLUMNS` values
    with times left as aware datetimes."""
    after: int | None = None
    while True:
        page = read.audit.audit_log(db, after=after, newest_first=newest_first, limit=BATCH, **filters)
        for row in page["rows"]:
            row["leaders"] = ";".join(row["leaders"])
            row["recorded_at_utc"] = utc_text(row["recorded_at"])
            yield row
        if page["next_after"] is None:
            return
        after = page["next_after"]


def csv_chunks(rows: Iterator[dict[str, Any]], seal: str) -> Iterator[str]:
    """The CSV text, a batch of rows at a time: moments as ISO 8601 with the +07:00 offset, every row
    with the seal, cells a spreadsheet would run as formulas written as text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for count, row in enumerate(rows, 1):
        for key in MOMENTS:
            if row.get(key):
                row[key] = wib_iso(row[key])
        row["seal"] = seal
        writer.writerow([neutralise(row.get(column)) for column in COLUMNS])
        if count % BATCH == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def write_xlsx(rows: Iterator[dict[str, Any]], seal: str, target: IO[bytes]) -> int:
    """Write the rows as one sheet with a table (header row, filters), frozen header and column widths;
    moments as date-times in WIB, every text as text (never a formula). Returns the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    # Write-only: rows go to a temporary file as they come, so a long log does not fill memory.
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Jejak audit")
    for index, column in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[column]
    sheet.freeze_panes = "A2"

    def text(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
        cell.data_type = "s"  # typed by a person: "=…", "+…" or "#N/A" stay what they are
        return cell

    def moment(value: datetime) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value.astimezone(WIB).replace(tzinfo=None, microsecond=0))
        cell.number_format = 'yyyy-mm-dd hh:mm:ss "WIB"'
        return cell

    def cell(column: str, value: Any) -> Any:
        if value is None or value == "":
            return None
        if column in MOMENTS:
            return moment(value)
        if column in NUMBERS:
            return int(value)
        return text(str(value))

    sheet.append([text(column) for column in COLUMNS])
    count = 0
    for row in rows:
        if count == XLSX_MAX_ROWS:
            raise TooManyRowsError(XLSX_MAX_ROWS)
        row["seal"] = seal
        sheet.append([cell(column, row.get(column)) for column in COLUMNS])
        count += 1
    if count == 0:
        sheet.append([None] * len(COLUMNS))  # a table needs a row under its header
    table = Table(displayName="JejakAudit", ref=f"A1:{get_column_letter(len(COLUMNS))}{max(count, 1) + 1}")
    table.tableColumns = [TableColumn(id=index, name=column) for index, column in enumerate(COLUMNS, 1)]
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    table.autoFilter = AutoFilter(ref=table.ref)
    with warnings.catch_warnings():
        # openpyxl warns that a write-only sheet's table columns must be named by hand: they are.
        warnings.filterwarnings("ignore", "In write-only mode", UserWarning)
        sheet.add_table(table)
    book.save(target)
    return count
