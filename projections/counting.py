"""The counting rule of domain/counting.py, in SQL over the read model: the read side's only statement of
which activities count for an indicator in a period as known at a moment. Rules 1–3 below are the rules
of that module; the property test (tests/projections/test_property.py) compares these counts with the
oracle's replay of the stored events counted by the domain's predicate, on random histories.

An indicator's definition (its numerator kind, channels, leaders and allowed exclusion reasons) becomes part
of the statement: its values travel as parameters (`:i0_channel1`), its leaders as fixed codes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlite_utils

from domain.indicators import LEADERS, Indicator
from domain.periods import Period
from domain.times import utc_text

#: rule 1: a fact (row `{t}` of the events table) is valid at :as_of when it was recorded by then and not
#: withdrawn by then
VALID = "{t}.recorded_at <= :as_of AND ({t}.withdrawn_at IS NULL OR {t}.withdrawn_at > :as_of)"

#: rule 2 (first half): the activities with a valid `held` on a WIB date (`occurred_date`) within [:start, :end]
HELD_IN_PERIOD = (
    "SELECT DISTINCT h.activity_id AS activity_id, h.occurred_at AS held_at, h.position AS held_position,"
    " h.occurred_date AS held_date, h.held_leaders AS held_leaders"
    " FROM events h INDEXED BY events_held_by_date"
    " WHERE h.kind = 'held' AND h.occurred_date BETWEEN :start AND :end AND " + VALID.format(t="h")
)


def params(period: Period, as_of: datetime, indicators: Iterable[Indicator] = ()) -> dict[str, Any]:
    """The statement's parameters: the period, the moment, and each indicator's values (by its place `n`)."""
    values: dict[str, Any] = {"start": period.start.isoformat(), "end": period.end.isoformat(),
                              "as_of": utc_text(as_of)}
    for n, indicator in enumerate(indicators):
        values[f"i{n}_code"] = indicator.code
        values.update({f"i{n}_channel{m}": channel for m, channel in enumerate(indicator.channels)})
        values.update({f"i{n}_reason{m}": reason for m, reason in enumerate(indicator.exclusion_reasons)})
    return values


def held_by_leaders(indicator: Indicator) -> str:
    """Rule 2: the held activity `d` was held with one of the indicator's leaders."""
    if set(indicator.leaders) >= set(LEADERS):
        return "1"
    checks = [f"instr(';' || d.held_leaders || ';', ';{leader};') > 0" for leader in indicator.leaders
              if leader in LEADERS]
    return "(" + " OR ".join(checks or ["0"]) + ")"


def excluded(indicator: Indicator, n: int, any_recorded: bool = True) -> str:
    """Rule 2: the activity `d` has a valid exclusion from indicator `n` for a reason its definition allows
    (`any_recorded` False: the log holds no exclusion at all, so none is looked for)."""
    if not indicator.exclusion_reasons or not any_recorded:
        return "0"
    reasons = ", ".join(f":i{n}_reason{m}" for m in range(len(indicator.exclusion_reasons)))
    return ("EXISTS (SELECT 1 FROM events x WHERE x.activity_id = d.activity_id AND x.kind = 'excluded'"
            f" AND x.indicator = :i{n}_code AND x.exclusion_reason IN ({reasons}) AND " + VALID.format(t="x") + ")")


def has_fact(indicator: Indicator, n: int) -> str:
    """Rule 3: the activity `d` has a valid fact of the indicator's kind (on one of its channels)."""
    channels = ""
    if indicator.channels:
        listed = ", ".join(f":i{n}_channel{m}" for m in range(len(indicator.channels)))
        channels = f" AND lower(f.channel) IN ({listed})"
    return (f"EXISTS (SELECT 1 FROM events f WHERE f.activity_id = d.activity_id AND f.kind = '{indicator.numerator_kind}'"
            f"{channels} AND " + VALID.format(t="f") + ")")


def any_exclusion(db: sqlite_utils.Database) -> bool:
    """Whether the log holds an exclusion at all (one index probe): without one, no query looks for them."""
    return db.execute("SELECT 1 FROM events WHERE kind = 'excluded' LIMIT 1").fetchone() is not None


def figures_columns(indicators: Iterable[Indicator], any_recorded: bool = True) -> str:
    """Each indicator's denominator, numerator and excluded count over the held activities `d`."""
    columns = []
    for n, indicator in enumerate(indicators):
        held, out = held_by_leaders(indicator), excluded(indicator, n, any_recorded)
        columns.append(
            f"COALESCE(SUM({held} AND NOT {out}), 0) AS d{n},"
            f" COALESCE(SUM({held} AND NOT {out} AND {has_fact(indicator, n)}), 0) AS n{n},"
            f" COALESCE(SUM({held} AND {out}), 0) AS x{n}")
    return ", ".join(columns)


def _figures(row: Any, indicators: tuple[Indicator, ...]) -> dict[str, dict[str, int]]:
    return {i.code: {"numerator": int(row[f"n{n}"]), "denominator": int(row[f"d{n}"]), "excluded": int(row[f"x{n}"])}
            for n, i in enumerate(indicators)}


def indicator_counts(db: sqlite_utils.Database, period: Period, as_of: datetime,
                     indicators: Iterable[Indicator]) -> dict[str, dict[str, int]]:
    """`{code: {"numerator", "denominator", "excluded"}}` for the period as known at `as_of`."""
    indicators = tuple(indicators)
    if not indicators:
        return {}
    sql = f"SELECT {figures_columns(indicators, any_exclusion(db))} FROM ({HELD_IN_PERIOD}) d"
    row = next(db.query(sql, params(period, as_of, indicators)))
    return _figures(row, indicators)


def monthly_counts(db: sqlite_utils.Database, period: Period, as_of: datetime,
                   indicators: Iterable[Indicator]) -> dict[str, dict[str, dict[str, int]]]:
    """`indicator_counts` for every month (`YYYY-MM`) of the period with a held activity, in one pass."""
    indicators = tuple(indicators)
    if not indicators:
        return {}
    sql = (f"SELECT substr(d.held_date, 1, 7) AS month, {figures_columns(indicators, any_exclusion(db))}"
           f" FROM ({HELD_IN_PERIOD}) d GROUP BY month")
    return {row["month"]: _figures(row, indicators) for row in db.query(sql, params(period, as_of, indicators))}
