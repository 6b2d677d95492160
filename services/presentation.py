"""Indonesian report conventions: `85,71%`, `47/50 = 94,00%`, `1.234`, `31 Maret 2020 pukul 23.30 WIB`; and text
that a spreadsheet must not run as a formula."""

from __future__ import annotations

from typing import Any

from domain.periods import format_moment

__all__ = ["format_decimal", "format_fraction", "format_moment", "format_number", "format_percent", "neutralise"]


def format_number(value: int, lang: str = "id") -> str:
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "id" else text


def format_decimal(value: float, lang: str = "id") -> str:
    """`0,5` (English `0.5`): a plain decimal, as short as it can be."""
    text = f"{value:g}"
    return text if lang == "en" else text.replace(".", ",")


def format_percent(value: float | None, lang: str = "id") -> str:
    """`85,71%`; an empty denominator is `n/a`, never `0%`."""
    if value is None:
        return "n/a"
    text = f"{value:,.2f}"
    if lang == "id":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return f"{text}%"


def format_fraction(numerator: int, denominator: int, value: float | None, lang: str = "id") -> str:
    """`47/50 = 94,00%` (or `0/0 = n/a`)."""
    return f"{format_number(numerator, lang)}/{format_number(denominator, lang)} = {format_percent(value, lang)}"



def neutralise(value: Any) -> Any:
    """A cell a spreadsheet would run as a formula is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
