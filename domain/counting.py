"""The counting rule of the indicators, stated once.

In words, for a period [from, to] of WIB calendar dates, as known at a moment `as_of`:

1. Only what was recorded at or before `as_of` exists. A fact is *valid* when it exists and no withdrawal
   recorded at or before `as_of` took it back (a withdrawal recorded later does not yet apply).
2. An activity is in the **denominator** when it has a valid `held` whose WIB date (the date in Jakarta of
   the moment it happened) lies within [from, to].
3. An activity is in an indicator's **numerator** when it is in the denominator and has at least one valid
   fact of the indicator's kind (`published`, `documented`, `protocol_served`), whenever that happened.
   Several facts of a kind count the activity once.
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

from domain.times import wib_date

#: the kinds of fact an indicator counts (its numerator), besides `held` (the denominator)
COUNTED_KINDS = ("published", "documented", "protocol_served")


@dataclass(frozen=True)
class Fact:
    """One recorded fact of an activity: `held`, or a fact of an indicator's kind.

    `recorded` is when it was recorded and `withdrawn` when the withdrawal that took it back was (None: never),
    as moments, or as any keys ordered as the log is (a moment and a log position, to tell apart events
    recorded in the same microsecond); `as_of` is then a key of the same kind."""

    kind: str
    day: date  # the WIB date on which it happened (rule 2 reads it for `held`)
    recorded: Any
    withdrawn: Any = None

    @classmethod
    def at(cls, kind: str, occurred_at: datetime, recorded_at: datetime, withdrawn_at: datetime | None = None) -> Fact:
        """A fact from its moments (the day is the WIB date of `occurred_at`)."""
        return cls(kind, wib_date(occurred_at), recorded_at, withdrawn_at)


def is_valid(fact: Fact, as_of: Any) -> bool:
    """Rule 1: recorded by `as_of`, and not taken back by a withdrawal recorded by then."""
    return fact.recorded <= as_of and (fact.withdrawn is None or fact.withdrawn > as_of)


def in_denominator(facts: Iterable[Fact], start: date, end: date, as_of: Any) -> bool:
    """Rule 2: a valid `held` on a WIB date within [start, end]."""
    return any(fact.kind == "held" and is_valid(fact, as_of) and start <= fact.day <= end for fact in facts)


def in_numerator(facts: Sequence[Fact], kind: str, start: date, end: date, as_of: Any) -> bool:
    """Rule 3: in the denominator, with at least one valid fact of `kind`."""
    return in_denominator(facts, start, end, as_of) and any(
        fact.kind == kind and is_valid(fact, as_of) for fact in facts)


def count(activities: Iterable[Sequence[Fact]], start: date, end: date, as_of: Any) -> dict[str, int]:
    """The denominator (`held`) and each kind's numerator over the activities' facts."""
    counts = {"held": 0, **dict.fromkeys(COUNTED_KINDS, 0)}
    for facts in activities:
        if not in_denominator(facts, start, end, as_of):
            continue
        counts["held"] += 1
        for kind in COUNTED_KINDS:
            counts[kind] += in_numerator(facts, kind, start, end, as_of)
    return counts
