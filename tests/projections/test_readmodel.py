"""The read model: indicators by WIB date, as-of, drill-down, trail, audit log, and following the store."""

from __future__ import annotations

import pytest

from domain.indicators import BY_CODE, SEED
from domain.periods import parse_period
from domain.times import now, parse_instant
from projections import counting, read
from projections.catchup import Follower
from projections.db import open_readmodel
from projections.readmodel import ProjectionError
from services import reports
from services.runtime import Runtime
from tests.projections.oracle import as_kinds

T = parse_instant


def held_activity(runtime, reference, held_at, evidence=()):
    runtime.record("scheduled", reference, title=f"Kegiatan {reference}", leaders=["walikota"], location="Balai",
                   occurred_at=T(held_at), actor="siti")
    runtime.record("held", reference, occurred_at=T(held_at), actor="siti")
    for kind in evidence:
        runtime.record(kind, reference, occurred_at=T(held_at), channel="web", evidence_ref=f"{reference}/{kind}",
                       actor="budi")


def counts(runtime, period, as_of=None):
    return as_kinds(counting.indicator_counts(runtime.fresh(), parse_period(period), (as_of or now()), SEED))


def test_held_at_2330_wib_on_31_march_counts_in_q1(runtime):
    held_activity(runtime, "AG-1", "2020-03-31T23:30", ["published"])
    assert counts(runtime, "2020-Q1")["held"] == 1
    assert counts(runtime, "2020-Q2")["held"] == 0


@pytest.mark.parametrize("held_at", ["2020-07-01T00:30", "2020-06-30T17:30Z", "2020-07-01T00:30+07:00"])
def test_held_at_0030_wib_on_1_july_counts_in_q3_whatever_the_input_form(runtime, held_at):
    held_activity(runtime, "AG-1", held_at)
    assert counts(runtime, "2020-Q3")["held"] == 1
    assert counts(runtime, "2020-Q2")["held"] == 0


def test_year_is_computed_from_its_own_counts_not_averaged_quarters(runtime):
    held_activity(runtime, "AG-1", "2020-01-10T09:00", ["published"])
    held_activity(runtime, "AG-2", "2020-04-10T09:00", ["published"])
    held_activity(runtime, "AG-3", "2020-04-11T09:00")
    held_activity(runtime, "AG-4", "2020-04-12T09:00")
    report = reports.report(runtime.fresh(), parse_period("2020"), now(), "id", stated=False)
    published = report["indicators"][0]
    assert (published["numerator"], published["denominator"], published["percent"]) == (2, 4, 50.0)
    # the average of Q1 (100%) and Q2 (33.33%) would be 66.67%


def test_report_follows_the_json_contract(runtime):
    held_activity(runtime, "AG-1", "2020-02-01T09:00", ["published", "documented"])
    report = reports.report(runtime.fresh(), parse_period("2020-Q1"), T("2030-01-01"), "id")
    assert list(report) == ["period", "as_of", "indicators"]
    assert report["period"] == {"from": "2020-01-01", "to": "2020-03-31", "label": "Triwulan I 2020"}
    assert report["as_of"] == "2030-01-01T00:00:00+07:00"
    assert [i["code"] for i in report["indicators"]] == ["published", "documented", "protocol_served"]
    assert [list(i)[:5] for i in report["indicators"]] == [["code", "name", "numerator", "denominator", "percent"]] * 3
    assert [i["percent"] for i in report["indicators"]] == [100.0, 100.0, 0.0]


def test_empty_denominator_gives_null_percent(runtime):
    report = reports.report(runtime.fresh(), parse_period("2019"), now(), "id", stated=False)
    assert [i["percent"] for i in report["indicators"]] == [None, None, None]


def test_as_of_sees_only_what_was_recorded_by_then(runtime, clock):
    held_activity(runtime, "AG-1", "2020-02-01T09:00", ["published"])
    before_withdrawal = clock.current
    runtime.record("withdrawn", "AG-1", withdrawn_kind="published", reason="tautan salah",
                   occurred_at=T("2020-02-03"), actor="auditor")
    assert counts(runtime, "2020", before_withdrawal)["published"] == 1
    assert counts(runtime, "2020")["published"] == 0
    assert counts(runtime, "2020", T("2020-12-31"))["held"] == 0  # nothing was recorded in 2020 itself


def test_drilldown_splits_counted_from_missing(runtime):
    held_activity(runtime, "AG-1", "2020-02-01T09:00", ["published"])
    held_activity(runtime, "AG-2", "2020-02-02T09:00")
    result = read.indicators.drilldown(runtime.fresh(), parse_period("2020-Q1"), BY_CODE["published"], now(), page_size=50, missing_page=1, counted_page=1)
    assert [a["reference"] for a in result["counted"]] == ["AG-1"]
    assert [a["reference"] for a in result["missing"]] == ["AG-2"]
    assert result["missing"][0]["title"] == "Kegiatan AG-2"


def test_trail_shows_every_event_with_withdrawal_details(runtime):
    held_activity(runtime, "AG-1", "2020-02-01T09:00", ["published"])
    runtime.record("withdrawn", "AG-1", withdrawn_kind="published", reason="tautan salah",
                   occurred_at=T("2020-02-03"), actor="auditor")
    trail = read.activities.trail(runtime.fresh(), "AG-1")
    kinds = [e["kind"] for e in trail["events"]]
    assert kinds == ["scheduled", "held", "published", "withdrawn"]
    published = trail["events"][2]
    assert published["withdrawn"] and published["withdrawn_by"] == "auditor"
    assert published["withdrawn_reason"] == "tautan salah"
    assert published["evidence_ref"] == "AG-1/published"
    assert trail["events"][3]["target_positions"] == [published["position"]]
    assert read.activities.trail(runtime.db, "AG-404") is None


def test_audit_log_is_in_recording_order_filtered_and_paged(runtime):
    held_activity(runtime, "AG-1", "2020-02-01T09:00", ["published"])
    held_activity(runtime, "AG-2", "2020-02-02T09:00", ["documented"])
    db = runtime.fresh()
    everything = read.audit.audit_log(db, limit=100)["rows"]
    assert [r["position"] for r in everything] == sorted(r["position"] for r in everything)
    assert len(everything) == 6
    page1 = read.audit.audit_log(db, limit=4)
    page2 = read.audit.audit_log(db, limit=4, after=page1["next_after"])
    assert [r["position"] for r in page1["rows"] + page2["rows"]] == [r["position"] for r in everything]
    assert page2["next_after"] is None
    assert {r["actor"] for r in read.audit.audit_log(db, actor="budi", limit=50)["rows"]} == {"budi"}
    assert [r["kind"] for r in read.audit.audit_log(db, kind="held", limit=50)["rows"]] == ["held", "held"]
    assert {r["reference"] for r in read.audit.audit_log(db, reference="AG-2", limit=50)["rows"]} == {"AG-2"}
    recorded = everything[2]["recorded_at"]
    assert read.audit.audit_log(db, recorded_from=recorded, recorded_to=recorded, limit=50)["rows"][0]["position"] == \
        everything[2]["position"]


def test_another_read_model_catches_up_with_writes_it_did_not_make(runtime, tmp_path):
    held_activity(runtime, "AG-1", "2020-02-01T09:00")
    elsewhere = open_readmodel(tmp_path / "elsewhere.sqlite3")  # another node's read model, same store
    follower = Follower(runtime.log, elsewhere)
    assert follower.lag() == 2
    assert follower.catch_up().applied == 2
    held_activity(runtime, "AG-2", "2020-02-02T09:00")
    assert follower.lag() == 2
    assert follower.catch_up().applied == 2
    assert follower.catch_up().applied == 0
    assert as_kinds(counting.indicator_counts(elsewhere, parse_period("2020"), now(), SEED))["held"] == 2
    elsewhere.close()


def test_two_processes_sharing_a_data_dir_apply_each_event_once(tmp_path):
    writer = Runtime(tmp_path / "data", database_url="")
    reader = Runtime(tmp_path / "data", database_url="")
    held_activity(writer, "AG-1", "2020-02-01T09:00")
    assert reader.follower.lag() == 0  # the writer's catch-up already moved the shared position
    assert reader.follower.catch_up().applied == 0
    assert counts(reader, "2020")["held"] == 1
    writer.close()
    reader.close()


def test_reopening_a_data_dir_catches_up_on_start(tmp_path):
    first = Runtime(tmp_path / "data", database_url="")
    held_activity(first, "AG-1", "2020-02-01T09:00")
    first.close()
    (tmp_path / "data" / "readmodel.sqlite3").unlink()
    for suffix in ("-wal", "-shm"):
        (tmp_path / "data" / f"readmodel.sqlite3{suffix}").unlink(missing_ok=True)
    second = Runtime(tmp_path / "data", database_url="")
    assert second.follower.position() == 2
    assert counts(second, "2020")["held"] == 1
    second.close()


def test_an_unknown_event_stops_the_follower_loudly(runtime, monkeypatch):
    from projections import readmodel

    held_activity(runtime, "AG-1", "2020-02-01T09:00")
    position = runtime.follower.position()
    monkeypatch.delitem(readmodel.HANDLERS, next(k for k in readmodel.HANDLERS if k.__name__ == "Held"))
    with pytest.raises(ProjectionError):
        runtime.follower.rebuild()
    assert runtime.follower.position() == position  # the failed rebuild rolled back: old model intact
    assert counts(runtime, "2020")["held"] == 1


def test_period_query_uses_the_held_index(runtime):
    plan = " ".join(
        row["detail"] for row in runtime.db.query(
            "EXPLAIN QUERY PLAN " + counting.HELD_IN_PERIOD,
            {"start": "2020-01-01", "end": "2020-03-31", "as_of": "9999"},
        )
    )
    assert "events_held_by_date" in plan


def test_monthly_trend_equals_a_report_per_month(runtime):

    held_activity(runtime, "AG-1", "2020-01-31T23:30", ["published"])
    held_activity(runtime, "AG-2", "2020-02-01T00:30", ["documented"])
    held_activity(runtime, "AG-3", "2020-02-10T09:00")
    db = runtime.fresh()
    trend = reports.monthly_trend(db, 2020, now(), "id")
    for month_number, item in enumerate(trend, start=1):
        expected = reports.report(db, parse_period(f"2020-{month_number:02d}"), now(), "id", stated=False)
        contract = ("code", "numerator", "denominator", "percent")  # the chart reads figures, not names
        assert [{k: i[k] for k in contract} for i in item["indicators"]] == \
            [{k: i[k] for k in contract} for i in expected["indicators"]], month_number
        assert item["period"] == expected["period"]
