"""The document checklist and the publication links in real Chromium, with JavaScript (htmx) and without: an operator
attaches a document, marks a kind not applicable and withdraws a file through the forms; a refusal comes back
beside its field; and every new or touched page (activity, Daftar dokumen, the agenda's filter, a drill-down,
Integritas) at an office PC's width and a phone's, as each role that reaches it: nothing wider than the screen,
no Python word, only the controls the role may use. Screenshots go to IKU_SHOTS_DIR (default
/tmp/shots-checklist)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from domain.times import parse_instant
from tests.e2e.conftest import log_in_as
from tests.webapp.evidence_history import PAGE, PNG, attach, check_link, not_applicable

SHOTS = os.environ.get("IKU_SHOTS_DIR") or "/tmp/shots-checklist"
WIDTHS = (1366, 390)
FORBIDDEN_WORDS = re.compile(r"\bNone\b|\bnull\b|Traceback|<built-in|object at 0x")
PDF = b"%PDF-1.4 surat tugas uji"


@pytest.fixture(scope="module")
def site(server):
    """The seed with a checklist in every state, a dead link with its archived copy, a kind defined by an admin
    and one retired."""
    base, runtime = server
    runtime.applied(runtime.log.define_document_kind("notulen", "Notulen rapat koordinasi", "sekda;walikota",
                                                     reason="SOP 2021", actor="admin"))
    runtime.applied(runtime.log.retire_document_kind("video", reason="disimpan di kanal resmi", actor="admin"))
    attach(runtime, "AG-2020-0002", "foto", PNG, "foto-rapat-koordinasi-di-ruang-sabha-pambojana.png")
    attach(runtime, "AG-2020-0002", "undangan", b"%PDF-1.4 undangan", "undangan.pdf")
    not_applicable(runtime, "AG-2020-0002", "naskah_sambutan", "Walikota tidak memberi sambutan")
    check_link(runtime, "AG-2020-0001", "https://example.go.id/1", "2021-02-01T10:00", page=PAGE)
    check_link(runtime, "AG-2020-0001", "https://example.go.id/1", "2021-03-03T10:00", status=404)
    runtime.record("scheduled", "AG-2020-0009", title="Penerimaan tamu", leaders=["sekda"], location="Rumah Rakyat",
                   occurred_at=parse_instant("2020-03-20T09:00"), actor="siti")
    runtime.record("held", "AG-2020-0009", occurred_at=parse_instant("2020-03-20T09:00"), actor="siti")
    runtime.record("published", "AG-2020-0009", occurred_at=parse_instant("2020-03-21T09:00"), channel="instagram",
                   evidence_ref="https://www.instagram.com/p/sangat-panjang-sekali-alamat-tautannya-tanpa-spasi-apa-pun/",
                   actor="siti")
    return base, runtime


def opened(browser, base: str, role: str, javascript: bool = True, width: int = 1366):
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in_as(page, base, role)
    return context, page


def shoot(page, name: str) -> None:
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def submit(page, selector: str, javascript: bool) -> None:
    if javascript:
        with page.expect_response(lambda response: response.request.method == "POST"):
            page.click(selector)
    else:
        with page.expect_navigation():
            page.click(selector)


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_an_operator_attaches_marks_and_withdraws_through_the_forms(site, browser, javascript):
    base, _ = site
    reference = "AG-2020-0001" if javascript else "AG-2020-0003"
    context, page = opened(browser, base, "operator", javascript)
    page.goto(f"{base}/kegiatan/{reference}")
    kind = page.locator("#dokumen-surat_tugas")
    expect(kind.locator(".doc-state")).to_have_text("belum ada")
    kind.locator("details.doc-attach summary").click()
    kind.locator("input[type=file]").set_input_files({"name": "surat-tugas.pdf", "mimeType": "application/pdf",
                                                      "buffer": PDF})
    submit(page, "#dokumen-surat_tugas details.doc-attach button[type=submit]", javascript)
    kind = page.locator("#dokumen-surat_tugas")
    expect(kind.locator(".doc-state")).to_have_text("ada")
    expect(kind.locator("ul.doc-files a")).to_have_text("surat-tugas.pdf")
    expect(page.locator("#flash")).to_contain_text("Tersimpan: surat-tugas.pdf sebagai Surat tugas")

    mark = page.locator("#dokumen-laporan")
    mark.locator("details.doc-not-applicable summary").click()
    mark.locator("input[name=reason]").fill("kunjungan singkat, tanpa laporan")
    submit(page, "#dokumen-laporan details.doc-not-applicable button[type=submit]", javascript)
    mark = page.locator("#dokumen-laporan")
    expect(mark.locator(".doc-state")).to_have_text("tidak diperlukan")
    expect(mark.locator(".doc-mark")).to_contain_text("kunjungan singkat, tanpa laporan")
    expect(page.locator("li.kind-not_applicable")).to_contain_text("Laporan")

    kind = page.locator("#dokumen-surat_tugas")
    kind.locator("details.doc-withdraw summary").click()
    kind.locator("details.doc-withdraw input[name=reason]").fill("surat tugas kegiatan lain")
    submit(page, "#dokumen-surat_tugas details.doc-withdraw button[type=submit]", javascript)
    expect(page.locator("#dokumen-surat_tugas .doc-state")).to_have_text("belum ada")
    expect(page.locator("li.kind-withdrawn").last).to_contain_text("surat tugas kegiatan lain")
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_a_refused_mark_comes_back_beside_its_field(site, browser, javascript):
    base, runtime = site
    context, page = opened(browser, base, "operator", javascript)
    page.goto(f"{base}/kegiatan/AG-2020-0002")
    before = runtime.follower.head()
    item = page.locator("#dokumen-laporan")
    item.locator("details.doc-not-applicable summary").click()
    item.locator("input[name=reason]").fill("   ")
    submit(page, "#dokumen-laporan details.doc-not-applicable button[type=submit]", javascript)
    error = page.locator("#doc-laporan-na-reason-error")
    expect(error).to_have_text("alasan wajib diisi")
    expect(page.locator("#doc-laporan-na-reason")).to_have_attribute("aria-invalid", "true")
    assert runtime.follower.head() == before
    context.close()


def test_an_admin_adds_a_kind_on_the_daftar_dokumen_page(site, browser):
    base, _ = site
    context, page = opened(browser, base, "admin", javascript=False)
    page.goto(f"{base}/daftar-dokumen")
    page.click("#definisi-dokumen summary")
    page.fill("#define-code", "daftar_hadir")
    page.fill("#define-label", "Daftar hadir")
    page.check("#definisi-dokumen input[value=sekda]")
    page.fill("#define-reason", "diminta Inspektorat")
    with page.expect_navigation():
        page.click("#definisi-dokumen button[type=submit]")
    expect(page.locator("#flash")).to_contain_text("Tersimpan: jenis dokumen daftar_hadir")
    expect(page.locator("#jenis-daftar_hadir")).to_contain_text("Sekretaris Daerah")
    expect(page.locator("ol.kind-history li").first).to_contain_text("diminta Inspektorat")
    context.close()


PAGES = [  # an admin sees what an operator sees but for its own forms (Daftar dokumen) and Integritas
    ("activity", "/kegiatan/AG-2020-0002", ("operator", "auditor")),
    ("activity-dead-link", "/kegiatan/AG-2020-0001", ("operator", "auditor")),
    ("activity-long-link", "/kegiatan/AG-2020-0009", ("operator", "auditor")),
    ("daftar-dokumen", "/daftar-dokumen", ("operator", "auditor", "admin")),
    ("agenda-filter", "/agenda?dari=2020-01-01&sampai=2020-12-31&dokumen=belum", ("operator", "auditor")),
    ("drilldown", "/indikator/published?periode=2020", ("operator", "auditor")),
    ("integritas", "/integritas", ("auditor", "admin")),
]
WRITERS = ("operator", "admin")
#: posts each role may see a control for on these pages (besides the session's own: language, logout)
ALLOWED = {"operator": re.compile(r"^/kegiatan/.+/(dokumen|catat)$|^/agenda$"),
           "admin": re.compile(r"^/kegiatan/.+/(dokumen|catat)$|^/agenda$|^/daftar-dokumen/(jenis|hentikan)$"
                               r"|^/integritas/periksa$"),
           "auditor": re.compile(r"^/integritas/periksa$")}
SESSION = re.compile(r"^/(keluar|bahasa/\w+)$")


def write_controls(page) -> list[str]:
    return page.evaluate("""() => {
        const found = [];
        document.querySelectorAll('form').forEach(form => {
            if ((form.getAttribute('method') || 'get').toLowerCase() === 'post') found.push(new URL(form.action).pathname);
        });
        document.querySelectorAll('[hx-post]').forEach(node => found.push(new URL(node.getAttribute('hx-post'), location.href).pathname));
        return found;
    }""")


# the verifier and the approver read these pages as an auditor does (tests/e2e/test_every_page.py visits them too)
@pytest.mark.parametrize("role", ["operator", "auditor", "admin"])
def test_every_new_page_fits_both_screens_and_shows_each_role_only_its_controls(site, browser, role):
    base, _ = site
    problems = []
    for width in WIDTHS:
        context, page = opened(browser, base, role, True, width)
        for name, path, roles in PAGES:
            if role not in roles:
                continue
            page.goto(base + path)
            page.evaluate("document.querySelectorAll('#dokumen details, #definisi-dokumen, #hentikan-dokumen')"
                          ".forEach(d => d.open = true)")
            where = f"{role} {width}px {path}"
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                problems.append(f"{where}: {wide} px wide")
            found = FORBIDDEN_WORDS.search(page.inner_text("body"))
            if found:
                problems.append(f"{where}: {found.group()!r}")
            allowed = ALLOWED.get(role, re.compile(r"^$"))
            refused = sorted({action for action in write_controls(page)
                              if not (SESSION.match(action) or allowed.match(action))})
            if refused:
                problems.append(f"{where}: controls it may not use {refused}")
            if name.startswith("activity"):
                forms = page.locator("#dokumen form").count()
                if (forms > 0) != (role in WRITERS):
                    problems.append(f"{where}: {forms} checklist forms")
            shoot(page, f"{role}-{width}-{name}")
        context.close()
    assert problems == [], "\n".join(problems)


def test_the_dead_link_and_the_missing_documents_are_marked_where_activities_are_listed(site, browser):
    base, _ = site
    context, page = opened(browser, base, "auditor")
    page.goto(f"{base}/agenda?dari=2020-01-01&sampai=2020-12-31&dokumen=belum")
    row = page.locator("#row-AG-2020-0001")
    expect(row.locator(".dead-link")).to_contain_text("tautan tidak dapat dibuka sejak 3 Maret 2021")
    expect(row.locator(".missing-docs")).to_contain_text("dokumen belum ada")
    page.goto(f"{base}/indikator/published?periode=2020")
    expect(page.locator("#drilldown-completeness")).to_contain_text("Kelengkapan data dukung: ")
    mark = page.locator("ul.activities.counted .dead-link").first
    expect(mark).to_contain_text("3 Maret 2021")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with page.expect_navigation():
        mark.locator("a").click()
    assert page.url.startswith(f"{base}/arsip/")
    expect(page.locator("p")).to_have_text("Apel pagi di Balai Kota")
    page.wait_for_timeout(200)
    assert dialogs == [], "the archived page's script never runs"
    context.close()
