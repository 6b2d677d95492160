"""The official report as people print it: the XLSX rendered by LibreOffice (headless, as an office opens it)
and the PDF, read back with `pdftotext -bbox`: text at 7 pt or more, rows that hold their text (no text over
another row's), header words never broken, headers repeated on every page, and the address, predikat and a
signature date without a time of day in both.

LibreOffice and poppler-utils are needed (Debian libreoffice-calc-nogui, poppler-utils): without them these
tests are skipped, unless CI or IKU_REQUIRE_DOCS=1 is set, where they fail."""

from __future__ import annotations

import copy
import os
import re
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from domain.times import now, parse_instant
from services import officialreport
from services.evidence import EvidenceStore
from services.runtime import Runtime
from services.textfit import text_width
from tests.webapp.conftest import seed

SMALLEST = 7.0  # points
ADDRESS = "Jl. Gajah Mada No. 145, Kelurahan Kranggan, Kecamatan Prajurit Kulon, Kota Mojokerto 61321"
HEADER_WORDS = ("NO", "SASARAN", "STRATEGIS", "INDIKATOR", "FORMULA", "SUMBER", "DATA", "PENANGGUNG", "JAWAB",
                "TARGET", "REALISASI", "CAPAIAN", "PREDIKAT", "PERIODE", "TAHUNAN")


def _require(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} not installed (Debian packages libreoffice-calc-nogui, poppler-utils)"
    if os.environ.get("CI") or os.environ.get("IKU_REQUIRE_DOCS") == "1":
        pytest.fail(message)
    pytest.skip(message)


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def read_words(pdf: Path) -> list[Word]:
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = []
    for page, body in enumerate(xml.split("<page ")[1:], start=1):
        for match in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                                 body):
            x0, y0, x1, y1 = (float(match.group(i)) for i in range(1, 5))
            text = match.group(5).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            words.append(Word(page, x0, y0, x1, y1, text))
    return words


def font_sizes(words: list[Word]) -> dict[Word, float]:
    """Each word's font size. A box is as tall as the font's size times a factor of the font (and of how the
    PDF describes it); the factor is found from the document itself: a word's width divided by its advance
    width at 1 pt (Helvetica, Arial and Liberation Sans share these metrics) is its size, and the median of
    height ÷ size over the longer words (mostly regular type) is the factor. Bold words, a little wider, pull
    it down, which only makes the sizes found smaller, never flattering."""
    ratios = [(w.y1 - w.y0) / ((w.x1 - w.x0) / text_width(w.text, 1)) for w in words
              if len(w.text) >= 5 and w.text.isascii() and w.x1 > w.x0]
    factor = statistics.median(ratios)
    assert 0.8 < factor < 1.6, factor  # a font's box is about its size tall; anything else is a misreading
    return {w: (w.y1 - w.y0) / factor for w in words}


def overlaps(words: list[Word], sizes: dict[Word, float]) -> list[tuple[str, str]]:
    """Pairs of words whose ink overlaps: each word reduced to the middle band of its line (0.6 of its size
    tall), so two lines of one cell never touch, but text run over another row's text does."""
    bands = []
    for w in words:
        middle, half = (w.y0 + w.y1) / 2, 0.3 * sizes[w]
        bands.append((w.page, w.x0 + 0.3, middle - half, w.x1 - 0.3, middle + half, w.text))
    found = []
    for i, a in enumerate(bands):
        for b in bands[i + 1:]:
            if a[0] == b[0] and a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]:
                found.append((a[5], b[5]))
    return found


def broken_words(words: list[Word]) -> list[str]:
    """Header words split over two lines ("REALISA" above "SI"): two pieces, one under the other, that
    together make a header word."""
    return [f"{a.text} / {b.text}" for a in words for b in words
            if a.page == b.page and b.y0 > a.y0 and abs(b.x0 - a.x0) < 60 and a.text + b.text in HEADER_WORDS]


def widest(data: dict) -> dict:
    """The same report with the widest figures a year can hold: four-digit counts, 100,00% and the longest
    predikat, to size columns against."""
    wide = copy.deepcopy(data)
    for row in wide["rows"]:
        for cell in row["cells"]:
            cell.update(numerator=9876, denominator=9999, percent=Decimal("98.77"), target=Decimal("100.00"),
                        capaian=Decimal("100.00"), predikat="Sangat Kurang")
    return wide


def long_report(data: dict, copies: int = 8) -> dict:
    """The report with many indicators, so its tables run over several pages."""
    long = copy.deepcopy(data)
    long["rows"] = [dict(row, no=index) for index, row in enumerate(data["rows"] * copies, start=1)]
    return long


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """The official report of 2020 (a small seeded history, a target, a full profile) as XLSX printed by
    LibreOffice and as PDF: the real one, one with the widest figures, and a long one."""
    _require("pdftotext")
    tmp = tmp_path_factory.mktemp("official")
    runtime = Runtime(tmp / "data", database_url="")
    try:
        seed(runtime)
        runtime.log.set_target(2020, "published", "80", reason="Renstra", actor="admin")
        runtime.log.change_profile({"alamat": ADDRESS, "penandatangan_nama": "Drs. Budi Santoso, M.Si.",
                                    "penandatangan_nip": "197001011995031001"}, actor="admin")
        runtime.record("documented", "AG-2020-0002", occurred_at=parse_instant("2020-02-03T10:00"), channel="foto",
                       evidence_ref="ARSIP/2", actor="siti")
        data = officialreport.build(runtime.fresh(), 2020, now(), stated=False, printed_at=now(),
                                    logo_path=EvidenceStore(runtime.data_dir).path)
    finally:
        runtime.close()
    variants = {"real": data, "widest": widest(data), "long": long_report(data)}
    paths = {}
    for name, variant in variants.items():
        (tmp / f"{name}.xlsx").write_bytes(officialreport.to_xlsx(variant))
        (tmp / f"{name}.pdf").write_bytes(officialreport.to_pdf(variant))
        paths[f"{name}.pdf"] = tmp / f"{name}.pdf"
    if shutil.which("soffice"):
        printed = tmp / "printed"
        # One LibreOffice run for all three workbooks, with a profile of its own (runs must not share one).
        subprocess.run(["soffice", f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(printed), *(str(tmp / f"{n}.xlsx") for n in variants)],
                       check=True, capture_output=True, timeout=300)
        for name in variants:
            paths[f"{name}.xlsx"] = printed / f"{name}.pdf"
            assert paths[f"{name}.xlsx"].exists(), f"LibreOffice did not print {name}.xlsx"
    return {"data": data, "words": {key: read_words(path) for key, path in paths.items()}}


def words_of(documents: dict, name: str) -> list[Word]:
    """The words of one printed document; a workbook needs LibreOffice to be printed."""
    if name.endswith(".xlsx"):
        _require("soffice")
    return documents["words"][name]


DOCUMENTS = ("xlsx", "pdf")


@pytest.mark.parametrize("kind", DOCUMENTS)
@pytest.mark.parametrize("variant", ["real", "widest", "long"])
def test_every_text_prints_at_7pt_or_more(documents, kind, variant):
    words = words_of(documents, f"{variant}.{kind}")
    sizes = font_sizes(words)
    smallest = min(sizes, key=sizes.get)
    assert sizes[smallest] >= SMALLEST - 0.05, f"{smallest.text!r} prints at {sizes[smallest]:.2f} pt"


@pytest.mark.parametrize("kind", DOCUMENTS)
@pytest.mark.parametrize("variant", ["real", "widest", "long"])
def test_rows_hold_their_text_without_running_over_another(documents, kind, variant):
    words = words_of(documents, f"{variant}.{kind}")
    assert overlaps(words, font_sizes(words)) == []


@pytest.mark.parametrize("kind", DOCUMENTS)
@pytest.mark.parametrize("variant", ["real", "widest"])
def test_header_words_and_numbers_are_never_broken(documents, kind, variant):
    words = words_of(documents, f"{variant}.{kind}")
    assert broken_words(words) == []
    texts = [w.text for w in words]
    assert not [text for text in texts if "###" in text]  # a spreadsheet's sign of a number too wide for its column
    for header in ("TARGET", "REALISASI", "CAPAIAN", "PENANGGUNG"):
        assert header in texts


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_the_headers_repeat_on_every_page_of_a_long_report(documents, kind):
    words = words_of(documents, f"long.{kind}")
    pages = sorted({w.page for w in words})
    assert len(pages) >= 3
    for page in pages:
        texts = {w.text for w in words if w.page == page}
        if texts & {"Meningkatnya", "Prosentase"}:  # a page with table rows on it
            assert {"NO", "INDIKATOR"} <= texts or {"NO", "TARGET", "CAPAIAN"} <= texts, f"page {page}: no header"


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_the_address_and_predikat_are_printed(documents, kind):
    text = " ".join(w.text for w in words_of(documents, f"real.{kind}"))
    assert ADDRESS in text
    assert "Kurang" in text  # published, Q1: 1/2 = 50,00% against 80,00%: capaian 62,50%


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_the_signature_names_the_place_and_day_without_a_time(documents, kind):
    text = " ".join(w.text for w in words_of(documents, f"real.{kind}"))
    day = documents["data"]["signed_on"]
    assert re.search(rf"Mojokerto, {day.day} \w+ {day.year}", text)
    assert not re.search(rf"Mojokerto, {day.day} \w+ {day.year} pukul", text)
    assert "Drs. Budi Santoso, M.Si." in text and "NIP. 197001011995031001" in text
