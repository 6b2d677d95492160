"""Property tests of the bulk import (`csvimport.store_file`) over random histories written as CSV files: it
stores exactly the events that recording the same rows one command at a time stores, split over any number
of chunks and files, and the read model it leaves agrees with the oracle; a file refused at its last row
stores nothing, after any number of chunks were handed to the open transaction."""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.times import UTC, WIB
from projections import chain
from services import csvimport
from tests.conftest import SteppingClock, open_runtime
from tests.projections.test_property import (
    CHANNELS,
    INDICATOR_CODES,
    LEADER_SETS,
    REASONS,
    REFERENCES,
    check_against_oracle,
    define_extra_indicators,
    dump,
    history,
    next_kind,
)

START = datetime(2021, 1, 1, tzinfo=UTC)
STEP = timedelta(minutes=7)


def csv_row(op, status: dict[str, str | None]) -> dict[str, str]:
    """The CSV row of one drawn step (the contract's columns), usually valid for the activity's status."""
    ref_index, choice, day, minute, offset, url, withdrawn_kind, by_ref, _gap, variant = op
    reference = REFERENCES[ref_index]
    kind, withdrawn_kind = next_kind(status.get(reference), choice, withdrawn_kind)
    occurred = (datetime(2020, 1, 1, tzinfo=WIB) + timedelta(days=day, minutes=minute)).astimezone(
        timezone(timedelta(minutes=offset)))
    row = dict.fromkeys(csvimport.COLUMNS, "")
    row.update(activity=reference, event=kind, occurred_at=occurred.isoformat())
    if kind in ("scheduled", "rescheduled"):
        row.update(title="Kegiatan", leaders=";".join(LEADER_SETS[variant % len(LEADER_SETS)]), location="Balai")
    elif kind in ("published", "documented", "protocol_served"):
        row.update(channel=CHANNELS[variant % len(CHANNELS)], reference=url)
    elif kind == "excluded":
        row.update(reference=INDICATOR_CODES[variant % len(INDICATOR_CODES)],
                   channel=REASONS[variant // len(INDICATOR_CODES) % len(REASONS)], note="rapat tertutup")
    elif kind == "withdrawn":
        withdrawn = INDICATOR_CODES[variant % len(INDICATOR_CODES)] if withdrawn_kind == "excluded" else url
        row.update(channel=withdrawn_kind, reference=withdrawn if by_ref else "", note="keliru")
    elif kind == "cancelled":
        row.update(note="batal")
    return row


def record(runtime, row: dict[str, str]) -> bool:
    """Record one row as its own command (the reference path); whether the domain took it."""
    kind = row["event"]
    try:
        runtime.record(kind, row["activity"], actor="op", **csvimport._fields(kind, row))
    except DomainError:
        return False
    return True


def accepted_rows(runtime, ops) -> list[dict[str, str]]:
    """The drawn rows the domain takes, one command at a time (refused ones are left out)."""
    status: dict[str, str | None] = {}
    kept = []
    for op in ops:
        row = csv_row(op, status)
        if record(runtime, row):
            kept.append(row)
            kind = row["event"]
            if kind in ("scheduled", "held", "cancelled"):
                status[row["activity"]] = kind
            elif kind == "withdrawn" and row["channel"] in ("held", "cancelled"):
                status[row["activity"]] = "scheduled"
    return kept


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=csvimport.COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def stored(runtime) -> list[tuple]:
    page = runtime.log.recorder.select_notifications(0, 100_000, inclusive_of_start=False)
    return [(n.id, n.originator_id, n.originator_version, n.topic, n.state) for n in page]


def run_bulk_property(backend: str, ops, chunk: int, split: int, bad_kind: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        with open_runtime(backend, tmp_path / "probe") as probe:
            define_extra_indicators(probe)
            rows = accepted_rows(probe, ops)
        # The reference: the accepted rows recorded one command at a time, on a clock that ticks once a command.
        with open_runtime(backend, tmp_path / "one", clock=SteppingClock(START, STEP)) as one:
            define_extra_indicators(one)
            for row in rows:
                assert record(one, row), row
            expected, expected_model = stored(one), dump(one.fresh())

        cut = split % (len(rows) + 1)
        keep, csvimport.CHUNK = csvimport.CHUNK, chunk
        try:
            # The same rows imported in bulk as two files (the second into a store that holds the first).
            with open_runtime(backend, tmp_path / "bulk", clock=SteppingClock(START, STEP)) as bulk:
                define_extra_indicators(bulk)
                for part, name in ((rows[:cut], "a.csv"), (rows[cut:], "b.csv")):
                    result, recorded = csvimport.store_file(bulk, write_csv(tmp_path / name, part), "op")
                    assert result.ok and recorded is not None, [e.message() for e in result.errors]
                    assert len(recorded.positions) == len(part) == result.events
                    bulk.applied(recorded)
                assert stored(bulk) == expected
                assert dump(bulk.fresh()) == expected_model
                check_against_oracle(bulk, None, [])

                # A file refused at its last row stores nothing, whatever was handed over in chunks before it.
                before, model = stored(bulk), dump(bulk.fresh())
                bad = [{**dict.fromkeys(csvimport.COLUMNS, ""), "activity": "AG-BARU", "event": "scheduled",
                        "occurred_at": "31/03/2020 09:00", "title": "Lagi", "leaders": "walikota",
                        "location": "Balai"},
                       {**dict.fromkeys(csvimport.COLUMNS, ""), "activity": "AG-TIDAK-ADA", "event": "held",
                        "occurred_at": "2020-05-05T09:00:00+07:00"}][bad_kind % 2]
                fresh = [{**row, "activity": row["activity"] + "-B"} for row in rows]
                result, recorded = csvimport.store_file(bulk, write_csv(tmp_path / "c.csv", [*fresh, bad]), "op")
                assert recorded is None and len(result.errors) == 1
                assert result.errors[0].line == len(fresh) + 2
                assert stored(bulk) == before
                assert dump(bulk.fresh()) == model
                assert chain.verify(bulk.log, bulk.fresh()).ok
        finally:
            csvimport.CHUNK = keep


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=history, chunk=st.integers(1, 7), split=st.integers(0, 60), bad_kind=st.integers(0, 1))
def test_bulk_import_stores_what_one_command_at_a_time_stores_on_sqlite(ops, chunk, split, bad_kind):
    run_bulk_property("sqlite", ops, chunk, split, bad_kind)


@pytest.mark.postgres
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=history, chunk=st.integers(1, 7), split=st.integers(0, 60), bad_kind=st.integers(0, 1))
def test_bulk_import_stores_what_one_command_at_a_time_stores_on_postgres(ops, chunk, split, bad_kind):
    run_bulk_property("postgres", ops, chunk, split, bad_kind)
