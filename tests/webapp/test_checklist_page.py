"""The activity page's document checklist: each kind's state, its files and marks; the forms that attach a file,
mark a kind not applicable and withdraw either (a refusal says why beside the field and stores nothing); who
sees the forms; and each publication's link state and the checklist's and link checks' events in the trail."""

from __future__ import annotations

import io

import pytest

from tests.webapp.conftest import event_count, login, soup
from tests.webapp.evidence_history import PAGE, PDF, PNG, attach, check_link, not_applicable

URL = "/kegiatan/AG-2020-0001/dokumen"


def post(client, data: dict, upload: tuple[bytes, str] | None = None, htmx: bool = False):
    body = dict(data)
    if upload is not None:
        body["berkas"] = (io.BytesIO(upload[0]), upload[1])
    return client.post(URL, data=body, content_type="multipart/form-data",
                       headers={"HX-Request": "true"} if htmx else {})


def entry(page, code: str):
    return page.select_one(f"#dokumen-{code}")


def test_each_kind_is_listed_with_its_state_and_a_required_missing_one_stands_out(operator):
    page = soup(operator.get("/kegiatan/AG-2020-0001"))
    codes = [item["id"].removeprefix("dokumen-") for item in page.select("#dokumen li.doc")]
    assert codes == ["undangan", "surat_tugas", "naskah_sambutan", "foto", "video", "laporan"]
    assert "state-missing" in entry(page, "undangan")["class"]
    assert entry(page, "undangan").select_one(".doc-state").text == "belum ada"
    assert entry(page, "undangan").select_one(".doc-need").text == "wajib"
    assert entry(page, "video").select_one(".doc-state").text == "opsional, belum ada"
    assert "5 dokumen wajib belum ada" in page.select_one("#checklist-title").text


def test_a_sekda_activity_does_not_need_a_speech_text(operator):
    page = soup(operator.get("/kegiatan/AG-2020-0003"))
    assert "state-optional" in entry(page, "naskah_sambutan")["class"]


def test_an_operator_attaches_a_file_and_it_is_listed_with_a_link_to_it(operator, runtime):
    before = event_count(runtime)
    response = post(operator, {"aksi": "lampirkan", "document": "undangan", "submission_id": "s1"},
                    (PDF, "undangan rapat.pdf"))
    assert response.status_code == 303 and response.headers["Location"].endswith("/kegiatan/AG-2020-0001#dokumen")
    assert event_count(runtime) == before + 1
    page = soup(operator.get("/kegiatan/AG-2020-0001"))
    item = entry(page, "undangan")
    assert "state-attached" in item["class"] and item.select_one(".doc-state").text == "ada"
    link = item.select_one("ul.doc-files a")
    assert link.text == "undangan rapat.pdf"
    with operator.get(link["href"]) as file:
        assert file.data == PDF
    assert "Tersimpan: undangan rapat.pdf sebagai Undangan" in page.select_one("#flash").text
    # the same submission again (a double click, a retry) stores nothing more
    assert post(operator, {"aksi": "lampirkan", "document": "undangan", "submission_id": "s1"},
                (PDF, "undangan rapat.pdf")).status_code == 303
    assert event_count(runtime) == before + 1


def test_with_htmx_the_activity_body_comes_back_with_the_confirmation(operator):
    response = post(operator, {"aksi": "lampirkan", "document": "foto"}, (PNG, "foto.png"), htmx=True)
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("html") is None and page.select_one("#dokumen-foto ul.doc-files a").text == "foto.png"
    assert "Tersimpan" in page.select_one("#flash").text


def test_an_operator_marks_a_kind_not_applicable_with_a_reason(operator, runtime):
    response = post(operator, {"aksi": "tidak-diperlukan", "document": "naskah_sambutan", "reason": "tanpa sambutan"})
    assert response.status_code == 303
    item = entry(soup(operator.get("/kegiatan/AG-2020-0001")), "naskah_sambutan")
    assert "state-not_applicable" in item["class"] and item.select_one(".doc-state").text == "tidak diperlukan"
    assert "Alasan: tanpa sambutan" in item.select_one(".doc-mark").text
    assert item.select_one("details.doc-attach") is None, "a file waits until the mark is withdrawn"


def test_a_file_and_a_mark_are_withdrawn_with_a_reason(operator, runtime):
    sha = attach(runtime, "AG-2020-0001", "foto", PNG, "foto.png")
    not_applicable(runtime, "AG-2020-0001", "naskah_sambutan")
    response = post(operator, {"aksi": "tarik", "tarik": "berkas", "document": "foto", "sha256": sha,
                               "reason": "foto kegiatan lain"})
    assert response.status_code == 303
    response = post(operator, {"aksi": "tarik", "tarik": "tanda", "document": "naskah_sambutan",
                               "reason": "ternyata ada sambutan"})
    assert response.status_code == 303
    page = soup(operator.get("/kegiatan/AG-2020-0001"))
    assert "state-missing" in entry(page, "foto")["class"] and "state-missing" in entry(page, "naskah_sambutan")["class"]
    withdrawn = [event.text for event in page.select("li.kind-withdrawn")]
    assert any("Foto" in text and "foto kegiatan lain" in text for text in withdrawn)
    assert any("Naskah sambutan" in text and "ternyata ada sambutan" in text for text in withdrawn)
    assert page.select("li.kind-document_attached.withdrawn") and page.select("li.kind-not_applicable.withdrawn")


REFUSALS = {
    "no reason for a mark": ({"aksi": "tidak-diperlukan", "document": "naskah_sambutan", "reason": " "}, None,
                             "#doc-naskah_sambutan-na-reason-error", "alasan wajib diisi"),
    "no file": ({"aksi": "lampirkan", "document": "undangan"}, None, "#doc-undangan-berkas-error",
                "Pilih berkas"),
    "an empty file": ({"aksi": "lampirkan", "document": "undangan"}, (b"", "kosong.pdf"),
                      "#doc-undangan-berkas-error", "kosong"),
    "a file of another type": ({"aksi": "lampirkan", "document": "undangan"}, (b"GIF89a" + bytes(20), "x.gif"),
                               "#doc-undangan-berkas-error", "x.gif"),
    "an unknown kind": ({"aksi": "lampirkan", "document": "notulen"}, (PDF, "n.pdf"), ".doc-problems",
                        "jenis dokumen tidak dikenal"),
    "no reason for a withdrawal": ({"aksi": "tarik", "tarik": "tanda", "document": "laporan", "reason": ""}, None,
                                   ".doc-problems", ""),
    "a file not attached": ({"aksi": "tarik", "tarik": "berkas", "document": "foto", "sha256": "0" * 64,
                             "reason": "salah"}, None, ".doc-problems", "tidak ada catatan"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_a_refusal_is_a_422_beside_its_field_and_stores_nothing(operator, runtime, case):
    data, upload, where, words = REFUSALS[case]
    before = event_count(runtime)
    response = post(operator, data, upload)
    assert response.status_code == 422
    assert event_count(runtime) == before
    message = soup(response).select_one(where)
    assert message is not None and words in message.text, soup(response).select_one("#dokumen")


def test_a_refused_mark_keeps_its_form_open_with_what_was_typed(operator, runtime):
    attach(runtime, "AG-2020-0001", "foto", PNG, "foto.png")
    response = post(operator, {"aksi": "tidak-diperlukan", "document": "foto", "reason": "sudah di media sosial"})
    assert response.status_code == 422
    page = soup(response)
    # the form is not offered for a kind with a file: the message stands above the list
    assert "sudah punya berkas Foto" in page.select_one(".doc-problems").text
    response = post(operator, {"aksi": "tidak-diperlukan", "document": "laporan", "reason": "x\x00"})
    form = soup(response).select_one("#dokumen-laporan details.doc-not-applicable")
    assert response.status_code == 422 and form.has_attr("open")
    assert form.select_one("input[name=reason]")["aria-invalid"] == "true"


def test_a_file_for_a_kind_marked_not_applicable_is_refused(operator, runtime):
    not_applicable(runtime, "AG-2020-0001", "naskah_sambutan")
    before = event_count(runtime)
    response = post(operator, {"aksi": "lampirkan", "document": "naskah_sambutan"}, (PDF, "sambutan.pdf"))
    assert response.status_code == 422 and event_count(runtime) == before
    assert "tarik dulu tanda itu" in soup(response).select_one(".doc-problems").text


@pytest.mark.parametrize("data", [{"aksi": "hapus", "document": "foto"}, {"aksi": "tarik", "tarik": "semua"}, {}])
def test_a_form_the_page_never_sends_is_a_bad_request(operator, data):
    assert post(operator, data).status_code == 400


def test_an_unknown_activity_is_404(operator, runtime):
    before = event_count(runtime)
    response = operator.post("/kegiatan/AG-2099-9999/dokumen", data={"aksi": "tidak-diperlukan",
                                                                     "document": "foto", "reason": "x"})
    assert response.status_code == 404 and event_count(runtime) == before


def test_an_auditor_reads_the_checklist_but_sees_no_form_and_may_not_post(client, runtime):
    sha = attach(runtime, "AG-2020-0001", "foto", PNG, "foto.png")
    not_applicable(runtime, "AG-2020-0001", "naskah_sambutan")
    login(client, "auditor")
    page = soup(client.get("/kegiatan/AG-2020-0001"))
    assert entry(page, "foto").select_one("ul.doc-files a").text == "foto.png"
    assert page.select("#dokumen form") == []
    before = event_count(runtime)
    for data in ({"aksi": "lampirkan", "document": "undangan"},
                 {"aksi": "tarik", "tarik": "berkas", "document": "foto", "sha256": sha, "reason": "x"}):
        assert post(client, data, (PDF, "u.pdf") if data["aksi"] == "lampirkan" else None).status_code == 403
    assert event_count(runtime) == before


def test_anonymous_posts_go_to_the_login_page(client, runtime):
    response = post(client, {"aksi": "tidak-diperlukan", "document": "foto", "reason": "x"})
    assert response.status_code == 303 and "/masuk" in response.headers["Location"]


def test_an_operator_sees_the_forms_each_state_allows(operator, runtime):
    attach(runtime, "AG-2020-0001", "foto", PNG, "foto.png")
    not_applicable(runtime, "AG-2020-0001", "naskah_sambutan")
    page = soup(operator.get("/kegiatan/AG-2020-0001"))
    offered = {code: (entry(page, code).select_one("details.doc-attach") is not None,
                      entry(page, code).select_one("details.doc-not-applicable") is not None,
                      len(entry(page, code).select("details.doc-withdraw")))
               for code in ("undangan", "naskah_sambutan", "foto")}
    assert offered == {"undangan": (True, True, 0), "naskah_sambutan": (False, False, 1), "foto": (True, False, 1)}


def test_a_retired_kind_stays_listed_where_it_has_a_file_without_forms_to_add(operator, runtime):
    attach(runtime, "AG-2020-0001", "video", PNG, "video.png")
    runtime.applied(runtime.log.retire_document_kind("video", reason="di kanal resmi", actor="admin"))
    page = soup(operator.get("/kegiatan/AG-2020-0001"))
    assert "jenis ini tidak dipakai lagi" in entry(page, "video").text
    assert entry(page, "video").select_one("details.doc-attach") is None
    assert entry(soup(operator.get("/kegiatan/AG-2020-0002")), "video") is None


def test_each_publication_shows_its_link_state(operator, runtime):
    item = soup(operator.get("/kegiatan/AG-2020-0001")).select_one("li.kind-published .link-state")
    assert "unchecked" in item["class"] and item.text.strip() == "Tautan belum pernah diperiksa"
    archive = check_link(runtime, "AG-2020-0001", "https://example.go.id/1", "2021-02-01T10:00", page=PAGE)
    item = soup(operator.get("/kegiatan/AG-2020-0001")).select_one("li.kind-published .link-state")
    assert "live" in item["class"] and "diperiksa 1 Februari 2021" in item.text
    assert item.select_one("a")["href"] == f"/arsip/{archive}"
    check_link(runtime, "AG-2020-0001", "https://example.go.id/1", "2021-03-03T10:00", status=404)
    check_link(runtime, "AG-2020-0001", "https://example.go.id/1", "2021-04-05T10:00", error="timeout", status=0)
    item = soup(operator.get("/kegiatan/AG-2020-0001")).select_one("li.kind-published .link-state")
    assert "dead" in item["class"]
    assert "tautan tidak dapat dibuka sejak 3 Maret 2021" in item.text and "diperiksa terakhir 5 April 2021" in item.text
    assert item.select_one("a")["href"] == f"/arsip/{archive}", "the copy kept while it was live"


def test_the_trail_says_what_each_link_check_and_checklist_event_was(operator, runtime):
    archive = check_link(runtime, "AG-2020-0001", "https://example.go.id/1", "2021-02-01T10:00", page=PAGE)
    check_link(runtime, "AG-2020-0001", "https://example.go.id/1", "2021-03-03T10:00", error="timeout", status=0)
    attach(runtime, "AG-2020-0001", "undangan", PDF, "undangan.pdf")
    not_applicable(runtime, "AG-2020-0001", "naskah_sambutan", "tanpa sambutan")
    page = soup(operator.get("/kegiatan/AG-2020-0001"))
    checks = page.select("li.kind-link_checked")
    assert [check.select_one("strong").text for check in checks] == ["tautan diperiksa"] * 2
    assert "hidup (HTTP 200, text/html); salinan diarsipkan" in checks[0].select_one(".link-answer").text
    assert checks[0].select_one(".link-answer a")["href"] == f"/arsip/{archive}"
    assert "tidak dapat dibuka (batas waktu habis)" in checks[1].select_one(".link-answer").text
    attached = page.select_one("li.kind-document_attached")
    assert "Dokumen: Undangan" in attached.text and attached.select_one(".attachment a").text == "undangan.pdf"
    marked = page.select_one("li.kind-not_applicable")
    assert "Dokumen: Naskah sambutan" in marked.text and "Alasan: tanpa sambutan" in marked.text
    copies = page.select("li.kind-published .attachment a")
    assert [a["href"] for a in copies] == [f"/arsip/{archive}"], "the archived copy opens through /arsip"


def test_the_checklist_in_english(operator, runtime):
    operator.post("/bahasa/en", data={"next": "/"})
    not_applicable(runtime, "AG-2020-0001", "naskah_sambutan", "tanpa sambutan")
    check_link(runtime, "AG-2020-0001", "https://example.go.id/1", "2021-03-03T10:00", status=404)
    page = soup(operator.get("/kegiatan/AG-2020-0001"))
    assert page.select_one("#checklist-title").contents[0].strip() == "Document completeness"
    assert entry(page, "undangan").select_one("strong").text == "Invitation"
    assert entry(page, "undangan").select_one(".doc-state").text == "missing"
    assert entry(page, "naskah_sambutan").select_one(".doc-state").text == "not needed"
    assert "link cannot be opened since 3 March 2021" in page.select_one("li.kind-published .link-state").text
    assert page.select_one("#dokumen-undangan details.doc-attach summary").text == "Attach a file"
