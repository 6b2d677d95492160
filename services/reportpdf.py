"""The official report as a PDF (fpdf2): A4 landscape, text at 8 pt or more, two tables with their headers
repeated on every page (the definitions, then target, realisasi and capaian with predikat per period), and
the signature block kept whole."""

from __future__ import annotations

import unicodedata
from typing import Any

from services.presentation import format_fraction, format_percent

BODY = 8  # points; nothing in the document is smaller
MARGIN = 10  # mm
LINE = 1.4 * BODY * 25.4 / 72  # mm per line of body text
DEFINITION_HEAD = ("NO", "SASARAN STRATEGIS", "INDIKATOR", "FORMULA INDIKATOR", "SUMBER DATA", "PENANGGUNG JAWAB")
DEFINITION_WIDTHS = (8, 55, 55, 67, 46, 46)
FIGURE_HEAD = ("NO", "INDIKATOR", "PERIODE", "TARGET", "REALISASI", "CAPAIAN", "PREDIKAT")
FIGURE_WIDTHS = (8, 113, 24, 28, 42, 28, 34)
SIGNATURE_HEIGHT = 4 + 4 * 4.5 + 16  # mm
#: what the core PDF fonts cannot show, in the nearest letters they can (they hold Latin-1 only)
_PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "·": "-",
                        "\u00a0": " "})


def latin1(text: Any) -> str:
    """`text` as the core fonts can print it: typographic marks made plain, accents kept where Latin-1 has
    them, anything else as `?` (a PDF must never fail on a name someone typed)."""
    plain = unicodedata.normalize("NFC", str(text)).translate(_PLAIN)
    return plain.encode("latin-1", "replace").decode("latin-1")


def to_pdf(data: dict[str, Any]) -> bytes:
    from fpdf import FPDF, FontFace

    running_head = latin1(f"{data['profile']['pemda']} - Realisasi Indikator Kinerja Utama Tahun {data['year']}")

    class Report(FPDF):
        def header(self) -> None:
            if self.page_no() > 1:  # what the page belongs to, on every page after the first
                self.set_font("Helvetica", "", BODY)
                self.multi_cell(0, LINE, running_head, align="C", new_x="LMARGIN", new_y="NEXT")
                self.ln(2)

        def footer(self) -> None:
            self.set_y(-9)
            self.set_font("Helvetica", "", BODY)
            self.cell(0, 4, f"Halaman {self.page_no()} dari {{nb}}", align="C")

    pdf = Report(orientation="L", unit="mm", format="A4")
    pdf.set_margins(MARGIN, 10, MARGIN)
    pdf.set_auto_page_break(True, margin=13)
    pdf.add_page()
    heading(pdf, data, f"REALISASI INDIKATOR KINERJA UTAMA TAHUN {data['year']}", logo_x=MARGIN + 2, logo_h=18,
            unit_size=12)
    pdf.set_font("Helvetica", "", BODY)
    pdf.multi_cell(0, LINE, latin1(f"Sebagaimana diketahui pada {data['as_known']} - segel log {data['seal']}"),
                   align="C", new_x="LMARGIN", new_y="NEXT")
    head = FontFace(emphasis="BOLD", size_pt=BODY, fill_color=(235, 235, 235))

    def section(title: str) -> None:
        pdf.ln(1.5)
        pdf.set_font("Helvetica", "B", 9)
        pdf.cell(0, 5.5, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", BODY)

    section("A. Definisi indikator")
    with pdf.table(col_widths=DEFINITION_WIDTHS, width=sum(DEFINITION_WIDTHS), line_height=LINE,
                   padding=(1, 1), headings_style=head, text_align=("CENTER",) + ("LEFT",) * 5, v_align="TOP",
                   repeat_headings=1) as table:
        table.row([latin1(text) for text in DEFINITION_HEAD], v_align="MIDDLE")
        for row in data["rows"]:
            table.row([str(row["no"])] + [latin1(row[key]) for key in
                                         ("sasaran", "indikator", "formula", "sumber", "penanggung_jawab")])
    # The figures and the signature together on one page when they fit there (they begin a new page
    # rather than leave the signature alone on the next).
    rows = 1 + len(data["rows"]) * len(data["periods"]) + len(data.get("notes") or ())
    if pdf.will_page_break(8 + rows * (LINE + 2) + SIGNATURE_HEIGHT):
        pdf.add_page()
    section("B. Target, realisasi dan capaian")
    # One line per indicator and period: each fraction stays on one line ("47/50 = 94,00%") at 8 pt,
    # which twenty columns across the page could not give.
    with pdf.table(col_widths=FIGURE_WIDTHS, width=sum(FIGURE_WIDTHS), line_height=LINE, padding=(1, 1),
                   headings_style=head, text_align=("CENTER", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT"),
                   v_align="MIDDLE", repeat_headings=1) as table:
        table.row(FIGURE_HEAD)
        for row in data["rows"]:
            for index, (label, cell) in enumerate(zip(data["periods"], row["cells"], strict=True)):
                line = table.row()
                if index == 0:
                    line.cell(str(row["no"]), rowspan=len(data["periods"]))
                    line.cell(latin1(row["indikator"]), rowspan=len(data["periods"]), v_align="TOP")
                line.cell(latin1(label))
                line.cell(format_percent(cell["target"]))
                line.cell(format_fraction(cell["numerator"], cell["denominator"], cell["percent"]))
                line.cell(format_percent(cell["capaian"]))
                line.cell(latin1(cell["predikat"] or "n/a"))
    if data.get("notes"):
        # the notes go with the signature: a page that cannot hold both begins with them
        if pdf.will_page_break(1.5 + (len(data["notes"]) + 1) * 2 * LINE + SIGNATURE_HEIGHT):
            pdf.add_page()
        pdf.ln(1.5)
        pdf.set_font("Helvetica", "", BODY)
        for note in ["Catatan:", *data["notes"]]:
            pdf.multi_cell(0, LINE, latin1(note), new_x="LMARGIN", new_y="NEXT")
    _signature(pdf, data)
    return bytes(pdf.output())


def heading(pdf: Any, data: dict[str, Any], title: str, *, logo_x: float, logo_h: float, unit_size: int) -> None:
    """The letterhead of an official document: the logo, the pemda, the unit, the address, then `title`."""
    profile = data["profile"]
    if data.get("logo"):
        pdf.image(str(data["logo"]), x=logo_x, y=8, h=logo_h)
    for text, size, style in ((profile["pemda"].upper(), 12, "B"), (profile["unit"].upper(), unit_size, "B"),
                              (profile["alamat"], 9, ""), (title, 12, "B")):
        if text:
            pdf.set_font("Helvetica", style, size)
            pdf.multi_cell(0, size * 0.5, latin1(text), align="C", new_x="LMARGIN", new_y="NEXT")


def _signature(pdf: Any, data: dict[str, Any]) -> None:
    """The place and day, the signatory's position, room to sign, name and NIP: kept on one page."""
    profile = data["profile"]
    lines = [(data["signed_place_date"], "", 4.5), (profile["penandatangan_jabatan"], "", 4.5), ("", "", 16),
             (profile["penandatangan_nama"] or "(.........................)", "B", 4.5),
             (f"NIP. {profile['penandatangan_nip']}" if profile["penandatangan_nip"] else "", "", 4.5)]
    if pdf.will_page_break(SIGNATURE_HEIGHT):
        pdf.add_page()
    pdf.ln(4)
    for text, style, height in lines:
        pdf.set_font("Helvetica", style, 9)
        pdf.set_x(pdf.w - MARGIN - 90)
        pdf.multi_cell(90, height, latin1(text), align="C", new_x="LMARGIN", new_y="NEXT")
