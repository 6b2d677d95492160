"""Predikat by capaian: Sangat Baik from 90%, Baik from 75%, Cukup from 65%, Kurang from 50%, Sangat Kurang
below (each band includes its lower edge); a pemda may give its own bands; shown in Indonesian or English."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.targets import PREDIKAT_BANDS, predikat
from services.presentation import predikat_label


@pytest.mark.parametrize("value,name", [
    ("1000", "Sangat Baik"), ("113", "Sangat Baik"),
    ("90.01", "Sangat Baik"), ("90.00", "Sangat Baik"), ("89.99", "Baik"),
    ("75.01", "Baik"), ("75.00", "Baik"), ("74.99", "Cukup"),
    ("65.01", "Cukup"), ("65.00", "Cukup"), ("64.99", "Kurang"),
    ("50.01", "Kurang"), ("50.00", "Kurang"), ("49.99", "Sangat Kurang"),
    ("0.01", "Sangat Kurang"), ("0.00", "Sangat Kurang"),
])
def test_predikat_band_includes_its_lower_edge(value, name):
    assert predikat(Decimal(value)) == name


@pytest.mark.parametrize("value", ["-0.01", "-50.00", "-300.00"])
def test_predikat_below_zero_is_the_lowest_band(value):
    """A lower-is-better indicator far above its target has a negative capaian: still the lowest band."""
    assert predikat(Decimal(value)) == "Sangat Kurang"


def test_predikat_is_not_available_without_capaian():
    assert predikat(None) is None


def test_predikat_bands_are_the_default_table():
    assert [(str(lowest), name) for lowest, name in PREDIKAT_BANDS] == [
        ("90", "Sangat Baik"), ("75", "Baik"), ("65", "Cukup"), ("50", "Kurang"), ("0", "Sangat Kurang")]


PEMDA_BANDS = ((Decimal("85"), "Memuaskan"), (Decimal("60"), "Cukup"), (Decimal("20"), "Kurang"))


@pytest.mark.parametrize("value,name", [
    ("85.00", "Memuaskan"), ("84.99", "Cukup"), ("60.00", "Cukup"), ("59.99", "Kurang"), ("20.00", "Kurang"),
    ("19.99", "Kurang"),   # below a pemda's lowest edge: still its lowest band
    ("-5", "Kurang"),
])
def test_predikat_follows_a_pemdas_own_bands(value, name):
    assert predikat(Decimal(value), PEMDA_BANDS) == name


@pytest.mark.parametrize("name,english", [
    ("Sangat Baik", "Very good"), ("Baik", "Good"), ("Cukup", "Fair"), ("Kurang", "Poor"),
    ("Sangat Kurang", "Very poor"),
])
def test_predikat_label_is_english_in_english_and_the_stored_name_in_indonesian(name, english):
    assert predikat_label(name, "en") == english
    assert predikat_label(name, "id") == name
    assert predikat_label(name) == name


@pytest.mark.parametrize("lang", ["id", "en"])
def test_predikat_label_of_a_pemdas_own_name_is_the_name(lang):
    assert predikat_label("Memuaskan", lang) == "Memuaskan"


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("name", [None, ""])
def test_predikat_label_without_predikat_is_empty(name, lang):
    assert predikat_label(name, lang) == ""
