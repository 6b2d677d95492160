"""The table of chapter III of the LKjIP (Laporan Kinerja Instansi Pemerintah) of a year, *Tabel capaian kinerja*:
for each indicator in force, its sasaran, the target (the PK's original and, where the PK was revised, the revision
beside it), the realisasi as fraction and percent, the capaian against the target in force, the realisasi of the
two years before and the Renstra's end target; each indicator's excluded activities under its name. As data, as
XLSX (openpyxl, A4 landscape) and as DOCX (python-docx, A4 landscape). The document is in Indonesian, as filed."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlite_utils

from domain.periods import year as year_period
from domain.targets import check_year
from domain.times import FIRST_YEAR
from projections import chain, read
from services import reports
from services.evidence import logo_file
from services.presentation import exclusions_text, format_date, format_fraction, format_moment, format_percent

NONE = "-"  # not recorded, or the indicator was not in force that year
BODY = 9  # points, the table's text; the exclusions under a name and the notes 8, nothing smaller


def data(db: sqlite_utils.Database, year: int, as_of: datetime, *, logo_path: Any = None) -> dict[str, Any]:
    """Everything the table shows, as plain data: each row's values as numbers and as text (`cells`: the texts
    in the order of `columns`), all as known at `as_of`. `logo_path` finds the profile's logo from its digest."""
    year = check_year(year)
    current = reports.report(db, year_period(year), as_of, "id")
    defined = {indicator.code: indicator for indicator in reports.indicators_for(db, year_period(year), as_of)}
    years = [year - 1, year - 2]
    before = [{row["code"]: row for row in reports.report(db, year_period(y), as_of, "id")["indicators"]}
              if y >= FIRST_YEAR else {} for y in years]
    revised = any(row["target_perubahan"] is not None for row in current["indicators"])
    rows = []
    for number, row in enumerate(current["indicators"], start=1):
        indicator = defined[row["code"]]
        renstra = float(Decimal(indicator.renstra_target)) if indicator.renstra_target else None
        item = {
            "no": number, "code": row["code"], "sasaran": indicator.sasaran, "indikator": row["name"],
            "target_awal": row["target_awal"], "target_awal_text": _percent(row["target_awal"]),
            "target_perubahan": row["target_perubahan"], "target_perubahan_text": _percent(row["target_perubahan"]),
            "target": row["target"], "target_text": _percent(row["target"]),
            "basis": row["target_basis"],
            "numerator": row["numerator"], "denominator": row["denominator"], "percent": row["percent"],
            "realisasi_text": format_fraction(row["numerator"], row["denominator"], row["percent"]),
            "capaian": row["capaian"], "capaian_text": format_percent(row["capaian"]), "predikat": row["predikat"],
            "previous": [_realisasi(y, found.get(row["code"])) for y, found in zip(years, before, strict=True)],
            "renstra": renstra, "renstra_text": _percent(renstra),
            "excluded": row["excluded"], "exclusions": row["exclusions"],
            "exclusions_text": exclusions_text(row["excluded"], row["exclusions"]),
        }
        item["cells"] = _cells(item, revised)
        rows.append(item)
    profile, seal = read.targets.profile(db), str(chain.head(db))
    return {"year": year, "as_of": as_of, "years": years, "revised": revised, "profile": profile,
            "logo": logo_file(profile.get("logo"), logo_path), "seal": seal,
            "title": f"TABEL CAPAIAN KINERJA TAHUN {year}",
            "subtitle": "Laporan Kinerja Instansi Pemerintah (LKjIP), Bab III Akuntabilitas Kinerja",
            "known": f"Sebagaimana diketahui pada {format_moment(as_of)}; segel log {seal}",
            "columns": columns(year, years, revised), "rows": rows, "notes": _notes(rows, revised)}


def columns(year: int, years: list[int], revised: bool) -> list[str]:
    """The table's header: two target columns where a PK was revised, one otherwise."""
    targets = ["Target (PK awal)", "Target (PK perubahan)"] if revised else ["Target"]
    return ["No", "Sasaran", "Indikator", *targets, f"Realisasi {year}", f"Capaian {year}",
            *(f"Realisasi {y}" for y in years), "Target akhir Renstra"]


def _cells(item: dict[str, Any], revised: bool) -> list[str]:
    targets = [item["target_awal_text"], item["target_perubahan_text"]] if revised else [item["target_text"]]
    return [str(item["no"]), item["sasaran"], item["indikator"], *targets, item["realisasi_text"],
            item["capaian_text"], *(found["text"] for found in item["previous"]), item["renstra_text"]]


def _percent(value: float | None) -> str:
    return NONE if value is None else format_percent(value)


def _realisasi(y: int, row: dict[str, Any] | None) -> dict[str, Any]:
    """A previous year's realisasi of the indicator (the same code in that year's own report), or none."""
    if row is None:
        return {"year": y, "numerator": None, "denominator": None, "percent": None, "text": NONE}
    return {"year": y, "numerator": row["numerator"], "denominator": row["denominator"], "percent": row["percent"],
            "text": format_fraction(row["numerator"], row["denominator"], row["percent"])}


def _notes(rows: list[dict[str, Any]], revised: bool) -> list[str]:
    notes = ["Realisasi: jumlah kegiatan yang memenuhi indikator / jumlah kegiatan terlaksana = persentase; "
             "n/a: tidak dapat dihitung (tidak ada kegiatan terlaksana pada tahun itu, atau belum ada target); "
             "-: indikator belum berlaku pada tahun itu, atau belum dicatat.",
             "Capaian = realisasi ÷ target yang berlaku × 100% (indikator dengan polaritas minimal: "
             "(2 − realisasi ÷ target) × 100%)" + ("; target yang berlaku adalah target PK perubahan bila ada."
                                                    if revised else ".")]
    for row in rows:
        if row["basis"]:
            notes.append(f"PK perubahan {row['indikator']}: nomor {row['basis']['number']} tanggal "
                         f"{format_date(date.fromisoformat(row['basis']['date']))}.")
    return notes


#: widths per column kind: in mm for the Word table (A4 landscape less 12 mm margins: 273) and in the
#: spreadsheet's digits (Arial 10)
_WORD_MM = {"No": 8, "Sasaran": 34, "Indikator": 52, "Target": 19, "Target (PK awal)": 19,
            "Target (PK perubahan)": 22, "realisasi": 35, "capaian": 19, "previous": 33, "Target akhir Renstra": 18}
_SHEET_DIGITS = {"No": 4, "Sasaran": 24, "Indikator": 27, "Target": 10, "Target (PK awal)": 10,
                 "Target (PK perubahan)": 11.5, "realisasi": 16.5, "capaian": 10, "previous": 15,
                 "Target akhir Renstra": 10}


def _widths(data: dict[str, Any], table: dict[str, float]) -> list[float]:
    """Each column's width from `table`, in the order of `columns`; one target column leaves the room of the
    second to the indicator."""
    targets = ["Target (PK awal)", "Target (PK perubahan)"] if data["revised"] else ["Target"]
    kinds = ["No", "Sasaran", "Indikator", *targets, "realisasi", "capaian", "previous", "previous",
             "Target akhir Renstra"]
    widths = [table[kind] for kind in kinds]
    if not data["revised"]:
        widths[2] += table["Target (PK awal)"] + table["Target (PK perubahan)"] - table["Target"]
    return widths


def _runs(data: dict[str, Any]) -> list[tuple[int, int]]:
    """The rows (first, last index) that share one sasaran, one after another: its cell spans them."""
    runs: list[tuple[int, int]] = []
    for index, row in enumerate(data["rows"]):
        if runs and data["rows"][runs[-1][0]]["sasaran"] == row["sasaran"]:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def xlsx(data: dict[str, Any]) -> bytes:
    """One sheet: the letterhead, the table (header row repeated on every printed page) and the notes; A4
    landscape fitted to the page width, rows as tall as their text. Each row names its sasaran: a cell merged
    over several rows would be cut where a page breaks it."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from services.reportxlsx import FONT, LINE, PADDING, column_points
    from services.textfit import line_count

    book = Workbook()
    # Arial as the default font: a column's width means the same in Excel and LibreOffice (see reportxlsx).
    book._named_styles["Normal"].font = Font(name=FONT, size=10)
    book._fonts[0] = Font(name=FONT, size=10)
    sheet = book.active
    sheet.title = f"Capaian {data['year']}"
    widths = _widths(data, _SHEET_DIGITS)
    last = len(widths)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    heights: dict[int, float] = {}

    def room(first: int, end: int) -> float:
        return sum(column_points(widths[c - 1]) for c in range(first, end + 1)) - PADDING

    def put(row: int, column: int, text: str, *, end: int | None = None, size: float = BODY, bold: bool = False,
            align: str = "left", middle: bool = False, boxed: bool = False, fill: str | None = None) -> None:
        """Write one cell (merged up to column `end`) as text; its row grows to hold it."""
        cell = sheet.cell(row, column, text)
        cell.data_type = "s"  # what a person typed is text, even when it starts with "="
        cell.font = Font(name=FONT, size=size, bold=bold)
        cell.alignment = Alignment(horizontal=align, vertical="center" if middle else "top", wrap_text=True)
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)
        end = end or column
        if end != column:
            sheet.merge_cells(start_row=row, start_column=column, end_row=row, end_column=end)
        if boxed:
            for c in range(column, end + 1):
                sheet.cell(row, c).border = box
        lines = line_count(text, room(column, end), size, bold) if text else 1
        heights[row] = max(heights.get(row, 0), lines * size * LINE + 3)

    profile = data["profile"]
    row = 0
    for text, size, bold in ((profile["pemda"].upper(), 12, True), (profile["unit"].upper(), 11, True),
                             (profile["alamat"], BODY, False), (data["title"], 12, True),
                             (data["subtitle"], BODY + 1, False), (data["known"], 8, False)):
        if text:
            row += 1
            put(row, 1, text, end=last, size=size, bold=bold, align="center", middle=True)
    header = row + 2
    for column, title in enumerate(data["columns"], start=1):
        put(header, column, title, bold=True, align="center", middle=True, boxed=True, fill="EBEBEB")
    first = header + 1
    numbers = set(range(3, last))  # the targets and figures, right-aligned
    for offset, item in enumerate(data["rows"]):
        r = first + offset
        for index, text in enumerate(item["cells"]):
            if index == 2 and item["exclusions_text"]:
                text = f"{text}\n({item['exclusions_text']})"
            put(r, index + 1, text, boxed=True,
                align="center" if index == 0 else "right" if index in numbers else "left")
    row = first + len(data["rows"])
    put(row + 1, 1, "Keterangan:", end=last, size=8, bold=True)
    for offset, note in enumerate(data["notes"], start=2):
        put(row + offset, 1, note, end=last, size=8)
    for number, height in heights.items():
        sheet.row_dimensions[number].height = round(height, 1)
    sheet.print_title_rows = f"{header}:{header}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "Halaman &P dari &N"
    sheet.oddFooter.center.size = 8
    sheet.freeze_panes = sheet.cell(first, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def docx(data: dict[str, Any]) -> bytes:
    """A4 landscape: the letterhead, the table (header row repeated on every page, a sasaran's cell spanning its
    indicators, each indicator's exclusions under its name) and the notes."""
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    from services.worddoc import fixed_table, new_document, shade, title_block

    document = new_document(WD_ORIENT.LANDSCAPE, margins_mm=12)
    title_block(document, data, data["title"], data["known"], data["subtitle"])
    document.add_paragraph().paragraph_format.space_after = Pt(2)
    table = document.add_table(rows=1 + len(data["rows"]), cols=len(data["columns"]))
    table.style = "Table Grid"
    numbers = set(range(3, len(data["columns"])))  # the targets and figures, right-aligned

    def write(cell: Any, text: str, *, bold: bool = False, align: Any = WD_ALIGN_PARAGRAPH.LEFT,
              size: float = BODY, italic: bool = False, paragraph: Any = None) -> None:
        paragraph = paragraph or cell.paragraphs[0]
        paragraph.alignment = align
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)

    for index, title in enumerate(data["columns"]):
        cell = table.rows[0].cells[index]
        write(cell, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        shade(cell, "EBEBEB")
    for offset, item in enumerate(data["rows"], start=1):
        cells = table.rows[offset].cells
        for index, text in enumerate(item["cells"]):
            if index == 1:
                continue  # the sasaran: written once in its spanning cell, below
            align = (WD_ALIGN_PARAGRAPH.CENTER if index == 0 else WD_ALIGN_PARAGRAPH.RIGHT if index in numbers
                     else WD_ALIGN_PARAGRAPH.LEFT)
            write(cells[index], text, align=align)
        if item["exclusions_text"]:
            write(cells[2], f"({item['exclusions_text']})", size=8, italic=True, paragraph=cells[2].add_paragraph())
    for start, end in _runs(data):
        top = table.cell(start + 1, 1)
        write(top, data["rows"][start]["sasaran"])
        if end != start:
            top.merge(table.cell(end + 1, 1))
    fixed_table(table, [Mm(width) for width in _widths(data, _WORD_MM)], header_rows=1)
    notes = document.add_paragraph()
    notes.paragraph_format.space_before = Pt(6)
    write(None, "Keterangan:", bold=True, size=8, paragraph=notes)
    for note in data["notes"]:
        write(None, note, size=8, paragraph=document.add_paragraph())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
