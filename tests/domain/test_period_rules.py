"""Reporting periods at their edges: every quarter, semester and month with its first and last day and its
label in both languages, the accepted years, and how dates and moments are written for a person."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from domain.errors import InvalidDateTimeError, OutOfRangeError
from domain.periods import InvalidPeriodError, InvalidRangeError, date_range, month, parse_period
from domain.times import UTC, WIB
from services.presentation import describe, format_date, format_moment, period_dict, period_label


@pytest.mark.parametrize("text,start,end,code,label_id,label_en", [
    ("2020-Q1", date(2020, 1, 1), date(2020, 3, 31), "2020-Q1", "Triwulan I 2020", "Quarter I 2020"),
    ("2020-Q2", date(2020, 4, 1), date(2020, 6, 30), "2020-Q2", "Triwulan II 2020", "Quarter II 2020"),
    ("2020-t3", date(2020, 7, 1), date(2020, 9, 30), "2020-Q3", "Triwulan III 2020", "Quarter III 2020"),
    ("2021-T4", date(2021, 10, 1), date(2021, 12, 31), "2021-Q4", "Triwulan IV 2021", "Quarter IV 2021"),
    ("2020-s1", date(2020, 1, 1), date(2020, 6, 30), "2020-S1", "Semester I 2020", "Semester I 2020"),
    ("2020-S2", date(2020, 7, 1), date(2020, 12, 31), "2020-S2", "Semester II 2020", "Semester II 2020"),
    (" 2020 ", date(2020, 1, 1), date(2020, 12, 31), "2020", "Tahun 2020", "Year 2020"),
    ("1900", date(1900, 1, 1), date(1900, 12, 31), "1900", "Tahun 1900", "Year 1900"),
    ("2999", date(2999, 1, 1), date(2999, 12, 31), "2999", "Tahun 2999", "Year 2999"),
    ("2020-01", date(2020, 1, 1), date(2020, 1, 31), "2020-01", "Januari 2020", "January 2020"),
    ("2021-02", date(2021, 2, 1), date(2021, 2, 28), "2021-02", "Februari 2021", "February 2021"),
    ("2020-12", date(2020, 12, 1), date(2020, 12, 31), "2020-12", "Desember 2020", "December 2020"),
    ("2020-01-01..2020-01-01", date(2020, 1, 1), date(2020, 1, 1), "2020-01-01..2020-01-01",
     "1 Januari 2020 – 1 Januari 2020", "1 January 2020 – 1 January 2020"),
    (" 2019-12-31..2020-03-01 ", date(2019, 12, 31), date(2020, 3, 1), "2019-12-31..2020-03-01",
     "31 Desember 2019 – 1 Maret 2020", "31 December 2019 – 1 March 2020"),
])
def test_a_period_has_its_first_and_last_day_its_code_and_its_label_in_both_languages(
        text, start, end, code, label_id, label_en):
    period = parse_period(text)
    assert (period.start, period.end, period.code) == (start, end, code)
    assert (period_label(period), period_label(period, "en")) == (label_id, label_en)
    assert period_dict(period, "en") == {"from": start.isoformat(), "to": end.isoformat(), "label": label_en}
    assert period_dict(period) == {"from": start.isoformat(), "to": end.isoformat(), "label": label_id}


@pytest.mark.parametrize("m", range(1, 13))
def test_each_month_runs_from_its_first_to_its_last_day_with_its_name(m):
    period = parse_period(f"2024-{m:02d}")
    next_first = date(2024 + (m == 12), m % 12 + 1, 1)
    assert (period.start, period.end) == (date(2024, m, 1), next_first - timedelta(days=1))
    assert period == month(2024, m)
    assert period_label(period).split()[0] == format_date(date(2024, m, 1)).split()[1]
    assert period_label(period, "en") == date(2024, m, 1).strftime("%B 2024")


@pytest.mark.parametrize("text", ["1899", "3000", "0000", "2020-00", "2020-13", "2020-Q0", "2020-Q5", "2020-S0",
                                  "2020-S3", "2020-X1", "2020-1", "20201", "2020-", "2020-Q", "x2020", ""])
def test_a_period_outside_the_years_or_of_another_form_is_refused_naming_the_text(text):
    with pytest.raises(InvalidPeriodError) as refused:
        parse_period(text)
    assert refused.value.params == {"value": text}


def test_a_range_names_its_bad_date_or_its_years():
    with pytest.raises(InvalidDateTimeError) as bad:
        parse_period("2020-01-01..2020-02-30")
    assert bad.value.params == {"value": "2020-02-30"}
    with pytest.raises(OutOfRangeError) as outside:
        parse_period("1899-12-31..2020-01-01")
    assert outside.value.params["value"] == "1899-12-31"


def test_a_range_splits_at_its_first_two_dots():
    with pytest.raises(InvalidDateTimeError) as refused:
        parse_period("2020-01-01..2020-01-15..2020-02-01")
    assert refused.value.params == {"value": "2020-01-15..2020-02-01"}


def test_a_range_of_one_day_is_accepted_and_one_running_backwards_names_both_dates():
    assert date_range(date(2020, 2, 1), date(2020, 2, 1)).code == "2020-02-01..2020-02-01"
    with pytest.raises(InvalidRangeError) as refused:
        parse_period("2020-02-02..2020-02-01")
    assert describe(refused.value, "en") == "start date 2 February 2020 is after end date 1 February 2020"


@pytest.mark.parametrize("m,name_id,name_en", [(1, "Januari", "January"), (6, "Juni", "June"),
                                               (8, "Agustus", "August"), (12, "Desember", "December")])
def test_a_date_is_written_day_month_name_year(m, name_id, name_en):
    assert format_date(date(2020, m, 9)) == f"9 {name_id} 2020"
    assert format_date(date(2020, m, 9), "en") == f"9 {name_en} 2020"


@pytest.mark.parametrize("moment,text_id,text_en", [
    (datetime(2020, 3, 31, 16, 59, tzinfo=UTC), "31 Maret 2020 pukul 23.59 WIB", "31 March 2020 at 23:59 WIB"),
    (datetime(2020, 3, 31, 17, 0, tzinfo=UTC), "1 April 2020 pukul 00.00 WIB", "1 April 2020 at 00:00 WIB"),
    (datetime(2020, 6, 30, 12, 5, tzinfo=timezone(timedelta(hours=-5))), "1 Juli 2020 pukul 00.05 WIB",
     "1 July 2020 at 00:05 WIB"),
    (datetime(1900, 1, 1, tzinfo=WIB), "1 Januari 1900 pukul 00.00 WIB", "1 January 1900 at 00:00 WIB"),
])
def test_a_moment_in_the_accepted_years_is_written_on_wibs_clock(moment, text_id, text_en):
    assert (format_moment(moment), format_moment(moment, "en")) == (text_id, text_en)


@pytest.mark.parametrize("moment,text_id,text_en", [
    (datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))), "1 Januari 1 pukul 00.00 UTC+14.00",
     "1 January 1 at 00:00 UTC+14:00"),
    (datetime(3000, 1, 1, 9, 5, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
     "1 Januari 3000 pukul 09.05 UTC-05.30", "1 January 3000 at 09:05 UTC-05:30"),
    (datetime(1899, 12, 31, 16, 52, tzinfo=UTC), "31 Desember 1899 pukul 16.52 UTC+00.00",
     "31 December 1899 at 16:52 UTC+00:00"),  # 23:59:12 in 1899 WIB (+07:07:12)
])
def test_a_moment_outside_the_accepted_years_is_written_on_its_own_clock(moment, text_id, text_en):
    assert (format_moment(moment), format_moment(moment, "en")) == (text_id, text_en)
