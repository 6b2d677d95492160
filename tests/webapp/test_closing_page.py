"""Penutupan periode: the cycle run by three accounts through the page, each role seeing only the steps it may
take, refusals beside their form with nothing stored, and a closed quarter refusing a late fact."""

from __future__ import annotations

import pytest

from domain.times import parse_instant
from tests.webapp.conftest import event_count, login, soup


def as_role(app, role):
    return login(app.test_client(), role)


def buttons(client, year=2020) -> dict[str, list[str]]:
    page = soup(client.get("/penutupan", query_string={"tahun": year}))
    return {row["id"][2:]: [b.text for b in row.select("td.actions button")] for row in page.select("table.closing tbody tr")}


def step(client, code, name, reason=""):
    return client.post(f"/penutupan/{code}/{name}", data={"alasan": reason})


def test_three_accounts_run_a_quarter_through_the_cycle_with_a_return(app, runtime):
    operator, verifier, approver = (as_role(app, role) for role in ("operator", "verifier", "approver"))
    assert buttons(operator)["2020-Q1"] == ["Ajukan"]
    assert buttons(verifier)["2020-Q1"] == [] and buttons(approver)["2020-Q1"] == []
    assert step(operator, "2020-Q1", "submit").status_code == 303
    assert buttons(operator)["2020-Q1"] == []
    assert buttons(verifier)["2020-Q1"] == ["Kembalikan", "Verifikasi"]
    awaiting = soup(verifier.get("/penutupan", query_string={"tahun": 2020})).select_one("section.awaiting")
    assert "Triwulan I 2020" in awaiting.text
    assert step(verifier, "2020-Q1", "return", "bukti foto AG-2020-0002 belum ada").status_code == 303
    assert buttons(operator)["2020-Q1"] == ["Ajukan"]
    history = soup(operator.get("/penutupan", query_string={"tahun": 2020})).select_one("#p-2020-Q1").text
    assert "bukti foto AG-2020-0002 belum ada" in history and "verifier" in history
    step(operator, "2020-Q1", "submit")
    step(verifier, "2020-Q1", "verify")
    assert buttons(approver)["2020-Q1"] == ["Kembalikan", "Setujui (tutup periode)"]
    response = step(approver, "2020-Q1", "approve")
    assert response.status_code == 303
    page = soup(approver.get(response.headers["Location"]))
    row = page.select_one("#p-2020-Q1")
    assert "disetujui (ditutup)" in row.text and "revisi 1, segel" in row.text
    assert buttons(approver)["2020-Q1"] == ["Buka kembali"]
    assert "None" not in page.text


def test_an_auditor_and_a_visitor_see_no_step(app, client):
    auditor = as_role(app, "auditor")
    assert all(not names for names in buttons(auditor).values())
    assert client.get("/penutupan").status_code in (302, 303, 401)


@pytest.mark.parametrize(("role", "name", "message"), [
    ("operator", "verify", "tidak dapat memverifikasi"),
    ("auditor", "submit", "tidak dapat mengajukan"),
    ("approver", "approve", "berstatus terbuka: tidak dapat menyetujui"),
    ("verifier", "return", "berstatus terbuka"),
])
def test_a_refused_step_says_why_beside_its_period_and_stores_nothing(app, runtime, role, name, message):
    client = as_role(app, role)
    before = event_count(runtime)
    response = step(client, "2020-Q1", name, "alasan")
    assert response.status_code == 422
    page = soup(response)
    assert message in page.select_one("#p-2020-Q1").text
    assert message not in page.select_one("#p-2020").text  # beside its own period only
    assert event_count(runtime) == before


def test_a_return_without_a_reason_is_refused_beside_the_field(app, runtime):
    step(as_role(app, "operator"), "2020-Q2", "submit")
    verifier = as_role(app, "verifier")
    before = event_count(runtime)
    response = step(verifier, "2020-Q2", "return", "   ")
    assert response.status_code == 422
    assert soup(response).select_one("#error-2020-Q2-return").text == "alasan wajib diisi"
    assert event_count(runtime) == before


@pytest.mark.parametrize("code", ["2020-S1", "2020-13", "x", "2020-01-01..2020-02-01"])
def test_a_period_outside_the_cycle_is_refused_with_a_message(app, runtime, code):
    before = event_count(runtime)
    response = step(as_role(app, "operator"), code, "submit")
    assert response.status_code == 422 and "error" in response.get_data(as_text=True)
    assert event_count(runtime) == before


def test_an_unknown_step_is_not_found_and_a_bad_year_is_refused(app):
    operator = as_role(app, "operator")
    assert step(operator, "2020-Q1", "close").status_code == 404
    response = operator.get("/penutupan", query_string={"tahun": "20x0"})
    assert response.status_code == 400 and "tahun tidak sah" in response.get_data(as_text=True)


def test_a_late_fact_for_a_closed_quarter_is_refused_with_its_message(app, runtime):
    operator, verifier, approver = (as_role(app, role) for role in ("operator", "verifier", "approver"))
    step(operator, "2020-Q1", "submit")
    step(verifier, "2020-Q1", "verify")
    step(approver, "2020-Q1", "approve")
    before = event_count(runtime)
    response = operator.post("/kegiatan/AG-2020-0002/catat", data={
        "kind": "documented", "occurred_at": "2020-04-02T10:00", "channel": "foto", "evidence_ref": "ARSIP/9"})
    assert response.status_code == 422
    text = " ".join(soup(response).text.split())
    assert "Triwulan I 2020 sudah ditutup (revisi 1, disetujui oleh approver)" in text
    assert event_count(runtime) == before
    assert runtime.log.period_close("2020-Q1").revision == 1


def test_the_page_speaks_english(app):
    operator = as_role(app, "operator")
    operator.post("/bahasa/en", data={"next": "/"})
    page = soup(operator.get("/penutupan", query_string={"tahun": 2020}))
    assert page.select_one("h1").text == "Closing periods"
    assert [b.text for b in page.select("#p-2020-Q1 button")] == ["Submit"]
    assert "Quarter I 2020" in page.select_one("#p-2020-Q1").text


HOSTILE = ("", " ", "\x00", "x" * 1001, "=HYPERLINK(\"http://x\")", "2020-Q1", "2020", "9999-Q4", "0000", "2020-Q5",
           "2020-Q1/../2020", "../", "%00", "2020-q1", " 2020-Q1 ")


def test_no_step_of_any_role_on_any_period_answers_500_and_the_log_stays_sound(app, runtime):
    from urllib.parse import quote

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tests.conftest import assert_data_dir_sound

    clients = {role: as_role(app, role) for role in ("operator", "verifier", "approver", "auditor", "admin")}
    text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30))

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(role=st.sampled_from(sorted(clients)), code=text, name=st.one_of(
        st.sampled_from(["submit", "return", "verify", "approve", "reopen"]), st.text(max_size=10)), reason=text,
        year=text)
    def post(role, code, name, reason, year):
        path = f"/penutupan/{quote(code, safe='') or 'x'}/{quote(name, safe='') or 'x'}"
        response = clients[role].post(path, data={"alasan": reason, "tahun": year})
        assert response.status_code in (303, 308, 404, 405, 422), (path, response.status_code)
        page = clients[role].get("/penutupan", query_string={"tahun": year})
        assert page.status_code in (200, 400)

    post()
    assert_data_dir_sound(runtime)


def test_the_indicator_page_says_final_then_shows_what_was_reported_beside_the_log_after_a_reopen(app, runtime):
    operator, verifier, approver = (as_role(app, role) for role in ("operator", "verifier", "approver"))
    page = soup(operator.get("/", query_string={"periode": "2020-Q1"}))
    assert "Sementara — status terbuka" in " ".join(page.select_one(".standing").text.split())
    step(operator, "2020-Q1", "submit")
    step(verifier, "2020-Q1", "verify")
    step(approver, "2020-Q1", "approve")
    standing = " ".join(soup(operator.get("/", query_string={"periode": "2020-Q1"})).select_one(".standing").text.split())
    assert standing.startswith("Final — disetujui oleh approver,") and "revisi 1, segel" in standing
    assert soup(operator.get("/", query_string={"periode": "2020-03"})).select_one(".standing") is None  # a month
    step(approver, "2020-Q1", "reopen", "dokumentasi susulan")
    runtime.record("documented", "AG-2020-0002", occurred_at=parse_instant("2020-04-02T10:00"), channel="foto",
                   evidence_ref="ARSIP/9", actor="operator")
    page = soup(operator.get("/", query_string={"periode": "2020-Q1"}))
    box = page.select_one(".standing")
    assert "revisi 1 yang disetujui oleh approver" in " ".join(box.text.split())
    rows = [[cell.text for cell in row.select("th, td")] for row in box.select("tbody tr")]
    assert rows == [["Prosentase kegiatan pimpinan daerah yang didokumentasikan", "0/2 = 0,00%", "1/2 = 50,00%"]]
    link = box.select_one("a")["href"]
    assert link.startswith("/perbandingan?periode=2020-Q1&per=")
    compare = soup(operator.get(link))
    assert "AG-2020-0002" in compare.text


def narrative_of(client, code="2020-Q1"):
    return soup(client.get(f"/penutupan/{code}/narasi"))


def test_an_operator_writes_the_narrative_while_the_quarter_is_open_and_the_verifier_reads_it(app, runtime):
    operator, verifier = as_role(app, "operator"), as_role(app, "verifier")
    page = narrative_of(operator)
    assert [h.text for h in page.select("section.narrative h2")] == [
        "Prosentase kegiatan pimpinan daerah yang dipublikasikan",
        "Prosentase kegiatan pimpinan daerah yang didokumentasikan",
        "Prosentase Pelayanan Keprotokolan"]
    assert "1/2 = 50,00%" in page.select_one("#n-published").parent.text
    response = operator.post("/penutupan/2020-Q1/narasi", data={
        "indikator": "published", "analysis": "Dua kegiatan terlaksana, satu dipublikasikan.\nSatu lagi tertunda.",
        "obstacles": "Jaringan kantor terputus", "follow_up": "Unggah dari ponsel"})
    assert response.status_code == 303
    assert narrative_of(verifier).select_one("#n-published").parent.select("dd")[0].text == \
        "Dua kegiatan terlaksana, satu dipublikasikan.\nSatu lagi tertunda."
    assert narrative_of(verifier).select("textarea") == []  # the verifier reads, does not write
    step(operator, "2020-Q1", "submit")
    assert narrative_of(operator).select("textarea") == []  # submitted: no longer written
    before = event_count(runtime)
    refused = operator.post("/penutupan/2020-Q1/narasi", data={"indikator": "published", "analysis": "ubah"})
    assert refused.status_code == 422
    assert "berstatus diajukan: narasinya ditulis sebelum diajukan" in refused.get_data(as_text=True)
    assert event_count(runtime) == before


@pytest.mark.parametrize(("data", "where", "message"), [
    ({"indikator": "published", "analysis": " ", "obstacles": "", "follow_up": ""}, "#error-published-analysis",
     "analisis capaian wajib diisi"),
    ({"indikator": "published", "analysis": "x" * 4001}, "#error-published-analysis", "terlalu panjang"),
    ({"indikator": "published", "obstacles": "a\x00b"}, "#error-published-obstacles", "karakter kendali"),
])
def test_a_refused_narrative_says_why_beside_its_field_and_stores_nothing(app, runtime, data, where, message):
    operator = as_role(app, "operator")
    before = event_count(runtime)
    response = operator.post("/penutupan/2020-Q1/narasi", data=data)
    assert response.status_code == 422
    assert message in soup(response).select_one(where).text
    assert event_count(runtime) == before


@pytest.mark.parametrize("code", ["2020", "2020-S1", "x"])
def test_a_narrative_is_for_a_quarter_only(app, code):
    assert as_role(app, "operator").get(f"/penutupan/{code}/narasi").status_code == 404


def test_an_unknown_indicator_is_refused_and_the_page_keeps_working(app, runtime):
    operator = as_role(app, "operator")
    response = operator.post("/penutupan/2020-Q1/narasi", data={"indikator": "nope", "analysis": "x"})
    assert response.status_code == 422 and "indikator tidak dikenal" in response.get_data(as_text=True)


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_the_laporan_page_offers_each_quarterly_report(app, fmt):
    operator = as_role(app, "operator")
    page = soup(operator.get("/laporan", query_string={"tahun": 2020}))
    links = [a["href"] for a in page.select("p.downloads a") if "triwulan-" in a["href"] and a["href"].count(f".{fmt}")]
    assert len(links) == 4
    response = operator.get(links[0])
    assert response.status_code == 200 and 'filename="laporan-kinerja-2020-Q1.' in response.headers["Content-Disposition"]
    assert response.data[:4] in (b"%PDF", b"PK\x03\x04")
    assert operator.get("/laporan/triwulan-5.pdf").status_code == 404
    assert operator.get("/laporan/triwulan-1.pdf", query_string={"tahun": "x"}).status_code == 400


def test_the_drill_down_says_final_and_after_a_reopen_shows_its_indicator_beside_the_approval(app, runtime):
    operator, verifier, approver = (as_role(app, role) for role in ("operator", "verifier", "approver"))
    step(operator, "2020-Q1", "submit")
    step(verifier, "2020-Q1", "verify")
    step(approver, "2020-Q1", "approve")
    box = soup(operator.get("/indikator/documented", query_string={"periode": "2020-Q1"})).select_one(".standing")
    assert " ".join(box.text.split()).startswith("Final — disetujui oleh approver,")
    step(approver, "2020-Q1", "reopen", "dokumentasi susulan")
    runtime.record("documented", "AG-2020-0002", occurred_at=parse_instant("2020-04-02T10:00"), channel="foto",
                   evidence_ref="ARSIP/9", actor="operator")
    box = soup(operator.get("/indikator/documented", query_string={"periode": "2020-Q1"})).select_one(".standing")
    assert [[c.text for c in r.select("th, td")] for r in box.select("tbody tr")] == [
        ["Prosentase kegiatan pimpinan daerah yang didokumentasikan", "0/2 = 0,00%", "1/2 = 50,00%"]]
    box = soup(operator.get("/indikator/published", query_string={"periode": "2020-Q1"})).select_one(".standing")
    assert box.select("table") == []  # this indicator's figures did not move


def test_no_narrative_of_any_role_answers_500_and_the_log_stays_sound(app, runtime):
    from urllib.parse import quote

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tests.conftest import assert_data_dir_sound

    clients = {role: as_role(app, role) for role in ("operator", "verifier", "admin")}
    text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60))

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(role=st.sampled_from(sorted(clients)), code=st.one_of(st.sampled_from(["2020-Q1", "2020-Q2"]), text),
           indicator=st.one_of(st.sampled_from(["published", "documented", "protocol_served"]), text),
           analysis=text, obstacles=text, follow_up=text)
    def post(role, code, indicator, analysis, obstacles, follow_up):
        path = f"/penutupan/{quote(code, safe='') or 'x'}/narasi"
        response = clients[role].post(path, data={"indikator": indicator, "analysis": analysis,
                                                  "obstacles": obstacles, "follow_up": follow_up})
        assert response.status_code in (303, 308, 403, 404, 405, 422), (path, response.status_code)
        assert clients[role].get(path).status_code in (200, 308, 404)

    post()
    assert_data_dir_sound(runtime)


def test_every_step_of_the_cycle_is_a_row_of_the_audit_log(app, runtime):
    operator, verifier, approver = (as_role(app, role) for role in ("operator", "verifier", "approver"))
    operator.post("/penutupan/2020-Q1/narasi", data={"indikator": "published", "analysis": "Naik"})
    step(operator, "2020-Q1", "submit")
    step(verifier, "2020-Q1", "return", "kurang bukti")
    step(operator, "2020-Q1", "submit")
    step(verifier, "2020-Q1", "verify")
    step(approver, "2020-Q1", "approve")
    step(approver, "2020-Q1", "reopen", "susulan")
    auditor = as_role(app, "auditor")
    expected = {"period_submitted": "", "period_returned": "kurang bukti", "period_verified": "",
                "period_approved": "revisi 1", "period_reopened": "susulan", "narrative_written": "Naik"}
    for kind, what in expected.items():
        page = soup(auditor.get("/jejak-audit", query_string={"jenis": kind}))
        row = page.select_one("table.audit tbody tr")
        assert row is not None, kind
        assert " ".join(row.select_one("td.what").text.split()) == what
        assert "None" not in row.text and "2020-Q1" in row.text


def test_the_indicator_page_as_of_a_moment_before_the_approval_says_provisional(app, runtime):
    operator, verifier, approver = (as_role(app, role) for role in ("operator", "verifier", "approver"))
    step(operator, "2020-Q1", "submit")
    step(verifier, "2020-Q1", "verify")
    step(approver, "2020-Q1", "approve")
    box = soup(operator.get("/", query_string={"periode": "2020-Q1", "per": "2021-01-01T00:00"})).select_one(".standing")
    assert " ".join(box.text.split()) == "Sementara — status terbuka"
