"""The IKU indicators as data: adding an indicator is one entry in `INDICATORS`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Indicator:
    code: str
    name_id: str  # the report wording of the division's IKU document
    name_en: str
    numerator_kind: str  # event kind whose valid fact makes a held activity count
    formula_id: str
    formula_en: str
    higher_is_better: bool = True

    def name(self, lang: str = "id") -> str:
        return self.name_en if lang == "en" else self.name_id


SASARAN = "Meningkatnya Pelayanan Kehumasan, Dokumentasi dan Keprotokolan bagi Pimpinan Daerah"
SOURCE = "Bagian Humas dan Protokol Sekretariat Daerah"

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        code="published",
        name_id="Prosentase kegiatan pimpinan daerah yang dipublikasikan",
        name_en="Percentage of leadership activities published",
        numerator_kind="published",
        formula_id="Jumlah kegiatan yang dipublikasikan / jumlah kegiatan yang terlaksana × 100%",
        formula_en="Activities published / activities held × 100%",
    ),
    Indicator(
        code="documented",
        name_id="Prosentase kegiatan pimpinan daerah yang didokumentasikan",
        name_en="Percentage of leadership activities documented",
        numerator_kind="documented",
        formula_id="Jumlah kegiatan yang didokumentasikan / jumlah kegiatan yang terlaksana × 100%",
        formula_en="Activities documented / activities held × 100%",
    ),
    Indicator(
        code="protocol_served",
        name_id="Prosentase Pelayanan Keprotokolan",
        name_en="Percentage of protocol service",
        numerator_kind="protocol_served",
        formula_id="Jumlah kegiatan yang difasilitasi protokol / jumlah kegiatan yang terlaksana × 100%",
        formula_en="Activities facilitated by protocol / activities held × 100%",
    ),
)

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}

_HUNDREDTH = Decimal("0.01")


def percent(numerator: int, denominator: int) -> Decimal | None:
    """100 × numerator / denominator, rounded half-up to 2 decimals; None when the denominator is 0."""
    if denominator == 0:
        return None
    return (Decimal(100 * numerator) / Decimal(denominator)).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)
