"""One way in for a period: `domain.periods.period_from` reads whatever a person typed, by the same rules for
the web and the command line, and a Period answers what it is."""

from datetime import date

import pytest

from domain.errors import InvalidDateTimeError
from domain.periods import (
    AmbiguousPeriodError,
    InvalidPeriodError,
    InvalidRangeError,
    MissingRangeError,
    date_range,
    month,
    period_from,
    quarter,
    semester,
    year,
)


@pytest.mark.parametrize(("typed", "expected"), [
    ({"code": "2020"}, year(2020)),
    ({"code": " 2020-Q1 "}, quarter(2020, 1)),
    ({"code": "2020-t4"}, quarter(2020, 4)),
    ({"code": "2020-S2"}, semester(2020, 2)),
    ({"code": "2020-03"}, month(2020, 3)),
    ({"code": "2020-01-01..2020-02-15"}, date_range(date(2020, 1, 1), date(2020, 2, 15))),
    ({"year_text": "2020"}, year(2020)),
    ({"year_text": "2020", "part": "Q3"}, quarter(2020, 3)),
    ({"year_text": "2020", "part": "S1"}, semester(2020, 1)),
    ({"year_text": " 2021 ", "part": "12"}, month(2021, 12)),
    ({"start": "2020-03-01", "end": "2020-03-01"}, date_range(date(2020, 3, 1), date(2020, 3, 1))),
    ({"start": "2020-03-01", "end": " 2020-04-30 "}, date_range(date(2020, 3, 1), date(2020, 4, 30))),
])
def test_a_period_is_read_from_a_code_a_year_and_part_or_two_dates(typed, expected):
    assert period_from(**typed) == expected


def test_nothing_typed_is_no_period_and_the_front_door_chooses():
    assert period_from() is None
    assert period_from(code=" ", year_text="", start=" ") is None


@pytest.mark.parametrize("typed", [{"start": "2020-03-01"}, {"end": "2020-03-31"}])
def test_a_range_needs_both_dates(typed):
    with pytest.raises(MissingRangeError):
        period_from(**typed)


@pytest.mark.parametrize("typed", [
    {"code": "2020", "start": "2020-01-01", "end": "2020-02-01"},
    {"year_text": "2020", "end": "2020-02-01"},
    {"part": "Q1", "start": "2020-01-01"},
])
def test_a_period_and_dates_together_are_refused(typed):
    with pytest.raises(AmbiguousPeriodError):
        period_from(**typed)


def test_a_backward_range_and_text_that_is_no_period_are_refused():
    with pytest.raises(InvalidRangeError) as backward:
        period_from(start="2020-03-02", end="2020-03-01")
    assert backward.value.params == {"start": date(2020, 3, 2), "end": date(2020, 3, 1)}
    with pytest.raises(InvalidPeriodError):
        period_from(year_text="2020", part="Q5")
    with pytest.raises(InvalidPeriodError):
        period_from(part="Q1")
    with pytest.raises(InvalidDateTimeError):
        period_from(start="2020-02-30", end="2020-03-01")


@pytest.mark.parametrize(("period", "is_year", "is_custom", "part"), [
    (year(2020), True, False, ""),
    (quarter(2020, 2), False, False, "Q2"),
    (semester(2020, 1), False, False, "S1"),
    (month(2020, 11), False, False, "11"),
    (date_range(date(2020, 1, 1), date(2020, 12, 31)), False, True, ""),
])
def test_a_period_says_what_it_is(period, is_year, is_custom, part):
    assert (period.is_year, period.is_custom, period.part) == (is_year, is_custom, part)
    assert period.query_args() == {"periode": period.code}
