"""The cycle's rules one by one on the aggregates themselves: what each refusal names, the limits of reasons
and narratives, the years a period may lie in, what each event keeps, and who may take which step."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.activity import Activity
from domain.closing import (
    OPEN,
    Narrative,
    NotClosablePeriodError,
    PeriodClose,
    RoleNotAllowedError,
    SameAccountError,
    StepNotAllowedError,
    allowed_steps,
    closable,
    narrative_id,
    periods_of_day,
    touched_days,
)
from domain.errors import TextTooLongError

T0 = datetime(2021, 2, 1, 9, 0, tzinfo=UTC)


def begun(actor="siti") -> PeriodClose:
    close = PeriodClose.begin("2020-Q1", "submit", actor=actor, role="operator", timestamp=T0)
    close.collect_events()
    return close


def test_a_first_submission_keeps_the_period_who_and_a_note_and_starts_the_cycle():
    close = PeriodClose.begin("2020-Q1", "submit", actor="siti", role="operator", timestamp=T0)
    [event] = close.collect_events()
    assert (event.code, event.actor, event.reason, event.timestamp) == ("2020-Q1", "siti", "", T0)
    assert close.id == PeriodClose.begin("2020-Q1", "submit", actor="rina", role="admin").id
    assert (close.code, close.state, close.revision) == ("2020-Q1", "submitted", 0)
    assert (close.submitted_by, close.verified_by, close.approved_by, close.verified_at) == ("siti", "", "", None)
    noted = PeriodClose.begin("2020-Q2", "submit", actor="siti", role="operator", reason="  lengkap  ")
    assert noted.collect_events()[0].reason == "lengkap"


@pytest.mark.parametrize(("step", "role", "error", "params"), [
    ("close", "operator", StepNotAllowedError, {"period": "2020-Q1", "step": "close", "state": OPEN}),
    ("verify", "verifier", StepNotAllowedError, {"period": "2020-Q1", "step": "verify", "state": OPEN}),
    ("submit", "verifier", RoleNotAllowedError, {"period": "2020-Q1", "step": "submit", "role": "verifier",
                                                 "actor": "siti"}),
])
def test_a_refused_first_step_names_the_period_the_step_and_why(step, role, error, params):
    with pytest.raises(error) as refused:
        PeriodClose.begin("2020-Q1", step, actor="siti", role=role)
    assert refused.value.params == params


def test_each_later_step_keeps_who_why_and_when_and_resets_what_a_return_undoes():
    close = begun()
    close.take("verify", actor="kasubbag", role="verifier", timestamp=T0)
    [verified] = close.collect_events()
    assert (verified.step, verified.actor, verified.reason, verified.timestamp) == ("verify", "kasubbag", "", T0)
    assert (close.verified_by, close.verified_at) == ("kasubbag", T0)
    close.take("return", actor="kabag", role="approver", reason=" angka berubah ")
    assert close.collect_events()[0].reason == "angka berubah"
    assert (close.state, close.submitted_by, close.verified_by, close.verified_at) == (OPEN, "", "", None)
    close.take("submit", actor="rina", role="operator", reason=None)
    assert close.collect_events()[0].reason == ""


@pytest.mark.parametrize("step", ["approve", "close", "APPROVE"])
def test_take_refuses_an_approval_and_an_unknown_step_naming_them(step):
    close = begun()
    with pytest.raises(StepNotAllowedError) as refused:
        close.take(step, actor="kasubbag", role="verifier")
    assert refused.value.params == {"period": "2020-Q1", "step": step, "state": "submitted"}


def test_separation_of_duties_names_the_account_and_the_step():
    close = begun()
    with pytest.raises(SameAccountError) as refused:
        close.take("verify", actor="siti", role="verifier")
    assert refused.value.params == {"period": "2020-Q1", "step": "verify", "actor": "siti"}
    close.take("verify", actor="kasubbag", role="verifier")
    for actor in ("siti", "kasubbag"):
        with pytest.raises(SameAccountError) as refused:
            close.approve(actor=actor, role="approver", seal="1:ab", as_of=T0, figures=[])
        assert refused.value.params == {"period": "2020-Q1", "step": "approve", "actor": actor}
    with pytest.raises(RoleNotAllowedError) as refused:
        close.take("return", actor="budi", role="verifier")
    assert refused.value.params == {"period": "2020-Q1", "step": "return", "role": "verifier", "actor": "budi"}


def test_an_approval_keeps_its_revision_seal_moment_figures_and_time():
    close = begun()
    close.take("verify", actor="kasubbag", role="verifier")
    close.collect_events()
    figures = [{"code": "published", "numerator": 1, "denominator": 2}]
    close.approve(actor="kabag", role="approver", seal="7:ab", as_of=T0, figures=figures, timestamp=T0)
    [approved] = close.collect_events()
    assert (approved.actor, approved.revision, approved.seal, approved.as_of, approved.figures,
            approved.timestamp) == ("kabag", 1, "7:ab", T0, figures, T0)
    assert (close.state, close.revision, close.approved_by, close.closed) == ("approved", 1, "kabag", True)


def test_who_may_take_which_step_as_the_page_offers_them():
    assert allowed_steps("2020-Q1", None, "siti", "operator") == ["submit"]
    assert allowed_steps("2020-Q1", None, "kasubbag", "verifier") == []
    close = begun("siti")
    assert allowed_steps("2020-Q1", close, "kasubbag", "verifier") == ["return", "verify"]
    assert allowed_steps("2020-Q1", close, "siti", "verifier") == ["return"]  # not verify what it submitted
    close.take("verify", actor="kasubbag", role="verifier")
    assert allowed_steps("2020-Q1", close, "kabag", "approver") == ["return", "approve"]
    assert allowed_steps("2020-Q1", close, "kasubbag", "approver") == ["return"]  # not approve what it verified
    assert allowed_steps("2020-Q1", close, "siti", "approver") == ["return"]


@pytest.mark.parametrize(("limit", "make"), [
    (1000, lambda text: PeriodClose.begin("2020-Q1", "submit", actor="a", role="operator").take(
        "return", actor="b", role="verifier", reason=text)),
    (4000, lambda text: Narrative.write("2020-Q1", "published", {"analysis": text}, actor="a")),
])
def test_a_reason_and_a_narrative_take_their_limit_and_not_one_more(limit, make):
    make("x" * limit)
    with pytest.raises(TextTooLongError) as refused:
        make("x" * (limit + 1))
    assert refused.value.params["limit"] == limit and refused.value.params["field"] in ("reason", "analysis")


@pytest.mark.parametrize(("code", "ok"), [("1900-Q1", True), ("2999", True), ("1899-Q4", False), ("3000-Q1", False)])
def test_a_period_of_the_cycle_lies_in_the_years_the_log_accepts(code, ok):
    if ok:
        assert closable(code).code == code
    else:
        with pytest.raises(NotClosablePeriodError) as refused:
            closable(code)
        assert refused.value.params == {"period": code}


@pytest.mark.parametrize("code", [" kemarin ", "2020-S1"])
def test_a_period_outside_the_cycle_is_named_as_given(code):
    with pytest.raises(NotClosablePeriodError) as refused:
        closable(code)
    assert refused.value.params == {"period": code.strip()}


def test_a_narrative_keeps_its_period_indicator_texts_author_and_time():
    narrative = Narrative.write("2020-Q1", "published", {"analysis": " naik ", "obstacles": "", "follow_up": "x"},
                                actor="siti", timestamp=T0)
    [written] = narrative.collect_events()
    assert narrative.id == narrative_id("2020-Q1", "published")
    assert (written.code, written.indicator, written.analysis, written.obstacles, written.follow_up, written.actor,
            written.timestamp) == ("2020-Q1", "published", "naik", "", "x", "siti", T0)
    narrative.rewrite({"obstacles": "hujan"}, actor="rina", timestamp=T0)
    [again] = narrative.collect_events()
    assert (again.analysis, again.obstacles, again.actor, again.timestamp) == ("", "hujan", "rina", T0)


def test_a_day_belongs_to_its_triwulan_and_its_year():
    assert periods_of_day(date(2020, 3, 31)) == ("2020-Q1", "2020")
    assert periods_of_day(date(2020, 10, 1)) == ("2020-Q4", "2020")


def test_withdrawing_a_cancellation_changes_no_figure_even_of_a_held_activity():
    withdrawal = Activity.Withdrawn(originator_id=Activity.schedule(
        reference="AG-1", title="Rapat", leaders=["sekda"], location="", occurred_at=T0, actor="siti").id,
        originator_version=3, timestamp=T0, occurred_at=T0, withdrawn_kind="cancelled", evidence_ref="",
        targets=[2], actor="siti", note="keliru")
    assert touched_days(date(2020, 3, 31), withdrawal) == []
    held_withdrawal = Activity.Withdrawn(originator_id=withdrawal.originator_id, originator_version=3,
                                         timestamp=T0, occurred_at=T0, withdrawn_kind="held", evidence_ref="",
                                         targets=[2], actor="siti", note="keliru")
    assert touched_days(date(2020, 3, 31), held_withdrawal) == [date(2020, 3, 31)]


def test_an_approval_is_never_taken_as_a_plain_step_even_when_it_would_be_allowed():
    close = begun()
    close.take("verify", actor="kasubbag", role="verifier")
    with pytest.raises(StepNotAllowedError) as refused:
        close.take("approve", actor="kabag", role="approver")
    assert refused.value.params == {"period": "2020-Q1", "step": "approve", "state": "verified"}
