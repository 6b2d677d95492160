"""The evaluation pack's own documents: the table of the year's PK target settings (CSV and PDF) and the index
(daftar isi) that names every file of the pack with what it evidences, its size and its SHA-256. In
Indonesian, as they are filed."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlite_utils

from domain.periods import year as year_period
from domain.times import wib_iso
from projections import read
from services import reports
from services.presentation import ROMAN, format_moment, format_number, format_percent, indicator_name, neutralise
from services.reportpdf import BODY, LINE, MARGIN, heading, latin1

#: the columns of 02-target-pk.csv: every setting of a PK target of the year, in log order per indicator
TARGET_COLUMNS = ("code", "indikator", "jenis", "triwulan", "nilai", "dasar_nomor", "dasar_tanggal", "alasan",
                  "dicatat_oleh", "dicatat_pada", "posisi")
KINDS = {"awal": "PK awal", "perubahan": "PK perubahan", "triwulan": "Target triwulan"}
SETTING_HEAD = ("INDIKATOR", "JENIS", "NILAI", "DASAR", "ALASAN", "DICATAT OLEH", "DICATAT PADA")
SETTING_WIDTHS = (62, 24, 18, 44, 60, 26, 43)  # mm: A4 landscape less the margins (277)
IN_FORCE_HEAD = ("INDIKATOR", "PK AWAL", "PK PERUBAHAN", "TW I", "TW II", "TW III", "TW IV", "BERLAKU")
IN_FORCE_WIDTHS = (97, 25, 35, 24, 24, 24, 24, 24)
INDEX_HEAD = ("NO", "BERKAS", "ISI (YANG DIBUKTIKAN)", "UKURAN (BYTE)", "SHA-256")
INDEX_WIDTHS = (8, 64, 70, 24, 111)  # a digest at 8 pt Courier is 108 mm: one line


def targets(db: sqlite_utils.Database, y: int, as_of: datetime) -> dict[str, Any]:
    """Every setting of the year's PK targets recorded by `as_of` (kind awal, perubahan or triwulan, value, basis,
    reason, who, when), and what is in force for each indicator at `as_of`."""
    names = {indicator.code: indicator_name(indicator, "id")
             for indicator in reports.indicators_for(db, year_period(y), as_of)}
    settings = [row for row in read.targets.target_history(db, y) if row["recorded_at"] <= as_of]
    rows = [{"code": row["code"], "indikator": names.get(row["code"], row["code"]),
             "jenis": KINDS.get(row["kind"] or "awal", row["kind"]), "triwulan": ROMAN[row["quarter"] - 1]
             if row.get("quarter") else "", "nilai": Decimal(row["value"]), "dasar_nomor": row.get("basis_number") or "",
             "dasar_tanggal": row.get("basis_date") or "", "alasan": row["reason"] or "",
             "dicatat_oleh": row["actor"], "dicatat_pada": row["recorded_at"], "posisi": row["position"]}
            for row in settings]
    in_force = [{"indikator": names.get(code, code), **entry}
                for code, entry in read.targets.pk_targets(db, y, as_of).items()]
    return {"rows": rows, "in_force": in_force}


def targets_csv(data: dict[str, Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TARGET_COLUMNS)
    for row in data["rows"]:
        line = {**row, "dicatat_pada": wib_iso(row["dicatat_pada"])}
        writer.writerow([neutralise(line[column]) for column in TARGET_COLUMNS])
    return out.getvalue().encode("utf-8")


def _percent(value: Any) -> str:
    return format_percent(value) if value is not None else "-"


def _document(data: dict[str, Any], title: str) -> Any:
    """An A4 landscape PDF with the letterhead, `title`, what it is as known at and the pack's seal."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_margins(MARGIN, 10, MARGIN)
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    heading(pdf, data, title, logo_x=MARGIN + 2, logo_h=16, unit_size=11)
    pdf.set_font("Helvetica", "", BODY)
    pdf.multi_cell(0, LINE, latin1(f"{data['known']} - segel log {data['seal']}"), align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    return pdf


def _table(pdf: Any, widths: tuple[int, ...], head: tuple[str, ...], rows: list[list[str]],
           align: tuple[str, ...], styles: dict[int, Any] | None = None) -> None:
    from fpdf import FontFace

    style = FontFace(emphasis="BOLD", size_pt=BODY, fill_color=(235, 235, 235))
    with pdf.table(col_widths=widths, width=sum(widths), line_height=LINE, padding=(1, 1), headings_style=style,
                   text_align=align, v_align="TOP", repeat_headings=1) as table:
        table.row(head, v_align="MIDDLE")
        for values in rows:
            row = table.row()
            for column, value in enumerate(values):
                row.cell(latin1(value), style=(styles or {}).get(column))


def targets_pdf(data: dict[str, Any]) -> bytes:
    pdf = _document(data, f"TARGET PERJANJIAN KINERJA (PK) TAHUN {data['year']}")
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(0, 5.5, "A. Target yang berlaku", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", BODY)
    _table(pdf, IN_FORCE_WIDTHS, IN_FORCE_HEAD,
           [[entry["indikator"], _percent(entry["awal"]), _percent(entry["perubahan"]),
             *[_percent(entry["quarters"].get(q)) for q in range(1, 5)], _percent(entry["in_force"])]
            for entry in data["in_force"]] or [["(belum ada target)", *["-"] * 7]],
           ("LEFT", *["RIGHT"] * 7))
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(0, 5.5, "B. Setiap penetapan target, urut pencatatan", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", BODY)
    rows = []
    for row in data["rows"]:
        basis = " - ".join(part for part in (row["dasar_nomor"], row["dasar_tanggal"]) if part) or "-"
        kind = f"{row['jenis']} {row['triwulan']}".strip()
        rows.append([row["indikator"], kind, _percent(row["nilai"]), basis, row["alasan"] or "-",
                     row["dicatat_oleh"], f"{format_moment(row['dicatat_pada'])} (#{row['posisi']})"])
    _table(pdf, SETTING_WIDTHS, SETTING_HEAD, rows or [["(belum ada penetapan)", *["-"] * 6]],
           ("LEFT", "LEFT", "RIGHT", "LEFT", "LEFT", "LEFT", "LEFT"))
    return bytes(pdf.output())


def index_pdf(data: dict[str, Any]) -> bytes:
    """The daftar isi: the pack's status lines, then one row per file (name, what it evidences, size, digest)."""
    from fpdf import FontFace

    pdf = _document(data, f"DAFTAR ISI PAKET EVALUASI SAKIP TAHUN {data['year']}")
    pdf.set_font("Helvetica", "", BODY)
    for line in data["status"]:
        pdf.multi_cell(0, LINE, latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    digest = FontFace(family="Courier", size_pt=BODY)
    rows = [[str(number), name, what, format_number(size), sha256]
            for number, (name, what, size, sha256) in enumerate(data["files"], start=1)]
    _table(pdf, INDEX_WIDTHS, INDEX_HEAD, rows, ("CENTER", "LEFT", "LEFT", "RIGHT", "LEFT"), {4: digest})
    pdf.ln(2)
    pdf.multi_cell(0, LINE, latin1(
        "Berkas ini (00-daftar-isi.pdf) tidak tercantum di dalamnya; manifest.json memuat ukuran dan SHA-256 "
        "setiap berkas, termasuk berkas ini. Periksa dengan: iku pack --check BERKAS.zip"),
        new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
