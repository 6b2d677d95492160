"""Rincian: the not-yet-counted list first, both lists paged with exact counts, links that keep the state."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

import pytest

from domain.indicators import BY_CODE
from domain.periods import parse_period
from domain.times import now, parse_instant, wib_iso
from projections import read
from tests.webapp.conftest import soup
from webapp import indicators


@pytest.fixture
def five_missing(runtime, monkeypatch):
    """Q1 2020 with five activities not yet published and one published; two rows a page."""
    for day in range(4, 8):
        reference = f"AG-2020-01{day:03d}"
        runtime.record("scheduled", reference, title=f"Rapat {day}", leaders=["sekda"], location="Kantor",
                       occurred_at=parse_instant(f"2020-01-{day:02d}T09:00"), actor="siti")
        runtime.record("held", reference, occurred_at=parse_instant(f"2020-01-{day:02d}T09:00"), actor="siti")
    monkeypatch.setattr(indicators, "PAGE_SIZE", 2)
    return runtime


def references(page, name: str) -> list[str]:
    return [a.text for a in page.select(f"ul.{name} a")]


def test_drilldown_pages_each_list_with_exact_counts(operator, five_missing):
    page = soup(operator.get("/indikator/published?periode=2020-Q1"))
    assert page.select_one("#missing-title").contents[0].strip() == "Belum dihitung (5)"
    assert page.select_one("#counted-title").text.strip() == "Sudah dihitung (1)"
    assert references(page, "missing") == ["AG-2020-01004", "AG-2020-01005"]
    assert page.select_one(".todo nav.pages span").text == "1–2 dari 5"
    assert page.select_one("section[aria-labelledby=counted-title] nav.pages") is None, "one page: no links"


def test_page_links_walk_the_to_do_list_and_keep_period_as_of_and_the_other_page(operator, five_missing):
    seen = []
    moment = wib_iso(now())  # after the fixture's records, to the microsecond
    url = f"/indikator/published?periode=2020-Q1&per={quote(moment)}"
    while url:
        page = soup(operator.get(url))
        seen += references(page, "missing")
        following = page.select_one(".todo nav.pages a:-soup-contains('Berikutnya')")
        url = following["href"] if following else None
        if url:
            query = parse_qs(urlsplit(url).query)
            assert query["periode"] == ["2020-Q1"] and query["per"] == [moment]
            assert urlsplit(url).fragment == "missing-title"
    assert seen == ["AG-2020-01004", "AG-2020-01005", "AG-2020-01006", "AG-2020-01007", "AG-2020-0002"]
    assert page.select_one(".todo nav.pages span").text == "5–5 dari 5"


def test_a_page_beyond_the_last_shows_the_last(operator, five_missing):
    page = soup(operator.get("/indikator/published?periode=2020-Q1&belum=99&sudah=-3"))
    assert references(page, "missing") == ["AG-2020-0002"]
    assert references(page, "counted") == ["AG-2020-0001"]


def test_drilldown_query_pages_and_counts(five_missing):
    db = five_missing.fresh()
    result = read.indicators.drilldown(db, parse_period("2020-Q1"), BY_CODE["published"], now(), page_size=2, missing_page=2, counted_page=1)
    assert (result["missing_total"], result["counted_total"]) == (5, 1)
    assert (result["missing_page"], result["missing_pages"], result["counted_pages"]) == (2, 3, 1)
    assert [a["reference"] for a in result["missing"]] == ["AG-2020-01006", "AG-2020-01007"]
    whole = read.indicators.drilldown(db, parse_period("2020-Q1"), BY_CODE["published"], now(), page_size=1000, missing_page=1, counted_page=1)
    assert len(whole["missing"]) == 5 and len(whole["counted"]) == 1


def test_the_to_do_list_comes_before_the_counted_one(operator):
    page = soup(operator.get("/indikator/published?periode=2020-Q1"))
    order = [h.get("id") for h in page.select(".split h3")]
    assert order == ["missing-title", "counted-title"]
