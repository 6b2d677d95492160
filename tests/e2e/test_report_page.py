"""Laporan in a real Chromium: the page is never wider than the screen (the report's tables scroll within
their own boxes), the header bar spans the whole width, and the year is chosen from a list, with and
without JavaScript."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in_as


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_laporan_fits_the_screen_at_office_and_phone_widths(server, browser, javascript):
    base, _ = server
    for width in (1366, 390):
        context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
        page = context.new_page()
        log_in_as(page, base, "admin")
        page.goto(f"{base}/laporan?tahun=2020")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # the admin's forms too
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate("document.querySelector('header.top').getBoundingClientRect().right") == width
        for box in page.query_selector_all(".table-scroll"):
            assert box.bounding_box()["x"] + box.bounding_box()["width"] <= width
        context.close()


def test_choosing_a_year_swaps_the_report_and_its_downloads(server, browser):
    base, _ = server
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    log_in_as(page, base, "operator")
    page.goto(f"{base}/laporan?tahun=2020")
    assert "1/2 = 50,00%" in page.inner_text("table.official-table")
    this_year = page.eval_on_selector("select#tahun option", "option => option.value")
    page.select_option("select#tahun", this_year)
    page.wait_for_url(f"**/laporan?tahun={this_year}*")
    page.wait_for_function(f"document.querySelector('.downloads a').href.includes('tahun={this_year}')")
    assert "1/2 = 50,00%" not in page.inner_text("table.official-table")
    context.close()
