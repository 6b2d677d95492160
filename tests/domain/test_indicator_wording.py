"""The three IKU indicators as the division's IKU document words them (services/presentation.py): Indonesian
names and formulas in Indonesian, English ones in English, each shown in the reader's language."""

from __future__ import annotations

import pytest

from domain.indicators import BY_CODE, INDICATORS, SASARAN, SOURCE
from services.presentation import indicator_formula, indicator_name

WORDING = {
    "published": (
        "Prosentase kegiatan pimpinan daerah yang dipublikasikan",
        "Percentage of leadership activities published",
        "Jumlah kegiatan yang dipublikasikan / jumlah kegiatan yang terlaksana × 100%",
        "Activities published / activities held × 100%",
    ),
    "documented": (
        "Prosentase kegiatan pimpinan daerah yang didokumentasikan",
        "Percentage of leadership activities documented",
        "Jumlah kegiatan yang didokumentasikan / jumlah kegiatan yang terlaksana × 100%",
        "Activities documented / activities held × 100%",
    ),
    "protocol_served": (
        "Prosentase Pelayanan Keprotokolan",
        "Percentage of protocol service",
        "Jumlah kegiatan yang difasilitasi protokol / jumlah kegiatan yang terlaksana × 100%",
        "Activities facilitated by protocol / activities held × 100%",
    ),
}


@pytest.mark.parametrize("code", list(WORDING))
def test_indicator_wording_is_the_iku_documents_in_each_language(code):
    indicator = BY_CODE[code]
    assert (indicator_name(indicator), indicator_name(indicator, "en"), indicator_formula(indicator),
            indicator_formula(indicator, "en")) == WORDING[code]


@pytest.mark.parametrize("code", list(WORDING))
def test_indicator_name_is_indonesian_unless_english_is_asked(code):
    indicator = BY_CODE[code]
    name_id, name_en, _, _ = WORDING[code]
    assert indicator_name(indicator, "en") == name_en
    assert indicator_name(indicator, "id") == name_id
    assert indicator_name(indicator) == name_id


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i.code)
def test_indicator_names_and_formulas_are_in_their_own_language(indicator):
    """Swapping a pair (the English wording under `_id`) is caught without the table above."""
    assert indicator_name(indicator).startswith("Prosentase ")
    assert indicator_name(indicator, "en").startswith("Percentage of ")
    assert indicator_formula(indicator).startswith("Jumlah kegiatan ")
    assert indicator_formula(indicator, "en").startswith("Activities ")


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i.code)
def test_indicator_counts_its_own_fact_and_higher_is_better(indicator):
    assert indicator.numerator_kind == indicator.code
    assert indicator.higher_is_better is True


def test_indicator_registry_is_keyed_by_code():
    assert {indicator.code: indicator for indicator in INDICATORS} == BY_CODE
    assert list(BY_CODE) == ["published", "documented", "protocol_served"]


def test_sasaran_and_source_are_the_divisions_wording():
    assert SASARAN == "Meningkatnya Pelayanan Kehumasan, Dokumentasi dan Keprotokolan bagi Pimpinan Daerah"
    assert SOURCE == "Bagian Humas dan Protokol Sekretariat Daerah"


@pytest.mark.parametrize("code", list(WORDING))
def test_the_seed_definition_words_the_indicator_as_the_iku_document(code):
    """The seed's own name and formula are the Indonesian wording (a reworded version is shown as written)."""
    indicator = BY_CODE[code]
    assert (indicator.name, indicator.formula) == (WORDING[code][0], WORDING[code][2])
    reworded = indicator.__class__(**{**indicator.__dict__, "name": "Nama baru", "formula": "Rumus baru"})
    assert (indicator_name(reworded, "en"), indicator_formula(reworded, "en")) == ("Nama baru", "Rumus baru")
