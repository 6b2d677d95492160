"""The read side of the quarter's accountability cycle: each triwulan's and year's state, who took each step,
and the figures of each approved revision."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlite_utils

from domain.closing import OPEN, STEPS
from domain.times import utc_text
from projections.rows import decode


def steps(db: sqlite_utils.Database, code: str, as_of: datetime | None = None) -> list[dict[str, Any]]:
    """Every step of one period's cycle recorded by `as_of` (None: all), oldest first; an approval with its
    figures decoded."""
    sql = "SELECT * FROM period_steps WHERE code = :code AND (:as_of IS NULL OR recorded_at <= :as_of) ORDER BY position"
    return [decode(row) for row in db.query(sql, {"code": code, "as_of": utc_text(as_of) if as_of else None})]


def cycle(db: sqlite_utils.Database, code: str, as_of: datetime | None = None) -> dict[str, Any]:
    """One period's cycle as known at `as_of` (None: now): its `state`, `revision` (0: never approved), the
    latest `approval` (or None), and every step."""
    taken = steps(db, code, as_of)
    state = STEPS[taken[-1]["step"]][1] if taken else OPEN
    approvals = [row for row in taken if row["step"] == "approve"]
    return {"code": code, "state": state, "revision": len(approvals), "approval": approvals[-1] if approvals else None,
            "steps": taken}


def approvals(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every approval recorded, newest first: the period, its revision, who approved it and when, and the seal
    of the log its figures were read from (the seal printed on its report)."""
    sql = ("SELECT position, code, revision, actor, recorded_at, seal FROM period_steps WHERE step = 'approve'"
           " ORDER BY position DESC")
    return [decode(row) for row in db.query(sql)]


def in_state(db: sqlite_utils.Database, state: str) -> list[str]:
    """The periods whose cycle is now in `state` (a verifier's: submitted; an approver's: verified), oldest
    step first."""
    leading = [step for step, (_starts, leads_to, _roles) in STEPS.items() if leads_to == state]
    sql = ("SELECT code FROM period_steps p WHERE position = (SELECT MAX(position) FROM period_steps q"
           " WHERE q.code = p.code) AND step IN (SELECT value FROM json_each(?)) ORDER BY position")
    return [row["code"] for row in db.query(sql, [json.dumps(leading)])]


def narratives(db: sqlite_utils.Database, code: str) -> dict[str, dict[str, Any]]:
    """The narrative in force of each indicator of triwulan `code` (the latest writing), by indicator code."""
    sql = ("SELECT * FROM narratives n WHERE code = ? AND position = (SELECT MAX(position) FROM narratives m"
           " WHERE m.code = n.code AND m.indicator = n.indicator)")
    return {row["indicator"]: decode(row) for row in db.query(sql, [code])}
