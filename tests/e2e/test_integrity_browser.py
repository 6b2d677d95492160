"""Integritas in a real browser: an auditor pastes the seal from last quarter's paper report and learns whether
today's log only grew from it, with htmx and without JavaScript, on a desktop and on a phone; a mistyped seal is
refused beside its field."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from domain.times import parse_instant
from projections import chain
from tests.e2e.conftest import log_in_as


@pytest.mark.parametrize(("javascript", "width"), [(True, 1366), (False, 390)], ids=["htmx-desktop", "no-js-phone"])
def test_an_auditor_checks_a_printed_seal(server, browser, tmp_path, javascript, width):
    base, runtime = server
    printed = str(chain.head(runtime.fresh()))
    runtime.record("scheduled", f"AG-2020-07{width}", title="Rapat sesudah segel", leaders=["sekda"],
                   location="Aula", occurred_at=parse_instant("2020-05-05T09:00"), actor="siti")
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    log_in_as(page, base, "auditor")
    page.goto(f"{base}/integritas")
    page.fill("#segel", f"  {printed.upper().replace('MTH', 'mth')} ")  # as retyped from paper
    page.click("form.seal-form button")
    expect(page.locator("#seal-check .ok")).to_contain_text("Cocok: log hari ini")
    assert "segel=" in page.url  # the check is a link an auditor can keep
    page.locator("#seal-check summary").click()
    expect(page.locator("#seal-check .proof li").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(tmp_path / f"integritas-{width}.png"), full_page=True)

    page.fill("#segel", "mth:12:bukan-heksadesimal")
    page.click("form.seal-form button")
    expect(page.locator("#segel-error")).to_have_text(
        "segel berbentuk mth:UKURAN:AKAR atau POSISI:DIGEST (64 digit heksadesimal)")
    expect(page.locator("#segel")).to_have_attribute("aria-invalid", "true")
    context.close()
