"""The audit log as queried: the WIB day bounds of a recording-date filter, keyset paging both ways in both
orders (filters kept on every page), the rows' decoded fields, and the kinds the log holds."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from domain.times import UTC, end_of_day, parse_instant, start_of_day
from projections import read
from tests.conftest import SteppingClock, open_runtime

T = parse_instant


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock(start=datetime(2021, 1, 1, tzinfo=UTC))


@pytest.fixture
def runtime(tmp_path, clock):
    with open_runtime("sqlite", tmp_path / "data", clock=clock) as opened:
        yield opened


def recorded_at(clock, moment: str):
    """The next event is recorded at `moment` (WIB unless it says otherwise)."""
    clock.current = T(moment) - clock.step


def schedule(runtime, reference, actor="siti"):
    runtime.record("scheduled", reference, title=f"Kegiatan {reference}", leaders=["walikota", "sekda"],
                   location="Balai", occurred_at=T("2020-12-01T09:00"), actor=actor)


def positions(page):
    return [row["position"] for row in page["rows"]]


def log(db, **question):
    return read.audit.audit_log(db, **{"limit": 50, **question})


def test_recording_day_filter_takes_whole_wib_days_and_nothing_either_side(runtime, clock):
    moments = ["2021-03-01T23:59", "2021-03-01T23:59:59.999999", "2021-03-02T00:00", "2021-03-03T23:59",
               "2021-03-03T23:59:59.999999", "2021-03-04T00:00"]
    for number, moment in enumerate(moments, start=1):
        recorded_at(clock, moment)
        schedule(runtime, f"AG-{number}")
    db = runtime.fresh()
    found = log(db, recorded_from=start_of_day(date(2021, 3, 2)), recorded_to=end_of_day(date(2021, 3, 3)))
    assert [row["reference"] for row in found["rows"]] == ["AG-3", "AG-4", "AG-5"]
    one_day = log(db, recorded_from=start_of_day(date(2021, 3, 4)), recorded_to=end_of_day(date(2021, 3, 4)))
    assert [row["reference"] for row in one_day["rows"]] == ["AG-6"]
    assert [row["reference"] for row in log(db, recorded_to=end_of_day(date(2021, 3, 1)))["rows"]] == ["AG-1", "AG-2"]
    assert [row["reference"] for row in log(db, recorded_from=start_of_day(date(2021, 3, 3)))["rows"]] == [
        "AG-4", "AG-5", "AG-6"]


@pytest.fixture
def seven(runtime):
    """Seven activities scheduled one after another: log positions 1 to 7."""
    for number in range(1, 8):
        schedule(runtime, f"AG-{number}")
    return runtime.fresh()


@pytest.mark.parametrize(("question", "rows", "next_after", "prev_before"), [
    ({}, [1, 2], 2, None),
    ({"after": 2}, [3, 4], 4, 3),
    ({"after": 5}, [6, 7], None, 6),
    ({"after": 6}, [7], None, 7),
    ({"after": 7}, [], None, None),
    ({"before": 5}, [3, 4], 4, 3),
    ({"before": 4}, [2, 3], 3, 2),
    ({"before": 3}, [1, 2], 2, None),  # back at the start: the first page, full
    ({"before": 2}, [1, 2], 2, None),
    ({"before": 100}, [6, 7], None, 6),  # a cursor past the end: the last page, with nothing after it
])
def test_oldest_first_pages_and_their_cursors(seven, question, rows, next_after, prev_before):
    page = read.audit.audit_log(seven, limit=2, **question)
    assert (positions(page), page["next_after"], page["prev_before"]) == (rows, next_after, prev_before)


@pytest.mark.parametrize(("question", "rows", "next_after", "prev_before"), [
    ({}, [7, 6], 6, None),
    ({"after": 6}, [5, 4], 4, 5),
    ({"after": 3}, [2, 1], None, 2),
    ({"after": 2}, [1], None, 1),
    ({"before": 3}, [5, 4], 4, 5),
    ({"before": 4}, [6, 5], 5, 6),
    ({"before": 5}, [7, 6], 6, None),
])
def test_newest_first_pages_and_their_cursors(seven, question, rows, next_after, prev_before):
    page = read.audit.audit_log(seven, limit=2, newest_first=True, **question)
    assert (positions(page), page["next_after"], page["prev_before"]) == (rows, next_after, prev_before)


def test_paging_a_filtered_log_looks_only_at_the_rows_that_match(runtime):
    for number in range(1, 8):
        schedule(runtime, f"AG-{number}", actor="budi" if number in (2, 4, 6) else "siti")
    db = runtime.fresh()
    budi = {"actor": "budi", "limit": 1}
    assert [(positions(p), p["next_after"], p["prev_before"]) for p in (
        read.audit.audit_log(db, **budi),
        read.audit.audit_log(db, after=1, **budi),
        read.audit.audit_log(db, after=2, **budi),
        read.audit.audit_log(db, after=4, **budi),
        read.audit.audit_log(db, before=6, **budi),
        read.audit.audit_log(db, before=5, **budi),
        read.audit.audit_log(db, after=5, newest_first=True, **budi),
        read.audit.audit_log(db, after=7, newest_first=True, **budi),
        read.audit.audit_log(db, before=5, newest_first=True, **budi),
    )] == [
        ([2], 2, None),
        ([2], 2, None),  # nothing of budi's before position 2
        ([4], 4, 4),
        ([6], None, 6),  # nothing of budi's after 6, though position 7 exists
        ([4], 4, 4),
        ([4], 4, 4),
        ([4], 4, 4),
        ([6], 6, None),  # nothing of budi's after 6 in newest-first order, though position 7 exists
        ([6], 6, None),
    ]


def test_each_filter_keeps_only_its_rows(runtime):
    schedule(runtime, "AG-1")
    schedule(runtime, "AG-2", actor="budi")
    runtime.record("held", "AG-1", occurred_at=T("2020-12-01T09:00"), actor="budi")
    runtime.record("held", "AG-2", occurred_at=T("2020-12-01T09:00"), actor="siti")
    db = runtime.fresh()
    assert positions(log(db)) == [1, 2, 3, 4]
    assert positions(log(db, actor="budi")) == [2, 3]
    assert positions(log(db, kind="held")) == [3, 4]
    assert positions(log(db, reference=" AG-2 ")) == [2, 4]
    assert positions(log(db, actor="siti", kind="held", reference="AG-2")) == [4]
    assert positions(log(db, actor="", kind="", reference="")) == [1, 2, 3, 4]


def test_rows_carry_decoded_times_lists_targets_and_file_names(runtime, clock):
    recorded_at(clock, "2021-03-02T08:00")
    schedule(runtime, "AG-1")
    runtime.record("held", "AG-1", occurred_at=T("2021-02-01T10:00"), actor="siti")
    runtime.record("published", "AG-1", occurred_at=T("2021-02-01T11:00"), channel="web", evidence_ref="u",
                   actor="budi")
    batch = runtime.batch()
    batch.attach("AG-1", "published", sha256="ab" * 32, name="foto.jpg", size=10, media_type="image/jpeg",
                 occurred_at=T("2021-02-01T12:00"), actor="budi")
    runtime.commit(batch)
    runtime.record("withdrawn", "AG-1", withdrawn_kind="published", reason="tautan salah",
                   occurred_at=T("2021-02-02T09:00"), actor="auditor")
    runtime.applied(runtime.log.set_target(2021, "published", "80", reason="Renstra", actor="kabag"))
    runtime.record("documented", "AG-1", occurred_at=T("2021-02-01T11:00"), channel="foto", evidence_ref="F",
                   actor="budi")
    batch = runtime.batch()
    batch.attach("AG-1", "documented", sha256="cd" * 32, name="foto-2.jpg", size=10, media_type="image/jpeg",
                 occurred_at=T("2021-02-01T12:00"), actor="budi")
    runtime.commit(batch)
    assert [r["file_name"] for r in log(runtime.fresh())["rows"] if r["kind"] == "attached"] == [
        "foto.jpg", "foto-2.jpg"]
    rows = log(runtime.fresh())["rows"][:6]
    assert [(r["kind"], r["of_activity"], r["withdrawn"], r["file_name"]) for r in rows] == [
        ("scheduled", True, False, None),
        ("held", True, False, None),
        ("published", True, True, None),
        ("attached", True, False, "foto.jpg"),
        ("withdrawn", True, False, None),
        ("target_set", False, False, None),
    ]
    scheduled, held, published, attached, withdrawn, target = rows
    assert scheduled["leaders"] == ["walikota", "sekda"] and held["leaders"] == []
    assert scheduled["recorded_at"] == T("2021-03-02T08:00")
    assert held["occurred_at"] == T("2021-02-01T10:00")
    assert published["withdrawn_at"] == T("2021-03-02T08:04") and published["withdrawn_position"] == 5
    assert held["withdrawn_at"] is None
    assert withdrawn["targets"] == [published["version"]] and published["targets"] == []
    assert attached["targets"] == [published["version"]]


def test_rows_without_an_attachment_on_the_page_have_no_file_name_key(runtime):
    schedule(runtime, "AG-1")
    assert "file_name" not in log(runtime.fresh())["rows"][0]


def test_audit_kinds_lists_each_kind_the_log_holds_once_in_order(runtime):
    assert read.audit.audit_kinds(runtime.fresh()) == []
    schedule(runtime, "AG-2")
    schedule(runtime, "AG-1")
    runtime.record("held", "AG-1", occurred_at=T("2020-12-01T09:00"), actor="siti")
    runtime.record("cancelled", "AG-2", reason="hujan", occurred_at=T("2020-12-01T08:00"), actor="siti")
    runtime.applied(runtime.log.set_target(2021, "published", "80", reason="Renstra", actor="kabag"))
    assert read.audit.audit_kinds(runtime.fresh()) == ["cancelled", "held", "scheduled", "target_set"]


def test_one_event_per_day_filter_bound_reaches_the_last_microsecond(runtime, clock):
    recorded_at(clock, "2021-03-02T23:59:59.999999")
    schedule(runtime, "AG-1")
    db = runtime.fresh()
    day = date(2021, 3, 2)
    assert positions(log(db, recorded_from=start_of_day(day), recorded_to=end_of_day(day))) == [1]
    assert positions(log(db, recorded_to=end_of_day(day) - timedelta(microseconds=1))) == []
    assert positions(log(db, recorded_from=end_of_day(day) + timedelta(microseconds=1))) == []


@pytest.mark.parametrize(("question", "first_page"), [
    ({"recorded_from": T("2021-03-02T00:00")}, [2, 3]),
    ({"recorded_to": T("2021-03-02T23:59:59.999999"), "newest_first": True}, [3, 2]),
    ({"actor": "budi"}, [2, 4]),
    ({"kind": "held"}, [5, 6]),
    ({"reference": "AG-2"}, [2, 6]),
    ({"newest_first": True}, [7, 6]),
    ({"newest_first": True, "kind": "scheduled"}, [4, 3]),
])
def test_paging_back_to_the_start_gives_the_first_page_of_the_same_question(runtime, clock, question,
                                                                             first_page):
    for reference, actor, day in [("AG-1", "siti", "01"), ("AG-2", "budi", "02"), ("AG-3", "siti", "02"),
                                  ("AG-4", "budi", "03")]:
        recorded_at(clock, f"2021-03-{day}T12:00")
        schedule(runtime, reference, actor=actor)
    runtime.record("held", "AG-1", occurred_at=T("2020-12-01T09:00"), actor="siti")
    runtime.record("held", "AG-2", occurred_at=T("2020-12-01T09:00"), actor="siti")
    runtime.record("cancelled", "AG-3", reason="hujan", occurred_at=T("2020-12-01T08:00"), actor="siti")
    db = runtime.fresh()
    first = read.audit.audit_log(db, limit=2, **question)
    assert (positions(first), first["prev_before"]) == (first_page, None)
    back = read.audit.audit_log(db, before=first_page[1], limit=2, **question)
    assert back == first
