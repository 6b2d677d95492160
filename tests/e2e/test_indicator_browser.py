"""The period picker and the indicator/drill-down links in real Chromium, with JavaScript (htmx) and without:
the half of the picker the user changed decides, and a custom range and as-of survive every link."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in_as

#: 1–15 February 2020 as the title writes it (its exact wording is tested in tests/webapp)
CUSTOM_TITLE = re.compile(r"1 (Februari 2020 )?– 15 Februari 2020")


@pytest.fixture(params=[True, False], ids=["htmx", "no-javascript"])
def page(request, server, browser):
    context = browser.new_context(java_script_enabled=request.param, locale="id-ID")
    context.set_default_timeout(10_000)
    opened = context.new_page()
    log_in_as(opened, server[0], "operator")
    opened.javascript = request.param
    yield opened
    context.close()


def apply(page) -> None:
    """Without JavaScript the user presses Tampilkan; with it, the change alone has updated the page."""
    if not page.javascript:
        with page.expect_navigation():
            page.click("form.picker button[type=submit]")


def title(page):
    return page.locator("#period-title")


def enter_february(page) -> None:
    page.fill("#dari", "2020-02-01")
    page.fill("#sampai", "2020-02-15")
    apply(page)
    expect(title(page)).to_contain_text(CUSTOM_TITLE)


def test_choosing_a_quarter_leaves_a_custom_range(server, page):
    page.goto(f"{server[0]}/?dari=2020-02-01&sampai=2020-02-15")
    expect(title(page)).to_contain_text(CUSTOM_TITLE)

    page.select_option("#bagian", "Q3")
    apply(page)
    expect(title(page)).to_contain_text("Triwulan III 2020")
    expect(page.locator("#bagian")).to_have_value("Q3")
    expect(page.locator("#dari")).to_have_value("2020-07-01")
    expect(page.locator("#sampai")).to_have_value("2020-09-30")

    enter_february(page)  # and back: entering dates selects them again
    expect(page.locator("#bagian")).to_have_value("rentang")

    page.select_option("#tahun", "2019")  # a year alone, from a custom range: that whole year
    apply(page)
    expect(title(page)).to_contain_text("Tahun 2019")


def test_drilldown_and_back_keep_a_custom_range_and_as_of(server, page):
    base = server[0]
    page.goto(f"{base}/?dari=2020-02-01&sampai=2020-02-15&per=2020-04-05T00:00")
    expect(title(page)).to_contain_text("5 April 2020 pukul 00.00 WIB")

    page.click(".card[data-code=documented] a")
    page.wait_for_url(re.compile(r"/indikator/documented\?"))
    expect(page.locator("#drilldown h2")).to_contain_text(CUSTOM_TITLE)
    expect(page.locator("#drilldown h2")).to_contain_text("5 April 2020 pukul 00.00 WIB")
    bundle = page.locator("a[download]").get_attribute("href")
    assert all(part in bundle for part in ("2020-02-01", "2020-02-15", "per=2020-04-05T00"))

    page.click("text=← Indikator")
    page.wait_for_url(re.compile(rf"^{re.escape(base)}/\?"))
    expect(title(page)).to_contain_text(CUSTOM_TITLE)
    expect(title(page)).to_contain_text("5 April 2020 pukul 00.00 WIB")
    expect(page.locator("#bagian")).to_have_value("rentang")
    expect(page.locator("#per")).to_have_value("2020-04-05T00:00")


def test_drilldown_back_link_follows_the_period_chosen_there(server, page):
    base = server[0]
    page.goto(f"{base}/indikator/published?periode=2020-02-01..2020-02-15")
    page.select_option("#bagian", "Q1")
    apply(page)
    expect(page.locator("#drilldown h2")).to_contain_text("Triwulan I 2020")
    page.click("text=← Indikator")
    expect(title(page)).to_contain_text("Triwulan I 2020")


def test_a_future_as_of_is_refused_beside_its_field(server, page):
    page.goto(f"{server[0]}/?periode=2020")
    page.fill("#per", "2999-03-01T00:00")
    apply(page)
    expect(page.locator("#picker .error")).to_contain_text("1 Maret 2999 pukul 00.00 WIB masih di masa depan")
    expect(title(page)).to_contain_text("kondisi terkini")
