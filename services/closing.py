"""The quarter's accountability cycle as the front doors use it: each period's state for a year, a step taken
by an account, an approval that keeps the report as of the log's seal, and what a report says of the
period it reports (final, with its revision, or provisional)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlite_utils

from domain.application import Recorded
from domain.closing import APPROVED, NotClosablePeriodError, allowed_steps, closable, quarters_of
from domain.periods import Period, parse_period
from domain.periods import year as year_period
from domain.times import from_utc_text, now, wib_iso
from projections import chain, read
from services import reports
from services.runtime import Runtime

#: what an approval keeps of each indicator's row of the report
KEPT = ("code", "numerator", "denominator", "percent", "target", "capaian", "predikat")


def year_cycles(db: sqlite_utils.Database, y: int) -> list[dict[str, Any]]:
    """The cycle of each triwulan of `y`, then of the year."""
    return [read.closing.cycle(db, code) for code in (*quarters_of(y), year_period(y).code)]


def take_step(runtime: Runtime, code: str, step: str, *, actor: str, reason: str = "") -> Recorded:
    """Submit, return, verify or reopen (see domain/closing.py), then bring the read model level."""
    if step == "approve":
        return approve(runtime, code, actor=actor)
    return runtime.applied(runtime.log.take_step(code, step, actor=actor, reason=reason))


def approve(runtime: Runtime, code: str, *, actor: str) -> Recorded:
    """Close a verified period: under the store's write lock the read model catches up with the whole log, and
    the approval keeps its seal, the moment of its last event and the report as of that moment (which must
    be the figures as known when they were verified)."""

    def figures(period_code: str, at: datetime | None) -> tuple[str, datetime, list[dict[str, Any]]]:
        runtime.follower.catch_up()
        db = runtime.fresh()
        seal = chain.head(db)
        last = db.execute("SELECT recorded_at FROM events WHERE position = ?", [seal.position]).fetchone()
        as_of = at or (from_utc_text(last[0]) if last else runtime.log.recording_time() or now())
        report = reports.report(db, parse_period(period_code), as_of, "id")
        return str(seal), as_of, [{key: row[key] for key in KEPT} for row in report["indicators"]]

    return runtime.applied(runtime.log.approve(code, actor=actor, figures=figures))


def standing(db: sqlite_utils.Database, period: Period, as_of: datetime | None = None) -> dict[str, Any] | None:
    """What a report of `period` says of its figures: None for a period outside the cycle (a month, a
    semester, a range); otherwise its `state`, `revision`, and for an approved one `final` = who approved it,
    when, at which seal, and the figures kept (the report of a period in progress is provisional); for one
    reopened since its last approval, that approval as `reopened` (what was reported, beside the log now)."""
    found = reported(db, period, as_of)
    if found is None:
        return None
    final = found["state"] == APPROVED
    return {"state": found["state"], "revision": found["revision"], "final": found["approval"] if final else None,
            "reopened": found["approval"] if not final else None}


def reported(db: sqlite_utils.Database, period: Period, as_of: datetime | None = None) -> dict[str, Any] | None:
    """The period's `state`, `revision` and its latest `approval` (who, when, seal, as of, figures; None when
    never approved) as known at `as_of` (None: now), whether it is still closed or was reopened since; None
    outside the cycle."""
    try:
        closable(period.code)
    except NotClosablePeriodError:  # a period outside the cycle: nothing to say
        return None
    cycle = read.closing.cycle(db, period.code, as_of)
    approval = cycle["approval"]
    kept = None
    if approval is not None:
        kept = {"approved_by": approval["actor"], "approved_at": wib_iso(approval["recorded_at"]),
                "seal": approval["seal"], "as_of": wib_iso(approval["as_of"]), "figures": approval["figures"]}
    return {"state": cycle["state"], "revision": cycle["revision"], "approval": kept}


def differences(approval: dict[str, Any] | None, report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each indicator whose figures in `report` (the log now) differ from those `approval` kept: its name, the
    approved row and the row now."""
    if approval is None:
        return []
    kept = {row["code"]: row for row in approval["figures"]}
    return [{"name": row["name"], "approved": kept[row["code"]], "now": row} for row in report["indicators"]
            if row["code"] in kept and (kept[row["code"]]["numerator"], kept[row["code"]]["denominator"])
            != (row["numerator"], row["denominator"])]


def year_view(runtime: Runtime, db: sqlite_utils.Database, y: int, actor: str | None, role: str | None
              ) -> list[dict[str, Any]]:
    """Each triwulan of `y` and the year as the Penutupan page shows them: the cycle, and the steps the viewing
    account may take now (none for a visitor or a role that takes no step; the year is approved only when its
    four triwulan are closed, a triwulan of a closed year is reopened only after the year)."""
    cycles = year_cycles(db, y)
    closed = {cycle["code"] for cycle in cycles if cycle["state"] == APPROVED}
    for cycle in cycles:
        allowed: list[str] = []
        if actor and role:
            allowed = allowed_steps(cycle["code"], runtime.log.period_close(cycle["code"]), actor, role)
            if cycle["code"] == str(y) and not set(quarters_of(y)) <= closed:
                allowed = [step for step in allowed if step != "approve"]
            if cycle["code"] != str(y) and str(y) in closed:
                allowed = [step for step in allowed if step != "reopen"]
        cycle["allowed"] = allowed
    return cycles


def awaiting(db: sqlite_utils.Database, role: str | None) -> list[str]:
    """The periods that wait for the viewing role: submitted ones for a verifier, verified ones for an approver,
    returned or reopened ones for an operator or admin."""
    state = {"verifier": "submitted", "approver": "verified", "operator": "open", "admin": "open"}.get(role or "")
    return read.closing.in_state(db, state) if state else []


def write_narrative(runtime: Runtime, code: str, indicator: str, texts: dict[str, str], *, actor: str) -> Recorded:
    """Write one indicator's narrative in a triwulan (domain/closing.Narrative), then bring the read model level."""
    return runtime.applied(runtime.log.write_narrative(code, indicator, texts, actor=actor))


def quarter_sheet(db: sqlite_utils.Database, period: Period, at: datetime, lang: str = "id") -> dict[str, Any]:
    """What the quarterly report and the narrative page show of a triwulan: its cycle, each indicator's row
    (the approved revision's figures when it is closed, the log's as of `at` otherwise) with its narrative."""
    found = reported(db, period, at) or {"state": "open", "revision": 0, "approval": None}
    report = reports.report(db, period, at, lang)
    rows = report["indicators"]
    if found["state"] == APPROVED and found["approval"] is not None:
        kept = {row["code"]: row for row in found["approval"]["figures"]}
        rows = [{**row, **kept.get(row["code"], {}), "name": row["name"]} for row in rows]
    written = read.closing.narratives(db, period.code)
    return {"period": period, "state": found["state"], "revision": found["revision"], "approval": found["approval"],
            "final": found["state"] == APPROVED, "rows": [{**row, "narrative": written.get(row["code"])} for row in rows]}
