"""Impor: upload, a preview that stores nothing and lists every error by line, then all or nothing, once."""

from __future__ import annotations

import io
import os
import time
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from domain.times import parse_instant
from services import pendingimports
from services.pendingimports import PendingImports
from tests.webapp.conftest import event_count, login, soup

#: the contract's sample file, its references moved clear of the seeded AG-2020-0001…0003
SAMPLE = (Path(__file__).resolve().parents[1] / "data" / "sample-agenda.csv").read_bytes().replace(b"AG-2020-", b"AG-SMP-")
HEADER = "activity,event,occurred_at,title,leaders,location,channel,reference,note\n"
GOOD = (HEADER + "AG-7-0001,scheduled,2020-05-04T08:00,Apel,walikota,Balai Kota,,,\n"
        + "AG-7-0001,held,2020-05-04T08:00,,,,,,\n")


def upload(client, data: bytes, name: str = "agenda.csv", encoding: str = ""):
    return client.post("/impor", data={"berkas": (io.BytesIO(data), name), "pengodean": encoding},
                       content_type="multipart/form-data")


def preview_of(client, data: bytes, name: str = "agenda.csv"):
    response = upload(client, data, name)
    assert response.status_code == 303, response.data[:400]
    return response.headers["Location"], client.get(response.headers["Location"])


def confirm(client, location: str, page):
    form = soup(page).select_one("form.import-confirm")
    fields = {field["name"]: field.get("value", "") for field in form.select("input[type=hidden]")}
    return client.post(form["action"], data=fields)


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Agenda"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("role", ["operator", "admin"])
def test_import_page_is_open_to_writers_with_its_nav_link(client, role):
    page = login(client, role).get("/impor")
    assert page.status_code == 200
    html = soup(page)
    assert html.select_one("nav a[href='/impor'][aria-current=page]")
    assert html.select_one("form[action='/impor'][method=post][enctype='multipart/form-data'] input[type=file]")
    assert "20 MB" in html.select_one("#berkas-hint").get_text()


def test_auditor_is_refused_the_import_page_and_sees_no_link(client, runtime):
    login(client, "auditor")
    assert client.get("/impor").status_code == 403
    assert upload(client, SAMPLE).status_code == 403
    assert not soup(client.get("/")).select("nav a[href='/impor']")
    assert not (runtime.data_dir / "imports").exists()


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/impor")
    assert response.status_code == 303 and "/masuk" in response.headers["Location"]


def test_preview_counts_kinds_and_activities_and_stores_nothing(operator, runtime):
    before = event_count(runtime)
    location, page = preview_of(operator, SAMPLE, "sample-agenda.csv")
    assert page.status_code == 200
    html = soup(page)
    kinds = {row.select("td")[0].get_text(): row.select("td")[1].get_text() for row in html.select(".import-kinds tbody tr")}
    assert kinds == {"dijadwalkan": "4", "dijadwal ulang": "1", "terlaksana": "3", "dibatalkan": "1",
                     "dipublikasikan": "3", "didokumentasikan": "2", "dilayani protokol": "1", "ditarik": "1"}
    assert "AG-SMP-0004" in html.select_one(".import-activities").get_text()
    assert len(html.select(".import-rows tbody tr")) == 16
    assert "CSV, pemisah koma, pengodean UTF-8" in html.select_one(".import-meta").get_text()
    assert html.select_one("form.import-confirm button").get_text().startswith("Simpan semua")
    assert event_count(runtime) == before


def test_preview_lists_every_error_by_line_and_cannot_be_confirmed(operator, runtime):
    before = event_count(runtime)
    content = (GOOD + "AG-7-0001,held,2020-05-04T08:00,,,,,,\n"          # line 4: held twice
               + "AG-7-0002,scheduled,2020-02-30T08:00,Rapat,sekda,Aula,,,\n"  # line 5: no such date
               + "AG-7-0001,published,2020-05-04T10:00,,,,website,https://x,\n"
               + "AG-7-0003,rapat,2020-05-04T08:00,,,,,,\n")  # line 7, the last: unknown event
    location, page = preview_of(operator, content.encode())
    rows = soup(page).select(".import-error-list tbody tr")
    assert [row.select_one("td").get_text() for row in rows] == ["4", "5", "7"]
    assert "2020-02-30" in rows[1].get_text() and "rapat" in rows[2].get_text()
    assert not soup(page).select("form.import-confirm")
    token = location.rsplit("/", 1)[1]
    pending = PendingImports(runtime.data_dir).get(token)
    refused = operator.post(location, data={"submission_id": pending.submission})
    assert refused.status_code == 422
    assert len(soup(refused).select(".import-error-list tbody tr")) == 3
    assert event_count(runtime) == before


def test_confirm_stores_every_row_and_says_so(operator, runtime):
    before = event_count(runtime)
    location, page = preview_of(operator, SAMPLE, "sample-agenda.csv")
    stored = confirm(operator, location, page)
    assert stored.status_code == 303 and stored.headers["Location"] == location
    assert event_count(runtime) == before + 16
    done = soup(operator.get(location))
    assert done.select_one("#flash .saved").get_text() == "Tersimpan: 16 peristiwa dari sample-agenda.csv"
    links = [a["href"] for a in done.select(".import-next a")]
    assert "/agenda?dari=2020-01-06&sampai=2020-04-02" in links and "/?periode=2020" in links
    assert not (runtime.data_dir / "imports" / location.rsplit("/", 1)[1] / "upload").exists()


def test_repeated_confirmation_stores_the_file_once(operator, runtime):
    before = event_count(runtime)
    location, page = preview_of(operator, SAMPLE)
    assert confirm(operator, location, page).status_code == 303
    again = confirm(operator, location, page)
    assert again.status_code == 303
    assert event_count(runtime) == before + 16
    assert soup(operator.get(location)).select_one("#flash .saved").get_text().startswith("Tersimpan: 16 peristiwa")


def test_a_retry_racing_the_first_confirmation_stores_nothing_twice(operator, runtime, monkeypatch):
    """Both requests read the bytes before either noted it stored: the submission ids keep it to once."""
    monkeypatch.setattr(PendingImports, "mark_stored", lambda self, pending, summary: None)
    before = event_count(runtime)
    location, page = preview_of(operator, SAMPLE)
    assert confirm(operator, location, page).status_code == 303
    assert confirm(operator, location, page).status_code == 303
    assert event_count(runtime) == before + 16


def test_the_same_file_uploaded_again_after_storing_shows_it_stored(operator, runtime):
    location, page = preview_of(operator, GOOD.encode())
    confirm(operator, location, page)
    again, shown = preview_of(operator, GOOD.encode())
    assert again == location
    assert soup(shown).select_one("h1").get_text().startswith("Impor tersimpan")


def test_a_form_of_another_upload_is_refused(operator, runtime):
    before = event_count(runtime)
    location, _ = preview_of(operator, GOOD.encode())
    response = operator.post(location, data={"submission_id": "not-this-one"})
    assert response.status_code == 409
    assert soup(response).select_one("p.error[role=alert]")
    assert event_count(runtime) == before


def test_xlsx_first_sheet_is_read_with_typed_cells_and_sheet_row_numbers(operator, runtime):
    content = xlsx([
        ["activity", "event", "occurred_at", "title", "leaders", "location"],
        [1234, "scheduled", datetime(2020, 5, 4, 8, 0), "Apel", "walikota", "Balai Kota"],
        [1234, "held", datetime(2020, 5, 4, 8, 0)],
        [],
        [1235, "held", datetime(2020, 5, 4, 8, 0)],
    ])
    location, page = preview_of(operator, content, "agenda.xlsx")
    html = soup(page)
    assert "XLSX, lembar pertama: Agenda" in html.select_one(".import-meta").get_text()
    assert [row.select_one("td").get_text() for row in html.select(".import-error-list tbody tr")] == ["5"]
    first = html.select_one(".import-rows tbody tr").select("td")
    assert [cell.get_text() for cell in first[:4]] == ["2", "1234", "dijadwalkan", "4 Mei 2020 pukul 08.00 WIB"]


def test_windows_1252_csv_is_refused_by_name_then_read_as_chosen(operator, runtime):
    before = event_count(runtime)
    content = GOOD.replace("Apel", "Apel café").replace(",", ";").encode("cp1252")
    location, page = preview_of(operator, content)
    error = soup(page).select_one(".import-error-list tbody tr").get_text()
    assert "Windows-1252" in error and "UTF-8" in error
    picker = soup(page).select_one("details.import-encoding[open] form[method=get]")
    assert picker.select_one("select[name=pengodean] option[value=cp1252]")
    chosen = operator.get(location + "?pengodean=cp1252")
    html = soup(chosen)
    assert not html.select(".import-error-list")
    assert "titik koma" in html.select_one(".import-meta").get_text()
    assert confirm(operator, location, chosen).status_code == 303
    assert event_count(runtime) == before + 2


@pytest.mark.parametrize("content,needle", [
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "97"),
    (b"PK\x03\x04not really a zip", "XLSX"),
    (b"\x00\x01\x02\x03\x04\x05\x06\x07\x08" * 50, "teks"),
], ids=["pdf", "xls", "broken-zip", "binary"])
def test_a_file_that_is_no_table_gets_one_clear_line(operator, content, needle):
    location, page = preview_of(operator, content, "agenda.csv")
    assert page.status_code == 200
    errors = soup(page).select(".import-error-list tbody tr")
    assert len(errors) == 1 and needle in errors[0].get_text()


def test_upload_over_the_limit_is_refused_beside_the_field(operator, runtime, monkeypatch):
    monkeypatch.setenv("IKU_MAX_UPLOAD_MB", "0.001")
    response = upload(operator, SAMPLE * 2, encoding="cp1252")
    assert response.status_code == 422
    html = soup(response)
    assert "melebihi batas" in html.select_one("#berkas-error").get_text()
    assert html.select_one("#pengodean option[selected]")["value"] == "cp1252"
    assert not (runtime.data_dir / "imports").exists()


def test_upload_far_over_the_limit_gets_the_import_page_not_a_bare_413(operator, app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = upload(operator, SAMPLE * 2)
    assert response.status_code == 413
    assert "melebihi batas" in soup(response).select_one("#berkas-error").get_text()
    assert soup(response).select_one("nav a[href='/impor']")


def test_missing_or_empty_file_is_named_beside_the_field(operator):
    assert "Pilih berkas" in soup(operator.post("/impor", data={})).select_one("#berkas-error").get_text()
    assert "kosong" in soup(upload(operator, b"", "kosong.csv")).select_one("#berkas-error").get_text()


def test_an_unknown_upload_says_to_upload_again(operator):
    response = operator.get("/impor/" + "a" * 64)
    assert response.status_code == 404
    assert "Unggah berkasnya lagi" in soup(response).select_one("p.error").get_text()
    assert operator.get("/impor/not-a-digest").status_code == 404


def test_preview_speaks_english_on_request(operator):
    operator.post("/bahasa/en", data={"next": "/"})
    content = GOOD + "AG-7-0001,held,2020-05-04T08:00,,,,,,\n"
    location, page = preview_of(operator, content.encode())
    html = soup(page)
    assert "already recorded as held" in html.select_one(".import-error-list").get_text()
    assert "CSV, comma separated, encoding UTF-8" in html.select_one(".import-meta").get_text()


def test_uploads_older_than_a_day_are_cleaned_away(tmp_path):
    kept = PendingImports(tmp_path)
    old = kept.keep(b"old,file\n", "old.csv", "siti")
    folder = kept.root / old
    day_ago = time.time() - pendingimports.KEEP_FOR.total_seconds() - 60
    os.utime(folder, (day_ago, day_ago))
    kept.keep(b"new,file\n", "new.csv", "siti")
    assert not folder.exists()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.binary(min_size=1, max_size=2000),
                         st.text(min_size=1, max_size=500).map(lambda text: (HEADER + text).encode("utf-8"))))
def test_any_upload_gets_a_preview_page_and_stores_nothing(operator, runtime, content):
    before = event_count(runtime)
    response = upload(operator, content)
    assert response.status_code == 303
    page = operator.get(response.headers["Location"])
    assert page.status_code == 200
    assert "Traceback" not in page.get_data(as_text=True)
    assert event_count(runtime) == before


def test_a_row_broken_by_work_done_since_the_preview_stops_the_whole_file(operator, runtime):
    location, page = preview_of(operator, GOOD.encode())
    runtime.record("scheduled", "AG-7-0001", title="Apel lain", leaders=["sekda"], location="Aula",
                   occurred_at=parse_instant("2020-05-04T09:00"), actor="siti")
    before = event_count(runtime)
    response = confirm(operator, location, page)
    assert response.status_code == 422
    assert [row.select_one("td").get_text() for row in soup(response).select(".import-error-list tbody tr")] == ["2"]
    assert event_count(runtime) == before
