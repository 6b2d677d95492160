"""Times: aware datetimes inside; naive input is WIB (Asia/Jakarta); periods bucket by WIB date."""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.errors import InvalidDateTimeError, OutOfRangeError

WIB = ZoneInfo("Asia/Jakarta")
UTC = UTC

#: The years a city could report on: every instant the domain accepts lies in them (WIB calendar), checked
#: before anything is stored, so every stored instant converts to any zone and date without overflow.
FIRST_YEAR, LAST_YEAR = 1900, 2999
EARLIEST = datetime(FIRST_YEAR, 1, 1, tzinfo=WIB)
AFTER_LATEST = datetime(LAST_YEAR + 1, 1, 1, tzinfo=WIB)
#: what the read model writes for an instant beyond what `datetime` can convert (only an event written by
#: other means than this domain can hold one): a day inside datetime's own limits, so it converts back to WIB
_FLOOR, _CEILING = datetime(1, 1, 2, tzinfo=UTC), datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=UTC)


def in_range(moment: datetime) -> bool:
    """Whether an aware moment lies in the years the domain accepts."""
    return EARLIEST <= moment < AFTER_LATEST


def check_in_range(moment: datetime, value: str | None = None) -> datetime:
    """The moment itself, or `OutOfRangeError` naming the range when it lies outside the accepted years."""
    if not in_range(moment):
        raise OutOfRangeError(value=value if value is not None else moment, first=FIRST_YEAR, last=LAST_YEAR)
    return moment


def parse_instant(value: str | None) -> datetime:
    """An ISO 8601 date or date-time as an aware datetime; naive means WIB, a date alone means 00:00 WIB.

    Accepts `2020-03-31`, `2020-03-31T23:30`, `2020-03-31 23:30:00`, `…Z`, `…+07:00`.
    """
    if value is None:  # a CSV row cut short has no cell at all
        raise InvalidDateTimeError(value=None)
    text = value.strip()
    try:
        if len(text) == 10:
            return check_in_range(start_of_day(date.fromisoformat(text)), text)
        # a date-time: the extended date, T or a space, hours and minutes at least; at most 40 characters
        if not 16 <= len(text) <= 40 or text[4] != "-" or text[10] not in "Tt ":
            raise ValueError
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidDateTimeError(value=value) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=WIB)
    return check_in_range(parsed, text)


def parse_date(value: str) -> date:
    """A calendar date `YYYY-MM-DD` in the accepted years."""
    text = value.strip()
    try:
        if len(text) != 10:
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidDateTimeError(value=value) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise OutOfRangeError(value=text, first=FIRST_YEAR, last=LAST_YEAR)
    return day


def wib_date(moment: datetime) -> date:
    """The calendar date in WIB on which an aware moment falls (total: see `utc_text`)."""
    return to_wib(moment).date()


def utc_text(moment: datetime) -> str:
    """A fixed-width UTC text form that sorts like time (for the read model).

    Total over every aware datetime: an instant beyond what converts (year 1 with a positive offset, year 9999
    with a negative one) is written as the nearest instant that does, so the read model applies any event the
    store can hold and the domain's own range check is what keeps such instants out.
    """
    # isoformat is several times faster than strftime, and with microseconds it is fixed width.
    if moment.tzinfo is UTC and 1 < moment.year < 9999:  # the usual case (a recording time): nothing to clamp
        return moment.isoformat(timespec="microseconds")[:-6] + "Z"
    if moment.tzinfo is not UTC:  # recording times come in UTC already: skip the conversion
        with suppress(OverflowError):  # beyond UTC's year 1 or 9999, so beyond the floor or ceiling: clamped
            moment = moment.astimezone(UTC)
            if 1 < moment.year < 9999:
                return moment.isoformat(timespec="microseconds")[:-6] + "Z"
    return _clamped(moment).isoformat(timespec="microseconds")[:-6] + "Z"


def _clamped(moment: datetime) -> datetime:
    """The nearest instant from `_FLOOR` to `_CEILING`: the moment itself when it lies between them."""
    return min(max(moment, _FLOOR), _CEILING)


def from_utc_text(text: str) -> datetime:
    """Inverse of `utc_text`."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def wib_iso(moment: datetime) -> str:
    """ISO 8601 in WIB, e.g. `2020-04-05T00:00:00+07:00` (microseconds only when present)."""
    local = to_wib(moment)
    return local.isoformat(timespec="microseconds" if local.microsecond else "seconds")


def to_wib(moment: datetime) -> datetime:
    """The moment on WIB's clock (total: an instant beyond datetime's limits becomes the nearest that is not)."""
    try:
        return moment.astimezone(WIB)
    except OverflowError:
        return _clamped(moment).astimezone(WIB)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=WIB)


def end_of_day(day: date) -> datetime:
    return start_of_day(day + timedelta(days=1)) - timedelta(microseconds=1)


def now() -> datetime:
    return datetime.now(tz=UTC)
