"""End to end in headless Chromium: an operator records an activity and an auditor's path to its evidence,
with JavaScript on (htmx) and off (plain forms), and a double-click that must record once."""

from __future__ import annotations

import pytest

from projections import read
from tests.webapp.conftest import PASSWORD


def log_in(page, base: str, role: str = "operator") -> None:
    page.goto(f"{base}/masuk")
    page.fill("#username", role)
    page.fill("#password", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{base}/")


def published_card(page) -> str:
    return page.locator(".card[data-code=published] .fraction").inner_text().strip()


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_schedule_hold_publish_then_trace_it_from_the_indicator(server, browser, javascript):
    base, runtime = server
    reference = f"AG-E2E-{'JS' if javascript else 'NOJS'}"
    context = browser.new_context(java_script_enabled=javascript, locale="id-ID")
    page = context.new_page()
    log_in(page, base)

    page.goto(f"{base}/?periode=2020-Q1")
    before = published_card(page)
    numerator, denominator = (int(x) for x in before.split(" = ")[0].split("/"))

    page.goto(f"{base}/agenda?dari=2020-03-20&sampai=2020-03-20")
    page.click("details.schedule summary")
    page.fill("#reference", reference)
    page.fill("#title", "Kunjungan kerja uji")
    page.check("input[name=leaders][value=walikota]")
    page.fill("#location", "Kecamatan Magersari")
    page.fill("#occurred_at", "2020-03-20T09:00")
    page.click("#schedule-form button[type=submit]")
    page.wait_for_url(f"{base}/kegiatan/{reference}")

    page.click("form.step:has(input[name=kind][value=held]) button[type=submit]")
    page.wait_for_selector("li.kind-held")
    published = page.locator("form.step:has(input[name=kind][value=published])")
    published.locator("input[name=channel]").fill("website")
    published.locator("input[name=evidence_ref]").fill("https://example.go.id/berita/e2e")
    published.locator("button[type=submit]").click()
    page.wait_for_selector("li.kind-published")

    page.goto(f"{base}/?periode=2020-Q1")
    assert published_card(page).startswith(f"{numerator + 1}/{denominator + 1} = ")
    assert published_card(page) != before

    page.click(".card[data-code=published] a")
    page.wait_for_selector("ul.counted")
    page.click(f"ul.counted a:text-is('{reference}')")
    page.wait_for_url(f"{base}/kegiatan/{reference}")
    kinds = page.locator("ol.timeline li > p:first-child strong").all_inner_texts()
    assert kinds[:3] == ["dijadwalkan", "terlaksana", "dipublikasikan"]
    assert "operator" in page.locator("li.kind-published").inner_text()
    context.close()


@pytest.fixture
def operator_page(server, browser):
    """A fresh browser context (JavaScript on) logged in as the operator."""
    context = browser.new_context()
    page = context.new_page()
    log_in(page, server[0])
    yield page
    context.close()


def test_period_picker_swaps_the_cards_with_htmx(server, operator_page):
    base, page = server[0], operator_page
    page.goto(f"{base}/?periode=2020")
    page.select_option("#bagian", "Q2")
    page.wait_for_url(f"{base}/?tahun=2020&bagian=Q2**")
    assert page.locator("#period-title").inner_text().startswith("Triwulan II 2020")


def test_a_double_click_records_one_event(server, operator_page):
    (base, runtime), page = server, operator_page
    page.goto(f"{base}/agenda?dari=2020-03-10&sampai=2020-03-10")
    button = page.locator("tr#row-AG-2020-0003 form.one-click:has(input[name=kind][value=held]) button")
    button.dblclick()
    page.wait_for_selector("tr#row-AG-2020-0003.status-held")
    page.wait_for_load_state("networkidle")
    trail = read.activities.trail(runtime.fresh(), "AG-2020-0003")
    assert [e["kind"] for e in trail["events"]].count("held") == 1
