"""Reading the state a URL carries (period, as-of, filters, page) into domain values, with field errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from domain.errors import DomainError
from domain.periods import Period, date_range, parse_period, year
from domain.times import now, parse_date, parse_instant, wib_date


@dataclass
class FieldErrors:
    """Messages by input name, in the user's language."""

    messages: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, error: DomainError, lang: str) -> None:
        self.messages[name] = error.message(lang)

    def __bool__(self) -> bool:
        return bool(self.messages)

    def get(self, name: str) -> str | None:
        return self.messages.get(name)


def period_from(args: Any, errors: FieldErrors, lang: str) -> Period:
    """`periode=2020-Q1` (or 2020, 2020-S2, 2020-03), or `dari`/`sampai` dates; default: this year."""
    start, end = (args.get("dari") or "").strip(), (args.get("sampai") or "").strip()
    code = (args.get("periode") or "").strip()
    if not code and (args.get("tahun") or "").strip():
        # The picker's two selects: a year and a part of it (tahunan, Q1…Q4, S1, S2, 01…12).
        part = (args.get("bagian") or "").strip()
        code = args.get("tahun").strip() + (f"-{part}" if part and part != "tahunan" else "")
    try:
        if start or end:
            if not start:
                start = end
            if not end:
                end = start
            return date_range(parse_date(start), parse_date(end))
        if code:
            return parse_period(code)
    except DomainError as error:
        errors.add("periode" if code and not (start or end) else "sampai", error, lang)
    return year(wib_date(now()).year)


def as_of_from(args: Any, errors: FieldErrors, lang: str) -> datetime | None:
    """`per=2020-04-05T00:00` (naive = WIB) or nothing (now)."""
    text = (args.get("per") or "").strip()
    if not text:
        return None
    try:
        return parse_instant(text)
    except DomainError as error:
        errors.add("per", error, lang)
        return None


def day_from(args: Any, name: str, default: date, errors: FieldErrors, lang: str) -> date:
    text = (args.get(name) or "").strip()
    if not text:
        return default
    try:
        return parse_date(text)
    except DomainError as error:
        errors.add(name, error, lang)
        return default


def positive_int(args: Any, name: str, default: int = 0) -> int:
    try:
        return max(int(args.get(name, default)), 0)
    except (TypeError, ValueError):
        return default
