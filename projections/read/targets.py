"""The read side of the settings an admin records: the indicator targets (each setting kept, for as-of)
and the institution profile."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlite_utils

from domain.times import utc_text
from projections.rows import decode


def targets(db: sqlite_utils.Database, year: int, as_of: datetime) -> dict[str, Decimal]:
    """The target of each indicator for `year` in force at `as_of` (the latest setting recorded by then)."""
    rows = db.execute(
        "SELECT code, value FROM targets t WHERE year = ? AND recorded_at <= ? AND position = ("
        "SELECT MAX(position) FROM targets u WHERE u.year = t.year AND u.code = t.code AND u.recorded_at <= ?)",
        [year, utc_text(as_of), utc_text(as_of)],
    ).fetchall()
    return {code: Decimal(value) for code, value in rows}


def target_history(db: sqlite_utils.Database, year: int | None = None) -> list[dict[str, Any]]:
    sql = "SELECT * FROM targets WHERE :year IS NULL OR year = :year ORDER BY year, code, position"
    return [decode(row) for row in db.query(sql, {"year": year})]


def profile(db: sqlite_utils.Database) -> dict[str, str]:
    """The institution profile: defaults overlaid with what an admin has set."""
    from domain.profile import DEFAULTS

    return {**DEFAULTS, **{row["key"]: row["value"] for row in db.query("SELECT key, value FROM profile")}}
