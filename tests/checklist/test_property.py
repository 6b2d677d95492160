"""Property test over random histories of held activities, checklist documents, not-applicable marks, kind
changes, link checks and every withdrawal among them: completeness per period as of every recording moment,
and each link's state, agree with a plain-Python oracle (tests/checklist/oracle.py); the read model replays
to the same rows."""

from __future__ import annotations

import hashlib
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.periods import date_range, parse_period
from domain.times import UTC, WIB
from projections import read
from tests.checklist import oracle
from tests.conftest import SteppingClock, assert_data_dir_sound, open_runtime
from tests.projections.oracle import stored_events

REFERENCES = [f"AG-{n}" for n in range(1, 5)]
LEADER_SETS = [["walikota"], ["wakil_walikota"], ["sekda"], ["walikota", "sekda"], ["wakil_walikota", "sekda"]]
CODES = ["undangan", "surat_tugas", "naskah_sambutan", "foto", "video", "laporan", "notulen", "bukan"]
FILES = ["a", "b"]
URLS = ["https://portal.example/berita/1", "https://portal.example/berita/2"]
#: 2020's days where quarters meet (31 March / 1 April, 30 June / 1 July) and WIB midnight's minutes
EDGE_DAYS = [90, 91, 181, 182]
EDGE_MINUTES = [0, 1, 1438, 1439]
OFFSETS = [0, 420, -300]
#: what a check may answer: (status, error, digest of the page)
ANSWERS = [(200, "", "p1"), (200, "", "p2"), (404, "", ""), (410, "", ""), (0, "timeout", ""),
           (200, "too_large", ""), (0, "private_address", ""), (301, "too_many_redirects", "")]

operation = st.tuples(
    # the checklist's steps and their withdrawals drawn most often
    st.sampled_from(["hold", "unhold", "attach", "attach", "attach", "na", "na", "withdraw_file", "withdraw_file",
                     "withdraw_kind", "withdraw_na", "withdraw_na", "define", "retire", "publish", "unpublish", "check",
                     "check"]),
    st.integers(0, len(REFERENCES) - 1),
    st.one_of(st.integers(0, 3), st.integers(0, len(CODES) - 1)),  # mostly a kind every leader needs
    st.integers(0, len(FILES) - 1),
    st.one_of(st.sampled_from(EDGE_DAYS), st.integers(80, 200)),
    st.sampled_from(EDGE_MINUTES),
    st.sampled_from(OFFSETS),
    st.integers(0, len(LEADER_SETS) - 1),
    st.integers(0, len(ANSWERS) - 1),
    st.integers(1, 300),  # minutes to the next recording
)
history = st.lists(operation, min_size=10, max_size=45)
random_range = st.tuples(st.integers(80, 200), st.integers(0, 40)).map(
    lambda t: date_range(date(2020, 1, 1) + timedelta(days=t[0]), date(2020, 1, 1) + timedelta(days=t[0] + t[1])))


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def moment(day: int, minute: int, offset: int) -> datetime:
    wib = datetime(2020, 1, 1, tzinfo=WIB) + timedelta(days=day, minutes=minute)
    return wib.astimezone(timezone(timedelta(minutes=offset)))


def kept(runtime, reference: str, kind: str, choice: int) -> str:
    """The reference of one of the activity's valid checklist facts of `kind` (empty: none), so that most drawn
    withdrawals take something back."""
    refs = [row["evidence_ref"] for row in runtime.fresh().query(
        "SELECT evidence_ref FROM events WHERE reference = ? AND kind = ? AND withdrawn_position IS NULL"
        " ORDER BY position", [reference, kind])]
    return refs[choice % len(refs)] if refs else ""


def record(runtime, clock: SteppingClock, op) -> None:
    kind, ref_i, code_i, file_i, day, minute, offset, leaders_i, answer_i, gap = op
    reference, code, file = REFERENCES[ref_i], CODES[code_i], FILES[file_i]
    clock.advance(timedelta(minutes=gap))
    batch = runtime.batch()
    found = read.activities.activity(runtime.fresh(), reference)
    try:
        if found is None:  # every step starts from a held activity (most steps need one)
            batch.schedule(reference=reference, title="Rapat", leaders=LEADER_SETS[leaders_i], location="",
                           occurred_at=moment(day, minute, offset), actor="siti")
            batch.hold(reference, occurred_at=moment(day, minute, offset), actor="siti")
            runtime.commit(batch)
            batch = runtime.batch()
        if kind == "hold":
            if found is not None:
                batch.hold(reference, occurred_at=moment(day, minute, offset), actor="siti")
        elif kind == "unhold":
            batch.withdraw(reference, withdrawn_kind="held", reason="salah", occurred_at=clock.current, actor="k")
        elif kind == "attach":
            batch.attach_document(reference, code, sha256=sha(file), name=f"{file}.pdf", size=10,
                                  media_type="application/pdf", occurred_at=clock.current, actor="siti")
        elif kind == "na":
            batch.mark_not_applicable(reference, code, reason="tidak ada", occurred_at=clock.current, actor="siti")
        elif kind == "withdraw_file":
            ref = kept(runtime, reference, "document_attached", code_i) or f"{code}:{sha(file)}"
            batch.withdraw(reference, withdrawn_kind="document", evidence_ref=ref, reason="salah",
                           occurred_at=clock.current, actor="k")
        elif kind == "withdraw_kind":
            ref = (kept(runtime, reference, "document_attached", code_i) or code).split(":")[0]
            batch.withdraw(reference, withdrawn_kind="document", evidence_ref=ref if file_i else "", reason="salah",
                           occurred_at=clock.current, actor="k")
        elif kind == "withdraw_na":
            ref = kept(runtime, reference, "not_applicable", code_i) or code
            batch.withdraw(reference, withdrawn_kind="not_applicable", evidence_ref=ref, reason="salah",
                           occurred_at=clock.current, actor="k")
        elif kind == "define":
            runtime.log.define_document_kind(code, code.title(), LEADER_SETS[leaders_i], reason="SOP", actor="admin")
        elif kind == "retire":
            runtime.log.retire_document_kind(code, reason="SOP", actor="admin")
        elif kind == "publish":
            batch.publish(reference, occurred_at=clock.current - timedelta(days=1), channel="web",
                          evidence_ref=URLS[file_i % 2], actor="siti")
        elif kind == "unpublish":
            batch.withdraw(reference, withdrawn_kind="published", evidence_ref=URLS[file_i % 2], reason="salah",
                           occurred_at=clock.current, actor="k")
        else:
            if found is None or (answer_i % 3 == 0 and found["status"] == "held"):
                batch.publish(reference, occurred_at=clock.current - timedelta(days=1), channel="web",
                              evidence_ref=URLS[file_i % 2], actor="siti")  # mostly a link to check
            status, error, page = ANSWERS[answer_i]
            batch.record_link_check(reference, url=URLS[file_i % 2], checked_at=clock.current, status=status,
                                    error=error, final_url=URLS[file_i % 2] if status else "",
                                    content_type="text/html" if status else "", sha256=sha(page) if page else "",
                                    archive_sha256=sha(page) if page else "", archive_size=10 if page else 0,
                                    actor="pemeriksa-tautan")
        runtime.commit(batch)
    except DomainError:
        pass  # refused: nothing stored (the oracle reads only what was)


def run(backend: str, ops, ranges) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clock = SteppingClock(start=datetime(2020, 8, 1, tzinfo=UTC))
        with open_runtime(backend, Path(tmp) / "data", clock=clock) as runtime:
            for op in ops:
                record(runtime, clock, op)
            db = runtime.fresh()
            events = stored_events(runtime.log)
            for name in sorted({type(e).__name__ if type(e).__name__ != "Withdrawn" else f"Withdrawn {e.withdrawn_kind}"
                                for e in events}):
                event(f"stored: {name}")  # what the histories reach (--hypothesis-show-statistics)
            facts = oracle.replay(events)
            moments = sorted({event.timestamp for event in events})
            moments = [moments[0] - timedelta(microseconds=1), *moments] if moments else [clock.current]
            periods = [parse_period(code) for code in ("2020-Q1", "2020-Q2", "2020-Q3", "2020")] + list(ranges)
            for as_of in moments:
                for period in periods:
                    got = read.evidence.completeness(db, period, as_of)
                    assert got == oracle.completeness(facts, period.start, period.end, as_of), (period, as_of)
            expected = oracle.link_states(facts)
            got = {key: (state["live"], state["dead_since"], state["checks"],
                         state["archive"]["sha256"] if state["archive"] else None, state["changed"])
                   for key, state in read.evidence.link_states(db).items()}
            assert got == expected, (got, expected)
            assert_data_dir_sound(runtime)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=history, ranges=st.lists(random_range, max_size=2))
def test_checklist_and_links_match_the_oracle_on_sqlite(ops, ranges):
    run("sqlite", ops, ranges)


@pytest.mark.postgres
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=history, ranges=st.lists(random_range, max_size=1))
def test_checklist_and_links_match_the_oracle_on_postgres(ops, ranges):
    run("postgres", ops, ranges)
