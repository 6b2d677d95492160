"""Laporan: the target form's three kinds (PK awal, PK perubahan by decree, a triwulan's own), the targets
recorded, the LKjIP chapter III table with its downloads, and links to the evaluation pack and the Manual IKU."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from domain.times import parse_instant
from tests.webapp.conftest import event_count, login, soup

AWAL = {"jenis": "awal", "tahun": "2020", "code": "published", "value": "80", "reason": "PK 2020"}
PERUBAHAN = {"jenis": "perubahan", "tahun": "2020", "code": "published", "value": "85",
             "basis_number": "050/123/417.101/2020", "basis_date": "2020-06-15", "reason": "Refocusing anggaran"}
TRIWULAN = {"jenis": "triwulan", "tahun": "2020", "code": "published", "quarter": "1", "value": "40",
            "reason": "Rencana aksi"}


@pytest.fixture
def admin(client):
    return login(client, "admin")


def targets_row(client, code: str = "published"):
    return soup(client.get("/laporan?tahun=2020")).select_one(f"table.targets tr[data-code={code}]")


def test_a_revision_needs_the_original_target_first(admin, runtime):
    before = event_count(runtime)
    response = admin.post("/laporan/target", data=PERUBAHAN)
    assert response.status_code == 422
    page = soup(response)
    assert "belum dicatat" in page.select_one("#target-code-error").text
    assert page.select_one("#target").has_attr("open")
    assert page.select_one("#target-jenis option[selected]")["value"] == "perubahan", "the kind chosen stays"
    assert page.select_one("#target-basis_number")["value"] == PERUBAHAN["basis_number"]
    assert event_count(runtime) == before
    assert admin.post("/laporan/target", data=TRIWULAN).status_code == 422, "so does a triwulan's target"
    assert event_count(runtime) == before


def test_original_revision_and_quarter_targets_are_shown_side_by_side(admin, runtime):
    assert admin.post("/laporan/target", data=AWAL).status_code == 303
    response = admin.post("/laporan/target", data=PERUBAHAN)
    assert response.status_code == 303
    flash = soup(admin.get(response.headers["Location"])).select_one("#flash").text
    assert "Tersimpan: target 2020 (PK perubahan), Prosentase kegiatan pimpinan daerah yang dipublikasikan: 85,00%" in flash
    response = admin.post("/laporan/target", data=TRIWULAN)
    assert response.status_code == 303
    assert "target triwulan I 2020" in soup(admin.get(response.headers["Location"])).select_one("#flash").text
    row = targets_row(admin)
    assert row.select_one("td.awal").text == "80,00%"
    assert row.select_one("td.perubahan").contents[0] == "85,00%"
    assert row.select_one("td.perubahan small").text == "No. 050/123/417.101/2020, 15 Juni 2020"
    assert [td.text for td in row.select("td.quarter")] == ["40,00%", "–", "–", "–"]
    assert [td.text for td in targets_row(admin, "documented").select("td")] == ["–", "–", "–", "–", "–", "–"]
    # the first quarter is measured against its own target: 1/2 = 50% of 40%
    card = soup(admin.get("/?periode=2020-Q1")).select_one(".card[data-code=published] .target").text
    assert card.strip().startswith("Target 40,00% · capaian 125,00%")


@pytest.mark.parametrize("change,field", [({"basis_date": "15-06-2020"}, "basis_date"),
                                          ({"basis_number": ""}, "basis_number"),
                                          ({"reason": ""}, "reason"), ({"value": "lots"}, "value")])
def test_a_refused_revision_says_why_beside_its_field(admin, runtime, change, field):
    admin.post("/laporan/target", data=AWAL)
    before = event_count(runtime)
    response = admin.post("/laporan/target", data={**PERUBAHAN, **change})
    assert response.status_code == 422 and soup(response).select_one(f"#target-{field}-error") is not None, field
    assert event_count(runtime) == before


@pytest.mark.parametrize("quarter", ["5", "", "Q0", "x"])
def test_a_quarter_outside_one_to_four_is_refused(admin, runtime, quarter):
    admin.post("/laporan/target", data=AWAL)
    before = event_count(runtime)
    response = admin.post("/laporan/target", data={**TRIWULAN, "quarter": quarter})
    assert response.status_code == 422 and soup(response).select_one("#target-quarter-error") is not None
    assert event_count(runtime) == before


def test_an_unknown_kind_of_target_is_refused(admin, runtime):
    before = event_count(runtime)
    response = admin.post("/laporan/target", data={**AWAL, "jenis": "tahunan"})
    assert response.status_code == 422 and soup(response).select_one("#target-jenis-error") is not None
    assert event_count(runtime) == before


@pytest.mark.parametrize("role", ["operator", "auditor", "verifier", "approver"])
@pytest.mark.parametrize("data", [AWAL, PERUBAHAN, TRIWULAN], ids=["awal", "perubahan", "triwulan"])
def test_only_an_admin_sets_targets(client, runtime, role, data):
    login(client, role)
    before = event_count(runtime)
    assert client.post("/laporan/target", data=data).status_code == 403
    assert event_count(runtime) == before
    assert soup(client.get("/laporan?tahun=2020")).select_one("#target") is None


def test_the_lkjip_table_on_the_page_with_its_downloads(admin, runtime):
    admin.post("/laporan/target", data=AWAL)
    admin.post("/laporan/target", data=PERUBAHAN)
    runtime.record("excluded", "AG-2020-0002", indicator="published", exclusion_reason="tertutup", note="rahasia",
                   occurred_at=parse_instant("2020-04-02T10:00"), actor="operator")
    page = soup(admin.get("/laporan?tahun=2020"))
    table = page.select_one("table.lkjip-table")
    headers = [th.text for th in table.select("thead th")]
    assert headers[:5] == ["No", "Sasaran", "Indikator", "Target (PK awal)", "Target (PK perubahan)"]
    first = table.select_one("tbody tr")
    assert "1 kegiatan dikecualikan: 1 tertutup/rahasia" in first.select_one("th small.excluded").text
    assert [td.text for td in first.select("td")][2:5] == ["80,00%", "85,00%", "1/1 = 100,00%"]
    assert any("050/123/417.101/2020" in li.text for li in page.select("section.lkjip ul.notes li"))
    official = page.select_one("table.official-table tbody th[scope=rowgroup]")
    assert official.select_one("small.excluded").text == "1 kegiatan dikecualikan: 1 tertutup/rahasia"
    assert page.select_one("table.official-table tbody:nth-of-type(3) small.excluded") is None

    links = {a["href"] for a in page.select(".downloads a")}
    assert {"/laporan/lkjip-2020.xlsx", "/laporan/lkjip-2020.docx", "/laporan/paket-2020.zip",
            "/manual?tahun=2020", "/manual/2020.pdf", "/manual/2020.docx"} <= links
    sheet = load_workbook(io.BytesIO(admin.get("/laporan/lkjip-2020.xlsx").data)).active
    assert sheet.title == "Capaian 2020"
    word = Document(io.BytesIO(admin.get("/laporan/lkjip-2020.docx").data))
    assert word.tables[0].rows[0].cells[3].text == "Target (PK awal)"
    assert admin.get("/laporan/lkjip-2020.pdf").status_code == 404
    assert admin.get("/laporan/lkjip-99999.xlsx").status_code == 404
    assert admin.get("/laporan/lkjip-2020.xlsx?per=kemarin").status_code == 400


def test_every_role_reads_the_targets_and_the_lkjip_table(client, runtime):
    runtime.log.set_target(2020, "published", "80", reason="PK", actor="admin")
    for role in ("operator", "auditor", "verifier", "approver"):
        login(client, role)
        page = soup(client.get("/laporan?tahun=2020"))
        assert targets_row(client).select_one("td.awal").text == "80,00%", role
        assert page.select_one("table.lkjip-table") is not None
        assert client.get("/laporan/lkjip-2020.xlsx").status_code == 200
        client.post("/keluar")


def test_the_target_form_in_english(admin):
    admin.post("/bahasa/en", data={"next": "/laporan"})
    page = soup(admin.get("/laporan?tahun=2020"))
    assert [o.text for o in page.select("#target-jenis option")] == ["Original target (PK)", "Revision (revised PK)",
                                                                     "Quarter target"]
    assert page.select_one("#targets-title").text == "Performance targets 2020"
