"""The Manual IKU and the exclusion form in real Chromium, with JavaScript (htmx) and without: an admin defines a
fourth indicator through the form and it has its own card and chart line; an operator excludes a held activity
from an indicator and the drill-down lists it. Set IKU_SHOTS_DIR to keep screenshots of the pages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in_as

ONLINE = "Prosentase kegiatan Walikota yang dipublikasikan di media daring"


def shoot(page, name: str) -> None:
    shots = os.environ.get("IKU_SHOTS_DIR")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{shots}/{name}.png", full_page=True)


@pytest.fixture(params=[True, False], ids=["htmx", "no-javascript"])
def javascript(request):
    return request.param


def opened(browser, base: str, role: str, javascript: bool, width: int = 1366):
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in_as(page, base, role)
    return context, page


def test_an_admin_defines_a_fourth_indicator_in_the_form(server, browser, javascript):
    base, _ = server
    code = "walikota_daring" if javascript else "walikota_daring_nojs"
    context, page = opened(browser, base, "admin", javascript)
    page.goto(f"{base}/manual?tahun=2020")
    page.click("#definisi summary")
    page.fill("#define-code", code)
    page.fill("#define-name", ONLINE)
    page.fill("#define-definition", "Kegiatan Walikota yang terlaksana dan dipublikasikan di media daring.")
    page.fill("#define-formula", "Kegiatan Walikota yang dipublikasikan di media daring / kegiatan Walikota "
                                 "terlaksana × 100%")
    page.select_option("#define-numerator_kind", "published")
    page.fill("#define-channels", "website; media online")
    for leader in ("wakil_walikota", "sekda"):
        page.uncheck(f"#definisi input[name=leaders][value={leader}]")
    page.check("#definisi input[name=exclusion_reasons][value=tertutup]")
    page.fill("#define-effective_from", "2020")
    page.fill("#define-reason", "IKU perubahan 2020")
    with page.expect_navigation():
        page.click("#definisi button[type=submit]")
    expect(page.locator("#flash")).to_contain_text(f"definisi indikator {code}, berlaku mulai 2020")
    sheet = page.locator(f"article[data-code={code}]")
    expect(sheet).to_contain_text("website, media online")
    expect(sheet.locator("ol.versions li.current")).to_contain_text("IKU perubahan 2020")

    page.goto(f"{base}/?periode=2020")
    card = page.locator(f".card[data-code={code}]")
    expect(card.locator("h3")).to_have_text(ONLINE)
    expect(card.locator(".fraction")).to_have_text("1/2 = 50,00%")  # the seed's two Walikota activities, one on the website
    expect(page.locator(f"figure.trend g.series[data-code={code}]")).to_have_count(1)
    colours = page.eval_on_selector_all("figure.trend g.series", "lines => lines.map(l => getComputedStyle("
                                                                 "l.querySelector('polyline')).stroke)")
    assert len(colours) == len(set(colours)), "each indicator's line its own colour"
    context.close()


def test_an_operator_excludes_a_held_activity_and_the_drilldown_lists_it(server, browser, javascript):
    base, _ = server
    reference = "AG-2020-0001" if javascript else "AG-2020-0002"
    context, page = opened(browser, base, "operator", javascript)
    page.goto(f"{base}/kegiatan/{reference}")
    page.click(".step-more-excluded summary")
    page.select_option("#excluded-indicator", "published")
    page.select_option("#excluded-exclusion_reason", "tertutup")
    page.fill("#excluded-note", "Rapat tertutup, tanpa peliputan")
    page.click("#step-excluded button[type=submit]")
    expect(page.locator("#exclusion-published")).to_contain_text("tertutup/rahasia")
    expect(page.locator("li.kind-excluded")).to_contain_text("alasan: tertutup/rahasia")
    page.goto(f"{base}/indikator/published?periode=2020")
    expect(page.locator("#excluded-title")).to_contain_text("Dikecualikan")
    expect(page.locator("ul.excluded-list")).to_contain_text(reference)
    expect(page.locator("#drilldown-excluded")).to_contain_text("kegiatan dikecualikan")
    context.close()


def test_a_refused_exclusion_says_why_in_its_form(server, browser, javascript):
    base, _ = server
    context, page = opened(browser, base, "operator", javascript)
    page.goto(f"{base}/kegiatan/AG-2020-0002")
    page.click(".step-more-excluded summary")
    page.select_option("#excluded-indicator", "documented")
    page.select_option("#excluded-exclusion_reason", "tertutup")  # documented does not allow it
    page.fill("#excluded-note", "uji")
    page.click("#step-excluded button[type=submit]")
    expect(page.locator("#excluded-exclusion_reason-error")).to_contain_text("tidak mengizinkan")
    expect(page.locator("#excluded-note")).to_have_value("uji")
    context.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_screens_of_the_manual_the_report_and_a_drilldown_with_exclusions(server, browser, width):
    """Never wider than the screen; kept as screenshots to look at (IKU_SHOTS_DIR)."""
    base, runtime = server
    context, page = opened(browser, base, "admin", True, width)
    for name, path in (("manual", "/manual?tahun=2020"), ("manual-change", "/manual?tahun=2020&ubah=published"),
                       ("laporan", "/laporan?tahun=2020"), ("drilldown", "/indikator/published?periode=2020"),
                       ("indicators", "/?periode=2020"), ("activity", "/kegiatan/AG-2020-0002")):
        page.goto(base + path)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        shoot(page, f"admin-{width}-{name}")
    context.close()
