"""The agenda's date filter: whole WIB days of the planned start, whatever zone it was entered in, and the date
a reschedule moved it to."""

from __future__ import annotations

from datetime import date

import pytest

from domain.times import parse_instant
from projections import read
from tests.conftest import open_runtime

T = parse_instant


@pytest.fixture
def runtime(tmp_path):
    with open_runtime("sqlite", tmp_path / "data") as opened:
        yield opened


def schedule(runtime, reference, planned):
    runtime.record("scheduled", reference, title=f"Kegiatan {reference}", leaders=["walikota"], location="Balai",
                   occurred_at=T(planned), actor="siti")


def agenda(runtime, start, end):
    return [row["reference"] for row in read.activities.agenda(runtime.fresh(), start=start, end=end)["rows"]]


def test_agenda_takes_whole_wib_days_and_nothing_either_side(runtime):
    schedule(runtime, "AG-1", "2020-03-01T23:59")
    schedule(runtime, "AG-2", "2020-03-02T00:00")
    schedule(runtime, "AG-3", "2020-03-03T23:59")
    schedule(runtime, "AG-4", "2020-03-04T00:00")
    assert agenda(runtime, date(2020, 3, 2), date(2020, 3, 3)) == ["AG-2", "AG-3"]
    assert agenda(runtime, date(2020, 3, 1), date(2020, 3, 1)) == ["AG-1"]
    assert agenda(runtime, date(2020, 3, 4), date(2020, 3, 4)) == ["AG-4"]


def test_agenda_dates_a_plan_entered_in_another_zone_by_its_wib_day(runtime):
    schedule(runtime, "AG-1", "2020-03-01T17:00Z")  # 2 March, 00:00 WIB
    schedule(runtime, "AG-2", "2020-03-02T16:59+00:00")  # 2 March, 23:59 WIB
    schedule(runtime, "AG-3", "2020-03-02T23:30+07:00")
    assert agenda(runtime, date(2020, 3, 1), date(2020, 3, 1)) == []
    assert agenda(runtime, date(2020, 3, 2), date(2020, 3, 2)) == ["AG-1", "AG-3", "AG-2"]


def test_agenda_finds_a_rescheduled_plan_on_its_new_date_only(runtime):
    schedule(runtime, "AG-1", "2020-03-31T23:59")
    runtime.record("rescheduled", "AG-1", occurred_at=T("2020-04-01T00:00"), title="", leaders=[], location="",
                   actor="siti")
    assert agenda(runtime, date(2020, 3, 31), date(2020, 3, 31)) == []
    assert agenda(runtime, date(2020, 4, 1), date(2020, 4, 1)) == ["AG-1"]
