"""The counting rule of domain/counting.py, in SQL over the read model: the read side's only statement of
which activities count for an indicator in a period as known at a moment. Rules 1–3 below are the rules
of that module; the property test (tests/projections/test_property.py) compares these counts with the
oracle's replay of the stored events counted by the domain's predicate, on random histories."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from domain.indicators import INDICATORS
from domain.periods import Period
from domain.times import utc_text

#: rule 1: a fact (row `{t}` of the events table) is valid at :as_of when it was recorded by then and not
#: withdrawn by then
VALID = "{t}.recorded_at <= :as_of AND ({t}.withdrawn_at IS NULL OR {t}.withdrawn_at > :as_of)"

#: rule 2: the activities with a valid `held` on a WIB date (`occurred_date`) within [:start, :end]
HELD_IN_PERIOD = (
    "SELECT DISTINCT h.activity_id AS activity_id, h.occurred_at AS held_at, h.position AS held_position,"
    " h.occurred_date AS held_date"
    " FROM events h INDEXED BY events_held_by_date"
    " WHERE h.kind = 'held' AND h.occurred_date BETWEEN :start AND :end AND " + VALID.format(t="h")
)

#: rule 3: the activity `d` has a valid fact of `{kind}`, whenever it happened
HAS_FACT = (
    "EXISTS (SELECT 1 FROM events f WHERE f.activity_id = d.activity_id AND f.kind = '{kind}' AND "
    + VALID.format(t="f") + ")"
)


def params(period: Period, as_of: datetime) -> dict[str, str]:
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "as_of": utc_text(as_of),
    }


def indicator_counts(db: sqlite_utils.Database, period: Period, as_of: datetime) -> dict[str, int]:
    """`{"held": denominator, "<numerator kind>": numerator, …}` for the period as known at `as_of`."""
    kinds = sorted({indicator.numerator_kind for indicator in INDICATORS})
    columns = ", ".join(f"COALESCE(SUM({HAS_FACT.format(kind=kind)}), 0) AS \"{kind}\"" for kind in kinds)
    sql = f"SELECT COUNT(*) AS held, {columns} FROM ({HELD_IN_PERIOD}) d"
    row = next(db.query(sql, params(period, as_of)))
    return {key: int(value) for key, value in row.items()}


def monthly_counts(db: sqlite_utils.Database, period: Period, as_of: datetime) -> dict[str, dict]:
    """`indicator_counts` for every month (`YYYY-MM`) of the period, in one pass over its held facts."""
    kinds = sorted({indicator.numerator_kind for indicator in INDICATORS})
    columns = ", ".join(f"COALESCE(SUM({HAS_FACT.format(kind=kind)}), 0) AS \"{kind}\"" for kind in kinds)
    sql = (f"SELECT substr(d.held_date, 1, 7) AS month, COUNT(*) AS held, {columns}"
           f" FROM ({HELD_IN_PERIOD}) d GROUP BY month")
    return {row.pop("month"): {key: int(value) for key, value in row.items()}
            for row in db.query(sql, params(period, as_of))}
