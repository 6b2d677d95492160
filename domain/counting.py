"""The counting rule of the indicators, stated once.

In words, for a period [from, to] of WIB calendar dates, as known at a moment `as_of`, and an indicator's
definition (domain/indicators.py: its numerator kind, channels, leaders and allowed exclusion reasons):

1. Only what was recorded at or before `as_of` exists. A fact is *valid* when it exists and no withdrawal
   recorded at or before `as_of` took it back (a withdrawal recorded later does not yet apply).
2. An activity is in the indicator's **denominator** when it has a valid `held` whose WIB date (the date in
   Jakarta of the moment it happened) lies within [from, to], held with one of the definition's leaders, and
   no valid exclusion for that indicator with a reason the definition allows (it is then *excluded*).
3. An activity is in the indicator's **numerator** when it is in its denominator and has at least one valid
   fact of the definition's kind (`published`, `documented`, `protocol_served`), on one of its channels when
   it names some, whenever that happened. Several facts of a kind count the activity once.
4. The percentage is 100 × numerator ÷ denominator, half-up to two decimals, none when the denominator is 0
   (`domain.indicators.percent`); a longer period is counted from its own activities, never averaged.

This module is the rule as a pure predicate over an activity's facts. The read model answers the same
question in SQL (`projections/counting.py`), and the property test compares the two on random histories
(`tests/projections/test_property.py`, through the oracle's own replay of the stored events).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.indicators import Indicator
from domain.times import wib_date


@dataclass(frozen=True)
class Fact:
    """One recorded fact of an activity: `held`, or a fact of an indicator's kind.

    `recorded` is when it was recorded and `withdrawn` when the withdrawal that took it back was (None: never),
    as moments, or as any keys ordered as the log is (a moment and a log position, to tell apart events
    recorded in the same microsecond); `as_of` is then a key of the same kind."""

    kind: str  # `held`, `excluded`, or a numerator kind
    day: date  # the WIB date on which it happened (rule 2 reads it for `held`)
    recorded: Any
    withdrawn: Any = None
    channel: str = ""  # a numerator fact's channel
    leaders: tuple[str, ...] = ()  # a `held`: the leaders of the activity it was held with
    indicator: str = ""  # an `excluded`: the indicator whose denominator it leaves
    reason: str = ""  # an `excluded`: why

    @classmethod
    def at(cls, kind: str, occurred_at: datetime, recorded_at: datetime, withdrawn_at: datetime | None = None,
           **details: Any) -> Fact:
        """A fact from its moments (the day is the WIB date of `occurred_at`)."""
        return cls(kind, wib_date(occurred_at), recorded_at, withdrawn_at, **details)


def is_valid(fact: Fact, as_of: Any) -> bool:
    """Rule 1: recorded by `as_of`, and not taken back by a withdrawal recorded by then."""
    return fact.recorded <= as_of and (fact.withdrawn is None or fact.withdrawn > as_of)


def is_held_in(facts: Iterable[Fact], indicator: Indicator, start: date, end: date, as_of: Any) -> bool:
    """Rule 2, first half: a valid `held` on a WIB date within [start, end], with one of the leaders."""
    return any(fact.kind == "held" and is_valid(fact, as_of) and start <= fact.day <= end
               and indicator.counts_leaders(fact.leaders) for fact in facts)


def is_excluded(facts: Iterable[Fact], indicator: Indicator, as_of: Any) -> bool:
    """Rule 2, second half: a valid exclusion from this indicator, for a reason its definition allows."""
    return any(fact.kind == "excluded" and fact.indicator == indicator.code
               and fact.reason in indicator.exclusion_reasons and is_valid(fact, as_of) for fact in facts)


def in_denominator(facts: Sequence[Fact], indicator: Indicator, start: date, end: date, as_of: Any) -> bool:
    """Rule 2: held in the period with one of the leaders, and not excluded."""
    return is_held_in(facts, indicator, start, end, as_of) and not is_excluded(facts, indicator, as_of)


def in_numerator(facts: Sequence[Fact], indicator: Indicator, start: date, end: date, as_of: Any) -> bool:
    """Rule 3: in the denominator, with at least one valid fact of the indicator's kind on its channels."""
    return in_denominator(facts, indicator, start, end, as_of) and any(
        fact.kind == indicator.numerator_kind and is_valid(fact, as_of) and indicator.counts_channel(fact.channel)
        for fact in facts)


def count(activities: Iterable[Sequence[Fact]], indicators: Iterable[Indicator], start: date, end: date,
          as_of: Any) -> dict[str, dict[str, int]]:
    """Each indicator's numerator, denominator and excluded activities (held in the period with its leaders,
    but excluded) over the activities' facts: `{code: {"numerator", "denominator", "excluded"}}`."""
    indicators = tuple(indicators)
    counts = {i.code: {"numerator": 0, "denominator": 0, "excluded": 0} for i in indicators}
    for facts in activities:
        for indicator in indicators:
            if not is_held_in(facts, indicator, start, end, as_of):
                continue
            figures = counts[indicator.code]
            if is_excluded(facts, indicator, as_of):
                figures["excluded"] += 1
                continue
            figures["denominator"] += 1
            figures["numerator"] += in_numerator(facts, indicator, start, end, as_of)
    return counts
