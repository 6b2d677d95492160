"""The quarter's accountability cycle in the domain: every step accepted and refused (state, role, separation
of duties, reasons, the year after its quarters), and a closed period refusing what would change its
figures, on both sides of every boundary."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from domain.accounts import AccountDisabledError, UnknownAccountError
from domain.application import ActivityLog
from domain.closing import (
    APPROVED,
    OPEN,
    SUBMITTED,
    VERIFIED,
    FiguresChangedError,
    NarrativeClosedError,
    NotClosablePeriodError,
    NotQuarterError,
    PeriodClosedError,
    QuartersNotClosedError,
    RoleNotAllowedError,
    SameAccountError,
    StepNotAllowedError,
    YearClosedError,
)
from domain.errors import MissingFieldError
from domain.times import UTC, parse_instant

T = parse_instant
ACCOUNTS = {"siti": "operator", "rina": "operator", "admin": "admin", "kasubbag": "verifier",
            "kabag": "approver", "kabag2": "approver", "audit": "auditor"}


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2021, 3, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def log() -> ActivityLog:
    log = ActivityLog(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=Clock())
    for name, role in ACCOUNTS.items():
        log.add_account(name, role=role, password_hash="x", actor="setup")
    return log


def figures(code: str, at=None):
    return "1:ab", datetime(2021, 1, 1, tzinfo=UTC), [{"code": "published", "numerator": 0, "denominator": 0}]


def close(log: ActivityLog, code: str, operator: str = "siti") -> None:
    log.take_step(code, "submit", actor=operator)
    log.take_step(code, "verify", actor="kasubbag")
    log.approve(code, actor="kabag", figures=figures)


def state(log: ActivityLog, code: str) -> str:
    found = log.period_close(code)
    return found.state if found else OPEN


def test_the_whole_cycle_with_a_return_and_a_reopen(log):
    log.take_step("2020-Q1", "submit", actor="siti")
    assert state(log, "2020-Q1") == SUBMITTED
    log.take_step("2020-Q1", "return", actor="kasubbag", reason="bukti foto kurang")
    assert state(log, "2020-Q1") == OPEN
    log.take_step("2020-Q1", "submit", actor="rina")
    log.take_step("2020-Q1", "verify", actor="kasubbag")
    assert state(log, "2020-Q1") == VERIFIED
    log.take_step("2020-Q1", "return", actor="kabag", reason="angka belum sesuai")
    log.take_step("2020-Q1", "submit", actor="siti")
    log.take_step("2020-Q1", "verify", actor="kasubbag")
    log.approve("2020-Q1", actor="kabag", figures=figures)
    found = log.period_close("2020-Q1")
    assert (found.state, found.revision, found.approved_by) == (APPROVED, 1, "kabag")
    log.take_step("2020-Q1", "reopen", actor="kabag2", reason="dokumentasi susulan")
    assert state(log, "2020-Q1") == OPEN
    close(log, "2020-Q1")
    assert log.period_close("2020-Q1").revision == 2


@pytest.mark.parametrize(("steps", "step", "actor", "error"), [
    ([], "verify", "kasubbag", StepNotAllowedError),            # nothing submitted
    ([], "approve", "kabag", StepNotAllowedError),
    ([], "return", "kasubbag", StepNotAllowedError),
    ([], "reopen", "kabag", StepNotAllowedError),
    ([], "submit", "kasubbag", RoleNotAllowedError),            # only operators and admins submit
    ([], "submit", "kabag", RoleNotAllowedError),
    ([], "submit", "audit", RoleNotAllowedError),
    (["submit"], "approve", "kabag", StepNotAllowedError),      # approve before verify
    (["submit"], "submit", "siti", StepNotAllowedError),
    (["submit"], "verify", "siti", RoleNotAllowedError),
    (["submit"], "verify", "kabag", RoleNotAllowedError),
    (["submit"], "return", "kabag", RoleNotAllowedError),       # the verifier returns what awaits verification
    (["submit", "verify"], "return", "kasubbag", RoleNotAllowedError),  # … the approver what awaits approval
    (["submit", "verify"], "verify", "kasubbag", StepNotAllowedError),
    (["submit", "verify"], "approve", "kasubbag", RoleNotAllowedError),
    (["submit", "verify"], "approve", "admin", RoleNotAllowedError),
    (["submit", "verify", "approve"], "submit", "siti", StepNotAllowedError),  # submit a closed period
    (["submit", "verify", "approve"], "approve", "kabag2", StepNotAllowedError),
    (["submit", "verify", "approve"], "reopen", "kasubbag", RoleNotAllowedError),
])
def test_a_step_the_state_or_the_role_does_not_allow_is_refused_and_stores_nothing(log, steps, step, actor, error):
    by = {"submit": "siti", "verify": "kasubbag", "approve": "kabag"}
    for taken in steps:
        if taken == "approve":
            log.approve("2020-Q2", actor=by[taken], figures=figures)
        else:
            log.take_step("2020-Q2", taken, actor=by[taken])
    before = log.recorder.max_notification_id()
    with pytest.raises(error):
        if step == "approve":
            log.approve("2020-Q2", actor=actor, figures=figures)
        else:
            log.take_step("2020-Q2", step, actor=actor, reason="alasan")
    assert log.recorder.max_notification_id() == before


def test_who_submitted_may_not_verify_and_the_verifier_may_not_approve(log, monkeypatch):
    # roles change: the account that submitted is later a verifier, the verifier later an approver
    log.take_step("2020-Q3", "submit", actor="siti")
    log.change_role("siti", "verifier", actor="admin")
    with pytest.raises(SameAccountError):
        log.take_step("2020-Q3", "verify", actor="siti")
    log.take_step("2020-Q3", "verify", actor="kasubbag")
    log.change_role("kasubbag", "approver", actor="admin")
    with pytest.raises(SameAccountError):
        log.approve("2020-Q3", actor="kasubbag", figures=figures)
    log.change_role("siti", "approver", actor="admin")
    with pytest.raises(SameAccountError):  # nor may who submitted it
        log.approve("2020-Q3", actor="siti", figures=figures)
    log.approve("2020-Q3", actor="kabag", figures=figures)


@pytest.mark.parametrize("step", ["return", "reopen"])
@pytest.mark.parametrize("reason", ["", "   ", None, "x" * 1001])
def test_a_return_or_reopen_needs_a_reason(log, step, reason):
    log.take_step("2020-Q1", "submit", actor="siti")
    if step == "reopen":
        log.take_step("2020-Q1", "verify", actor="kasubbag")
        log.approve("2020-Q1", actor="kabag", figures=figures)
    with pytest.raises((MissingFieldError, Exception)) as refused:
        log.take_step("2020-Q1", step, actor="kasubbag" if step == "return" else "kabag", reason=reason)
    assert type(refused.value).__name__ in ("MissingFieldError", "TextTooLongError")


def test_the_year_closes_only_after_its_four_quarters_and_reopens_before_them(log):
    for q in (1, 2, 3):
        close(log, f"2020-Q{q}")
    log.take_step("2020", "submit", actor="siti")
    log.take_step("2020", "verify", actor="kasubbag")
    with pytest.raises(QuartersNotClosedError) as refused:
        log.approve("2020", actor="kabag", figures=figures)
    assert refused.value.params["quarters"] == "2020-Q4"
    close(log, "2020-Q4")
    log.approve("2020", actor="kabag", figures=figures)
    with pytest.raises(YearClosedError):
        log.take_step("2020-Q2", "reopen", actor="kabag", reason="koreksi")
    log.take_step("2020", "reopen", actor="kabag", reason="koreksi")
    log.take_step("2020-Q2", "reopen", actor="kabag", reason="koreksi")


@pytest.mark.parametrize("code", ["2020-S1", "2020-03", "2020-01-01..2020-02-01", "kemarin", "", "1899-Q1"])
def test_only_a_quarter_or_a_year_goes_through_the_cycle(log, code):
    with pytest.raises(NotClosablePeriodError):
        log.take_step(code, "submit", actor="siti")


def test_an_unknown_or_disabled_account_takes_no_step(log):
    with pytest.raises(UnknownAccountError):
        log.take_step("2020-Q1", "submit", actor="nobody")
    log.disable_account("rina", actor="admin", reason="pindah")
    with pytest.raises(AccountDisabledError):
        log.take_step("2020-Q1", "submit", actor="rina")


def schedule(log, reference, when):
    log.schedule(reference, title="Rapat", leaders=["walikota"], location="", occurred_at=T(when), actor="siti")


# A closed quarter: 2020-Q1 (1 January to 31 March 2020, WIB).
@pytest.mark.parametrize(("held_at", "refused"), [
    ("2020-03-31T23:59:59", True),    # the last second of the quarter, WIB
    ("2020-03-31T17:00:00Z", False),  # 00:00 WIB on 1 April: the next quarter
    ("2020-03-31T16:59:59Z", True),   # 23:59:59 WIB on 31 March
    ("2020-01-01T00:00:00", True),    # the first second, WIB
    ("2019-12-31T16:59:59Z", False),  # 23:59:59 WIB on 31 December 2019
])
def test_a_held_on_a_day_of_a_closed_quarter_is_refused_and_the_next_day_is_not(log, held_at, refused):
    close(log, "2020-Q1")
    schedule(log, "AG-1", held_at)
    before = log.recorder.max_notification_id()
    if refused:
        with pytest.raises(PeriodClosedError) as error:
            log.hold("AG-1", occurred_at=T(held_at), actor="siti")
        assert error.value.params == {"period": "2020-Q1", "revision": 1, "closed_by": "kabag"}
        assert log.recorder.max_notification_id() == before
    else:
        log.hold("AG-1", occurred_at=T(held_at), actor="siti")


@pytest.mark.parametrize("kind", ["published", "documented", "protocol_served"])
def test_evidence_for_an_activity_held_in_a_closed_quarter_needs_a_reopen(log, kind):
    schedule(log, "AG-1", "2020-03-31T10:00")
    log.hold("AG-1", occurred_at=T("2020-03-31T10:00"), actor="siti")
    close(log, "2020-Q1")
    fields = {"occurred_at": T("2020-04-02T10:00"), "channel": "web", "evidence_ref": "https://x", "actor": "siti"}
    with pytest.raises(PeriodClosedError):
        log.record(kind, "AG-1", **fields)
    log.take_step("2020-Q1", "reopen", actor="kabag", reason="dokumentasi susulan")
    log.record(kind, "AG-1", **fields)


@pytest.mark.parametrize("withdrawn_kind", ["held", "published"])
def test_withdrawing_a_fact_recorded_before_the_close_is_refused(log, withdrawn_kind):
    schedule(log, "AG-1", "2020-02-10T10:00")
    log.hold("AG-1", occurred_at=T("2020-02-10T10:00"), actor="siti")
    log.publish("AG-1", occurred_at=T("2020-02-10T12:00"), channel="web", evidence_ref="https://x", actor="siti")
    close(log, "2020-Q1")
    with pytest.raises(PeriodClosedError):
        log.withdraw("AG-1", withdrawn_kind=withdrawn_kind, evidence_ref="", occurred_at=T("2020-04-01T10:00"),
                     actor="siti", reason="salah")


def test_what_changes_no_figure_is_recorded_in_a_closed_quarter(log):
    """Decided: a plan, a reschedule, a cancellation, an attached file and evidence for an activity not held
    change no figure, so a closed period does not refuse them."""
    close(log, "2020-Q1")
    schedule(log, "AG-1", "2020-02-10T10:00")
    log.reschedule("AG-1", title="Rapat koordinasi", leaders=[], location="", occurred_at=T("2020-02-11T10:00"),
                   actor="siti")
    schedule(log, "AG-2", "2020-02-12T10:00")
    log.cancel("AG-2", occurred_at=T("2020-02-12T08:00"), reason="hujan", actor="siti")
    log.withdraw("AG-2", withdrawn_kind="cancelled", evidence_ref="", occurred_at=T("2020-02-12T09:00"),
                 actor="siti", reason="keliru")


def test_a_fact_held_in_another_quarter_of_a_closed_year_is_refused_by_the_year(log):
    for q in (1, 2, 3, 4):
        close(log, f"2020-Q{q}")
    log.take_step("2020", "submit", actor="siti")
    log.take_step("2020", "verify", actor="kasubbag")
    log.approve("2020", actor="kabag", figures=figures)
    log.take_step("2020", "reopen", actor="kabag", reason="koreksi")
    log.take_step("2020-Q3", "reopen", actor="kabag", reason="koreksi")
    schedule(log, "AG-1", "2020-08-17T08:00")
    log.hold("AG-1", occurred_at=T("2020-08-17T08:00"), actor="siti")  # Q3 and the year are open again


def test_a_target_of_a_year_with_a_closed_period_is_refused(log):
    log.set_target(2020, "published", "80", reason="PK 2020", actor="admin")
    close(log, "2020-Q2")
    with pytest.raises(PeriodClosedError) as error:
        log.set_target(2020, "published", "85", reason="perubahan PK", actor="admin")
    assert error.value.params["period"] == "2020-Q2"
    log.set_target(2021, "published", "85", reason="PK 2021", actor="admin")


def test_figures_changed_since_verification_are_not_approved(log):
    log.take_step("2020-Q1", "submit", actor="siti")
    log.take_step("2020-Q1", "verify", actor="kasubbag")
    verified_at = log.period_close("2020-Q1").verified_at

    def changed(code, at=None):
        rows = [{"code": "published", "numerator": 1 if at is None else 0, "denominator": 1}]
        assert at in (None, verified_at)
        return "9:ab", datetime(2021, 1, 1, tzinfo=UTC), rows

    before = log.recorder.max_notification_id()
    with pytest.raises(FiguresChangedError) as refused:
        log.approve("2020-Q1", actor="kabag", figures=changed)
    assert refused.value.params == {"period": "2020-Q1", "verified_by": "kasubbag", "verified_at": verified_at}
    assert log.recorder.max_notification_id() == before
    log.take_step("2020-Q1", "return", actor="kabag", reason="angka berubah")
    assert log.period_close("2020-Q1").verified_at is None


def test_a_narrative_is_written_while_the_quarter_is_open_and_only_then(log):
    texts = {"analysis": "Capaian naik", "obstacles": "", "follow_up": "Tambah petugas"}
    log.write_narrative("2020-Q1", "published", texts, actor="siti")
    log.write_narrative("2020-Q1", "published", {**texts, "obstacles": "Hujan"}, actor="rina")  # rewritten
    log.take_step("2020-Q1", "submit", actor="siti")
    with pytest.raises(NarrativeClosedError):
        log.write_narrative("2020-Q1", "published", texts, actor="siti")
    log.take_step("2020-Q1", "return", actor="kasubbag", reason="narasi kurang")
    log.write_narrative("2020-Q1", "published", texts, actor="siti")  # returned: open again
    close(log, "2020-Q1")
    with pytest.raises(NarrativeClosedError):
        log.write_narrative("2020-Q1", "documented", texts, actor="siti")
    with pytest.raises(NotQuarterError):
        log.write_narrative("2020", "published", texts, actor="siti")
    with pytest.raises(RoleNotAllowedError):
        log.write_narrative("2020-Q2", "published", texts, actor="kasubbag")
    with pytest.raises(MissingFieldError):
        log.write_narrative("2020-Q2", "published", {"analysis": " "}, actor="siti")
