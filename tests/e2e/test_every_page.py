"""Every page, as each role that can reach it, at an office PC's width (1366 px) and a phone's (390 px), with
and without JavaScript, in real Chromium: nothing wider than the screen, no `None`, `null`, traceback or raw
ISO timestamp in what a person reads, and a read-only role sees no control that writes.

Set IKU_SHOTS_DIR to keep a full-page screenshot of each (to look at them)."""

from __future__ import annotations

import os
import re
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from domain.indicators import SEED_CODES
from domain.times import UTC, WIB
from projections import chain, read
from services import accounts
from services.demo import build_demo
from services.runtime import Runtime
from tests.e2e.conftest import log_in_as
from tests.webapp.conftest import PASSWORD, ROLES
from tests.webapp.evidence_history import PAGE, PDF, attach, check_link, not_applicable
from webapp import create_app

WIDTHS = (1366, 390)
ANONYMOUS = "anonim"
#: posts a read-only role may send: they change nothing in the log but the caller's own session or password
READ_ONLY_POSTS = re.compile(r"^/(masuk|keluar|bahasa/\w+|integritas/periksa|akun/sandi)$")
#: posts only an admin may send: the Manual IKU, targets, the profile, accounts (a password is everyone's own)
ADMIN_POSTS = re.compile(r"^/(manual/(definisi|hentikan)|laporan/(target|profil)|akun(?!/sandi$)(/.*)?"
                         r"|daftar-dokumen/(jenis|hentikan))$")
CLOSING_STEPS = re.compile(r"^/penutupan/[0-9]{4}(-Q[1-4])?/(return|verify|approve|reopen)$")
RAW_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2})?\b")
FORBIDDEN_WORDS = re.compile(r"\bNone\b|\bnull\b|Traceback|<built-in|object at 0x")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A small demo history ending now (so some activities are still ahead), one account per role."""
    from waitress.server import create_server

    data = tmp_path_factory.mktemp("every-page") / "data"
    build_demo(data, activities_per_year=150)
    runtime = Runtime(data, database_url="")
    for role in ROLES:
        accounts.add_user(runtime, role, role, PASSWORD, actor="setup")
    runtime.follow()
    today = datetime.now(tz=UTC).astimezone(WIB).date()
    rows = read.activities.agenda(runtime.fresh(), start=today - timedelta(days=400), end=today + timedelta(days=30),
                         limit=10_000)["rows"]
    held = next(row for row in rows if row["status"] == "held" and all(row["evidence"].values()))
    ahead = next(row for row in rows if row["status"] == "scheduled" and row["planned_start"] > datetime.now(tz=UTC))
    cancelled = next(row for row in rows if row["status"] == "cancelled")
    # an activity excluded from an indicator (the demo's closed-door meetings): its trail and exclusion forms
    db = runtime.fresh()
    sealed_before = str(chain.head(db))  # a seal printed before the facts below: today's log grew from it
    excluded = next(row for row in rows if row["status"] == "held" and any(
        event["kind"] == "excluded" for event in read.activities.trail(db, row["reference"])["events"]))
    # the held activity's checklist in every state, and its publication's link dead since a check (with its copy)
    attach(runtime, held["reference"], "undangan", PDF, "undangan.pdf")
    not_applicable(runtime, held["reference"], "naskah_sambutan", "tanpa sambutan")
    link = next((event["evidence_ref"] for event in read.activities.trail(db, held["reference"])["events"]
                 if event["kind"] == "published" and not event["withdrawn"]
                 and event["evidence_ref"].startswith(("http://", "https://"))), None)
    if link is not None:
        check_link(runtime, held["reference"], link, f"{today - timedelta(days=20)}T10:00", page=PAGE)
        check_link(runtime, held["reference"], link, f"{today - timedelta(days=10)}T10:00", status=404)
    year = today.year
    fourth = next(i.code for i in read.manual.indicators(db, year, datetime.now(tz=UTC)) if i.code not in SEED_CODES)
    server = create_server(create_app({"RUNTIME": runtime}), host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    staff = ("operator", "auditor", "admin", "verifier", "approver")
    writers = ("operator", "admin")
    pages = [
        ("/masuk", (ANONYMOUS,)),
        ("/", staff),
        (f"/?periode={year}-Q1", staff),
        (f"/?dari={year}-02-01&sampai={year}-02-15", staff),
        (f"/indikator/published?periode={year}", staff),  # with the demo's exclusions
        (f"/indikator/{fourth}?periode={year}", staff),  # the fourth indicator, defined by an admin
        ("/agenda", staff),
        (f"/agenda?dari={today - timedelta(days=30)}&sampai={today + timedelta(days=14)}", staff),
        (f"/kegiatan/{held['reference']}", staff),
        (f"/kegiatan/{ahead['reference']}", staff),
        (f"/kegiatan/{cancelled['reference']}", staff),
        (f"/kegiatan/{excluded['reference']}", staff),
        ("/jejak-audit", staff),
        (f"/perbandingan?periode={year}&per={today - timedelta(days=60)}T00:00", staff),
        (f"/laporan?tahun={year}", staff),
        (f"/manual?tahun={year}", staff),
        (f"/manual?tahun={year}&ubah=published", ("admin",)),  # the definition form, filled
        (f"/penutupan?tahun={year - 1}", staff),
        (f"/penutupan?tahun={year}", staff),
        (f"/penutupan/{year}-Q1/narasi", staff),  # closed in the demo: read only
        (f"/penutupan/{year}-Q4/narasi", staff),  # open: an operator writes
        ("/integritas", ("auditor", "admin")),
        (f"/integritas?segel={sealed_before}", ("auditor", "admin")),  # a pasted seal that holds, with its proof
        (f"/integritas?segel=mth:9999999:{'ab' * 32}", ("auditor", "admin")),  # one this log never had
        ("/daftar-dokumen", staff),
        ("/daftar-dokumen?ubah=foto", ("admin",)),  # the kind's form, filled
        (f"/agenda?dari={today - timedelta(days=60)}&sampai={today}&dokumen=belum", staff),
        ("/akun", ("auditor", "admin")),
        ("/akun/sandi", staff),
        ("/impor", writers),
        ("/halaman-yang-tidak-ada", staff),
    ]
    yield {"base": f"http://127.0.0.1:{server.effective_port}", "pages": pages, "excluded": excluded["reference"],
           "held": held["reference"], "year": year}
    server.close()
    runtime.close()


def visible_text(page) -> str:
    """What a person reads: the body's text without code samples (commands, file formats) and hidden parts."""
    return page.evaluate("""() => {
        const body = document.body.cloneNode(true);
        body.querySelectorAll('code, kbd, script, style, template, [hidden]').forEach(node => node.remove());
        return body.innerText;
    }""")


def write_controls(page) -> list[str]:
    """The actions of every form that posts and every htmx control that writes, wherever they sit in the page."""
    return page.evaluate("""() => {
        const found = [];
        document.querySelectorAll('form').forEach(form => {
            if ((form.getAttribute('method') || 'get').toLowerCase() === 'post') found.push(new URL(form.action).pathname);
        });
        document.querySelectorAll('[hx-post], [hx-put], [hx-patch], [hx-delete]').forEach(node => {
            const url = node.getAttribute('hx-post') || node.getAttribute('hx-put') || node.getAttribute('hx-patch')
                || node.getAttribute('hx-delete');
            found.push(new URL(url, location.href).pathname);
        });
        return found;
    }""")


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
@pytest.mark.parametrize("role", [ANONYMOUS, *ROLES])
def test_every_page_fits_the_screen_speaks_plainly_and_offers_only_allowed_controls(site, browser, role,
                                                                                    javascript):
    base = site["base"]
    shots = os.environ.get("IKU_SHOTS_DIR")
    problems: list[str] = []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
        page = context.new_page()
        if role != ANONYMOUS:
            log_in_as(page, base, role)
        for path, roles in site["pages"]:
            if role not in roles:
                continue
            page.goto(base + path)
            page.wait_for_load_state("load")
            where = f"{role} {width}px {'js' if javascript else 'no-js'} {path}"
            document_width = page.evaluate("document.documentElement.scrollWidth")
            if document_width > width:
                problems.append(f"{where}: document is {document_width} px wide")
            text = visible_text(page)
            for pattern, what in ((FORBIDDEN_WORDS, "a Python word"), (RAW_ISO, "a raw ISO timestamp")):
                found = pattern.search(text)
                if found:
                    context_text = text[max(0, found.start() - 40):found.end() + 40].replace("\n", " ")
                    problems.append(f"{where}: {what} {found.group()!r} in …{context_text}…")
            if role in ("auditor", ANONYMOUS, "verifier", "approver"):
                # a verifier and an approver take steps of the quarter's cycle and record nothing else
                allowed = CLOSING_STEPS if role in ("verifier", "approver") else READ_ONLY_POSTS
                refused = [action for action in write_controls(page)
                           if not (READ_ONLY_POSTS.match(action) or allowed.match(action))]
                if refused:
                    problems.append(f"{where}: a read-only role sees write controls {sorted(set(refused))}")
            elif role == "operator":
                refused = [action for action in write_controls(page) if ADMIN_POSTS.match(action)]
                if refused:
                    problems.append(f"{where}: an operator sees an admin's controls {sorted(set(refused))}")
            if shots:
                name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{shots}/{role}-{width}-{'js' if javascript else 'nojs'}-{name}.png",
                                full_page=True)
        context.close()
    if problems:
        pytest.fail(f"{len(problems)} problems:\n" + "\n".join(problems), pytrace=False)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_forms_it_may_use_and_no_other(site, browser, role):
    """The Manual IKU's and the document kinds' forms for an admin only; the exclusion and checklist forms for an
    operator and an admin only."""
    base, year = site["base"], site["year"]
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    log_in_as(page, base, role)
    page.goto(f"{base}/manual?tahun={year}")
    assert page.locator("article.manual-sheet").count() >= 4
    assert (page.locator("#definisi form").count() == 1) == (role == "admin"), role
    assert (page.locator("#hentikan form").count() == 1) == (role == "admin"), role
    page.goto(f"{base}/kegiatan/{site['excluded']}")
    writer = role in ("operator", "admin")
    assert page.locator("li.kind-excluded").count() >= 1, "the trail names the exclusion"
    assert (page.locator("#exclusions-title").count() == 1) == writer, role
    assert (page.locator("form input[name=withdrawn_kind][value=excluded]").count() >= 1) == writer, role
    page.goto(f"{base}/kegiatan/{site['held']}")
    assert (page.locator("form#step-excluded").count() == 1) == writer, role
    assert page.locator("#dokumen li.doc").count() >= 6, "everyone reads the checklist"
    assert (page.locator("#dokumen form").count() > 0) == writer, role
    page.goto(f"{base}/daftar-dokumen")
    assert page.locator("table.kinds tbody tr").count() >= 6
    assert (page.locator("#definisi-dokumen form").count() == 1) == (role == "admin"), role
    assert (page.locator("#hentikan-dokumen form").count() == 1) == (role == "admin"), role
    context.close()
