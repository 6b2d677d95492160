"""Capaian by the Indonesian convention: realisasi ÷ target × 100% (higher is better) or
(2 − realisasi ÷ target) × 100% (lower is better), rounded half-up to two decimals, reported as is above
100% and below 0%, and n/a without realisasi or with a target of 0."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from domain.indicators import BY_CODE
from domain.targets import capaian

HIGHER = BY_CODE["published"]
LOWER = replace(HIGHER, higher_is_better=False)


@pytest.mark.parametrize("realisasi,target,expected", [
    (Decimal("80"), Decimal("100"), Decimal("80.00")),
    (Decimal("80"), Decimal("80"), Decimal("100.00")),
    (Decimal("94"), Decimal("80"), Decimal("117.50")),     # above target: reported as is
    (Decimal("0"), Decimal("80"), Decimal("0.00")),
    (Decimal("80"), Decimal("1"), Decimal("8000.00")),     # the smallest whole target
    (Decimal("80"), Decimal("0.01"), Decimal("800000.00")),
    (Decimal("100"), Decimal("1000"), Decimal("10.00")),
    (Decimal("2"), Decimal("3"), Decimal("66.67")),
    (85.71, Decimal("100"), Decimal("85.71")),             # a float realisasi (the report's percent) as written
    (0.1, Decimal("1"), Decimal("10.00")),
])
def test_capaian_of_a_higher_is_better_indicator_is_realisasi_over_target(realisasi, target, expected):
    assert capaian(HIGHER, realisasi, target) == expected


@pytest.mark.parametrize("realisasi,target,expected", [
    (Decimal("8"), Decimal("10"), Decimal("120.00")),      # below target: better than planned
    (Decimal("12"), Decimal("10"), Decimal("80.00")),
    (Decimal("10"), Decimal("10"), Decimal("100.00")),
    (Decimal("0"), Decimal("10"), Decimal("200.00")),
    (Decimal("20"), Decimal("10"), Decimal("0.00")),
    (Decimal("25"), Decimal("10"), Decimal("-50.00")),     # reported as is below 0%
    (Decimal("1"), Decimal("3"), Decimal("166.67")),
    (Decimal("5"), Decimal("1"), Decimal("-300.00")),
])
def test_capaian_of_a_lower_is_better_indicator_is_two_minus_the_ratio(realisasi, target, expected):
    assert capaian(LOWER, realisasi, target) == expected


@pytest.mark.parametrize("indicator", [HIGHER, LOWER], ids=["higher", "lower"])
@pytest.mark.parametrize("realisasi,target", [
    (None, Decimal("100")),           # no held activity: no realisasi
    (Decimal("50"), Decimal("0")),    # a ratio to a zero target is undefined
    (Decimal("0"), Decimal("0")),
    (Decimal("50"), Decimal("0.00")),
    (Decimal("50"), None),            # no target set for the year
    (None, None),
    (None, Decimal("0")),
])
def test_capaian_is_not_available_without_realisasi_or_with_target_zero(indicator, realisasi, target):
    assert capaian(indicator, realisasi, target) is None


@pytest.mark.parametrize("indicator,realisasi,target,expected", [
    (HIGHER, Decimal("87.125"), Decimal("100"), "87.13"),   # half-even would give 87.12
    (HIGHER, Decimal("1"), Decimal("800"), "0.13"),         # 0.125
    (HIGHER, Decimal("87.135"), Decimal("100"), "87.14"),
    (HIGHER, 87.125, Decimal("100"), "87.13"),
    (HIGHER, Decimal("87.1249"), Decimal("100"), "87.12"),
    (LOWER, Decimal("87.135"), Decimal("100"), "112.87"),   # 112.865: half-even would give 112.86
    (LOWER, Decimal("87.145"), Decimal("100"), "112.86"),   # 112.855: half-even would also give 112.86
    (LOWER, Decimal("3.00125"), Decimal("1"), "-100.13"),   # -100.125: away from zero (half-even: -100.12)
])
def test_capaian_is_rounded_half_up_to_two_decimals(indicator, realisasi, target, expected):
    assert str(capaian(indicator, realisasi, target)) == expected
