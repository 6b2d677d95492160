"""The Manual IKU of a year: one sheet per indicator in force for the year as known at a moment, each a table
of field and value in the Manual IKU's layout (sasaran, definisi operasional, formula, polaritas, sumber data,
the counting rule as the indicator's data, the version and who recorded it), as PDF (fpdf2, A4 portrait) and
DOCX (python-docx). The document is in Indonesian, as it is filed."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlite_utils

from domain.indicators import Indicator
from domain.targets import check_year
from domain.times import FIRST_YEAR
from projections import chain, read
from services.evidence import logo_file
from services.presentation import (
    exclusion_reason_label,
    format_moment,
    format_percent,
    frequency_label,
    indicator_formula,
    indicator_name,
    kind_label,
    leader_label,
)

SEED_VERSION = "definisi awal (IKU 2020)"
BODY = 9  # points: the values; labels bold at the same size, nothing in the document smaller than 8
LABEL_WIDTH, VALUE_WIDTH = 52, 128  # mm: A4 portrait less 15 mm margins


def data(db: sqlite_utils.Database, year: int, as_of: datetime, *, logo_path: Any = None) -> dict[str, Any]:
    """Everything the Manual IKU of `year` shows, as plain data: the letterhead, the moment and seal, and a
    sheet (`fields`: label, value) per indicator in force for `year` as known at `as_of`. `logo_path` finds
    the profile's logo file from its digest (none: no logo)."""
    year = check_year(year)
    profile = read.targets.profile(db)
    recorded = [entry for entry in read.manual.history(db) if entry["recorded_at"] <= as_of]
    indicators = read.manual.indicators(db, year, as_of)
    sheets = [{"no": number, "code": indicator.code, "name": indicator_name(indicator, "id"),
               "fields": fields(indicator, _version_line(indicator, recorded))}
              for number, indicator in enumerate(indicators, start=1)]
    seal = str(chain.head(db))
    return {"year": year, "as_of": as_of, "seal": seal, "profile": profile,
            "logo": logo_file(profile.get("logo"), logo_path), "title": f"MANUAL INDIKATOR KINERJA UTAMA TAHUN {year}",
            "known": f"Sebagaimana diketahui pada {format_moment(as_of)}; segel log {seal}", "sheets": sheets}


def fields(indicator: Indicator, version: str) -> list[tuple[str, str]]:
    """The Manual IKU sheet of one indicator: (label, value) in the order the sheet lists them."""
    rows = [
        ("Sasaran strategis", indicator.sasaran),
        ("Indikator kinerja", indicator_name(indicator, "id")),
        ("Kode", indicator.code),
        ("Definisi operasional", indicator.definition),
        ("Formula", indicator_formula(indicator, "id")),
        ("Satuan", indicator.unit),
        ("Polaritas", "Maksimal (semakin tinggi semakin baik)" if indicator.higher_is_better
         else "Minimal (semakin rendah semakin baik)"),
        ("Sumber data", indicator.data_source),
        ("Penanggung jawab", indicator.responsible),
        ("Frekuensi pelaporan", frequency_label(indicator.frequency).capitalize()),
        ("Konsolidasi periode", f"{indicator.consolidation.replace('Σ', 'jumlah')} seluruh kegiatan periode "
                                "(triwulan, semester, tahun), bukan rata-rata persentase"),
        ("Aturan penghitungan: pembilang", _numerator(indicator)),
        ("Aturan penghitungan: penyebut", _denominator(indicator)),
        ("Alasan pengecualian yang diizinkan",
         ", ".join(exclusion_reason_label(reason) for reason in indicator.exclusion_reasons) or "tidak ada"),
    ]
    if indicator.renstra_target:
        rows.append(("Target akhir Renstra", _amount(Decimal(indicator.renstra_target), indicator.unit)))
    since = (str(indicator.effective_from) if indicator.effective_from > FIRST_YEAR
             else "awal pencatatan (setiap tahun sampai diubah)")
    rows += [("Berlaku sejak", since), ("Riwayat versi", version)]
    return rows


def _amount(value: Decimal, unit: str) -> str:
    return format_percent(value) if unit == "%" else f"{format_percent(value)[:-1]} {unit}"


def _numerator(indicator: Indicator) -> str:
    where = (f", melalui kanal: {', '.join(indicator.channels)}" if indicator.channels
             else ", melalui kanal apa pun")
    return (f"Kegiatan dalam penyebut yang {kind_label(indicator.numerator_kind)} (sedikitnya satu catatan sah, "
            f"kapan pun dicatat){where}; setiap kegiatan dihitung satu kali")


def _denominator(indicator: Indicator) -> str:
    leaders = [leader_label(code) for code in indicator.leaders]
    who = leaders[0] if len(leaders) == 1 else f"{', '.join(leaders[:-1])} atau {leaders[-1]}"
    text = f"Kegiatan {who} yang terlaksana pada periode (menurut tanggal WIB)"
    if indicator.exclusion_reasons:
        text += ", tanpa kegiatan yang dikecualikan dengan alasan yang diizinkan"
    return text


def _version_line(indicator: Indicator, recorded: list[dict[str, Any]]) -> str:
    """Who recorded the version in force, when and why; a seed indicator never recorded: its IKU 2020 words."""
    found = [entry for entry in recorded if entry["indicator"] == indicator]
    if not found:
        return SEED_VERSION
    entry = found[-1]
    return f"dicatat oleh {entry['actor']}, {format_moment(entry['recorded_at'])}: {entry['reason']}"


def pdf(data: dict[str, Any]) -> bytes:
    """A4 portrait, one sheet (page, or more when a definition is long) per indicator, the letterhead on each."""
    from fpdf import FPDF, FontFace

    from services.reportpdf import heading, latin1

    count = len(data["sheets"])

    class Manual(FPDF):
        def footer(self) -> None:
            self.set_y(-10)
            self.set_font("Helvetica", "", 8)
            self.cell(0, 4, f"Halaman {self.page_no()} dari {{nb}}", align="C")

    document = Manual(orientation="P", unit="mm", format="A4")
    document.set_margins(15, 10, 15)
    document.set_auto_page_break(True, margin=15)
    document.alias_nb_pages()
    line = 1.35 * BODY * 25.4 / 72
    label_face = FontFace(emphasis="BOLD", fill_color=(240, 240, 240))
    if not count:
        document.add_page()
        heading(document, data, latin1(data["title"]), logo_x=17, logo_h=16, unit_size=11)
        document.set_font("Helvetica", "", BODY)
        document.multi_cell(0, line, latin1(f"{data['known']}. Tidak ada indikator yang berlaku."), align="C")
    for sheet in data["sheets"]:
        document.add_page()
        heading(document, data, latin1(data["title"]), logo_x=17, logo_h=16, unit_size=11)
        document.set_font("Helvetica", "", 8)
        document.multi_cell(0, 8 * 0.5, latin1(data["known"]), align="C", new_x="LMARGIN", new_y="NEXT")
        document.ln(3)
        document.set_font("Helvetica", "B", 10)
        document.multi_cell(0, 5, latin1(f"Lembar {sheet['no']} dari {count}: {sheet['name']}"),
                            new_x="LMARGIN", new_y="NEXT")
        document.ln(1.5)
        document.set_font("Helvetica", "", BODY)
        with document.table(col_widths=(LABEL_WIDTH, VALUE_WIDTH), width=LABEL_WIDTH + VALUE_WIDTH, line_height=line,
                            padding=(1.5, 2), first_row_as_headings=False, text_align=("LEFT", "LEFT"),
                            v_align="TOP") as table:
            for label, value in sheet["fields"]:
                row = table.row()
                row.cell(latin1(label), style=label_face)
                row.cell(latin1(value))
    return bytes(document.output())


def docx(data: dict[str, Any]) -> bytes:
    """The same sheets as a Word document (A4 portrait, a page per indicator), to be filed or edited."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    from services.worddoc import fixed_table, new_document, page_break, shade, title_block

    document = new_document(WD_ORIENT.PORTRAIT, margins_mm=18)
    count = len(data["sheets"])
    if not count:
        title_block(document, data, data["title"], data["known"] + ". Tidak ada indikator yang berlaku.")
    for index, sheet in enumerate(data["sheets"]):
        if index:
            page_break(document)
        title_block(document, data, data["title"], data["known"])
        heading = document.add_paragraph()
        heading.paragraph_format.space_before = Pt(6)
        heading.paragraph_format.space_after = Pt(4)
        run = heading.add_run(f"Lembar {sheet['no']} dari {count}: {sheet['name']}")
        run.bold, run.font.size = True, Pt(11)
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in sheet["fields"]:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
            cells[0].paragraphs[0].runs[0].bold = True
            shade(cells[0], "F0F0F0")
        fixed_table(table, (Mm(50), Mm(124)))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
