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


def test_agenda_filters_by_leader_status_and_text_together(runtime):
    runtime.record("scheduled", "AG-1", title="Rapat koordinasi", leaders=["walikota", "sekda"], location="Balai",
                   occurred_at=T("2020-03-02T09:00"), actor="siti")
    runtime.record("scheduled", "AG-2", title="Kunjungan pasar", leaders=["wakil_walikota"], location="Pasar Tanjung",
                   occurred_at=T("2020-03-02T10:00"), actor="siti")
    runtime.record("scheduled", "AG-3", title="Rapat anggaran", leaders=["sekda"], location="Aula",
                   occurred_at=T("2020-03-02T11:00"), actor="siti")
    runtime.record("held", "AG-3", occurred_at=T("2020-03-02T11:00"), actor="siti")
    db = runtime.fresh()

    def found(**filters):
        return [row["reference"] for row in read.activities.agenda(db, start=date(2020, 3, 2), end=date(2020, 3, 2),
                                                                    **filters)["rows"]]

    assert found(leader="sekda") == ["AG-1", "AG-3"]
    assert found(leader="walikota") == ["AG-1"]  # not wakil_walikota: whole names only
    assert found(leader="nobody") == ["AG-1", "AG-2", "AG-3"]  # an unknown leader filters nothing
    assert found(status="held") == ["AG-3"]
    assert found(text=" rapat ") == ["AG-1", "AG-3"]
    assert found(text="tanjung") == ["AG-2"]  # the place too
    assert found(text="AG-2") == ["AG-2"]  # and the reference
    assert found(leader="sekda", text="anggaran", status="held") == ["AG-3"]


@pytest.mark.parametrize(("count", "limit", "shown", "more"), [(3, 2, 2, True), (3, 3, 3, False), (2, 3, 2, False)])
def test_agenda_pages_say_whether_more_rows_follow(runtime, count, limit, shown, more):
    for number in range(count):
        schedule(runtime, f"AG-{number}", f"2020-03-02T0{number}:00")
    page = read.activities.agenda(runtime.fresh(), start=date(2020, 3, 2), end=date(2020, 3, 2), limit=limit)
    assert (len(page["rows"]), page["more"]) == (shown, more)


def test_agenda_shows_two_hundred_rows_by_default(runtime):
    batch = runtime.batch()
    for number in range(201):
        batch.schedule(reference=f"AG-{number:03d}", title="Rapat", leaders=["sekda"], location="",
                       occurred_at=T("2020-03-02T09:00"), actor="siti")
    runtime.commit(batch)
    page = read.activities.agenda(runtime.fresh(), start=date(2020, 3, 2), end=date(2020, 3, 2))
    assert (len(page["rows"]), page["more"]) == (200, True)


def test_an_unknown_reference_has_no_agenda_row(runtime):
    schedule(runtime, "AG-1", "2020-03-02T09:00")
    db = runtime.fresh()
    assert read.activities.activity_row(db, "AG-2") is None
    assert read.activities.activity_row(db, " AG-1 ")["reference"] == "AG-1"
