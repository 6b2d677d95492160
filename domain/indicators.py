"""The IKU indicators as data: adding an indicator is one entry in `INDICATORS`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Indicator:
    """An indicator of the division's IKU document (its name and formula are the presentation's words:
    `services.presentation.indicator_name`)."""

    code: str
    numerator_kind: str  # event kind whose valid fact makes a held activity count
    higher_is_better: bool = True


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        code="published",
        numerator_kind="published",
    ),
    Indicator(
        code="documented",
        numerator_kind="documented",
    ),
    Indicator(
        code="protocol_served",
        numerator_kind="protocol_served",
    ),
)

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}

_HUNDREDTH = Decimal("0.01")


def percent(numerator: int, denominator: int) -> Decimal | None:
    """100 × numerator / denominator, rounded half-up to 2 decimals; None when the denominator is 0."""
    if denominator == 0:
        return None
    return (Decimal(100 * numerator) / Decimal(denominator)).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)
