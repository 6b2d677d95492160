"""Daily entry in headless Chromium, with JavaScript (htmx) and without: the future-held guard, the step forms
fitting the screen, an oversize upload refused where the user is, and a refused click answered in place."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from domain.times import WIB, now, parse_instant, wib_date
from projections import read
from services import accounts
from services.presentation import format_moment
from services.runtime import Runtime
from tests.webapp.conftest import PASSWORD, ROLES, seed
from webapp import create_app

MB = 1024 * 1024
MODES = pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app served by waitress with a 1 MB evidence file limit (so the request cap is 5 MB)."""
    from waitress.server import create_server

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IKU_MAX_UPLOAD_MB", "1")
        runtime = Runtime(tmp_path_factory.mktemp("entry") / "data", database_url="")
        for role in ROLES:
            accounts.add_user(runtime, role, role, PASSWORD, actor="setup")
        seed(runtime)
        runtime.follow()
        httpd = create_server(create_app({"RUNTIME": runtime}), host="127.0.0.1", port=0, threads=4)
        threading.Thread(target=httpd.run, daemon=True).start()
        yield f"http://127.0.0.1:{httpd.effective_port}", runtime
        httpd.close()
        runtime.close()


def open_page(browser, base: str, username: str = "operator", javascript: bool = True, width: int = 1366):
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/masuk")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{base}/")
    return context, page


def local(moment) -> str:
    return moment.astimezone(WIB).strftime("%Y-%m-%dT%H:%M")


def held_kinds(runtime, reference: str) -> list[str]:
    return [e["kind"] for e in read.activities.trail(runtime.fresh(), reference)["events"] if not e["withdrawn"]]


def schedule_and_hold(runtime, reference: str) -> None:
    runtime.record("scheduled", reference, title="Rapat uji", leaders=["walikota"], location="Aula",
                   occurred_at=parse_instant("2020-03-05T09:00"), actor="siti")
    runtime.record("held", reference, occurred_at=parse_instant("2020-03-05T09:00"), actor="siti")


@MODES
def test_future_activity_asks_when_it_was_held_and_never_records_now_silently(server, browser, javascript):
    base, runtime = server
    reference = f"AG-FUT-{'JS' if javascript else 'NOJS'}"
    planned = (now() + timedelta(days=2)).replace(second=0, microsecond=0)
    runtime.record("scheduled", reference, title="Peresmian taman", leaders=["walikota"], location="Alun-alun",
                   occurred_at=planned, actor="siti")
    context, page = open_page(browser, base, javascript=javascript)
    day = wib_date(planned).isoformat()
    page.goto(f"{base}/agenda?dari={day}&sampai={day}")
    row = page.locator(f"tr#row-{reference}")
    assert row.locator("form.one-click").count() == 0, "no one-tap held for an activity still ahead"
    assert row.locator("input[name=occurred_at][type=datetime-local]").is_hidden(), "folded until asked for"
    row.locator("summary").click()
    field = row.locator("input[name=occurred_at][type=datetime-local]")
    assert field.is_visible() and field.input_value() == ""
    assert row.locator(".hint").inner_text() == f"Direncanakan {format_moment(planned)}"

    row.locator("button[type=submit]").click()  # nothing entered: the browser asks for the time
    assert field.evaluate("e => e.validity.valueMissing")
    assert "held" not in held_kinds(runtime, reference)

    when = (now() - timedelta(hours=1)).replace(second=0, microsecond=0)
    field.fill(local(when))
    row.locator("button[type=submit]").click()
    page.wait_for_selector(f"tr#row-{reference}.status-held")
    held = next(e for e in read.activities.trail(runtime.fresh(), reference)["events"] if e["kind"] == "held")
    assert held["occurred_at"] == when
    assert page.locator("#flash .saved").inner_text() == f"Tersimpan: terlaksana, {format_moment(when)}"

    if javascript:  # the next action (a search, swapped by htmx) takes the confirmation away
        page.fill("#q", "Peresmian")
        page.press("#q", "Enter")
        expect(page).to_have_url(re.compile(r"q=Peresmian"))
        expect(page.locator("#flash .saved")).to_have_count(0)
        assert page.locator(f"tr#row-{reference}").is_visible()
    else:
        page.reload()
        assert page.locator("#flash .saved").count() == 0
    context.close()


@MODES
def test_activity_page_names_the_planned_start_instead_of_proposing_now(server, browser, javascript):
    base, runtime = server
    reference = f"AG-FUT-PAGE-{'JS' if javascript else 'NOJS'}"
    planned = (now() + timedelta(days=2)).replace(second=0, microsecond=0)
    runtime.record("scheduled", reference, title="Kunjungan kerja", leaders=["sekda"], location="Kecamatan",
                   occurred_at=planned, actor="siti")
    context, page = open_page(browser, base, javascript=javascript)
    page.goto(f"{base}/kegiatan/{reference}")
    assert page.locator("#held-occurred_at").input_value() == ""
    assert page.locator("#held-plan").inner_text() == f"Direncanakan {format_moment(planned)}"
    page.click("#step-held button[type=submit]")
    assert page.locator("#held-occurred_at").evaluate("e => e.validity.valueMissing")
    assert "held" not in held_kinds(runtime, reference)
    context.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_step_forms_fit_their_columns_and_the_screen(server, browser, width):
    base, runtime = server
    reference = f"AG-WIDE-{width}"
    schedule_and_hold(runtime, reference)
    runtime.record("documented", reference, occurred_at=parse_instant("2020-03-05T10:00"), channel="foto",
                   evidence_ref="ARSIP/1", actor="siti")
    context, page = open_page(browser, base, width=width)
    page.goto(f"{base}/kegiatan/{reference}")
    for summary in page.locator(".actions-panel details > summary").all():
        summary.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    fields = page.locator(".actions-panel fieldset input:not([type=hidden]), .actions-panel fieldset select, "
                          ".actions-panel fieldset button").all()
    assert len(fields) > 20
    for field in fields:
        box = field.bounding_box()
        frame = field.evaluate("e => { const r = e.closest('fieldset').getBoundingClientRect(); "
                               "return {left: r.left + scrollX, right: r.right + scrollX}; }")
        assert frame["left"] - 1 <= box["x"] and box["x"] + box["width"] <= frame["right"] + 1, \
            f"{field.get_attribute('name')} overflows its form at {width} px"
    boxes = []
    for form in page.locator(".actions-panel form.step").all():
        outer, inner = form.bounding_box(), form.locator("fieldset").bounding_box()
        assert inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1, "a form wider than its column"
        boxes.append(inner)
    for i, a in enumerate(boxes):  # no form lies over another
        for b in boxes[i + 1:]:
            apart = (a["x"] + a["width"] <= b["x"] + 1 or b["x"] + b["width"] <= a["x"] + 1
                     or a["y"] + a["height"] <= b["y"] + 1 or b["y"] + b["height"] <= a["y"] + 1)
            assert apart, f"two step forms overlap at {width} px"
    pickers = page.locator(".actions-panel input[type=datetime-local]").all()
    assert all(picker.bounding_box()["width"] >= 200 for picker in pickers), "date pickers are not cut off"
    context.close()


def choose(page, selector: str, size: int, name: str = "foto.jpg", head: bytes = b"\xff\xd8\xff") -> None:
    page.set_input_files(selector, {"name": name, "mimeType": "image/jpeg", "buffer": head + b"\0" * (size - len(head))})


def fill_publication(page) -> None:
    form = page.locator("#step-published")
    form.locator("input[name=channel]").fill("website")
    form.locator("input[name=evidence_ref]").fill("https://example.go.id/berita/uji")
    form.locator("input[name=note]").fill("foto utama")


def assert_fields_kept(page) -> None:
    form = page.locator("#step-published")
    assert form.locator("input[name=channel]").input_value() == "website"
    assert form.locator("input[name=evidence_ref]").input_value() == "https://example.go.id/berita/uji"
    assert form.locator("input[name=note]").input_value() == "foto utama"


def test_an_oversize_file_is_refused_before_sending_with_javascript(server, browser):
    base, runtime = server
    reference = "AG-UP-JS"
    schedule_and_hold(runtime, reference)
    context, page = open_page(browser, base)
    page.goto(f"{base}/kegiatan/{reference}")
    assert page.locator("#published-berkas-limit").inner_text() == "maks. 1 MB"
    fill_publication(page)
    sent = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    choose(page, "#published-berkas", 2 * MB)
    message = page.locator("#step-published .file-too-large")
    assert message.is_visible()
    assert "terlalu besar" in message.inner_text() and "maks. 1 MB" in message.inner_text()
    page.click("#step-published button[type=submit]")
    page.wait_for_timeout(300)
    assert sent == [], "nothing was sent"
    assert_fields_kept(page)
    assert "published" not in held_kinds(runtime, reference)

    choose(page, "#published-berkas", 2000, name="foto.png", head=b"\x89PNG\r\n\x1a\n")
    assert message.is_hidden()
    page.click("#step-published button[type=submit]")
    page.wait_for_selector("li.kind-published .attachment")
    assert page.locator("#flash .saved").inner_text().startswith("Tersimpan: dipublikasikan, ")
    context.close()


def test_an_oversize_file_without_javascript_comes_back_beside_its_field(server, browser):
    base, runtime = server
    reference = "AG-UP-NOJS"
    schedule_and_hold(runtime, reference)
    context, page = open_page(browser, base, javascript=False)
    page.goto(f"{base}/kegiatan/{reference}")
    fill_publication(page)
    choose(page, "#published-berkas", 2 * MB)
    page.click("#step-published button[type=submit]")
    page.wait_for_load_state()
    error = page.locator("#published-berkas-error")
    assert error.is_visible() and "terlalu besar" in error.inner_text() and "batas 1 MB" in error.inner_text()
    assert_fields_kept(page)

    choose(page, "#published-berkas", 6 * MB)  # beyond even the request cap: a page of its own
    page.click("#step-published button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Berkas terlalu besar")
    assert "1 MB" in page.locator("main .error").inner_text()
    assert page.locator("header .who").inner_text().startswith("operator")
    page.click(f"main a[href='/kegiatan/{reference}']")
    page.wait_for_url(f"{base}/kegiatan/{reference}")
    assert "published" not in held_kinds(runtime, reference)
    context.close()


def test_a_body_beyond_the_cap_with_htmx_shows_the_message_in_the_form(server, browser):
    base, runtime = server
    reference = "AG-UP-CAP"
    schedule_and_hold(runtime, reference)
    context, page = open_page(browser, base)
    page.goto(f"{base}/kegiatan/{reference}")
    fill_publication(page)
    page.eval_on_selector("#published-berkas", "e => e.removeAttribute('data-max-bytes')")  # the check bypassed
    choose(page, "#published-berkas", 6 * MB)
    page.click("#step-published button[type=submit]")
    alert = page.locator("#step-published .form-alert .error")
    alert.wait_for()
    assert "1 MB" in alert.inner_text() and alert.is_visible()
    assert_fields_kept(page)
    assert "published" not in held_kinds(runtime, reference)
    context.close()


@MODES
def test_a_refused_click_is_answered_where_it_was_made(server, browser, javascript):
    base, runtime = server
    username, reference = f"petugas-{'js' if javascript else 'nojs'}", f"AG-403-{'JS' if javascript else 'NOJS'}"
    accounts.add_user(runtime, username, "operator", PASSWORD, actor="setup")
    runtime.record("scheduled", reference, title="Rapat", leaders=["walikota"], location="Aula",
                   occurred_at=parse_instant("2020-03-12T09:00"), actor="siti")
    context, page = open_page(browser, base, username, javascript=javascript)
    page.goto(f"{base}/agenda?dari=2020-03-12&sampai=2020-03-12")
    runtime.log.change_role(username, "auditor", actor="admin")  # while the page is open
    assert read.accounts.account(runtime.fresh(), username)["role"] == "auditor"
    page.click(f"tr#row-{reference} form.one-click button")
    if javascript:
        message = page.locator(f"tr#row-{reference} .form-alert .error")
        message.wait_for()
        assert "hanya dapat melihat" in message.inner_text() and message.is_visible()
        assert message.evaluate("e => getComputedStyle(e).color") == "rgb(179, 38, 30)", "styled as an error"
        assert page.locator("#flash").inner_text().strip() == ""
    else:
        page.wait_for_load_state()
        assert "hanya dapat melihat" in page.locator("main .error").inner_text()
        assert page.locator("header .who").inner_text().startswith(username)
        page.click("main a[href='/agenda?dari=2020-03-12&sampai=2020-03-12']")
        page.wait_for_url("**/agenda?dari=2020-03-12**")
        assert page.locator("form.one-click").count() == 0, "now an auditor: no write control"
    assert read.activities.activity(runtime.fresh(), reference)["status"] == "scheduled"
    context.close()
