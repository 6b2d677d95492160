"""Times: aware datetimes inside; naive input is WIB (Asia/Jakarta); periods bucket by WIB date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.errors import InvalidDateTimeError

WIB = ZoneInfo("Asia/Jakarta")
UTC = UTC


def parse_instant(value: str) -> datetime:
    """An ISO 8601 date or date-time as an aware datetime; naive means WIB, a date alone means 00:00 WIB.

    Accepts `2020-03-31`, `2020-03-31T23:30`, `2020-03-31 23:30:00`, `…Z`, `…+07:00`.
    """
    text = (value or "").strip()
    if not text or len(text) > 40:
        raise InvalidDateTimeError(value=value)
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(0, 0), tzinfo=WIB)
        if len(text) < 16 or text[4] != "-" or text[10] not in "Tt ":
            raise ValueError(text)
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidDateTimeError(value=value) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=WIB)
    return parsed


def parse_date(value: str) -> date:
    """A calendar date `YYYY-MM-DD`."""
    text = (value or "").strip()
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidDateTimeError(value=value) from None


def wib_date(moment: datetime) -> date:
    """The calendar date in WIB on which an aware moment falls."""
    return moment.astimezone(WIB).date()


def utc_text(moment: datetime) -> str:
    """A fixed-width UTC text form that sorts like time (for the read model)."""
    # isoformat is several times faster than strftime, and with microseconds it is fixed width.
    if moment.tzinfo is not UTC:  # recording times come in UTC already: skip the conversion
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="microseconds")[:-6] + "Z"


def from_utc_text(text: str) -> datetime:
    """Inverse of `utc_text`."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def wib_iso(moment: datetime) -> str:
    """ISO 8601 in WIB, e.g. `2020-04-05T00:00:00+07:00` (microseconds only when present)."""
    local = moment.astimezone(WIB)
    return local.isoformat(timespec="microseconds" if local.microsecond else "seconds")


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=WIB)


def end_of_day(day: date) -> datetime:
    return start_of_day(day + timedelta(days=1)) - timedelta(microseconds=1)


def now() -> datetime:
    return datetime.now(tz=UTC)
