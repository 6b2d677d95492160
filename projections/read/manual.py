"""The read side of the Manual IKU: the indicator versions recorded by a moment, and so the indicators in force
for a year as known then (domain/indicators.py states which version is in force)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlite_utils

from domain.indicators import Indicator, in_force
from domain.times import utc_text
from projections.rows import decode


def recorded_versions(db: sqlite_utils.Database, as_of: datetime | None = None) -> list[Indicator]:
    """Every version recorded by `as_of` (None: all), in recording order."""
    rows = db.execute("SELECT fields FROM definitions WHERE :as_of IS NULL OR recorded_at <= :as_of ORDER BY position",
                      {"as_of": utc_text(as_of) if as_of is not None else None}).fetchall()
    return [Indicator.from_fields(json.loads(row[0])) for row in rows]


def positions(db: sqlite_utils.Database, as_of: datetime) -> list[int]:
    """The log positions of the versions recorded by `as_of` (the events a bundle's verifier reads them from)."""
    return [row[0] for row in db.execute("SELECT position FROM definitions WHERE recorded_at <= ? ORDER BY position",
                                         [utc_text(as_of)])]


def indicators(db: sqlite_utils.Database, year: int, as_of: datetime) -> tuple[Indicator, ...]:
    """The indicators in force for `year` as known at `as_of`."""
    return in_force(recorded_versions(db, as_of), year)


def history(db: sqlite_utils.Database, code: str | None = None) -> list[dict[str, Any]]:
    """Every recorded version (of one indicator, or all), with who recorded it, when and why."""
    rows = db.query("SELECT * FROM definitions WHERE :code IS NULL OR code = :code ORDER BY position", {"code": code})
    return [{**decode({k: v for k, v in row.items() if k != "fields"}),
             "indicator": Indicator.from_fields(json.loads(row["fields"]))} for row in rows]
