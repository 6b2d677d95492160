"""The official report as an XLSX workbook that reads on screen and prints on A4 landscape at 7 pt or more.

One sheet holds the whole table in the IKU document's layout (NO … PENANGGUNG JAWAB in columns A–F, then
TARGET, REALISASI as fraction and %, CAPAIAN for each period), followed by the predikat of each period and
the signature block. It prints as two parts: the definitions (A–F) on the first page, the figures with
their predikat and the signature on the next, with the NO column and the header rows repeated, fitted to
the page width. Spreadsheets do not size rows to wrapped text, so every row gets the height its text needs.
"""

from __future__ import annotations

import io
from typing import Any

from services.presentation import format_number
from services.textfit import line_count

FONT = "Arial"  # Liberation Sans where Arial is absent: the same metrics, so row heights hold
BODY = 9  # points
FIGURES = 8  # points: twenty figure columns must fit one page width at 7 pt or more when printed
DEFINITIONS = ("NO", "SASARAN STRATEGIS", "INDIKATOR", "FORMULA INDIKATOR", "SUMBER DATA", "PENANGGUNG JAWAB")
DEFINITION_KEYS = ("no", "sasaran", "indikator", "formula", "sumber", "penanggung_jawab")
DEFINITION_WIDTHS = (4.5, 26, 28, 30, 20, 20)  # in digits of the default font (Arial 10)
PER_PERIOD = 4  # TARGET, N/D, REALISASI %, CAPAIAN
#: just wide enough for "TARGET", "9.999/9.999", "100,00%" and "CAPAIAN" at 8 pt: the NO column and twenty of
#: these print across one A4 landscape page at about 90% (7.2 pt), the least any text is printed at
FIGURE_WIDTHS = (7.2, 9.0, 6.9, 7.9)
POINTS_PER_WIDTH = 5.25  # Excel's width unit (7 px = 5.25 pt); LibreOffice's is wider (5.58 pt), so text that
# fits by this measure fits in both
PADDING = 4.5  # points of a cell's inner margins, left and right together
LINE = 1.2  # line height as a multiple of the font size (Liberation Sans: 1.15)
HEADER_TOP = 6  # rows 1–5: pemda, unit, address, title, as known at / seal
NOTE = "Sel kosong: n/a (belum ada target, atau belum ada kegiatan terlaksana pada periode itu)."


def to_xlsx(data: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    # The default font sets the width unit of every column: Arial, so widths mean the same in Excel and in
    # LibreOffice (which has no Calibri and would substitute a wider font).
    book._named_styles["Normal"].font = Font(name=FONT, size=10)
    book._fonts[0] = Font(name=FONT, size=10)
    sheet = book.active
    sheet.title = f"IKU {data['year']}"
    layout = _Layout(sheet, data)
    widths = list(DEFINITION_WIDTHS) + list(FIGURE_WIDTHS) * len(data["periods"])
    for column, value in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = value
    layout.title()
    layout.table()
    layout.predikat()
    layout.signature()
    layout.logo()
    layout.print_setup()
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def column_points(width: float) -> float:
    return width * POINTS_PER_WIDTH


class _Layout:
    """Writes the sheet from top to bottom, keeping the height each row's text needs."""

    def __init__(self, sheet: Any, data: dict[str, Any]) -> None:
        from openpyxl.styles import Border, Side

        self.sheet, self.data, self.profile = sheet, data, data["profile"]
        self.periods = len(data["periods"])
        self.last_column = len(DEFINITIONS) + PER_PERIOD * self.periods
        self.first_figure = len(DEFINITIONS) + 1
        self.heights: dict[int, float] = {}
        thin = Side(style="thin")
        self.box = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.rows = len(data["rows"])
        self.first_row = HEADER_TOP + 2
        self.predikat_row = self.first_row + self.rows
        self.end = self.predikat_row

    def width(self, first: int, last: int) -> float:
        from openpyxl.utils import get_column_letter

        return sum(column_points(self.sheet.column_dimensions[get_column_letter(c)].width)
                   for c in range(first, last + 1))

    def put(self, row: int, column: int, value: Any, *, last: int | None = None, size: float = BODY,
            bold: bool = False, align: str = "center", box: bool = False, number_format: str | None = None,
            last_row: int | None = None) -> Any:
        """Write one cell (merged up to column `last` / row `last_row`); text is always a text cell, never a
        formula, and the row grows to fit it."""
        from openpyxl.styles import Alignment, Font

        cell = self.sheet.cell(row, column, value)
        if isinstance(value, str):
            cell.data_type = "s"  # what a person typed is text, even when it starts with "="
        cell.font = Font(name=FONT, size=size, bold=bold)
        cell.alignment = Alignment(horizontal=align, vertical="center" if align == "center" else "top",
                                   wrap_text=True)
        if number_format:
            cell.number_format = number_format
        end_column, end_row = last or column, last_row or row
        if end_column != column or end_row != row:
            self.sheet.merge_cells(start_row=row, start_column=column, end_row=end_row, end_column=end_column)
        if box:
            for r in range(row, end_row + 1):
                for c in range(column, end_column + 1):
                    self.sheet.cell(r, c).border = self.box
        if isinstance(value, str) and value and end_row == row:
            lines = line_count(value, self.width(column, end_column) - PADDING, size, bold)
            self.heights[row] = max(self.heights.get(row, 0), lines * size * LINE + 3)
        return cell

    def title(self) -> None:
        data, profile = self.data, self.profile
        definitions_end, last = len(DEFINITIONS), self.last_column
        seal = f"Sebagaimana diketahui pada {data['as_known']} · segel log {data['seal']}"
        lines = [(profile["pemda"].upper(), 12, True), (profile["unit"].upper(), 12, True),
                 (profile["alamat"], BODY, False),
                 (f"REALISASI INDIKATOR KINERJA UTAMA TAHUN {data['year']}", 12, True), (seal, BODY, False)]
        # From column B: column A (NO) repeats on the figures' page, so it must hold nothing above the table.
        for row, (text, size, bold) in enumerate(lines, start=1):
            self.put(row, 2, text, last=definitions_end, size=size, bold=bold)
        # The figures print on their own page: their title and moment above them.
        self.put(4, self.first_figure, f"TARGET, REALISASI DAN CAPAIAN INDIKATOR KINERJA UTAMA TAHUN {data['year']}",
                 last=last, size=12, bold=True)
        self.put(5, self.first_figure, seal, last=last)

    def table(self) -> None:
        top = HEADER_TOP
        for column, text in enumerate(DEFINITIONS, start=1):
            self.put(top, column, text, bold=True, box=True, last_row=top + 1)
            self._fit_header(top, column, text)
        for index, label in enumerate(self.data["periods"]):
            first = self.first_figure + PER_PERIOD * index
            self.put(top, first, label, last=first + PER_PERIOD - 1, bold=True, box=True, size=FIGURES)
            self.put(top + 1, first, "TARGET", bold=True, box=True, size=FIGURES)
            self.put(top + 1, first + 1, "REALISASI", last=first + 2, bold=True, box=True, size=FIGURES)
            self.put(top + 1, first + 3, "CAPAIAN", bold=True, box=True, size=FIGURES)
        for offset, row in enumerate(self.data["rows"]):
            r = self.first_row + offset
            for column, key in enumerate(DEFINITION_KEYS, start=1):
                value = row[key]
                self.put(r, column, value if key != "no" else int(value), align="left" if column > 1 else "center",
                         box=True)
            for index, values in enumerate(row["cells"]):
                first = self.first_figure + PER_PERIOD * index
                fraction = f"{format_number(values['numerator'])}/{format_number(values['denominator'])}"
                entries = (values["target"], fraction, values["percent"], values["capaian"])
                for col, value in enumerate(entries):
                    if isinstance(value, str):
                        self.put(r, first + col, value, box=True, size=FIGURES)
                    else:  # an empty figure stays an empty cell (n/a, see the note), never 0%
                        self.put(r, first + col, None if value is None else float(value) / 100, box=True,
                                 size=FIGURES, number_format="0.00%")

    def _fit_header(self, row: int, column: int, text: str) -> None:
        """A header spanning two rows: the two rows together hold its lines."""
        lines = line_count(text, self.width(column, column) - PADDING, BODY, True)
        need = lines * BODY * LINE + 3
        have = self.heights.get(row, 0) + self.heights.get(row + 1, 0)
        if need > have:
            self.heights[row + 1] = need - self.heights.get(row, 0)

    def predikat(self) -> None:
        """Each indicator's predikat per period, under the figures (a band of the same table)."""
        row = self.predikat_row
        self.put(row, 1, "NO", bold=True, box=True)
        self.put(row, 2, "PREDIKAT CAPAIAN", last=len(DEFINITIONS), bold=True, box=True)
        self.put(row, self.first_figure, "PREDIKAT CAPAIAN", last=self.last_column, bold=True, box=True,
                 size=FIGURES)
        for offset, line in enumerate(self.data["rows"], start=1):
            r = row + offset
            self.put(r, 1, int(line["no"]), box=True)
            self.put(r, 2, line["indikator"], last=len(DEFINITIONS), align="left", box=True)
            for index, values in enumerate(line["cells"]):
                first = self.first_figure + PER_PERIOD * index
                self.put(r, first, values["predikat"] or "n/a", last=first + PER_PERIOD - 1, box=True, size=FIGURES)
        self.end = row + self.rows + 1
        self.put(self.end, self.first_figure, NOTE, last=self.last_column, size=FIGURES, align="left")
        for note in self.data.get("notes") or ():
            self.end += 1
            self.put(self.end, self.first_figure, note, last=self.last_column, size=FIGURES, align="left")

    def signature(self) -> None:
        profile = self.profile
        first = self.last_column - 4
        lines = [self.data["signed_place_date"], profile["penandatangan_jabatan"], "", "",
                 profile["penandatangan_nama"] or "(.........................)",
                 f"NIP. {profile['penandatangan_nip']}" if profile["penandatangan_nip"] else ""]
        start = self.end + 2
        for offset, text in enumerate(lines):
            if text:
                self.put(start + offset, first, text, last=self.last_column, bold=offset == 4)
        self.end = start + len(lines) - 1

    def logo(self) -> None:
        if not self.data.get("logo"):
            return
        from openpyxl.drawing.image import Image

        picture = Image(str(self.data["logo"]))
        picture.height, picture.width = 60, int(60 * picture.width / max(picture.height, 1))
        self.sheet.add_image(picture, "B1")

    def print_setup(self) -> None:
        from openpyxl.utils import get_column_letter

        sheet = self.sheet
        for row, height in self.heights.items():
            sheet.row_dimensions[row].height = round(height, 1)
        last_definition = self.first_row + self.rows - 1
        sheet.print_area = [f"A1:{get_column_letter(len(DEFINITIONS))}{last_definition}",
                            f"{get_column_letter(self.first_figure)}1:{get_column_letter(self.last_column)}{self.end}"]
        sheet.print_title_rows = f"{HEADER_TOP}:{HEADER_TOP + 1}"
        sheet.print_title_cols = "A:A"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_margins.left = sheet.page_margins.right = 0.3
        sheet.page_margins.top = sheet.page_margins.bottom = 0.5
        sheet.print_options.horizontalCentered = True
        sheet.oddFooter.center.text = "Halaman &P dari &N"
        sheet.oddFooter.center.size = 8
        sheet.freeze_panes = sheet.cell(self.first_row, 2)
