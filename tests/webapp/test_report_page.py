"""Laporan: the official report as a print-ready page and as downloads."""

import io

import pytest
from openpyxl import load_workbook

from tests.webapp.conftest import soup


def test_report_page_shows_the_year_with_fractions_and_signature(operator):
    page = soup(operator.get("/laporan?tahun=2020"))
    table = page.select_one("table.official-table")
    assert "1/2 = 50,00%" in table.text
    assert page.select_one(".signature") is not None
    assert "Segel log" in page.select_one(".official-head").text


def test_report_fragment_for_htmx(operator):
    fragment = soup(operator.get("/laporan?tahun=2020", headers={"HX-Request": "true"}))
    assert fragment.select_one("html") is None and fragment.select_one("table.official-table") is not None


@pytest.mark.parametrize("fmt,mimetype", [("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                                          ("pdf", "application/pdf"), ("csv", "text/csv")])
def test_downloads(operator, fmt, mimetype):
    response = operator.get(f"/laporan/iku.{fmt}?tahun=2020")
    assert response.status_code == 200 and response.mimetype == mimetype
    if fmt == "xlsx":
        assert load_workbook(io.BytesIO(response.data)).active.title == "IKU 2020"


def test_bad_year_is_explained(operator):
    response = operator.get("/laporan?tahun=abc")
    assert response.status_code == 400 and soup(response).select(".error")
    assert operator.get("/laporan/iku.doc?tahun=2020").status_code == 404


def test_cards_show_the_target_and_capaian(operator, runtime):
    runtime.log.set_target(2020, "published", "80", reason="Renstra", actor="admin")
    card = soup(operator.get("/?periode=2020-Q1")).select_one(".card[data-code=published]")
    assert card.select_one(".target").text.strip().startswith("Target 80,00% · capaian 62,50%")


def test_admin_sets_a_target_and_bad_values_come_back_beside_the_field(client, runtime):
    from tests.webapp.conftest import login

    login(client, "admin")
    response = client.post("/laporan/target", data={"tahun": "2020", "code": "published", "value": "lots",
                                                    "reason": "Renstra"})
    assert response.status_code == 422 and soup(response).select_one("#target-value-error") is not None
    response = client.post("/laporan/target", data={"tahun": "2020", "code": "published", "value": "90",
                                                    "reason": "Renstra"})
    assert response.status_code == 303
    assert "90,00%" in soup(client.get("/laporan?tahun=2020")).select_one("table.official-table").text
