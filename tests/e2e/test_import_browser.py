"""Impor in headless Chromium, with JavaScript and without: upload the contract's sample, see the preview
(nothing stored), store it all, once; a phone-wide preview scrolls its tables inside their own boxes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.conftest import log_in_as
from tests.e2e.test_browser import log_in

SAMPLE = Path("/work/shared/sample-agenda.csv")
if not SAMPLE.exists():  # outside the project's workspace: the copy kept with the tests
    SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample-agenda.csv"


def sample_copy(tmp_path: Path, prefix: str) -> Path:
    """The sample with its references moved clear of the seeded ones (and of the other run's)."""
    path = tmp_path / "sample-agenda.csv"
    path.write_bytes(SAMPLE.read_bytes().replace(b"AG-2020-", prefix.encode()))
    return path


def looked_at(page, width: int, name: str) -> None:
    """Nothing wider than the screen and no `None` on the page; a screenshot kept when IKU_SHOTS_DIR is set."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    assert "None" not in page.locator("body").inner_text(), name
    shots = os.environ.get("IKU_SHOTS_DIR")
    if shots:
        page.screenshot(path=f"{shots}/impor-{name}.png", full_page=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("role", ["operator", "admin"])
def test_upload_preview_then_store_the_sample_once(server, browser, tmp_path, role, width, javascript):
    """Each role that may import, at a desk's width and a phone's, with and without JavaScript: the preview
    stores nothing, "Simpan semua" stores the file once (a bulk import in one transaction)."""
    base, runtime = server
    name = f"{role}-{width}-{'js' if javascript else 'nojs'}"
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": width, "height": 800})
    page = context.new_page()
    log_in_as(page, base, role)
    page.click("nav a[href='/impor']")
    page.wait_for_url(f"{base}/impor")
    page.set_input_files("#berkas", str(sample_copy(tmp_path, f"AG-{name.upper()}-")))
    before = runtime.follower.head()
    page.click("form.import-upload button[type=submit]")
    page.wait_for_selector("form.import-confirm")
    assert "/impor/" in page.url
    assert runtime.follower.head() == before  # a preview stores nothing
    assert page.locator(".import-rows tbody tr").count() == 16
    looked_at(page, width, f"{name}-preview")

    confirm = page.locator("form.import-confirm button[type=submit]")
    if javascript:
        confirm.dblclick()  # a double click stores the file once
    else:
        confirm.click()
    page.wait_for_selector(".import-next")
    assert page.locator("#flash .saved").inner_text() == "Tersimpan: 16 peristiwa dari sample-agenda.csv"
    assert runtime.follower.head() == before + 16
    looked_at(page, width, f"{name}-stored")

    page.reload()  # the preview's address now says what was stored
    assert page.locator("h1").inner_text().startswith("Impor tersimpan")
    assert runtime.follower.head() == before + 16
    page.click(".import-next a[href^='/agenda']")
    page.wait_for_url(f"{base}/agenda?*")
    context.close()


def test_preview_of_a_bad_file_lists_every_error_and_offers_no_save(server, browser, tmp_path):
    base, runtime = server
    bad = tmp_path / "agenda-rusak.csv"
    bad.write_text("activity;event;occurred_at;title;leaders\n"
                   "AG-BAD-1;scheduled;31/03/2020 09.00;Rapat;sekda\n"
                   "AG-BAD-1;held;2020-03-31T09:00;;\n", encoding="utf-8")
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    page = context.new_page()
    log_in(page, base)
    page.goto(f"{base}/impor")
    page.set_input_files("#berkas", str(bad))
    before = runtime.follower.head()
    page.click("form.import-upload button[type=submit]")
    page.wait_for_selector(".import-error-list")
    lines = page.locator(".import-error-list tbody tr td:first-child").all_inner_texts()
    assert lines == ["2", "3"]
    assert "Excel" in page.locator(".import-error-list tbody tr").first.inner_text()
    assert page.locator("form.import-confirm").count() == 0
    assert runtime.follower.head() == before
    context.close()
