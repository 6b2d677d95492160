"""The read side of the settings an admin records: the indicator targets (each setting kept, for as-of)
and the institution profile."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlite_utils

from domain.times import utc_text
from projections.rows import decode


def pk_targets(db: sqlite_utils.Database, year: int, as_of: datetime) -> dict[str, dict[str, Any]]:
    """Each indicator's targets for `year` as recorded by `as_of` (the latest setting of each kind):
    `awal` (the original PK target), `perubahan` (a revision by decree, None: none) with `basis_number` and
    `basis_date`, `in_force` (the revision if any, else the original), and `quarters` ({1–4: target})."""
    result: dict[str, dict[str, Any]] = {}
    rows = db.query(
        "SELECT * FROM targets t WHERE year = :year AND recorded_at <= :as_of AND position = ("
        " SELECT MAX(position) FROM targets u WHERE u.year = t.year AND u.code = t.code AND u.recorded_at <= :as_of"
        " AND u.kind = t.kind AND COALESCE(u.quarter, 0) = COALESCE(t.quarter, 0)) ORDER BY position",
        {"year": year, "as_of": utc_text(as_of)})
    for row in rows:
        entry = result.setdefault(row["code"], {"awal": None, "perubahan": None, "basis_number": None,
                                                "basis_date": None, "quarters": {}})
        value = Decimal(row["value"])
        if row["kind"] == "triwulan":
            entry["quarters"][row["quarter"]] = value
        elif row["kind"] == "perubahan":
            entry.update(perubahan=value, basis_number=row["basis_number"], basis_date=row["basis_date"])
        else:
            entry["awal"] = value
    for entry in result.values():
        entry["in_force"] = entry["perubahan"] if entry["perubahan"] is not None else entry["awal"]
    return result


def targets(db: sqlite_utils.Database, year: int, as_of: datetime) -> dict[str, Decimal]:
    """The annual target of each indicator for `year` in force at `as_of`: the latest revision (PK perubahan)
    recorded by then, else the latest original setting."""
    return {code: entry["in_force"] for code, entry in pk_targets(db, year, as_of).items()
            if entry["in_force"] is not None}


def target_history(db: sqlite_utils.Database, year: int | None = None) -> list[dict[str, Any]]:
    sql = "SELECT * FROM targets WHERE :year IS NULL OR year = :year ORDER BY year, code, position"
    return [decode(row) for row in db.query(sql, {"year": year})]


def profile(db: sqlite_utils.Database) -> dict[str, str]:
    """The institution profile: defaults overlaid with what an admin has set."""
    from domain.profile import DEFAULTS

    return {**DEFAULTS, **{row["key"]: row["value"] for row in db.query("SELECT key, value FROM profile")}}
