"""Property tests over random event histories: the read model agrees with the oracle, as of any moment,
and replaying (rebuild, or stopping and restarting the follower anywhere) gives the same read model."""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.periods import date_range, parse_period
from domain.times import UTC, WIB, now
from projections import counting
from projections.catchup import Follower
from projections.db import open_readmodel
from services import bundle, bundleverify
from tests.conftest import SteppingClock, open_runtime
from tests.projections.oracle import oracle_counts, oracle_dates, oracle_state, stored_events

REFERENCES = [f"AG-2020-{n:04d}" for n in range(1, 5)]
ANY_KIND = ["scheduled", "rescheduled", "held", "cancelled", "published", "documented", "protocol_served", "excluded",
            "withdrawn"]
URLS = ["https://a", "https://b", "ARSIP/1"]
#: the leaders an activity is scheduled or rescheduled with (every subset the rules tell apart)
LEADER_SETS = [["walikota"], ["wakil_walikota"], ["sekda"], ["walikota", "sekda"], ["wakil_walikota", "sekda"],
               ["walikota", "wakil_walikota", "sekda"]]
#: channels, in the cases a channel list compares them (trimmed, ASCII letters in any case)
CHANNELS = ["website", "Website", "media online", "instagram", "foto", "FOTO"]
#: beside the seed, an indicator of one leader's activities on some channels, and one of two leaders' without
#: exclusions: the counting rule's data at its edges
EXTRA_DEFINITIONS = [
    {"code": "walikota_daring", "numerator_kind": "published", "name": "Prosentase kegiatan Walikota yang"
     " dipublikasikan di media daring", "definition": "d", "formula": "f", "channels": "website; media online",
     "leaders": "walikota", "exclusion_reasons": "tertutup", "effective_from": "2020"},
    {"code": "foto_wakil_sekda", "numerator_kind": "documented", "name": "Foto kegiatan Wakil Walikota dan Sekda",
     "definition": "d", "formula": "f", "channels": "foto", "leaders": "wakil_walikota;sekda",
     "exclusion_reasons": "", "effective_from": "2020"},
]
INDICATOR_CODES = ["published", "documented", "protocol_served", "walikota_daring", "foto_wakil_sekda"]
REASONS = ["tertutup", "diwakilkan", "bukan_kegiatan_pimpinan"]

#: days of 2020 where the periods meet: 31 March / 1 April, 30 June / 1 July, 30 September / 1 October, 31 December
EDGE_DAYS = [90, 91, 181, 182, 273, 274, 365]
#: minutes of the WIB day at and next to midnight (and a few ordinary ones)
EDGE_MINUTES = [0, 1, 2, 30, 720, 1410, 1437, 1438, 1439]
#: the zones people write times in: UTC-5, UTC, UTC+5:30, WIB, WITA, WIT, UTC+10 (minutes east of UTC)
OFFSETS = [-300, 0, 330, 420, 480, 540, 600]

operation = st.tuples(
    st.integers(0, len(REFERENCES) - 1),
    st.integers(0, 99),                     # which step to try (mostly a valid next step, sometimes anything)
    # day of 2020: half the time a day where quarters meet, so several activities fall on one WIB day
    st.one_of(st.sampled_from(EDGE_DAYS), st.integers(80, 365)),
    st.one_of(st.sampled_from(EDGE_MINUTES), st.integers(0, 1439)),  # minute of the WIB day
    st.sampled_from(OFFSETS),               # the zone the moment is written in (the same instant)
    st.sampled_from(URLS),
    st.sampled_from(["held", "cancelled", "published", "documented", "protocol_served", "excluded"]),
    st.booleans(),                          # withdraw by reference?
    st.integers(1, 600),                    # minutes until the next recording
    st.integers(0, 89),                     # leaders, channel, and an exclusion's indicator and reason
)
history = st.lists(operation, min_size=12, max_size=60)


def next_kind(status: str | None, choice: int, withdrawn_kind: str) -> tuple[str, str]:
    """A step that is usually valid for the activity's status; 1 in 10 is any kind at all (refused or not)."""
    if choice >= 90:
        return ANY_KIND[choice % len(ANY_KIND)], withdrawn_kind
    if status is None:
        return "scheduled", withdrawn_kind
    if status == "scheduled":
        return ("held", "held", "held", "held", "held", "cancelled", "rescheduled", "withdrawn")[choice % 8], "held"
    if status == "cancelled":  # withdraw the cancellation, or move the date (and then withdraw it)
        return ("withdrawn", "rescheduled")[choice % 2], "cancelled"
    return ("published", "published", "documented", "protocol_served", "excluded", "withdrawn")[choice % 6], \
        withdrawn_kind


def define_extra_indicators(runtime) -> None:
    for values in EXTRA_DEFINITIONS:
        runtime.applied(runtime.log.define_indicator(values, reason="uji", actor="admin"))


def indicators_under_test(runtime):
    return runtime.log.indicators(2020)


def record_history(runtime, clock: SteppingClock, ops) -> None:
    define_extra_indicators(runtime)
    status: dict[str, str | None] = {}
    for op in ops:
        record_step(runtime, clock, op, status)


def record_step(runtime, clock: SteppingClock, op, status: dict[str, str | None]) -> None:
    """One step of an activity, usually valid for its status (kept in `status` from step to step); a refused
    one stores nothing, so the history stays valid."""
    ref_index, choice, day, minute, offset, url, withdrawn_kind, by_ref, gap, variant = op
    clock.step = timedelta(minutes=gap)
    reference = REFERENCES[ref_index]
    kind, withdrawn_kind = next_kind(status.get(reference), choice, withdrawn_kind)
    occurred = (datetime(2020, 1, 1, tzinfo=WIB) + timedelta(days=day, minutes=minute)).astimezone(
        timezone(timedelta(minutes=offset)))
    fields: dict = {"occurred_at": occurred, "actor": "op"}
    if kind == "scheduled":
        fields.update(title="Kegiatan", leaders=LEADER_SETS[variant % len(LEADER_SETS)], location="Balai")
    elif kind == "rescheduled" and variant % 2:
        fields.update(leaders=LEADER_SETS[variant % len(LEADER_SETS)])
    elif kind in ("published", "documented", "protocol_served"):
        fields.update(channel=CHANNELS[variant % len(CHANNELS)], evidence_ref=url)
    elif kind == "excluded":
        fields.update(indicator=INDICATOR_CODES[variant % len(INDICATOR_CODES)],
                      exclusion_reason=REASONS[variant // len(INDICATOR_CODES) % len(REASONS)], note="rapat tertutup")
    elif kind == "withdrawn":
        reference_withdrawn = INDICATOR_CODES[variant % len(INDICATOR_CODES)] if withdrawn_kind == "excluded" else url
        fields = {"withdrawn_kind": withdrawn_kind, "evidence_ref": reference_withdrawn if by_ref else "",
                  "reason": "keliru", "occurred_at": occurred, "actor": "auditor"}
    elif kind == "cancelled":
        fields["reason"] = "batal"
    try:
        runtime.record(kind, reference, **fields)
    except DomainError:
        return
    if kind in ("scheduled", "held", "cancelled"):
        status[reference] = kind
    elif kind == "withdrawn" and withdrawn_kind in ("held", "cancelled"):
        status[reference] = "scheduled"


def dump(db) -> tuple[list, list]:
    return (list(db.query("SELECT * FROM events ORDER BY position")),
            list(db.query("SELECT * FROM activities ORDER BY activity_id")))


PERIODS = [parse_period(code) for code in ("2020", "2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4", "2020-S1", "2020-S2",
                                           "2020-03", "2020-04", "2020-06", "2020-07", "2020-09", "2020-10", "2020-12")]


def check_against_oracle(runtime, data, extra_periods) -> None:
    events = stored_events(runtime.log)
    moments = [event.timestamp for event in events]
    # Every recording moment, and the instant just before it: as-of is inclusive, withdrawals apply from then.
    probes = [None, *moments, *(m - timedelta(microseconds=1) for m in moments)]
    db = runtime.fresh()
    current = {row["reference"]: {"status": row["status"], "published": row["n_published"],
                                  "documented": row["n_documented"], "protocol_served": row["n_protocol_served"]}
               for row in db.query("SELECT * FROM activities")}
    assert current == oracle_state(events)
    dates = {row["reference"]: {"planned_date": row["planned_date"], "held_date": row["held_date"]}
             for row in db.query("SELECT * FROM activities")}
    assert dates == oracle_dates(events)
    indicators = indicators_under_test(runtime)
    assert [i.code for i in indicators] == INDICATOR_CODES
    for period in PERIODS + extra_periods:
        for as_of in probes:
            expected = oracle_counts(events, period.start, period.end, as_of or datetime.now(tz=UTC), indicators)
            got = counting.indicator_counts(db, period, (as_of or now()), indicators)
            assert got == expected, (period, as_of)


def check_bundles_recount(runtime, ranges, stop_at: int) -> None:
    """The verifier every bundle carries (services/bundleverify.py, a third statement of the counting rule) recounts
    the report's figures from the bundle's events alone, and proves each event in the log: for the year as of
    now, and for a drawn range (or a quarter) as of a recording moment of the history (or just before it)."""
    events = stored_events(runtime.log)
    if not events:
        return
    moment = events[stop_at % len(events)].timestamp - timedelta(microseconds=stop_at % 2)
    db = runtime.fresh()
    for period, as_of in [(parse_period("2020"), None), (ranges[0] if ranges else parse_period("2020-Q2"), moment)]:
        data = bundle.build(db, period, as_of or now(), log=runtime.log, stated=as_of is not None)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            files = {name: archive.read(name) for name in archive.namelist()}
        assert bundleverify.check(files, say=lambda _line: None) == [], (period, as_of)


random_range = st.tuples(st.integers(80, 365), st.integers(0, 40)).map(
    lambda t: date_range(date(2020, 1, 1) + timedelta(days=t[0]), date(2020, 1, 1) + timedelta(days=t[0] + t[1]))
)


def run_property(backend: str, ops, ranges, batch_size: int, stop_at: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clock = SteppingClock()
        with open_runtime(backend, Path(tmp) / "data", clock=clock) as runtime:
            record_history(runtime, clock, ops)
            check_against_oracle(runtime, None, ranges)
            check_bundles_recount(runtime, ranges, stop_at)
            incremental = dump(runtime.fresh())

            # A second read model that stops part-way, is closed, and restarts from its tracking position.
            other = Path(tmp) / "other.sqlite3"
            head = runtime.follower.head()
            first = Follower(runtime.log, open_readmodel(other), batch_size=batch_size)
            first.catch_up(until=min(stop_at, head))
            assert first.position() == min(stop_at, head)
            first.db.close()
            restarted = Follower(runtime.log, open_readmodel(other), batch_size=batch_size)
            restarted.catch_up()
            assert restarted.position() == head
            assert dump(restarted.db) == incremental
            restarted.catch_up()  # nothing new: applying again must change nothing
            assert dump(restarted.db) == incremental
            restarted.db.close()

            runtime.rebuild()
            assert dump(runtime.db) == incremental

            # A rebuild in small batches that remembers only one activity row from batch to batch.
            from projections import catchup

            keep, catchup.REBUILD_KEEP = catchup.REBUILD_KEEP, 1
            try:
                rebuilt = Follower(runtime.log, open_readmodel(Path(tmp) / "rebuilt.sqlite3"), batch_size=batch_size)
                rebuilt.rebuild()
                assert dump(rebuilt.db) == incremental
                rebuilt.db.close()
            finally:
                catchup.REBUILD_KEEP = keep


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=history, ranges=st.lists(random_range, max_size=3), batch_size=st.integers(1, 7),
       stop_at=st.integers(0, 60))
def test_projection_matches_oracle_and_replays_identically_on_sqlite(ops, ranges, batch_size, stop_at):
    run_property("sqlite", ops, ranges, batch_size, stop_at)


@pytest.mark.postgres
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=history, ranges=st.lists(random_range, max_size=2), batch_size=st.integers(1, 7),
       stop_at=st.integers(0, 60))
def test_projection_matches_oracle_and_replays_identically_on_postgres(ops, ranges, batch_size, stop_at):
    run_property("postgres", ops, ranges, batch_size, stop_at)
