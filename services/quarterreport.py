"""The quarterly performance report (Laporan Kinerja Triwulanan) of one triwulan, as PDF (A4 portrait) and XLSX:
target, realisasi, capaian and predikat of each indicator, its narrative (analisis capaian, kendala, tindak
lanjut), whether the figures are final (the approved revision, its approver and seal) or provisional, and the
signature block. A closed triwulan prints the figures of its approved revision; an open one the log's as of
the moment asked. The document is in Indonesian, as it is filed."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import sqlite_utils

from domain.closing import NARRATIVE_FIELDS
from domain.periods import Period
from domain.times import WIB
from projections import chain, read
from services import closing, reports
from services.evidence import logo_file
from services.officialreport import notes
from services.presentation import (
    format_date,
    format_fraction,
    format_moment,
    format_percent,
    indicator_formula,
    indicator_name,
    period_label,
)
from services.reportpdf import BODY, LINE, MARGIN, latin1

NARRATIVE_HEADS = {"analysis": "Analisis capaian", "obstacles": "Kendala", "follow_up": "Tindak lanjut"}
TABLE_HEAD = ("NO", "INDIKATOR", "TARGET", "REALISASI", "CAPAIAN", "PREDIKAT")
TABLE_WIDTHS = (9, 70, 20, 30, 20, 31)  # mm: A4 portrait less the margins (180)


def build(db: sqlite_utils.Database, period: Period, as_of: datetime, *, printed_at: datetime, stated: bool = True,
          logo_path: Any = None) -> dict[str, Any]:
    """Everything the quarterly report of `period` (a triwulan) shows, as plain data."""
    sheet = closing.quarter_sheet(db, period, as_of, "id")
    profile = read.targets.profile(db)
    approval = sheet["approval"]
    if sheet["final"]:
        status = (f"FINAL - disetujui oleh {approval['approved_by']}, "
                  f"{format_moment(datetime.fromisoformat(approval['approved_at']))}, revisi {sheet['revision']}")
        known = (f"Angka revisi {sheet['revision']}, sebagaimana diketahui pada "
                 f"{format_moment(datetime.fromisoformat(approval['as_of']))}")
        seal = approval["seal"]
    else:
        status = f"SEMENTARA - status {_STATES[sheet['state']]}" + (
            f"; revisi {sheet['revision']} yang disetujui telah dibuka kembali" if approval else "")
        known = (f"Angka sebagaimana diketahui pada {format_moment(as_of)}" if stated
                 else f"Angka kondisi terkini, {format_moment(printed_at)}")
        seal = str(chain.head(db))
    rows = []
    defined = {indicator.code: indicator for indicator in reports.indicators_for(db, period, as_of)}
    for number, row in enumerate(sheet["rows"], start=1):
        written = row["narrative"] or {}
        indicator = defined.get(row["code"], row["code"])
        rows.append({"no": number, "indikator": indicator_name(indicator, "id"),
                     "formula": indicator_formula(indicator, "id"),
                     "target": format_percent(row["target"]) if row["target"] is not None else "n/a",
                     "realisasi": format_fraction(row["numerator"], row["denominator"], row["percent"]),
                     "capaian": format_percent(row["capaian"]) if row["capaian"] is not None else "n/a",
                     "predikat": row["predikat"] or "n/a",
                     "narrative": [(NARRATIVE_HEADS[name], written.get(name) or "-") for name in NARRATIVE_FIELDS]})
    signed_on = printed_at.astimezone(WIB).date()
    return {"code": period.code, "label": period_label(period), "profile": profile, "rows": rows, "status": status,
            "final": sheet["final"], "known": known, "seal": seal, "notes": notes(sheet["rows"]),
            "logo": logo_file(profile.get("logo"), logo_path),
            "signed_place_date": f"{profile['tempat']}, {format_date(signed_on)}"}


_STATES = {"open": "terbuka", "submitted": "diajukan", "verified": "diverifikasi", "approved": "disetujui"}


def to_pdf(data: dict[str, Any]) -> bytes:
    from fpdf import FPDF, FontFace

    from services.reportpdf import _signature, heading

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(MARGIN + 5, 10, MARGIN + 5)
    pdf.set_auto_page_break(True, margin=14)
    pdf.alias_nb_pages()
    pdf.add_page()
    heading(pdf, data, f"LAPORAN KINERJA {data['label'].upper()}", logo_x=MARGIN + 5, logo_h=16, unit_size=11)
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 9)
    pdf.multi_cell(0, LINE + 1, latin1(data["status"]), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", BODY)
    pdf.multi_cell(0, LINE, latin1(f"{data['known']}; segel log {data['seal']}"), align="L",
                   new_x="LMARGIN", new_y="NEXT")
    head = FontFace(emphasis="BOLD", size_pt=BODY, fill_color=(235, 235, 235))

    def section(title: str) -> None:
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 9)
        pdf.cell(0, 5.5, latin1(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", BODY)

    section("A. Target, realisasi dan capaian")
    with pdf.table(col_widths=TABLE_WIDTHS, width=sum(TABLE_WIDTHS), line_height=LINE, padding=(1, 1),
                   headings_style=head, text_align=("CENTER", "LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT"),
                   v_align="MIDDLE", repeat_headings=1) as table:
        table.row(TABLE_HEAD)
        for row in data["rows"]:
            table.row([str(row["no"]), latin1(row["indikator"]), row["target"], row["realisasi"], row["capaian"],
                       latin1(row["predikat"])])
    for note in data.get("notes") or ():
        pdf.set_font("Helvetica", "", BODY)
        pdf.multi_cell(0, LINE, latin1(note), new_x="LMARGIN", new_y="NEXT")
    section("B. Analisis capaian, kendala dan tindak lanjut")
    for row in data["rows"]:
        pdf.set_font("Helvetica", "B", BODY + 1)
        pdf.multi_cell(0, LINE + 0.5, latin1(f"{row['no']}. {row['indikator']}"), new_x="LMARGIN", new_y="NEXT")
        for head_text, text in row["narrative"]:
            pdf.set_font("Helvetica", "B", BODY)
            pdf.multi_cell(0, LINE, latin1(head_text), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "", BODY + 1)
            pdf.multi_cell(0, LINE + 0.5, latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
    _signature(pdf, data)
    return bytes(pdf.output())


def to_xlsx(data: dict[str, Any]) -> bytes:
    """One sheet, A4 portrait: the title, the status, the table, each indicator's narrative and the signature,
    with rows as high as their wrapped text needs."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from services.textfit import line_count

    book = Workbook()
    sheet = book.active
    sheet.title = data["code"]
    widths = (5, 44, 11, 17, 11, 14)
    for letter, width in zip("ABCDEF", widths, strict=True):
        sheet.column_dimensions[letter].width = width
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    row_number = 0

    def line(text: str, *, bold: bool = False, size: int = 10, centre: bool = False) -> None:
        nonlocal row_number
        row_number += 1
        sheet.merge_cells(start_row=row_number, start_column=1, end_row=row_number, end_column=6)
        cell = sheet.cell(row=row_number, column=1, value=text)
        cell.font = Font(name="Arial", bold=bold, size=size)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center" if centre else "left")
        lines = line_count(text, sum(widths) * 5.25 - 4.5, size)
        sheet.row_dimensions[row_number].height = max(1, lines) * size * 1.3 + 2

    profile = data["profile"]
    for text, size in ((profile["pemda"].upper(), 12), (profile["unit"].upper(), 11), (profile["alamat"], 9),
                       (f"LAPORAN KINERJA {data['label'].upper()}", 12)):
        if text:
            line(text, bold=size > 9, size=size, centre=True)
    line(data["status"], bold=True, size=9)
    line(f"{data['known']}; segel log {data['seal']}", size=9)
    line("A. Target, realisasi dan capaian", bold=True)
    row_number += 1
    for column, text in enumerate(TABLE_HEAD, start=1):
        cell = sheet.cell(row=row_number, column=column, value=text)
        cell.font = Font(name="Arial", bold=True, size=9)
        cell.fill = PatternFill("solid", fgColor="EBEBEB")
        cell.border, cell.alignment = box, Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in data["rows"]:
        row_number += 1
        values = (row["no"], row["indikator"], row["target"], row["realisasi"], row["capaian"], row["predikat"])
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column, value=value)
            cell.font, cell.border = Font(name="Arial", size=9), box
            cell.alignment = Alignment(wrap_text=True, vertical="top",
                                       horizontal="right" if column in (3, 4, 5) else "left")
        lines = line_count(row["indikator"], widths[1] * 5.25 - 4.5, 9)
        sheet.row_dimensions[row_number].height = max(1, lines) * 9 * 1.3 + 3
    for note in data.get("notes") or ():
        line(note, size=9)
    line("B. Analisis capaian, kendala dan tindak lanjut", bold=True)
    for row in data["rows"]:
        line(f"{row['no']}. {row['indikator']}", bold=True, size=9)
        for head_text, text in row["narrative"]:
            line(f"{head_text}: {text}", size=9)
    row_number += 1
    for text, bold in ((data["signed_place_date"], False), (profile["penandatangan_jabatan"], False),
                       ("", False), ("", False),
                       (profile["penandatangan_nama"] or "(.........................)", True),
                       (f"NIP. {profile['penandatangan_nip']}" if profile["penandatangan_nip"] else "", False)):
        row_number += 1
        sheet.merge_cells(start_row=row_number, start_column=4, end_row=row_number, end_column=6)
        cell = sheet.cell(row=row_number, column=4, value=text)
        cell.font, cell.alignment = Font(name="Arial", size=9, bold=bold), Alignment(horizontal="center")
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    for cell_row in sheet.iter_rows():
        for cell in cell_row:
            if cell.alignment is None:
                cell.alignment = wrap
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
