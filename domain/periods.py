"""Reporting periods: year, triwulan, semester, month, or an inclusive date range (WIB calendar)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.errors import DomainError
from domain.times import FIRST_YEAR, LAST_YEAR, in_range, parse_date, to_wib

MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
ROMAN = ("I", "II", "III", "IV")


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
    """An inclusive range of WIB calendar dates with its report label."""

    start: date
    end: date
    code: str  # `2020`, `2020-Q1`, `2020-S2`, `2020-03`, or `2020-01-01..2020-02-15`

    def label(self, lang: str = "id") -> str:
        """`Triwulan I 2020`, `Semester II 2020`, `Tahun 2020`, `Maret 2020`, or the two dates."""
        year, _, part = self.code.partition("-")
        if ".." in self.code:
            return f"{format_date(self.start, lang)} – {format_date(self.end, lang)}"
        if not part:
            return f"{'Year' if lang == 'en' else 'Tahun'} {year}"
        if part[0] == "Q":
            word = "Quarter" if lang == "en" else "Triwulan"
            return f"{word} {ROMAN[int(part[1]) - 1]} {year}"
        if part[0] == "S":
            return f"Semester {ROMAN[int(part[1]) - 1]} {year}"
        months = MONTHS_EN if lang == "en" else MONTHS_ID
        return f"{months[int(part) - 1]} {year}"

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

    def as_dict(self, lang: str = "id") -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "label": self.label(lang)}


def format_date(day: date, lang: str = "id") -> str:
    """`31 Maret 2020` (or `31 March 2020`)."""
    months = MONTHS_EN if lang == "en" else MONTHS_ID
    return f"{day.day} {months[day.month - 1]} {day.year}"


def format_moment(moment: datetime, lang: str = "id") -> str:
    """`31 Maret 2020 pukul 23.30 WIB` (English: `31 March 2020 at 23:30 WIB`)."""
    if not in_range(moment):  # only in a refusal or an event written by other means: on its own clock
        offset = moment.strftime("%z")  # aware: in_range refuses to compare a naive moment
        zone = f"UTC{offset[:3]}:{offset[3:]}"
        if lang == "en":
            return f"{format_date(moment.date(), 'en')} at {moment:%H:%M} {zone}"
        return f"{format_date(moment.date())} pukul {moment:%H.%M} {zone.replace(':', '.')}"
    local = to_wib(moment)
    if lang == "en":
        return f"{format_date(local.date(), 'en')} at {local:%H:%M} WIB"
    return f"{format_date(local.date())} pukul {local:%H.%M} WIB"


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
