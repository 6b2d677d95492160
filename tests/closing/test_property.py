"""Random histories interleaved with closes and reopens of the quarters and the year: every approved revision
keeps exactly the figures the oracle replays from the log up to its seal (and the read model gives them again
as of its moment, forever), and no fact that would change a closed figure is ever stored while its period is
closed. Each close or reopen lands between random facts at the quarter edges of WIB."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.periods import parse_period
from projections import chain
from projections.tree import StoredTree
from services import closing, reports
from tests.conftest import SteppingClock, open_runtime
from tests.projections.oracle import JAKARTA, NAMES, oracle_counts, stored_events
from tests.projections.test_property import operation, record_step

LATER = datetime(2999, 1, 1, tzinfo=JAKARTA)
CODES = ("2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4", "2020")
cycle = st.tuples(st.just("cycle"), st.sampled_from(CODES), st.sampled_from(["close", "close", "reopen"]))
fact = operation.map(lambda op: ("fact", op))
#: mostly facts, a close or reopen now and then
history = st.lists(st.one_of(fact, fact, fact, cycle), min_size=10, max_size=60)


def run(runtime, clock, ops) -> None:
    for name, role in (("op", "operator"), ("kasubbag", "verifier"), ("kabag", "approver")):
        runtime.log.add_account(name, role=role, password_hash="x", actor="setup")
    runtime.follower.catch_up()
    status: dict[str, str | None] = {}
    for op in ops:
        if op[0] == "fact":
            record_step(runtime, clock, op[1], status)  # a refused one (a closed period among them) stores nothing
            continue
        _, code, action = op
        try:
            if action == "reopen":
                closing.take_step(runtime, code, "reopen", actor="kabag", reason="koreksi")
            else:
                closing.take_step(runtime, code, "submit", actor="op")
                closing.take_step(runtime, code, "verify", actor="kasubbag")
                closing.approve(runtime, code, actor="kabag")
        except DomainError:
            continue


def touched(held_on, event) -> list[str]:
    """The periods (triwulan, year) whose figures the event changes, worked out here apart from the domain."""
    name = NAMES.get(type(event).__name__)
    if name == "held":
        day = event.occurred_at.astimezone(JAKARTA).date()
    elif name in ("published", "documented", "protocol_served") or (
            name == "withdrawn" and event.withdrawn_kind != "cancelled"):
        day = held_on
    else:
        return []
    return [f"{day.year}-Q{(day.month - 1) // 3 + 1}", str(day.year)] if day else []


def check(runtime) -> None:
    events = stored_events(runtime.log)
    closed: set[str] = set()
    codes: dict = {}
    held_on: dict = {}
    db = runtime.fresh()
    approvals = 0
    for position, event in enumerate(events, start=1):
        kind = type(event).__name__
        if kind == "Submitted":
            codes[event.originator_id] = event.code
        elif kind == "Stepped" and event.step == "reopen":
            closed.discard(codes[event.originator_id])
        elif kind == "Approved":
            code = codes[event.originator_id]
            closed.add(code)
            approvals += 1
            sealed = chain.Seal.parse(event.seal)
            assert sealed.names_tree  # the tree head: its size is the events before the approval (no gaps here)
            seal_position = sealed.size
            assert seal_position == position - 1  # the log as it stood when the approval was stored
            assert StoredTree(db).root(seal_position).hex() == sealed.root
            period = parse_period(code)
            # everything the log held up to the seal, whatever moment the approval says it is as of
            expected = oracle_counts(events[:seal_position], period.start, period.end, LATER)
            kept = {row["code"]: (row["numerator"], row["denominator"]) for row in event.figures}
            assert kept == {code_: (expected[code_]["numerator"], expected[code_]["denominator"]) for code_ in kept}, \
                (code, position)
            again = reports.report(db, period, event.as_of, "id")  # reproducible from the read model, forever
            assert {row["code"]: (row["numerator"], row["denominator"]) for row in again["indicators"]} == kept
        elif kind in NAMES.values() or kind in NAMES:
            hit = [code for code in touched(held_on.get(event.originator_id), event) if code in closed]
            assert not hit, (position, kind, hit)
            if kind == "Held":
                held_on[event.originator_id] = event.occurred_at.astimezone(JAKARTA).date()
            elif kind == "Withdrawn" and event.withdrawn_kind == "held":
                held_on[event.originator_id] = None
    assert approvals == sum(1 for row in db.query("SELECT 1 FROM period_steps WHERE step = 'approve'"))


def run_property(backend: str, ops) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clock = SteppingClock(start=datetime(2021, 1, 5, tzinfo=JAKARTA))
        with open_runtime(backend, Path(tmp) / "data", clock=clock) as runtime:
            run(runtime, clock, ops)
            check(runtime)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=history)
def test_approved_figures_are_the_log_at_their_seal_and_nothing_changes_a_closed_period_on_sqlite(ops):
    run_property("sqlite", ops)


@pytest.mark.postgres
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=history)
def test_approved_figures_are_the_log_at_their_seal_and_nothing_changes_a_closed_period_on_postgres(ops):
    run_property("postgres", ops)
