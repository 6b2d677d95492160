"""Two nodes on one PostgreSQL store race an approval of a quarter against a late fact for it: one wins, the
other is told why, and never is a fact stored in a closed quarter nor an approval keeping figures other than
the log's at its seal."""

from __future__ import annotations

import threading

import pytest

from domain.errors import DomainError
from domain.times import parse_instant
from services import closing
from tests.closing.test_property import check

pytestmark = pytest.mark.postgres
ROUNDS = 8


def race(nodes, round_: int) -> dict[str, str]:
    a, b = nodes
    barrier, outcome = threading.Barrier(2), {}

    def approve():
        barrier.wait(timeout=30)
        try:
            closing.approve(a, "2020-Q1", actor="kabag")
            outcome["approve"] = "stored"
        except DomainError as error:
            outcome["approve"] = type(error).__name__

    def late_fact():
        barrier.wait(timeout=30)
        try:
            b.record("documented", f"AG-{round_}", occurred_at=parse_instant("2020-04-02T10:00"),
                     channel="foto", evidence_ref=f"ARSIP/{round_}", actor="siti")
            outcome["fact"] = "stored"
        except DomainError as error:
            outcome["fact"] = type(error).__name__

    threads = [threading.Thread(target=approve), threading.Thread(target=late_fact)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcome


def test_an_approval_and_a_late_fact_racing_on_two_nodes(two_nodes):
    a, b = two_nodes
    for name, role in (("siti", "operator"), ("kasubbag", "verifier"), ("kabag", "approver")):
        a.log.add_account(name, role=role, password_hash="x", actor="setup")
    for round_ in range(ROUNDS):
        # while the quarter is open: an activity held on its last evening (WIB), not yet documented
        a.record("scheduled", f"AG-{round_}", title="Rapat", leaders=["sekda"], location="", actor="siti",
                 occurred_at=parse_instant("2020-03-31T23:00"))
        a.record("held", f"AG-{round_}", occurred_at=parse_instant("2020-03-31T23:00"), actor="siti")
        closing.take_step(a, "2020-Q1", "submit", actor="siti")
        closing.take_step(a, "2020-Q1", "verify", actor="kasubbag")
        outcome = race(two_nodes, round_)
        # one wins, the other is told why: an approval first refuses the fact; a fact first changes the
        # verified figures (a documentation more), so the approval is refused
        assert outcome in ({"approve": "stored", "fact": "PeriodClosedError"},
                           {"approve": "FiguresChangedError", "fact": "stored"}), outcome
        state = a.log.period_close("2020-Q1").state
        if state == "approved":
            closing.take_step(b, "2020-Q1", "reopen", actor="kabag", reason=f"putaran {round_}")
        else:
            closing.take_step(b, "2020-Q1", "return", actor="kabag", reason=f"putaran {round_}")
    for node in two_nodes:
        node.follower.catch_up()
    check(a)  # every approval is the log at its seal; no fact stored while its quarter was closed
    assert a.fresh().execute("SELECT COUNT(*) FROM events").fetchone() == \
        b.fresh().execute("SELECT COUNT(*) FROM events").fetchone()
