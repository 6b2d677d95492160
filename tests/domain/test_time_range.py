"""Every instant the domain accepts lies in the years a city could report on; the read model applies any
instant the store can hold, even one an older version let in."""

from __future__ import annotations

from datetime import UTC as _UTC
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.main import cli
from domain import errors
from domain.activity import Activity, activity_id
from domain.periods import parse_period
from domain.times import FIRST_YEAR, LAST_YEAR, UTC, WIB, now, parse_date, parse_instant, utc_text, wib_date
from projections import chain, read
from services import reports
from services.presentation import describe, format_moment
from tests.conftest import open_runtime

OUTSIDE = ["0001-01-01", "0001-01-01T06:59", "0001-01-01T00:00+14:00", "9999-12-31T23:00-05:00",
           "1899-12-31T23:59", "3000-01-01T00:00", "1900-01-01T00:00+08:00"]
INSIDE = ["1900-01-01T00:00", "1900-01-01", "2999-12-31T23:59:59.999999", "2020-03-31T23:30+07:00"]


@pytest.mark.parametrize("text", OUTSIDE)
def test_an_instant_outside_the_accepted_years_is_refused_with_the_range(text):
    with pytest.raises(errors.OutOfRangeError) as refused:
        parse_instant(text)
    assert f"{FIRST_YEAR}–{LAST_YEAR}" in describe(refused.value, "id")
    assert "accepted range" in describe(refused.value, "en")


@pytest.mark.parametrize("text", INSIDE)
def test_an_instant_at_the_edges_of_the_accepted_years_is_accepted(text):
    assert parse_instant(text).tzinfo is not None


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01"])
def test_a_calendar_date_outside_the_accepted_years_is_refused(text):
    with pytest.raises(errors.OutOfRangeError):
        parse_date(text)


def test_the_domain_refuses_an_out_of_range_moment_given_directly(tmp_path):
    with open_runtime("sqlite", tmp_path / "data") as runtime:
        with pytest.raises(errors.OutOfRangeError):
            runtime.record("scheduled", "AG-1", title="Kuno", leaders=["walikota"], location="",
                           occurred_at=datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))), actor="siti")
        assert runtime.follower.head() == 0


def test_an_import_with_an_ancient_date_stores_nothing_and_the_data_dir_keeps_working(tmp_path):
    data = tmp_path / "data"
    old = tmp_path / "old.csv"
    old.write_text("activity,event,occurred_at,title,leaders\nAG-1,scheduled,0001-01-01,Kuno,walikota\n")
    runner = CliRunner()
    refused = runner.invoke(cli, ["--data-dir", str(data), "import", str(old)])
    assert refused.exit_code == 1
    assert "line 2" in refused.output and f"{FIRST_YEAR}–{LAST_YEAR}" in refused.output
    for args in (["report", "2020"], ["verify"], ["rebuild"]):
        result = runner.invoke(cli, ["--data-dir", str(data), *args])
        assert result.exit_code == 0, (args, result.output)
    assert "0 peristiwa" in runner.invoke(cli, ["--data-dir", str(data), "verify"]).output


def _store_unchecked(runtime, reference: str, planned: datetime, held: datetime) -> None:
    """What an older version without the range check could have stored: the events written directly."""
    activity = Activity._create(Activity.Scheduled, id=activity_id(reference), reference=reference, title="Kuno",
                                leaders=["walikota"], location="", occurred_at=planned, actor="lama", note="")
    activity.trigger_event(Activity.Held, occurred_at=held, actor="lama", note="")
    runtime.log.save(activity)


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_store_holding_instants_beyond_datetime_limits_still_reports_verifies_rebuilds_and_withdraws(
        backend, tmp_path):
    planned = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))
    held = datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))
    with open_runtime(backend, tmp_path / "data") as runtime:
        _store_unchecked(runtime, "AG-KUNO", planned, held)
        db = runtime.fresh()
        trail = read.activities.trail(db, "AG-KUNO")
        assert [event["kind"] for event in trail["events"]] == ["scheduled", "held"]
        assert reports.report(db, parse_period("2020"), now(), "id", stated=False)["indicators"][0]["denominator"] == 0
        assert chain.verify(runtime.log, db).ok
        before = read.activities.trail(db, "AG-KUNO")
        runtime.rebuild()
        assert read.activities.trail(runtime.fresh(), "AG-KUNO") == before
        runtime.record("withdrawn", "AG-KUNO", withdrawn_kind="held", reason="Tanggal salah catat",
                       occurred_at=datetime.now(tz=UTC), actor="siti")
        events = read.activities.trail(runtime.fresh(), "AG-KUNO")["events"]
        assert events[1]["withdrawn"] and events[2]["kind"] == "withdrawn"
        assert read.activities.activity(runtime.fresh(), "AG-KUNO")["status"] == "scheduled"


def test_an_instant_beyond_datetime_limits_is_shown_on_its_own_clock():
    assert format_moment(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))) == "1 Januari 1 pukul 00.00 UTC+14.00"
    assert format_moment(datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))), "en") == \
        "31 December 9999 at 23:00 UTC-05:00"


def test_the_read_models_time_forms_are_total_and_still_sort_like_time():
    low = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))
    high = datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))
    ordinary = datetime(2020, 3, 31, 23, 30, tzinfo=WIB)
    assert utc_text(low) < utc_text(ordinary) < utc_text(high)
    assert wib_date(low) < wib_date(ordinary) < wib_date(high)
    assert utc_text(ordinary) == "2020-03-31T16:30:00.000000Z"


offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moment=st.datetimes(min_value=datetime.min, max_value=datetime.max, timezones=offsets | st.just(_UTC)))
def test_whatever_instant_the_domain_accepts_the_read_model_applies(tmp_path_factory, moment):
    with open_runtime("sqlite", tmp_path_factory.mktemp("range") / "data") as runtime:
        try:
            runtime.record("scheduled", "AG-1", title="Uji", leaders=["sekda"], location="", occurred_at=moment,
                           actor="siti")
        except errors.OutOfRangeError:
            assert not datetime(FIRST_YEAR, 1, 1, tzinfo=WIB) <= moment < datetime(LAST_YEAR + 1, 1, 1, tzinfo=WIB)
            assert runtime.follower.head() == 0
            return
        item = read.activities.activity(runtime.fresh(), "AG-1")
        assert item["planned_start"] == moment
        assert format_moment(moment).endswith("WIB")
