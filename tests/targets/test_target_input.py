"""What a target may be: a percent from 0 to 1000 (limits included), finite, with a decimal point or comma,
kept to two decimals rounded half-up; for a year a city can report on and one of the three indicators."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.indicators import BY_CODE
from domain.targets import (
    InvalidTargetError,
    InvalidYearError,
    UnknownIndicatorError,
    check_indicator,
    check_target,
    check_year,
)
from domain.times import FIRST_YEAR, LAST_YEAR
from services.presentation import describe


@pytest.mark.parametrize("value,expected", [
    ("0", Decimal("0.00")),            # the lower limit itself
    ("0.01", Decimal("0.01")),         # just inside it
    ("999.99", Decimal("999.99")),     # just inside the upper limit
    ("1000", Decimal("1000.00")),      # the upper limit itself
    ("1000.00", Decimal("1000.00")),
    (0, Decimal("0.00")),
    (1000, Decimal("1000.00")),
    (87.5, Decimal("87.50")),
    (Decimal("80"), Decimal("80.00")),
])
def test_target_is_accepted_within_the_limits(value, expected):
    number = check_target(value)
    assert number == expected
    assert str(number) == str(expected)  # kept to two decimals: the stored text is "80.00"


@pytest.mark.parametrize("value", [
    "-0.01", "-1", -0.01, "1000.01", "1001", 1000.01, "1e309", "-1e309", 1e300,
])
def test_target_is_refused_outside_the_limits(value):
    with pytest.raises(InvalidTargetError) as refused:
        check_target(value)
    assert refused.value.params == {"value": str(value)}


@pytest.mark.parametrize("value", [
    "NaN", "nan", "-NaN", "sNaN", "inf", "Infinity", "-inf", "-Infinity", float("nan"), float("inf"),
    float("-inf"), float("1e309"), Decimal("NaN"), Decimal("Infinity"),
])
def test_target_is_refused_when_not_finite(value):
    with pytest.raises(InvalidTargetError) as refused:
        check_target(value)
    assert refused.value.params == {"value": str(value)}


@pytest.mark.parametrize("value", ["", " ", "banyak", "80%", "1.000,5", "8 0", "0x10", None])
def test_target_is_refused_when_not_a_number(value):
    with pytest.raises(InvalidTargetError) as refused:
        check_target(value)
    assert refused.value.params == {"value": str(value)}


def test_refused_target_says_why_in_both_languages():
    with pytest.raises(InvalidTargetError) as refused:
        check_target("1000,01")
    assert describe(refused.value, "id") == "target tidak sah: '1000,01' (angka 0–1000, persen)"
    assert describe(refused.value, "en") == "invalid target: '1000,01' (a number 0–1000, percent)"
    assert refused.value.input_field == "value"


@pytest.mark.parametrize("value,expected", [
    ("87,5", Decimal("87.50")),
    ("87,25", Decimal("87.25")),
    ("0,01", Decimal("0.01")),
    ("1000,00", Decimal("1000.00")),
    (" 87,5 ", Decimal("87.50")),
])
def test_target_accepts_the_decimal_comma(value, expected):
    assert check_target(value) == expected


@pytest.mark.parametrize("value", ["1000,01", "-0,01"])
def test_target_with_a_decimal_comma_is_refused_outside_the_limits(value):
    with pytest.raises(InvalidTargetError):
        check_target(value)


@pytest.mark.parametrize("value,expected", [
    ("87.125", "87.13"),    # half-even would give 87.12
    ("87,125", "87.13"),
    ("0.005", "0.01"),      # half-even would give 0.00
    ("0.015", "0.02"),
    ("87.135", "87.14"),
    ("87.1249", "87.12"),
    ("87.1251", "87.13"),
    ("999.994", "999.99"),
    ("999.995", "1000.00"),
])
def test_target_is_rounded_half_up_to_two_decimals(value, expected):
    assert str(check_target(value)) == expected


@pytest.mark.parametrize("value", ["-0", "-0.00", "-0,0", "-0e5"])
def test_target_of_negative_zero_is_zero(value):
    """A target typed as "-0" is zero, stored and shown without a sign."""
    assert str(check_target(value)) == "0.00"


@pytest.mark.parametrize("value,expected", [
    (FIRST_YEAR, FIRST_YEAR), (FIRST_YEAR + 1, FIRST_YEAR + 1), (2020, 2020), (LAST_YEAR - 1, LAST_YEAR - 1),
    (LAST_YEAR, LAST_YEAR), (str(FIRST_YEAR), FIRST_YEAR), (f" {LAST_YEAR} ", LAST_YEAR), ("2020", 2020),
])
def test_year_is_accepted_within_the_documented_range(value, expected):
    assert check_year(value) == expected


@pytest.mark.parametrize("value", [FIRST_YEAR - 1, LAST_YEAR + 1, str(FIRST_YEAR - 1), str(LAST_YEAR + 1), 0, -2020])
def test_year_is_refused_outside_the_documented_range(value):
    with pytest.raises(InvalidYearError) as refused:
        check_year(value)
    assert refused.value.params == {"value": str(value)}


@pytest.mark.parametrize("value", ["", "dua ribu", "2020.0", "2020-01", "20 20"])
def test_year_is_refused_when_not_a_whole_number(value):
    with pytest.raises(InvalidYearError) as refused:
        check_year(value)
    assert refused.value.params == {"value": value}


def test_refused_year_says_why_in_both_languages():
    with pytest.raises(InvalidYearError) as refused:
        check_year("3000")
    assert describe(refused.value, "id") == "tahun tidak sah: '3000'"
    assert describe(refused.value, "en") == "invalid year: '3000'"
    assert refused.value.input_field == "year"


@pytest.mark.parametrize("code", ["published", "documented", "protocol_served", " published ", "documented\n"])
def test_indicator_code_is_accepted_when_registered(code):
    assert check_indicator(code) is BY_CODE[code.strip()]


@pytest.mark.parametrize("code", ["", " ", None, "Published", "publish", "held", "protocol-served", "XXXX"])
def test_indicator_code_is_refused_when_not_registered(code):
    with pytest.raises(UnknownIndicatorError) as refused:
        check_indicator(code)
    assert refused.value.params == {"code": code, "choices": "published, documented, protocol_served"}


def test_refused_indicator_code_says_why_in_both_languages():
    with pytest.raises(UnknownIndicatorError) as refused:
        check_indicator("held")
    assert describe(refused.value, "id") == ("indikator tidak dikenal: 'held' "
                                          "(pilih published, documented, protocol_served)")
    assert describe(refused.value, "en") == "unknown indicator: 'held' (choose published, documented, protocol_served)"
    assert refused.value.input_field == "code"
