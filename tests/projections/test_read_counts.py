"""The indicator figures as queried: one count per held activity (not per day), WIB period bounds, the as-of
boundary of facts and withdrawals, monthly buckets, and the target, capaian and predikat beside each figure."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from domain.indicators import SEED
from domain.periods import date_range, parse_period
from domain.times import UTC, now, parse_instant
from projections import counting, read
from services import reports
from services.presentation import indicator_name
from tests.conftest import SteppingClock, open_runtime
from tests.projections.oracle import as_kinds
from tests.projections.test_readmodel import held_activity as held

T = parse_instant
MICROSECOND = timedelta(microseconds=1)


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock(start=datetime(2021, 1, 1, tzinfo=UTC))


@pytest.fixture
def runtime(tmp_path, clock):
    with open_runtime("sqlite", tmp_path / "data", clock=clock) as opened:
        yield opened


def counts(runtime, period, as_of=None):
    return as_kinds(counting.indicator_counts(runtime.fresh(), parse_period(period), (as_of or now()), SEED))


def figures(row):
    return row["code"], row["numerator"], row["denominator"], row["percent"]


def test_two_activities_held_on_one_wib_day_count_as_two(runtime):
    held(runtime, "AG-1", "2020-02-03T08:00", ["published"])
    held(runtime, "AG-2", "2020-02-03T23:59", ["documented"])
    held(runtime, "AG-3", "2020-02-04T00:00")
    # three activities on two days: the denominator counts activities, not days
    assert counts(runtime, "2020-02") == {"held": 3, "published": 1, "documented": 1, "protocol_served": 0}


def test_held_a_minute_either_side_of_midnight_counts_in_its_own_wib_month(runtime):
    held(runtime, "AG-1", "2020-01-31T23:59", ["published"])
    held(runtime, "AG-2", "2020-02-01T00:00", ["published"])
    held(runtime, "AG-3", "2020-02-29T23:59")
    held(runtime, "AG-4", "2020-03-01T00:00", ["protocol_served"])
    assert counts(runtime, "2020-01") == {"held": 1, "published": 1, "documented": 0, "protocol_served": 0}
    assert counts(runtime, "2020-02") == {"held": 2, "published": 1, "documented": 0, "protocol_served": 0}
    assert counts(runtime, "2020-03") == {"held": 1, "published": 0, "documented": 0, "protocol_served": 1}


def monthly(db, as_of):
    return {month: as_kinds(figures)
            for month, figures in counting.monthly_counts(db, parse_period("2020"), as_of, SEED).items()}


def test_monthly_counts_bucket_each_held_activity_by_its_wib_month(runtime):
    held(runtime, "AG-1", "2020-01-31T23:59", ["published"])
    held(runtime, "AG-2", "2020-02-01T00:00", ["published", "documented"])
    held(runtime, "AG-3", "2020-02-01T00:00")
    held(runtime, "AG-4", "2020-12-31T23:59", ["protocol_served"])
    held(runtime, "AG-5", "2021-01-01T00:00", ["published"])
    assert monthly(runtime.fresh(), now()) == {
        "2020-01": {"held": 1, "published": 1, "documented": 0, "protocol_served": 0},
        "2020-02": {"held": 2, "published": 1, "documented": 1, "protocol_served": 0},
        "2020-12": {"held": 1, "published": 0, "documented": 0, "protocol_served": 1},
    }


def test_monthly_counts_see_only_what_was_recorded_by_as_of(runtime, clock):
    held(runtime, "AG-1", "2020-03-10T09:00")
    before_evidence = clock.current
    runtime.record("published", "AG-1", occurred_at=T("2020-03-10T10:00"), channel="web", evidence_ref="x",
                   actor="budi")
    db = runtime.fresh()
    assert monthly(db, before_evidence) == {
        "2020-03": {"held": 1, "published": 0, "documented": 0, "protocol_served": 0}}
    assert monthly(db, now()) == {
        "2020-03": {"held": 1, "published": 1, "documented": 0, "protocol_served": 0}}


def test_a_fact_counts_from_the_instant_it_was_recorded(runtime, clock):
    held(runtime, "AG-1", "2020-02-03T08:00")
    held_recorded = clock.current
    runtime.record("published", "AG-1", occurred_at=T("2020-02-03T09:00"), channel="web", evidence_ref="x",
                   actor="budi")
    published_recorded = clock.current
    assert counts(runtime, "2020", held_recorded - MICROSECOND) == {
        "held": 0, "published": 0, "documented": 0, "protocol_served": 0}
    assert counts(runtime, "2020", held_recorded)["held"] == 1
    assert counts(runtime, "2020", published_recorded - MICROSECOND)["published"] == 0
    assert counts(runtime, "2020", published_recorded)["published"] == 1


def test_a_withdrawal_applies_from_the_instant_it_was_recorded(runtime, clock):
    held(runtime, "AG-1", "2020-02-03T08:00", ["published"])
    held(runtime, "AG-2", "2020-02-03T10:00", ["published"])
    runtime.record("withdrawn", "AG-1", withdrawn_kind="published", reason="tautan salah",
                   occurred_at=T("2020-02-05"), actor="auditor")
    published_withdrawn = clock.current
    runtime.record("withdrawn", "AG-2", withdrawn_kind="held", reason="salah catat", occurred_at=T("2020-02-05"),
                   actor="auditor")
    held_withdrawn = clock.current
    assert counts(runtime, "2020", published_withdrawn - MICROSECOND) == {
        "held": 2, "published": 2, "documented": 0, "protocol_served": 0}
    assert counts(runtime, "2020", published_withdrawn) == {
        "held": 2, "published": 1, "documented": 0, "protocol_served": 0}
    assert counts(runtime, "2020", held_withdrawn - MICROSECOND)["held"] == 2
    assert counts(runtime, "2020", held_withdrawn) == {
        "held": 1, "published": 0, "documented": 0, "protocol_served": 0}
    assert counts(runtime, "2020") == counts(runtime, "2020", held_withdrawn)


def test_report_row_is_the_reports_row_in_the_language_asked(runtime, clock):
    held(runtime, "AG-1", "2020-02-03T08:00", ["published", "documented"])
    held(runtime, "AG-2", "2020-02-04T08:00", ["published"])
    held(runtime, "AG-3", "2020-02-05T08:00")
    runtime.applied(runtime.log.set_target(2020, "published", "80", reason="Renstra", actor="kabag"))
    db = runtime.fresh()
    period = parse_period("2020-Q1")
    row = reports.report_row(db, period, "published", now(), "en")
    assert row == {"code": "published", "name": indicator_name("published", "en"), "numerator": 2,
                   "denominator": 3, "percent": 66.67, "excluded": 0, "exclusions": {}, "target": 80.0,
                   "capaian": 83.34, "predikat": "Baik", "target_awal": 80.0, "target_perubahan": None,
                   "target_basis": None, "target_quarter": None}
    assert list(row)[:5] == ["code", "name", "numerator", "denominator", "percent"]  # the contract's order
    english = reports.report(db, period, now(), "en", stated=False)
    assert row == english["indicators"][0]
    assert english["period"] == {"from": "2020-01-01", "to": "2020-03-31", "label": "Quarter I 2020"}
    documented = reports.report_row(db, period, "documented", now(), "id")
    assert documented == {"code": "documented", "name": indicator_name("documented", "id"), "numerator": 1,
                          "denominator": 3, "percent": 33.33, "excluded": 0, "exclusions": {}, "target": None,
                          "capaian": None, "predikat": None, "target_awal": None, "target_perubahan": None,
                          "target_basis": None, "target_quarter": None}


def test_report_takes_the_target_in_force_at_as_of(runtime, clock):
    held(runtime, "AG-1", "2020-02-03T08:00", ["published"])
    held(runtime, "AG-2", "2020-02-04T08:00")
    before_targets = clock.current
    runtime.log.set_target(2020, "published", "100", reason="Renstra", actor="kabag")
    first = clock.current
    runtime.log.set_target(2020, "published", "62,5", reason="Revisi", actor="kabag")
    runtime.log.set_target(2021, "published", "10", reason="Renstra", actor="kabag")
    db = runtime.fresh()
    period = parse_period("2020")

    def published(as_of):
        row = reports.report(db, period, as_of or now(), "id", stated=as_of is not None)["indicators"][0]
        return row["target"], row["capaian"], row["predikat"]

    assert published(before_targets) == (None, None, None)
    assert published(first) == (100.0, 50.0, "Kurang")
    assert published(None) == (62.5, 80.0, "Baik")
    assert read.targets.targets(db, 2020, first) == {"published": Decimal("100.00")}


def test_a_period_across_two_years_has_no_target(runtime):
    held(runtime, "AG-1", "2020-01-03T08:00", ["published"])
    runtime.applied(runtime.log.set_target(2020, "published", "50", reason="Renstra", actor="kabag"))
    across = reports.report(runtime.fresh(), date_range(date(2019, 12, 1), date(2020, 1, 31)), now(), "id", stated=False)
    assert [figures(row) for row in across["indicators"]] == [
        ("published", 1, 1, 100.0), ("documented", 0, 1, 0.0), ("protocol_served", 0, 1, 0.0)]
    assert [(row["target"], row["capaian"], row["predikat"]) for row in across["indicators"]] == [(None,) * 3] * 3
    into_next = reports.report(runtime.fresh(), date_range(date(2020, 12, 1), date(2021, 1, 31)), now(), "id",
                               stated=False)  # the first year has a target: still none across two years
    assert [row["target"] for row in into_next["indicators"]] == [None] * 3
    within = reports.report(runtime.fresh(), date_range(date(2020, 1, 1), date(2020, 1, 31)), now(), "id", stated=False)
    assert (within["indicators"][0]["target"], within["indicators"][0]["capaian"]) == (50.0, 200.0)


def test_report_names_its_as_of_in_wib_or_null(runtime, clock):
    held(runtime, "AG-1", "2020-01-03T08:00")
    db = runtime.fresh()
    assert reports.report(db, parse_period("2020"), T("2021-01-01T00:00"), "id")["as_of"] == "2021-01-01T00:00:00+07:00"
    assert reports.report(db, parse_period("2020"), now(), "id", stated=False)["as_of"] is None


def test_period_activities_flag_each_indicator_as_of(runtime, clock):
    held(runtime, "AG-2", "2020-02-03T08:00", ["documented"])
    held(runtime, "AG-1", "2020-02-03T08:00", ["published", "protocol_served"])
    held(runtime, "AG-0", "2020-04-01T00:00", ["published"])
    before_last = clock.current
    held(runtime, "AG-3", "2020-01-01T00:00")
    db = runtime.fresh()
    rows = read.indicators.period_activities(db, parse_period("2020-Q1"), now(), SEED)
    assert [(r["reference"], r["held_at"], r["leaders"], r["published"], r["documented"], r["protocol_served"])
            for r in rows] == [
        ("AG-3", "2019-12-31T17:00:00.000000Z", "walikota", "missing", "missing", "missing"),
        ("AG-1", "2020-02-03T01:00:00.000000Z", "walikota", "counted", "missing", "counted"),
        ("AG-2", "2020-02-03T01:00:00.000000Z", "walikota", "missing", "counted", "missing"),
    ]
    assert [r["reference"] for r in read.indicators.period_activities(db, parse_period("2020-Q1"), before_last,
                                                                      SEED)] == ["AG-1", "AG-2"]
