"""The time rules at their edges: what the parser reads and refuses, the accepted years to the microsecond,
the WIB calendar date of moments minutes from midnight and from quarter ends in any offset, the day bounds,
and the read model's time forms at datetime's own limits."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import errors
from domain.periods import parse_period
from domain.times import (
    AFTER_LATEST,
    EARLIEST,
    UTC,
    WIB,
    check_in_range,
    end_of_day,
    from_utc_text,
    in_range,
    now,
    parse_date,
    parse_instant,
    start_of_day,
    to_wib,
    utc_text,
    wib_date,
    wib_iso,
)
from services.presentation import describe

MICRO = timedelta(microseconds=1)
LOW = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))  # before UTC's year 1: converts nowhere
HIGH = datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))  # after UTC's year 9999
FLOOR_TEXT, CEILING_TEXT = "0001-01-02T00:00:00.000000Z", "9999-12-30T23:59:59.999999Z"
PLUS_7 = timezone(timedelta(hours=7))  # a fixed offset (WIB's zone had other offsets in early years)


# --- the parser's form and length rules -------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("  2020-03-31T23:30  ", datetime(2020, 3, 31, 23, 30, tzinfo=WIB)),   # spaces around are not the value
    ("2020-03-31t23:30", datetime(2020, 3, 31, 23, 30, tzinfo=WIB)),       # lower-case separator
    ("2020-03-31T23:30:15.5", datetime(2020, 3, 31, 23, 30, 15, 500000, tzinfo=WIB)),
    ("2020-03-31T23:30:00-05:00", datetime(2020, 3, 31, 23, 30, tzinfo=timezone(timedelta(hours=-5)))),
    # 40 characters, the longest text read: microseconds and an offset with fractional seconds
    ("2020-03-31T23:30:00.123456+07:00:00.1234",
     datetime(2020, 3, 31, 23, 30, 0, 123456, tzinfo=timezone(timedelta(hours=7, microseconds=123400)))),
])
def test_the_parser_reads_a_date_time_with_at_least_hours_and_minutes_up_to_40_characters(text, expected):
    parsed = parse_instant(text)
    assert parsed == expected and parsed.utcoffset() == expected.utcoffset()


def test_a_date_alone_is_midnight_wib_on_that_date():
    parsed = parse_instant("2020-04-01")
    assert parsed == datetime(2020, 3, 31, 17, 0, tzinfo=UTC) and parsed.utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize("text", [
    "2020-03-31T23:30:00.123456+07:00:00.12345",  # 41 characters: a form Python reads, over the limit
    "2020-03-31T23",       # hours alone (Python reads it): minutes are required
    "2020-03-31T2330",     # 15 characters: the basic time form
    "20200331T23:30:00",   # the basic date form
    "2020-03-31X23:30",    # only T, t or a space between date and time
    "2020-03-31_23:30",
    "   ",
    None,
])
def test_the_parser_refuses_other_forms_naming_the_text_given(text):
    with pytest.raises(errors.InvalidDateTimeError) as refused:
        parse_instant(text)
    assert refused.value.params == {"value": text}


@pytest.mark.parametrize("text", ["2020-03-31T23:30:00", "2020-03-31", "2020-03-31T23:30:00.1234567"])
def test_each_form_the_parser_reads_is_also_read_in_its_own_length(text):
    """Lengths 10, 19 and 27: the length rules pick the form; they do not refuse the ordinary ones."""
    assert parse_instant(text).date() == date(2020, 3, 31)


def test_a_naive_time_is_wib_and_an_offset_is_kept():
    assert parse_instant("2020-03-31T23:30").utcoffset() == timedelta(hours=7)
    assert parse_instant("2020-03-31T23:30Z").utcoffset() == timedelta(0)


# --- the accepted years, to the microsecond ---------------------------------------------------------------

def test_the_accepted_years_run_from_1900_wib_to_just_before_3000_wib():
    assert (datetime(1900, 1, 1, tzinfo=WIB), datetime(3000, 1, 1, tzinfo=WIB)) == (EARLIEST, AFTER_LATEST)
    assert in_range(EARLIEST) and in_range(AFTER_LATEST - MICRO)
    assert not in_range(EARLIEST - MICRO) and not in_range(AFTER_LATEST)


@pytest.mark.parametrize("text,expected", [
    ("1900-01-01T00:00:00", datetime(1900, 1, 1, tzinfo=WIB)),
    ("2999-12-31T23:59:59.999999", datetime(2999, 12, 31, 23, 59, 59, 999999, tzinfo=WIB)),
    ("2999-12-31T16:59:59.999999Z", datetime(2999, 12, 31, 16, 59, 59, 999999, tzinfo=UTC)),
])
def test_the_first_and_last_microsecond_of_the_accepted_years_are_read(text, expected):
    assert parse_instant(text) == expected


@pytest.mark.parametrize("text", ["1899-12-31T23:59:59.999999", "3000-01-01T00:00:00",
                                  "2999-12-31T17:00:00Z", "3000-01-01T01:00:00+08:00"])
def test_a_microsecond_outside_the_accepted_wib_years_is_refused_whatever_the_offset(text):
    with pytest.raises(errors.OutOfRangeError) as refused:
        parse_instant(text)
    assert refused.value.params == {"value": text, "first": 1900, "last": 2999}


def test_an_out_of_range_refusal_names_the_text_as_typed_and_a_moment_given_directly_on_its_own_clock():
    with pytest.raises(errors.OutOfRangeError) as typed:
        parse_instant(" 1899-12-31 ")
    assert describe(typed.value, "en") == "date/time 1899-12-31 is outside the accepted range (years 1900–2999, WIB)"
    with pytest.raises(errors.OutOfRangeError) as given_directly:
        check_in_range(LOW)
    assert describe(given_directly.value, "en") == \
        "date/time 1 January 1 at 00:00 UTC+14:00 is outside the accepted range (years 1900–2999, WIB)"


def test_a_moment_in_range_is_returned_as_it_is():
    moment = datetime(2020, 3, 31, 23, 30, tzinfo=timezone(timedelta(hours=-3)))
    assert check_in_range(moment) is moment


@pytest.mark.parametrize("text,expected", [("1900-01-01", date(1900, 1, 1)), ("2999-12-31", date(2999, 12, 31)),
                                           (" 2020-02-29 ", date(2020, 2, 29))])
def test_a_calendar_date_is_read_from_the_first_to_the_last_accepted_day(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["20200331", "2020-3-31", "2020-02-30", "2020-03-31T00:00", ""])
def test_a_calendar_date_is_refused_in_any_other_form_naming_the_text_given(text):
    with pytest.raises(errors.InvalidDateTimeError) as refused:
        parse_date(text)
    assert refused.value.params == {"value": text}


def test_a_calendar_date_outside_the_years_names_the_date():
    with pytest.raises(errors.OutOfRangeError) as refused:
        parse_date(" 3000-01-01 ")
    assert refused.value.params == {"value": "3000-01-01", "first": 1900, "last": 2999}


# --- the WIB calendar date: midnight and quarter ends in several offsets ----------------------------------

OFFSETS = [timedelta(hours=h, minutes=m) for h, m in [(-12, 0), (-5, 0), (-3, -30), (0, 0), (5, 45), (7, 0),
                                                        (8, 0), (9, 0), (14, 0)]]
QUARTER_ENDS = [date(2020, 3, 31), date(2020, 6, 30), date(2020, 9, 30), date(2020, 12, 31), date(2021, 3, 31)]


@settings(max_examples=150, deadline=None)
@given(end=st.sampled_from(QUARTER_ENDS), offset=st.sampled_from(OFFSETS),
       minutes=st.integers(min_value=-24 * 60, max_value=24 * 60 - 1))
def test_a_moment_minutes_from_a_quarters_last_midnight_falls_in_the_quarter_of_its_wib_date(end, offset, minutes):
    wib_midnight = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=WIB)
    moment = (wib_midnight + timedelta(minutes=minutes)).astimezone(timezone(offset))
    expected = end if minutes < 0 else end + timedelta(days=1)
    assert wib_date(moment) == expected
    quarter = parse_period(f"{end.year}-Q{(end.month - 1) // 3 + 1}")
    assert (quarter.start <= wib_date(moment) <= quarter.end) == (minutes < 0)


@pytest.mark.parametrize("text,wib_day", [
    ("2020-06-30T16:59:59.999999Z", date(2020, 6, 30)), ("2020-06-30T17:00:00Z", date(2020, 7, 1)),
    ("2020-06-30T23:59:59+07:00", date(2020, 6, 30)), ("2020-07-01T00:00:00+07:00", date(2020, 7, 1)),
    ("2020-06-30T11:59:59-05:00", date(2020, 6, 30)), ("2020-06-30T12:00:00-05:00", date(2020, 7, 1)),
    ("2020-07-01T01:59:59+09:00", date(2020, 6, 30)), ("2020-07-01T02:00:00+09:00", date(2020, 7, 1)),
])
def test_the_wib_date_turns_at_wib_midnight_in_each_offset(text, wib_day):
    assert wib_date(parse_instant(text)) == wib_day


def test_the_day_bounds_are_the_first_and_last_microsecond_of_the_wib_day():
    assert start_of_day(date(2020, 3, 31)) == datetime(2020, 3, 30, 17, 0, tzinfo=UTC)
    assert end_of_day(date(2020, 3, 31)) == datetime(2020, 3, 31, 16, 59, 59, 999999, tzinfo=UTC)
    assert start_of_day(date(2020, 3, 31)).utcoffset() == end_of_day(date(2020, 3, 31)).utcoffset() == \
        timedelta(hours=7)


# --- the read model's time forms ---------------------------------------------------------------------------

@pytest.mark.parametrize("moment,text", [
    (datetime(2020, 3, 31, 23, 30, tzinfo=WIB), "2020-03-31T16:30:00.000000Z"),
    (datetime(2020, 3, 31, 16, 30, 0, 5, tzinfo=UTC), "2020-03-31T16:30:00.000005Z"),
    (datetime(1, 1, 2, tzinfo=UTC), FLOOR_TEXT),                              # the floor itself
    (datetime(1, 1, 2, tzinfo=UTC) - MICRO, FLOOR_TEXT),                      # just below it
    (datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=UTC), CEILING_TEXT),   # the ceiling itself
    (datetime(9999, 12, 31, tzinfo=UTC), CEILING_TEXT),                       # just above it
    (LOW, FLOOR_TEXT), (HIGH, CEILING_TEXT),                                  # beyond what converts to UTC
    (datetime(1, 1, 1, 23, tzinfo=PLUS_7), FLOOR_TEXT),                       # below the floor once in UTC
    (datetime(9999, 12, 31, 10, tzinfo=PLUS_7), CEILING_TEXT),                # above the ceiling once in UTC
    (datetime(2, 1, 1, 7, tzinfo=PLUS_7), "0002-01-01T00:00:00.000000Z"),     # the first year nothing clamps
])
def test_the_read_models_utc_text_is_fixed_width_and_clamped_to_what_converts_to_any_zone(moment, text):
    assert utc_text(moment) == text


@pytest.mark.parametrize("moment", [datetime(2020, 3, 31, 16, 30, 0, 5, tzinfo=UTC),
                                    datetime(1, 1, 2, tzinfo=UTC), datetime(9999, 12, 30, 23, 59, 59, 999999,
                                                                            tzinfo=UTC)])
def test_the_read_models_utc_text_reads_back_as_the_same_utc_instant(moment):
    back = from_utc_text(utc_text(moment))
    assert back == moment and back.tzinfo is UTC


@pytest.mark.parametrize("moment,wib", [
    (LOW, datetime(1, 1, 2, tzinfo=UTC)),
    (HIGH, datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=UTC)),
    (datetime(2020, 3, 31, 17, 0, tzinfo=UTC), datetime(2020, 4, 1, 0, 0, tzinfo=WIB)),
])
def test_wib_forms_are_total_taking_an_instant_beyond_datetimes_limits_to_the_nearest_that_converts(moment, wib):
    assert to_wib(moment) == wib and to_wib(moment).tzinfo is WIB
    assert wib_date(moment) == wib.astimezone(WIB).date()


def test_wib_iso_shows_microseconds_only_when_there_are_some():
    assert wib_iso(datetime(2020, 3, 31, 17, 0, tzinfo=UTC)) == "2020-04-01T00:00:00+07:00"
    assert wib_iso(datetime(2020, 3, 31, 17, 0, 0, 1, tzinfo=UTC)) == "2020-04-01T00:00:00.000001+07:00"


def test_now_is_an_aware_utc_moment():
    before = datetime.now(tz=UTC)
    current = now()
    assert current.tzinfo is UTC and before <= current <= datetime.now(tz=UTC)


def test_the_read_models_utc_text_does_not_depend_on_the_servers_own_zone(monkeypatch):
    """A server set to WIB (or any zone) writes the same UTC text as one set to UTC."""
    monkeypatch.setenv("TZ", "Asia/Jakarta")
    time.tzset()
    try:
        assert utc_text(datetime(2020, 3, 31, 23, 30, tzinfo=WIB)) == "2020-03-31T16:30:00.000000Z"
    finally:
        monkeypatch.undo()
        time.tzset()
