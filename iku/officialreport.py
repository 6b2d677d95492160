"""The official IKU report of a year in the IKU document's layout, as data and as XLSX, PDF and CSV.

Columns: NO, SASARAN STRATEGIS, INDIKATOR, FORMULA INDIKATOR, SUMBER DATA, PENANGGUNG JAWAB, then TARGET,
REALISASI (numerator/denominator and %), CAPAIAN for triwulan I–IV and the year, as known at a moment.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

import sqlite_utils

from domain.indicators import INDICATORS, SASARAN, SOURCE
from domain.periods import format_date, quarter, year
from domain.times import WIB, now, wib_iso
from iku.formatting import format_fraction, format_moment, format_percent
from projections import chain, queries

PERIODS = ("TW I", "TW II", "TW III", "TW IV", "TAHUNAN")
PER_PERIOD = 4  # TARGET, N/D, REALISASI, CAPAIAN


def build(db: sqlite_utils.Database, y: int, as_of: datetime | None = None,
          logo_path: Any = None) -> dict[str, Any]:
    """Everything the official report shows, as plain data (one report per period, all at `as_of`);
    `logo_path` finds the logo file from its digest."""
    periods = [quarter(y, q) for q in range(1, 5)] + [year(y)]
    reports = [queries.report(db, period, as_of) for period in periods]
    rows = []
    for number, indicator in enumerate(INDICATORS, start=1):
        cells = []
        for report in reports:
            item = report["indicators"][number - 1]
            cells.append({key: item[key] for key in ("numerator", "denominator", "percent", "target", "capaian",
                                                     "predikat")})
        rows.append({"no": number, "sasaran": SASARAN, "indikator": indicator.name_id,
                     "formula": indicator.formula_id, "sumber": SOURCE, "penanggung_jawab": SOURCE,
                     "cells": cells})
    return {"year": y, "as_of": as_of, "as_of_text": wib_iso(as_of) if as_of else None,
            "printed_at": now(), "seal": str(chain.head(db)), "profile": queries.profile(db), "rows": rows,
            "periods": PERIODS, "logo": _logo(queries.profile(db).get("logo"), logo_path)}


def _logo(sha256: str | None, logo_path: Any) -> Any:
    if not sha256 or logo_path is None:
        return None
    path = logo_path(sha256)
    return path if path.exists() else None


def _as_known(data: dict[str, Any]) -> str:
    return format_moment(data["as_of"]) if data["as_of"] else f"{format_moment(data['printed_at'])} (kondisi terkini)"


def to_csv(data: dict[str, Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["tahun", "per", "segel", "no", "indikator", "periode", "target", "numerator", "denominator",
                     "realisasi", "capaian", "predikat"])
    for row in data["rows"]:
        for label, cell in zip(data["periods"], row["cells"], strict=True):
            writer.writerow([data["year"], data["as_of_text"] or "", data["seal"], row["no"], row["indikator"], label,
                             cell["target"], cell["numerator"], cell["denominator"], cell["percent"],
                             cell["capaian"], cell["predikat"] or ""])
    return out.getvalue().encode("utf-8")


def to_xlsx(data: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = f"IKU {data['year']}"
    profile = data["profile"]
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    fixed = ["NO", "SASARAN STRATEGIS", "INDIKATOR", "FORMULA INDIKATOR", "SUMBER DATA", "PENANGGUNG JAWAB"]
    width = len(fixed) + PER_PERIOD * len(data["periods"])
    title = [profile["pemda"].upper(), profile["unit"].upper(),
             f"REALISASI INDIKATOR KINERJA UTAMA TAHUN {data['year']}",
             f"Sebagaimana diketahui pada {_as_known(data)} · segel log {data['seal']}"]
    for index, text in enumerate(title, start=1):
        sheet.cell(index, 1, text).font = Font(bold=index < 4, size=12 if index < 4 else 9)
        sheet.merge_cells(start_row=index, start_column=1, end_row=index, end_column=width)
        sheet.cell(index, 1).alignment = Alignment(horizontal="center")
    top = 6
    for column, text in enumerate(fixed, start=1):
        sheet.cell(top, column, text)
        sheet.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
    for index, label in enumerate(data["periods"]):
        first = len(fixed) + 1 + PER_PERIOD * index
        sheet.cell(top, first, label)
        sheet.merge_cells(start_row=top, start_column=first, end_row=top, end_column=first + PER_PERIOD - 1)
        for offset, text in enumerate(("TARGET", "N/D", "REALISASI", "CAPAIAN")):
            sheet.cell(top + 1, first + offset, text)
    for row_cells in sheet.iter_rows(min_row=top, max_row=top + 1, max_col=width):
        for cell in row_cells:
            cell.font, cell.alignment, cell.border = Font(bold=True), center, box
    for offset, row in enumerate(data["rows"]):
        r = top + 2 + offset
        for column, key in enumerate(("no", "sasaran", "indikator", "formula", "sumber", "penanggung_jawab"), 1):
            cell = sheet.cell(r, column, row[key])
            cell.alignment, cell.border = wrap, box
        for index, values in enumerate(row["cells"]):
            first = len(fixed) + 1 + PER_PERIOD * index
            entries = (values["target"], f"{values['numerator']}/{values['denominator']}", values["percent"],
                       values["capaian"])
            for col, value in enumerate(entries):
                if isinstance(value, str):
                    cell = sheet.cell(r, first + col, value)
                else:
                    cell = sheet.cell(r, first + col, None if value is None else value / 100)
                    cell.number_format = "0.00%"
                cell.border, cell.alignment = box, center
    widths = [5, 28, 30, 34, 22, 22] + [9] * (PER_PERIOD * len(data["periods"]))
    for column, value in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = value
    last = top + 2 + len(data["rows"]) + 2
    sign = [f"{profile['tempat']}, {format_date(data['printed_at'].astimezone(WIB).date())}",
            profile["penandatangan_jabatan"], "", "", profile["penandatangan_nama"],
            f"NIP. {profile['penandatangan_nip']}" if profile["penandatangan_nip"] else ""]
    for offset, text in enumerate(sign):
        sheet.cell(last + offset, width - 5, text)
    if data.get("logo"):
        from openpyxl.drawing.image import Image

        picture = Image(str(data["logo"]))
        picture.height, picture.width = 60, int(60 * picture.width / max(picture.height, 1))
        sheet.add_image(picture, "A1")
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_pdf(data: dict[str, Any]) -> bytes:
    from fpdf import FPDF

    profile = data["profile"]
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    if data.get("logo"):
        pdf.image(str(data["logo"]), x=12, y=8, h=18)
    pdf.set_font("Helvetica", "B", 12)
    for text in (profile["pemda"].upper(), profile["unit"].upper(),
                 f"REALISASI INDIKATOR KINERJA UTAMA TAHUN {data['year']}"):
        pdf.cell(0, 6, text, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    pdf.cell(0, 5, f"Sebagaimana diketahui pada {_as_known(data)} - segel log {data['seal']}", align="C",
             new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 5, f"Sumber data dan penanggung jawab: {SOURCE}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 7)
    widths = [7, 34, 38] + [36] * len(data["periods"])
    header = ["NO", "SASARAN STRATEGIS", "INDIKATOR"] + [f"{label}: TARGET / REALISASI / CAPAIAN"
                                                         for label in data["periods"]]
    with pdf.table(col_widths=widths, text_align="CENTER", line_height=4, padding=(1, 1)) as table:
        head = table.row()
        for text in header:
            head.cell(text)
        pdf.set_font("Helvetica", "", 7)
        for row in data["rows"]:
            line = table.row()
            for text in (str(row["no"]), row["sasaran"], f"{row['indikator']}\n({row['formula']})"):
                line.cell(text)
            for cell in row["cells"]:
                line.cell(f"{format_percent(cell['target'])}\n"
                          f"{format_fraction(cell['numerator'], cell['denominator'], cell['percent'])}\n"
                          f"{format_percent(cell['capaian'])}")
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 9)
    for text in (f"{profile['tempat']}, {format_date(data['printed_at'].astimezone(WIB).date())}",
                 profile["penandatangan_jabatan"], "", "", profile["penandatangan_nama"] or "(.........................)",
                 f"NIP. {profile['penandatangan_nip']}" if profile["penandatangan_nip"] else ""):
        pdf.set_x(200)
        pdf.cell(80, 5, text, align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
