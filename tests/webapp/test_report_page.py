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


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(40)
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def test_admin_changes_the_profile_and_logo_from_the_report_page(client, runtime):
    from projections import queries
    from tests.webapp.conftest import event_count, login

    login(client, "admin")
    form = soup(client.get("/laporan?tahun=2020")).select_one("#profile form")
    assert form.select_one("#profile-pemda")["value"] == "Pemerintah Kota Mojokerto"  # the default shown
    before = event_count(runtime)
    response = client.post("/laporan/profil?tahun=2020", content_type="multipart/form-data", data={
        "pemda": "Pemerintah Kota Uji", "unit": "Bagian Humas dan Protokol Sekretariat Daerah",  # unit unchanged
        "penandatangan_nama": "Drs. Budi Santoso", "logo": (io.BytesIO(PNG), "logo.png")})
    assert response.status_code == 303 and response.headers["Location"].endswith("/laporan?tahun=2020")
    profile = queries.profile(runtime.fresh())
    assert profile["pemda"] == "Pemerintah Kota Uji" and profile["penandatangan_nama"] == "Drs. Budi Santoso"
    assert len(profile["logo"]) == 64
    assert event_count(runtime) == before + 4  # started, and three fields changed (not the unchanged unit)
    page = soup(client.get("/laporan?tahun=2020"))
    assert "PEMERINTAH KOTA UJI" in page.select_one(".official-head").text.upper()
    served = client.get("/laporan/logo")
    assert served.data == PNG
    served.close()


def test_a_profile_logo_that_is_not_png_or_jpeg_changes_nothing(client, runtime):
    from projections import queries
    from tests.webapp.conftest import event_count, login

    login(client, "admin")
    before = event_count(runtime)
    response = client.post("/laporan/profil", content_type="multipart/form-data", data={
        "pemda": "Pemerintah Kota Uji", "logo": (io.BytesIO(PDF), "logo.pdf")})
    assert response.status_code == 422
    page = soup(response)
    assert "PNG atau JPEG" in page.select_one("#profile-logo-error").text
    assert page.select_one("#profile-pemda")["value"] == "Pemerintah Kota Uji"  # what was typed comes back
    assert event_count(runtime) == before
    assert queries.profile(runtime.fresh())["pemda"] == "Pemerintah Kota Mojokerto"
    assert not (runtime.data_dir / "evidence").exists()  # the refused file was not kept either


def test_the_drilldown_shows_the_target_in_force_then(operator, runtime):
    from datetime import timedelta

    from domain.times import now

    runtime.log.set_target(2020, "published", "80", reason="Renstra", actor="admin")
    page = soup(operator.get("/indikator/published?periode=2020-Q1"))
    assert page.select_one("#drilldown-target").text.strip().startswith("Target 80,00% · capaian 62,50%")
    before_any_target = (now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page = soup(operator.get(f"/indikator/published?periode=2020-Q1&per={before_any_target}"))
    assert page.select_one("#drilldown-target") is None
