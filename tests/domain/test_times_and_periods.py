"""Times (naive = WIB), periods by WIB calendar date, and indicator rounding."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from domain.errors import InvalidDateTimeError
from domain.indicators import INDICATORS, percent
from domain.periods import InvalidPeriodError, InvalidRangeError, date_range, parse_period
from domain.times import WIB, parse_instant, wib_date, wib_iso
from services.presentation import format_date, period_label


@pytest.mark.parametrize("text,expected", [
    ("2020-03-31T23:30", datetime(2020, 3, 31, 23, 30, tzinfo=WIB)),
    ("2020-03-31 23:30:00", datetime(2020, 3, 31, 23, 30, tzinfo=WIB)),
    ("2020-06-30T17:30Z", datetime(2020, 6, 30, 17, 30, tzinfo=UTC)),
    ("2020-07-01T00:30+07:00", datetime(2020, 6, 30, 17, 30, tzinfo=UTC)),
    ("2020-04-05", datetime(2020, 4, 5, 0, 0, tzinfo=WIB)),
])
def test_parse_instant_reads_naive_as_wib_and_honours_offsets(text, expected):
    assert parse_instant(text) == expected


@pytest.mark.parametrize("text", ["2020-02-30", "2020-13-01T10:00", "31/03/2020", "", "besok", "2020-03-31T25:00",
                                  "20200331"])
def test_parse_instant_rejects_bad_dates(text):
    with pytest.raises(InvalidDateTimeError):
        parse_instant(text)


@pytest.mark.parametrize("text,wib_day", [
    ("2020-03-31T23:30", date(2020, 3, 31)),          # late evening WIB stays on 31 March
    ("2020-06-30T17:30Z", date(2020, 7, 1)),          # 00:30 WIB on 1 July
    ("2020-07-01T00:30+07:00", date(2020, 7, 1)),
    ("2020-03-31T16:59:59Z", date(2020, 3, 31)),
    ("2020-03-31T17:00:00Z", date(2020, 4, 1)),
])
def test_wib_calendar_date(text, wib_day):
    assert wib_date(parse_instant(text)) == wib_day


@pytest.mark.parametrize("text,start,end,label", [
    ("2020", date(2020, 1, 1), date(2020, 12, 31), "Tahun 2020"),
    ("2020-Q1", date(2020, 1, 1), date(2020, 3, 31), "Triwulan I 2020"),
    ("2020-q4", date(2020, 10, 1), date(2020, 12, 31), "Triwulan IV 2020"),
    ("2020-S2", date(2020, 7, 1), date(2020, 12, 31), "Semester II 2020"),
    ("2020-02", date(2020, 2, 1), date(2020, 2, 29), "Februari 2020"),
    ("2020-01-01..2020-01-15", date(2020, 1, 1), date(2020, 1, 15), "1 Januari 2020 – 15 Januari 2020"),
])
def test_parse_period(text, start, end, label):
    period = parse_period(text)
    assert (period.start, period.end, period_label(period)) == (start, end, label)


@pytest.mark.parametrize("text", ["2020-Q5", "2020-S3", "2020-13", "20", "2020-W1", "abc", ""])
def test_parse_period_rejects_nonsense(text):
    with pytest.raises((InvalidPeriodError, InvalidDateTimeError)):
        parse_period(text)


def test_range_must_not_run_backwards():
    with pytest.raises(InvalidRangeError):
        date_range(date(2020, 2, 1), date(2020, 1, 1))


def test_dates_are_written_the_indonesian_way():
    assert format_date(date(2020, 3, 31)) == "31 Maret 2020"
    assert format_date(date(2020, 3, 31), "en") == "31 March 2020"


def test_wib_iso_matches_the_contract_form():
    assert wib_iso(parse_instant("2020-04-05")) == "2020-04-05T00:00:00+07:00"
    assert wib_iso(datetime(2020, 4, 4, 17, 0, tzinfo=UTC) + timedelta(microseconds=5)).endswith(
        ".000005+07:00")


@pytest.mark.parametrize("numerator,denominator,expected", [
    (6, 7, Decimal("85.71")),
    (2, 3, Decimal("66.67")),
    (1, 3, Decimal("33.33")),
    (1, 800, Decimal("0.13")),    # 0.125: half-up, not half-even
    (3, 1600, Decimal("0.19")),   # 0.1875
    (5, 8, Decimal("62.50")),
    (50, 50, Decimal("100.00")),
    (0, 5, Decimal("0.00")),
])
def test_percent_rounds_half_up_to_two_decimals(numerator, denominator, expected):
    assert percent(numerator, denominator) == expected


def test_percent_of_empty_denominator_is_none():
    assert percent(0, 0) is None


def test_indicator_registry_has_the_three_iku_codes_in_contract_order():
    assert [indicator.code for indicator in INDICATORS] == ["published", "documented", "protocol_served"]
