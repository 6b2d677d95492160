"""Daily entry on an activity's page: next steps laid out and folded, withdrawal and cancel behind disclosures,
the upload limit said before sending and an oversize file refused beside its field, the roles' controls."""

from __future__ import annotations

import io
import re

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from projections import read
from tests.webapp.conftest import PASSWORD, event_count, login, soup
from webapp import create_app

HTMX = {"HX-Request": "true"}
MB = 1024 * 1024


def test_a_done_evidence_kind_shows_as_done_and_folds_its_form(operator):
    panel = soup(operator.get("/kegiatan/AG-2020-0001")).select_one(".actions-panel")
    done = panel.select_one("#done-published")
    assert "✓" in done.select_one(".step-done").text and "1 bukti tercatat" in done.text
    disclosure = done.select_one("details")
    assert not disclosure.has_attr("open") and disclosure.select_one("form.step input[name=kind][value=published]")
    documented = panel.select_one("form.step:has(input[name=kind][value=documented])")
    assert documented.find_parent("details") is None, "a step still to do is open"


def test_withdrawal_is_behind_a_disclosure_with_nothing_preselected(operator):
    panel = soup(operator.get("/kegiatan/AG-2020-0001")).select_one(".actions-panel")
    disclosure = panel.select_one("details.step-more-withdrawn")
    assert not disclosure.has_attr("open") and disclosure.select_one("summary").text == "Tarik catatan"
    select = disclosure.select_one("select[name=withdrawn_kind]")
    options = select.select("option")
    assert select.has_attr("required")
    assert (options[0]["value"], options[0].text) == ("", "— pilih —")
    assert [o for o in options if o.has_attr("selected")] == []


def test_cancel_and_reschedule_are_disclosures_beside_the_held_step(operator):
    panel = soup(operator.get("/kegiatan/AG-2020-0003")).select_one(".actions-panel")
    assert panel.select_one(".step-grid form.step input[name=kind][value=held]") is not None
    for kind in ("cancelled", "rescheduled"):
        disclosure = panel.select_one(f"details.step-more-{kind}")
        assert not disclosure.has_attr("open") and disclosure.select_one(f"input[name=kind][value={kind}]")


def test_withdrawal_without_a_kind_is_refused_beside_the_choice(operator, runtime):
    before = event_count(runtime)
    response = operator.post("/kegiatan/AG-2020-0001/catat", data={
        "kind": "withdrawn", "withdrawn_kind": "", "reason": "keliru", "occurred_at": "2020-04-02T10:00"})
    assert response.status_code == 422
    disclosure = soup(response).select_one("details.step-more-withdrawn")
    assert disclosure.has_attr("open"), "the form with the message is unfolded"
    assert disclosure.select_one("#withdrawn-withdrawn_kind-error") is not None
    assert disclosure.select_one("#withdrawn-reason")["value"] == "keliru"
    assert event_count(runtime) == before


def test_a_refused_step_of_a_done_kind_comes_back_unfolded(operator):
    response = operator.post("/kegiatan/AG-2020-0001/catat", data={
        "kind": "published", "occurred_at": "2020-04-02T10:00", "channel": "instagram", "evidence_ref": ""})
    assert response.status_code == 422
    disclosure = soup(response).select_one("#done-published details")
    assert disclosure.has_attr("open") and disclosure.select_one("#published-channel")["value"] == "instagram"


def test_a_save_on_the_activity_page_confirms_with_htmx_and_without(operator):
    response = operator.post("/kegiatan/AG-2020-0002/catat", headers=HTMX, data={
        "kind": "documented", "occurred_at": "2020-02-03T10:00", "channel": "foto", "evidence_ref": "ARSIP/2"})
    fragment = soup(response)
    assert fragment.select_one("#flash[hx-swap-oob] .saved").text == (
        "Tersimpan: didokumentasikan, 3 Februari 2020 pukul 10.00 WIB")
    response = operator.post("/kegiatan/AG-2020-0002/catat", data={
        "kind": "protocol_served", "occurred_at": "2020-02-03T09:00", "channel": "Subbag Protokol"})
    assert response.status_code == 303
    page = soup(operator.get(response.headers["Location"]))
    assert page.select_one("#flash .saved").text == "Tersimpan: dilayani protokol, 3 Februari 2020 pukul 09.00 WIB"
    assert soup(operator.get("/kegiatan/AG-2020-0002")).select_one("#flash .saved") is None


def test_auditor_sees_no_step_form_on_an_activity(client):
    login(client, "auditor")
    page = soup(client.get("/kegiatan/AG-2020-0003"))
    assert page.select_one(".actions-panel") is None
    assert page.select("main form[method=post]") == []
    assert page.select_one("ol.timeline") is not None


@pytest.mark.parametrize("role", ["operator", "admin"])
def test_writers_see_the_step_forms(client, role):
    login(client, role)
    assert soup(client.get("/kegiatan/AG-2020-0003")).select_one(".actions-panel form.step") is not None


def test_each_file_field_says_the_limit_before_sending(operator):
    panel = soup(operator.get("/kegiatan/AG-2020-0002")).select_one(".actions-panel")
    fields = panel.select("input[type=file][name=berkas]")
    assert len(fields) == 3
    for field in fields:
        hint = panel.select_one(f"#{field['aria-describedby']}")
        assert hint.text == "maks. 20 MB"
        assert int(field["data-max-bytes"]) == 20 * MB
        assert "{size}" in field["data-too-large"] and "maks. 20 MB" in field["data-too-large"]


@pytest.fixture
def small_limit(monkeypatch, runtime):
    """The evidence file limit at 1 MB (so the request cap is 5 MB) and an app built with it, CSRF on."""
    monkeypatch.setenv("IKU_MAX_UPLOAD_MB", "1")
    app = create_app({"RUNTIME": runtime, "TESTING": True})
    client = app.test_client()
    token = soup(client.get("/masuk")).select_one("input[name=csrf_token]")["value"]
    client.post("/masuk", data={"username": "operator", "password": PASSWORD, "csrf_token": token})
    return client


def token_of(client) -> str:
    page = soup(client.get("/kegiatan/AG-2020-0002"))
    return page.select_one("form.step input[name=csrf_token]")["value"]


def multipart(client, url: str, data: dict, **headers):
    """POST `data` as multipart from memory (the test client would spool a large body to a file it never
    closes)."""
    boundary, body = encode_multipart(data)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}", headers=headers)


def publish_with_file(client, size: int, **headers):
    data = {"csrf_token": token_of(client), "kind": "published", "occurred_at": "2020-02-03T12:00",
            "channel": "website", "evidence_ref": "https://example.go.id/berita/2", "note": "foto utama",
            "berkas": FileStorage(io.BytesIO(b"\xff\xd8\xff" + b"\0" * (size - 3)), "foto-besar.jpg")}
    return multipart(client, "/kegiatan/AG-2020-0002/catat", data, **headers)


def test_an_oversize_file_is_refused_beside_its_field_keeping_the_rest(small_limit, runtime):
    before = event_count(runtime)
    response = publish_with_file(small_limit, 2 * MB)
    assert response.status_code == 422
    form = soup(response).select_one("form.step:has(input[name=kind][value=published])")
    assert "terlalu besar" in form.select_one("#published-berkas-error").text
    assert "batas 1 MB" in form.select_one("#published-berkas-error").text
    assert form.select_one("#published-berkas-limit").text == "maks. 1 MB"
    assert form.select_one("#published-channel")["value"] == "website"
    assert form.select_one("#published-evidence_ref")["value"] == "https://example.go.id/berita/2"
    assert form.select_one("#published-note")["value"] == "foto utama"
    assert event_count(runtime) == before


def test_an_oversize_file_with_htmx_comes_back_in_the_page_fragment(small_limit, runtime):
    response = publish_with_file(small_limit, 2 * MB, **HTMX)
    assert response.status_code == 422
    fragment = soup(response)
    assert fragment.select_one("html") is None
    assert "terlalu besar" in fragment.select_one("#published-berkas-error").text


def test_a_body_beyond_the_cap_gets_a_normal_page_naming_the_limit(small_limit, runtime):
    before = event_count(runtime)
    response = publish_with_file(small_limit, 6 * MB, Referer="http://localhost/kegiatan/AG-2020-0002")
    assert response.status_code == 413
    page = soup(response)
    assert page.select_one("h1").text.startswith("Berkas terlalu besar")
    assert "1 MB" in page.select_one("main .error").text
    assert page.select_one("header .who").text.startswith("operator"), "the header shows who is logged in"
    assert page.select_one("main a[href='/kegiatan/AG-2020-0002']") is not None, "a way back"
    assert event_count(runtime) == before


def test_a_body_beyond_the_cap_with_htmx_gets_the_message_alone(small_limit):
    response = publish_with_file(small_limit, 6 * MB, **HTMX)
    assert response.status_code == 413
    fragment = soup(response)
    assert fragment.select_one("html") is None and "1 MB" in fragment.select_one(".error").text


@pytest.mark.parametrize("lang,expected", [("id", "(isinya: tidak dikenal)"), ("en", "(its content: unknown)")])
def test_an_unknown_file_type_is_named_in_one_language(operator, lang, expected):
    if lang == "en":
        operator.post("/bahasa/en", data={"next": "/"})
    response = operator.post("/kegiatan/AG-2020-0002/catat", content_type="multipart/form-data", data={
        "kind": "published", "occurred_at": "2020-02-03T12:00", "channel": "website",
        "evidence_ref": "https://example.go.id/2", "berkas": (io.BytesIO(b"just text"), "foto.jpg")})
    assert response.status_code == 422
    message = soup(response).select_one("#published-berkas-error").text
    assert message.endswith(expected)
    assert not re.search(r"tidak dikenal / unknown|unknown.*tidak dikenal", message)


def test_a_refused_write_without_javascript_is_a_page_with_a_way_back(client, runtime):
    login(client, "auditor")
    response = client.post("/kegiatan/AG-2020-0003/catat", data={"kind": "held", "occurred_at": "2020-03-10T09:00"},
                           headers={"Referer": "http://localhost/kegiatan/AG-2020-0003"})
    assert response.status_code == 403
    page = soup(response)
    assert page.select_one("header .who").text.startswith("auditor")
    assert page.select_one("main a[href='/kegiatan/AG-2020-0003']") is not None
    assert read.activities.activity(runtime.fresh(), "AG-2020-0003")["status"] == "scheduled"
