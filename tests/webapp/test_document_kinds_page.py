"""Daftar dokumen: everyone logged in sees each kind (label, code, whose activities need it, retired ones marked)
and every recorded change; an admin adds, changes and retires kinds, a refusal beside its field storing
nothing; other roles get no form and 403 on a post."""

from __future__ import annotations

import pytest

from tests.webapp.conftest import ROLES, event_count, login, soup


def rows(page) -> dict[str, list[str]]:
    return {row["id"].removeprefix("jenis-"): [cell.get_text(" ", strip=True) for cell in row.select("td")]
            for row in page.select("table.kinds tbody tr")}


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_kinds_and_only_an_admin_the_forms(client, role):
    login(client, role)
    response = client.get("/daftar-dokumen")
    assert response.status_code == 200
    page = soup(response)
    found = rows(page)
    assert list(found) == ["undangan", "surat_tugas", "naskah_sambutan", "foto", "video", "laporan"]
    assert found["naskah_sambutan"][:3] == ["Naskah sambutan bawaan", "naskah_sambutan", "Walikota, Wakil Walikota"]
    assert found["video"][2] == "opsional"
    assert (page.select_one("#definisi-dokumen form") is not None) == (role == "admin")
    assert (page.select_one("#hentikan-dokumen form") is not None) == (role == "admin")
    assert page.select_one("nav a[aria-current=page]").text == "Daftar dokumen"


def test_an_admin_adds_a_kind_and_the_history_says_who_when_and_why(client, runtime):
    login(client, "admin")
    before = event_count(runtime)
    response = client.post("/daftar-dokumen/jenis", data={"code": "Notulen", "label": "Notulen rapat",
                                                         "required_for": ["sekda", "walikota"], "reason": "SOP 2021"})
    assert response.status_code == 303 and event_count(runtime) == before + 2
    page = soup(client.get("/daftar-dokumen"))
    assert rows(page)["notulen"] == ["Notulen rapat", "notulen", "Walikota, Sekretaris Daerah", "Ubah Notulen rapat"]
    entry = " ".join(page.select_one("ol.kind-history li").text.split())
    assert "Notulen rapat (notulen): wajib untuk Walikota, Sekretaris Daerah" in entry
    assert "dicatat oleh admin" in entry and "alasan: SOP 2021" in entry
    assert "Tersimpan: jenis dokumen notulen" in page.select_one("#flash").text
    # the new kind is on every activity's checklist, required for the leaders named
    activity = soup(client.get("/kegiatan/AG-2020-0003"))
    assert "state-missing" in activity.select_one("#dokumen-notulen")["class"]


def test_the_history_dates_are_written_as_a_person_writes_them(client, runtime):
    runtime.applied(runtime.log.define_document_kind("notulen", "Notulen", "", reason="SOP", actor="admin"))
    login(client, "auditor")
    entry = soup(client.get("/daftar-dokumen")).select_one("ol.kind-history li").text
    assert "pukul" not in entry
    import re

    assert re.search(r"dicatat oleh admin, \d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|"
                     r"Oktober|November|Desember) \d{4}", entry)


def test_an_admin_changes_a_kind_from_its_filled_form(client, runtime):
    login(client, "admin")
    form = soup(client.get("/daftar-dokumen?ubah=video")).select_one("#definisi-dokumen")
    assert form.has_attr("open") and form.select_one("#define-code")["value"] == "video"
    assert form.select_one("#define-label")["value"] == "Video"
    assert client.post("/daftar-dokumen/jenis", data={"code": "video", "label": "Video kegiatan",
                                                      "required_for": "walikota", "reason": "wajib sejak 2021"}
                       ).status_code == 303
    assert rows(soup(client.get("/daftar-dokumen")))["video"][:3] == ["Video kegiatan", "video", "Walikota"]


def test_an_admin_retires_a_kind_and_it_stays_listed_as_retired(client, runtime):
    login(client, "admin")
    assert client.post("/daftar-dokumen/hentikan", data={"code": "video", "reason": "di kanal resmi"}
                       ).status_code == 303
    page = soup(client.get("/daftar-dokumen"))
    assert "retired" in page.select_one("#jenis-video")["class"]
    assert "tidak dipakai lagi" in rows(page)["video"][0]
    assert [option["value"] for option in page.select("#retire-code option")] == [
        "undangan", "surat_tugas", "naskah_sambutan", "foto", "laporan"]
    assert "tidak dipakai lagi" in page.select_one("ol.kind-history li").text


DEFINE_REFUSALS = {
    "a bad code": ({"code": "9x", "label": "X", "reason": "r"}, "#define-code-error", "tidak sah"),
    "no code": ({"code": "", "label": "X", "reason": "r"}, "#define-code-error", "tidak sah"),
    "no label": ({"code": "notulen", "label": " ", "reason": "r"}, "#define-label-error", "wajib diisi"),
    "a label too long": ({"code": "notulen", "label": "x" * 121, "reason": "r"}, "#define-label-error",
                         "terlalu panjang"),
    "an unknown leader": ({"code": "notulen", "label": "N", "required_for": "bupati", "reason": "r"},
                          "#define-required_for-error", "bupati"),
    "no reason": ({"code": "notulen", "label": "N", "reason": ""}, "#define-reason-error", "wajib diisi"),
}


@pytest.mark.parametrize("case", DEFINE_REFUSALS)
def test_a_refused_kind_says_why_beside_its_field_and_keeps_what_was_entered(client, runtime, case):
    data, where, words = DEFINE_REFUSALS[case]
    login(client, "admin")
    before = event_count(runtime)
    response = client.post("/daftar-dokumen/jenis", data=data)
    assert response.status_code == 422 and event_count(runtime) == before
    page = soup(response)
    assert words in page.select_one(where).text
    assert page.select_one("#definisi-dokumen").has_attr("open")
    assert page.select_one("#define-label")["value"] == data["label"]


@pytest.mark.parametrize("data,where", [({"code": "notulen", "reason": "x"}, "#retire-code-error"),
                                        ({"code": "video", "reason": ""}, "#retire-reason-error")])
def test_a_refused_retirement_says_why_beside_its_field(client, runtime, data, where):
    login(client, "admin")
    before = event_count(runtime)
    response = client.post("/daftar-dokumen/hentikan", data=data)
    assert response.status_code == 422 and event_count(runtime) == before
    assert soup(response).select_one(where) is not None


def test_retiring_a_retired_kind_is_refused(client, runtime):
    runtime.applied(runtime.log.retire_document_kind("video", reason="x", actor="admin"))
    login(client, "admin")
    assert client.post("/daftar-dokumen/hentikan", data={"code": "video", "reason": "lagi"}).status_code == 422


@pytest.mark.parametrize("role", ["operator", "auditor", "verifier", "approver"])
@pytest.mark.parametrize("url,data", [("/daftar-dokumen/jenis", {"code": "notulen", "label": "N", "reason": "r"}),
                                      ("/daftar-dokumen/hentikan", {"code": "video", "reason": "r"})])
def test_only_an_admin_may_change_the_kinds(client, runtime, role, url, data):
    login(client, role)
    before = event_count(runtime)
    assert client.post(url, data=data).status_code == 403
    assert event_count(runtime) == before


def test_the_page_in_english(client):
    login(client, "admin")
    client.post("/bahasa/en", data={"next": "/"})
    page = soup(client.get("/daftar-dokumen"))
    assert page.select_one("h1").text == "Activity document checklist"
    assert rows(page)["undangan"][0] == "Invitation built-in"
    assert rows(page)["video"][2] == "optional"
    assert page.select_one("#definisi-dokumen summary").text.strip() == "Add or change a document kind"
