"""The quarter's cycle in a real browser by three accounts: the operator submits, the Kasubbag returns it with
a reason, the operator submits again, the Kasubbag verifies, the Kabag approves; then a late fact for the
closed quarter is refused with its message, and after a reopen with a reason it is recorded."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in_as


def as_role(browser, base, role, *, javascript=True, width=1366):
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    log_in_as(page, base, role)
    page.goto(f"{base}/penutupan?tahun=2020")
    return context, page


def take(page, code, button, reason=None):
    row = page.locator(f"#p-{code}")
    form = row.locator("form", has=page.locator(f"button:text-is('{button}')"))
    if reason is not None:
        form.locator("input[name=alasan]").fill(reason)
    with page.expect_response(lambda r: "/penutupan/" in r.url and r.request.method == "POST"):
        form.locator("button").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_three_accounts_close_a_quarter_and_a_late_fact_needs_a_reopen(server, browser, javascript):
    base, runtime = server
    code = "2020-Q1" if javascript else "2020-Q2"
    if not javascript:  # a Q2 activity to document late
        from domain.times import parse_instant

        runtime.record("scheduled", "AG-2020-0100", title="Rapat Q2", leaders=["sekda"], location="Aula",
                       occurred_at=parse_instant("2020-05-05T09:00"), actor="siti")
        runtime.record("held", "AG-2020-0100", occurred_at=parse_instant("2020-05-05T09:00"), actor="siti")
    operator = as_role(browser, base, "operator", javascript=javascript)
    verifier = as_role(browser, base, "verifier", javascript=javascript)
    approver = as_role(browser, base, "approver", javascript=javascript, width=390)
    contexts = [operator[0], verifier[0], approver[0]]
    operator, verifier, approver = operator[1], verifier[1], approver[1]

    take(operator, code, "Ajukan")
    expect(operator.locator(f"#p-{code} .state")).to_have_text("diajukan")
    verifier.reload()
    expect(verifier.locator("section.awaiting")).to_contain_text("Triwulan")
    take(verifier, code, "Kembalikan", "bukti dokumentasi belum lengkap")
    expect(verifier.locator(f"#p-{code} .state")).to_have_text("terbuka")
    operator.reload()
    expect(operator.locator(f"#p-{code}")).to_contain_text("bukti dokumentasi belum lengkap")
    take(operator, code, "Ajukan")
    verifier.reload()
    take(verifier, code, "Verifikasi")
    approver.reload()
    expect(approver.locator("section.awaiting")).to_contain_text("Triwulan")
    take(approver, code, "Setujui (tutup periode)")
    expect(approver.locator(f"#p-{code} .state")).to_have_text("disetujui (ditutup)")
    expect(approver.locator(f"#p-{code}")).to_contain_text("revisi 1, segel")
    assert approver.evaluate("document.documentElement.scrollWidth") <= 390
    assert runtime.log.period_close(code).revision == 1

    reference = "AG-2020-0002" if javascript else "AG-2020-0100"
    before = runtime.follower.head()
    record_late(operator, base, reference)
    label = "Triwulan I 2020" if javascript else "Triwulan II 2020"
    expect(operator.locator(".error:not([hidden])").first).to_contain_text(
        f"{label} sudah ditutup (revisi 1, disetujui oleh approver)")
    assert runtime.follower.head() == before

    approver.goto(f"{base}/penutupan?tahun=2020")
    take(approver, code, "Buka kembali", "dokumentasi susulan dari bagian protokol")
    expect(approver.locator(f"#p-{code} .state")).to_have_text("terbuka")
    record_late(operator, base, reference)
    assert runtime.follower.head() == before + 2  # the reopen, then the late fact
    for context in contexts:
        context.close()


def record_late(page, base, reference):
    page.goto(f"{base}/kegiatan/{reference}")
    for summary in page.locator(".actions-panel details > summary").all():
        if summary.is_visible():
            summary.click()
    form = page.locator("#step-documented")
    form.locator("input[name=occurred_at]").fill("2020-06-02T10:00")
    form.locator("input[name=channel]").fill("foto")
    form.locator("input[name=evidence_ref]").fill("ARSIP/susulan")
    with page.expect_response(lambda r: "/catat" in r.url and r.request.method == "POST"):
        form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_three_accounts_close_a_whole_year_in_the_browser(server, browser):
    base, runtime = server
    pages = [as_role(browser, base, role, javascript=False) for role in ("operator", "verifier", "approver")]
    operator, verifier, approver = (page for _context, page in pages)
    for page in (operator, verifier, approver):
        page.goto(f"{base}/penutupan?tahun=2021")
    for code in ("2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4", "2021"):
        if code == "2021":  # the year's approval is offered only once its four triwulan are closed
            approver.reload()
        take(operator, code, "Ajukan")
        verifier.reload()
        take(verifier, code, "Verifikasi")
        approver.reload()
        take(approver, code, "Setujui (tutup periode)")
        expect(approver.locator(f"#p-{code} .state")).to_have_text("disetujui (ditutup)")
    assert all(runtime.log.period_close(code).closed for code in ("2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4", "2021"))
    expect(approver.locator("#p-2021-Q2 button")).to_have_count(0)  # a triwulan of a closed year: no reopen
    for context, _page in pages:
        context.close()
