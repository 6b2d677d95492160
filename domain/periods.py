"""Reporting periods: year, triwulan, semester, month, or an inclusive date range (WIB calendar), and the one
way a period is read from what a person typed (`period_from`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from domain.errors import DomainError
from domain.times import FIRST_YEAR, LAST_YEAR, parse_date


class InvalidPeriodError(DomainError):
    field = "period"


class InvalidRangeError(DomainError):
    field = "to"


class MissingRangeError(DomainError):
    """Refused: a range of dates needs both its first and its last date."""

    field = "to"


class AmbiguousPeriodError(DomainError):
    """Refused: a period was given both as a code (or a year) and as dates."""

    field = "period"


@dataclass(frozen=True)
class Period:
    """An inclusive range of WIB calendar dates (its label is the presentation's: `period_label`)."""

    start: date
    end: date
    code: str  # `2020`, `2020-Q1`, `2020-S2`, `2020-03`, or `2020-01-01..2020-02-15`

    @property
    def is_custom(self) -> bool:
        """A range of dates a person chose, not a year, triwulan, semester or month."""
        return ".." in self.code

    @property
    def is_year(self) -> bool:
        return "-" not in self.code

    @property
    def part(self) -> str:
        """The part of its year the period is: `Q1`…`Q4`, `S1`, `S2`, `01`…`12`; empty for a year or a range."""
        return "" if self.is_custom else self.code.partition("-")[2]

    def query_args(self) -> dict[str, str]:
        """How a link carries the period (`?periode=2020-Q1`, `?periode=2020-01-01..2020-02-15`)."""
        return {"periode": self.code}



def _month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31), f"{y}")


def quarter(y: int, q: int) -> Period:
    return Period(date(y, 3 * q - 2, 1), _month_end(y, 3 * q), f"{y}-Q{q}")


def semester(y: int, s: int) -> Period:
    return Period(date(y, 6 * s - 5, 1), _month_end(y, 6 * s), f"{y}-S{s}")


def month(y: int, m: int) -> Period:
    return Period(date(y, m, 1), _month_end(y, m), f"{y}-{m:02d}")


def date_range(start: date, end: date) -> Period:
    if start > end:
        raise InvalidRangeError(start=start, end=end)
    return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")


_PATTERN = re.compile(r"^(\d{4})(?:-(?:([QqTt])([1-4])|([Ss])([12])|(\d{2})))?$")


def parse_period(value: str) -> Period:
    """Parse `YYYY`, `YYYY-MM`, `YYYY-Qn` (also `YYYY-Tn` for triwulan), `YYYY-Sn` or `FROM..TO`."""
    text = value.strip()
    if ".." in text:
        start, _, end = text.partition("..")
        return date_range(parse_date(start), parse_date(end))
    match = _PATTERN.match(text)
    if not match:
        raise InvalidPeriodError(value=value)
    y = int(match.group(1))
    if not FIRST_YEAR <= y <= LAST_YEAR:
        raise InvalidPeriodError(value=value)
    if match.group(3):
        return quarter(y, int(match.group(3)))
    if match.group(5):
        return semester(y, int(match.group(5)))
    if match.group(6):
        m = int(match.group(6))
        if not 1 <= m <= 12:
            raise InvalidPeriodError(value=value)
        return month(y, m)
    return year(y)


def period_from(*, code: str = "", year_text: str = "", part: str = "", start: str = "",
                end: str = "") -> Period | None:
    """The period a person typed, by one set of rules for every front door: a code (`2020`, `2020-Q1`,
    `2020-S2`, `2020-03`, `FROM..TO`), or a year and a part of it (`Q1`, `S2`, `03`; empty for the whole
    year), or a first and a last date (both). None when nothing was typed (the front door then chooses, e.g.
    this year); a refusal when the text is no period, a range lacks an end or runs backwards, or both a
    code (or year) and dates were given."""
    code, year_text, part, start, end = (text.strip() for text in (code, year_text, part, start, end))
    chosen = code or year_text or part
    if chosen and (start or end):
        raise AmbiguousPeriodError()
    if start or end:
        if not (start and end):
            raise MissingRangeError()
        return date_range(parse_date(start), parse_date(end))
    if code:
        return parse_period(code)
    if year_text or part:
        return parse_period(f"{year_text}-{part}" if part else year_text)
    return None
