"""How much room a text takes in Helvetica/Arial (the same metrics): its width, and the lines it wraps to
in a column, so a spreadsheet row can be given the height its text needs (spreadsheets do not autosize)."""

from __future__ import annotations

from fpdf.fonts import CORE_FONTS_CHARWIDTHS

_UNKNOWN = 600  # per mille of the size, for a character the core metrics do not list (a wide guess)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of `text` set in Helvetica (or Arial, Liberation Sans) at `size` points."""
    widths = CORE_FONTS_CHARWIDTHS["helveticaB" if bold else "helvetica"]
    return sum(widths.get(char, _UNKNOWN) for char in text) * size / 1000


def line_count(text: str, width: float, size: float, bold: bool = False) -> int:
    """Lines `text` wraps to in a column `width` points wide, breaking between words (and inside a word
    only when the word alone is wider than the column, as spreadsheets do)."""
    space = text_width(" ", size, bold)
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split():
            needed = text_width(word, size, bold)
            if used and used + space + needed <= width:
                used += space + needed
                continue
            if used:
                lines += 1
            while needed > width:  # a word that does not fit on a line of its own
                lines += 1
                needed -= width
            used = needed
    return lines
