"""An activity numbered `005/HUMAS/2020` is stepped from its Agenda row and its own page in Chromium."""

from __future__ import annotations

import pytest

from domain.times import parse_instant
from projections import read
from tests.e2e.conftest import log_in_as

REFERENCE = "005/HUMAS/2020"


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_a_reference_with_slashes_is_held_from_its_agenda_row(server, browser, javascript):
    base, runtime = server
    reference = f"{REFERENCE}-{'JS' if javascript else 'NOJS'}"
    runtime.record("scheduled", reference, title="Rapat dinas", leaders=["sekda"], location="Aula",
                   occurred_at=parse_instant("2020-03-12T09:00"), actor="siti")
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    log_in_as(page, base, "operator")
    page.goto(f"{base}/agenda?dari=2020-03-12&sampai=2020-03-12")
    row = page.locator("tr", has=page.locator(f"a:text-is('{reference}')"))
    row.locator("form:has(input[name=kind][value=held]) button").click()
    page.wait_for_function(f"() => [...document.querySelectorAll('tr.status-held a')]"
                           f".some(a => a.textContent === '{reference}')")
    assert read.activities.activity(runtime.fresh(), reference)["status"] == "held"
    page.click(f"a:text-is('{reference}')")
    page.wait_for_url(f"{base}/kegiatan/{reference}")
    assert reference in page.locator("h1").inner_text()
    context.close()
