"""Reading the state a URL carries (period, as-of, filters, page) into domain values, with field errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from domain.errors import DomainError
from domain.periods import InvalidPeriodError, MissingRangeError, Period, parse_period, year
from domain.periods import period_from as period_from_input
from domain.times import now, parse_date, parse_instant, wib_date
from projections import chain
from services.catalogue import marked
from services.presentation import describe

#: the picker's "Periode" choice meaning "the dates in Dari/Sampai"
CUSTOM_PART = "rentang"


class FutureAsOfError(DomainError):
    field = "per"




@dataclass
class FieldErrors:
    """Messages by input name, in the user's language."""

    messages: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, error: DomainError, lang: str) -> None:
        self.messages[name] = describe(error, lang)

    def __bool__(self) -> bool:
        return bool(self.messages)

    def get(self, name: str) -> str | None:
        return self.messages.get(name)


def picker_fields(period: Period) -> tuple[str, str]:
    """The picker's (tahun, bagian) that show `period`: `("2020", "Q1")`, `("2020", "tahunan")`, or the
    custom choice for a range of dates."""
    if period.is_custom:
        return str(period.start.year), CUSTOM_PART
    return str(period.start.year), period.part or "tahunan"


def picked(args: Any) -> str | None:
    """Which half of the picker form decides the period: `"select"` (Tahun/Periode) or `"range"` (Dari/Sampai).

    The form carries the period it showed (`tampil`), so the half the user changed since is the one meant,
    with or without JavaScript (one submit). None for a URL that is not the picker form (a link)."""
    shown_code = args.get("tampil")
    if shown_code is None:
        return None
    try:
        shown: Period | None = parse_period(shown_code)
    except DomainError:
        shown = None
    chosen = ((args.get("tahun") or "").strip(), (args.get("bagian") or "").strip())
    dates = ((args.get("dari") or "").strip(), (args.get("sampai") or "").strip())
    if shown is None:
        return "range" if chosen[1] == CUSTOM_PART or (any(dates) and not chosen[0]) else "select"
    was = picker_fields(shown)
    if chosen[1] == CUSTOM_PART:
        # "Rentang sendiri" chosen: the dates count, unless only the year was changed (a whole year then).
        return "select" if chosen[0] != was[0] and was[1] == CUSTOM_PART else "range"
    if chosen != was:
        return "select"
    if dates != (shown.start.isoformat(), shown.end.isoformat()):
        return "range"
    return "select"


def _text(args: Any, name: str) -> str:
    return (args.get(name) or "").strip()


def period_from(args: Any, errors: FieldErrors, lang: str) -> Period:
    """The picker's fields (see `picked`), or `periode=2020-Q1` (2020, 2020-S2, 2020-03, FROM..TO), or
    `dari`/`sampai` dates, or `tahun`/`bagian`; default: this year (or, after a refused entry, the period
    the form showed)."""
    source = picked(args)
    code = (args.get("periode") or "").strip()
    has_dates = bool((args.get("dari") or "").strip() or (args.get("sampai") or "").strip())
    if source is None:
        source = "range" if has_dates else "code" if code else "select" if (args.get("tahun") or "").strip() else ""
    try:
        chosen = None
        if source == "range":  # the custom range chosen: both dates are needed
            chosen = period_from_input(start=_text(args, "dari"), end=_text(args, "sampai"))
            if chosen is None:
                raise MissingRangeError()
        elif source == "select":  # a year is needed
            part = _text(args, "bagian")
            chosen = period_from_input(year_text=_text(args, "tahun"),
                                       part="" if part in ("tahunan", CUSTOM_PART) else part)
            if chosen is None:
                raise InvalidPeriodError(value="")
        elif source == "code":
            chosen = period_from_input(code=code)
        if chosen is not None:
            return chosen
    except DomainError as error:
        errors.add("sampai" if source == "range" else "periode", error, lang)
    try:
        return period_from_input(code=_text(args, "tampil")) or year(wib_date(now()).year)
    except DomainError:
        return year(wib_date(now()).year)


def as_of_from(args: Any, errors: FieldErrors, lang: str) -> datetime | None:
    """`per=2020-04-05T00:00` (naive = WIB) or nothing (now); a moment still to come is refused."""
    text = (args.get("per") or "").strip()
    if not text:
        return None
    try:
        moment = parse_instant(text)
        if moment > now():
            raise FutureAsOfError(as_of=moment)
        return moment
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


#: the largest page offset or log position a URL may carry (SQLite's integers stop at 2**63 - 1)
LARGEST = 2**53


def positive_int(args: Any, name: str, default: int = 0) -> int:
    """A non-negative whole number from the URL, at most LARGEST; the default when it is not one."""
    try:
        return min(max(int(str(args.get(name, default))[:20]), 0), LARGEST)
    except (TypeError, ValueError):
        return default


#: what a seal that does not read is told (a text of the catalogue)
SEAL_FORM = marked("segel berbentuk mth:UKURAN:AKAR atau POSISI:DIGEST (64 digit heksadesimal)")


def seal_from(args: Any, name: str) -> tuple[str, chain.Seal | None]:
    """A seal given in a query parameter (typed or pasted from a paper report): the text as given (cut at the
    longest a seal can be, plus one), and the seal, or None when the field is empty; ValueError when the text
    is not a seal."""
    given = args.get(name, "")[:chain.MAX_SEAL_TEXT + 1]
    if not given.strip():
        return given, None
    if len(given) > chain.MAX_SEAL_TEXT:
        raise ValueError(given)
    return given, chain.Seal.parse(given)
