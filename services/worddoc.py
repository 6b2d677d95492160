"""What the Word documents (python-docx) share: an A4 page in Arial, the official letterhead (logo, pemda, unit,
address, title, the moment it is as known at), and the table settings Word and LibreOffice both honour
(fixed column widths, a header row repeated on every page, rows that do not split across pages)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

FONT = "Arial"  # Liberation Sans where Arial is absent: the same metrics


def new_document(orientation: Any, *, margins_mm: float) -> Any:
    """An empty A4 document in `orientation` (docx.enum.section.WD_ORIENT), Arial 10 pt."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    short, long = Mm(210), Mm(297)
    section.orientation = orientation
    section.page_width, section.page_height = (long, short) if orientation == WD_ORIENT.LANDSCAPE else (short, long)
    section.left_margin = section.right_margin = Mm(margins_mm)
    section.top_margin = section.bottom_margin = Mm(min(margins_mm, 15))
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    _page_numbers(section)
    return document


def _page_numbers(section: Any) -> None:
    """`Halaman N dari M` centred in the footer of every page (fields Word and LibreOffice fill in)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, field in (("Halaman ", "PAGE"), (" dari ", "NUMPAGES")):
        paragraph.add_run(text).font.size = Pt(8)
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), f" {field} ")
        run = OxmlElement("w:r")
        properties = OxmlElement("w:rPr")
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), "16")  # half-points: 8 pt
        properties.append(size)
        run.append(properties)
        number = OxmlElement("w:t")
        number.text = "1"
        run.append(number)
        simple.append(run)
        paragraph._p.append(simple)


def title_block(document: Any, data: dict[str, Any], title: str, known: str, subtitle: str = "") -> None:
    """The letterhead of an official document: the logo, the pemda, the unit, the address, `title` (and
    `subtitle`), then the moment the figures are as known at (with the log's seal)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    profile = data["profile"]
    if data.get("logo"):
        picture = document.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.add_run().add_picture(str(data["logo"]), height=Mm(16))
    lines = ((profile["pemda"].upper(), 12, True), (profile["unit"].upper(), 11, True), (profile["alamat"], 9, False),
             (title, 12, True), (subtitle, 10, False), (known, 8, False))
    for index, (text, size, bold) in enumerate(lines):
        if not text:
            continue
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(6 if index == 3 else 0)
        paragraph.paragraph_format.space_after = Pt(2)
        run = paragraph.add_run(text)
        run.bold, run.font.size = bold, Pt(size)


def page_break(document: Any) -> None:
    from docx.enum.text import WD_BREAK

    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def shade(cell: Any, colour: str) -> None:
    """Fill a table cell with `colour` (hex RGB)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fill = OxmlElement("w:shd")
    fill.set(qn("w:val"), "clear")
    fill.set(qn("w:color"), "auto")
    fill.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().insert_element_before(
        fill, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")


def fixed_table(table: Any, widths: Sequence[Any], *, header_rows: int = 0) -> None:
    """Fixed column widths (Word reads the cells', LibreOffice the grid's: both are set), room around each
    cell's text, rows that never split across a page, and the first `header_rows` rows printed again at the
    top of every page the table runs onto."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table.autofit = False  # w:tblLayout fixed
    margins = OxmlElement("w:tblCellMar")
    for side, twips in (("top", 45), ("left", 100), ("bottom", 45), ("right", 100)):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width
    for index, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()  # children in the schema's order: cantSplit, trHeight, tblHeader
        properties.insert_element_before(OxmlElement("w:cantSplit"), "w:trHeight", "w:tblHeader", "w:tblCellSpacing",
                                         "w:jc", "w:hidden")
        if index < header_rows:
            mark = OxmlElement("w:tblHeader")
            mark.set(qn("w:val"), "true")
            properties.insert_element_before(mark, "w:tblCellSpacing", "w:jc", "w:hidden")
