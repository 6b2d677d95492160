"""Laporan: the official report as a print-ready page and as downloads."""

import io

import pytest
from openpyxl import load_workbook

from services.presentation import indicator_formula, indicator_name
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
    from projections import read
    from tests.webapp.conftest import event_count, login

    login(client, "admin")
    form = soup(client.get("/laporan?tahun=2020")).select_one("#profile form")
    assert form.select_one("#profile-pemda")["value"] == "Pemerintah Kota Mojokerto"  # the default shown
    before = event_count(runtime)
    response = client.post("/laporan/profil?tahun=2020", content_type="multipart/form-data", data={
        "pemda": "Pemerintah Kota Uji", "unit": "Bagian Humas dan Protokol Sekretariat Daerah",  # unit unchanged
        "penandatangan_nama": "Drs. Budi Santoso", "logo": (io.BytesIO(PNG), "logo.png")})
    assert response.status_code == 303 and response.headers["Location"].endswith("/laporan?tahun=2020")
    profile = read.targets.profile(runtime.fresh())
    assert profile["pemda"] == "Pemerintah Kota Uji" and profile["penandatangan_nama"] == "Drs. Budi Santoso"
    assert len(profile["logo"]) == 64
    assert event_count(runtime) == before + 4  # started, and three fields changed (not the unchanged unit)
    page = soup(client.get("/laporan?tahun=2020"))
    assert "PEMERINTAH KOTA UJI" in page.select_one(".official-head").text.upper()
    served = client.get("/laporan/logo")
    assert served.data == PNG
    served.close()


def test_a_profile_logo_that_is_not_png_or_jpeg_changes_nothing(client, runtime):
    from projections import read
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
    assert read.targets.profile(runtime.fresh())["pemda"] == "Pemerintah Kota Mojokerto"
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


def test_signature_names_the_place_and_day_without_a_time(operator):
    from domain.times import now, wib_date
    from services.presentation import format_date

    signature = soup(operator.get("/laporan?tahun=2020")).select_one(".signature p")
    assert signature.text.strip() == f"Mojokerto, {format_date(wib_date(now()))}"  # no "pukul 06.50 WIB"


def test_year_is_chosen_from_a_list_like_every_other_page(operator):
    from domain.times import now, wib_date

    page = soup(operator.get("/laporan?tahun=2020"))
    select = page.select_one("form.filters select#tahun")
    assert select is not None and page.select_one("input#tahun") is None
    years = [option["value"] for option in select.select("option")]
    assert years[0] == str(wib_date(now()).year) and "2020" in years
    assert select.select_one("option[selected]")["value"] == "2020"


def test_an_older_year_in_the_address_is_offered_and_chosen(operator):
    select = soup(operator.get("/laporan?tahun=2001")).select_one("select#tahun")
    assert select.select_one("option[selected]")["value"] == "2001"


def test_report_header_prints_the_address(operator):
    head = soup(operator.get("/laporan?tahun=2020")).select_one(".official-head")
    assert head.select_one(".address").text == "Jl. Gajah Mada No. 145, Kota Mojokerto"


def test_the_preview_tables_scroll_in_their_own_box(operator):
    page = soup(operator.get("/laporan?tahun=2020"))
    for table in page.select(".official table"):
        assert "table-scroll" in table.parent["class"] and table.parent["tabindex"] == "0"


def test_english_report_speaks_english_under_english_titles(operator, runtime):
    from domain.indicators import INDICATORS

    runtime.log.set_target(2020, "published", "80", reason="Renstra", actor="admin")
    operator.post("/bahasa/en", data={"next": "/laporan?tahun=2020"})
    page = soup(operator.get("/laporan?tahun=2020"))
    headers = [th.text.strip() for th in page.select(".official th")]
    assert {"INDICATOR", "FORMULA", "TARGET", "RESULT", "ACHIEVEMENT", "Q1", "YEAR"} <= set(headers)
    assert not {"INDIKATOR", "SASARAN STRATEGIS", "CAPAIAN", "REALISASI", "TW I"} & set(headers)
    text = page.select_one(".official").text
    for indicator in INDICATORS:
        assert indicator_name(indicator, "en") in text and indicator_formula(indicator, "en") in text and indicator_name(indicator) not in text
    assert "Kurang" not in text  # the predikat too (see below)


def test_english_report_predikat_is_translated_while_the_csv_keeps_the_indonesian_name(operator, runtime):
    runtime.log.set_target(2020, "published", "80", reason="Renstra", actor="admin")
    operator.post("/bahasa/en", data={"next": "/laporan?tahun=2020"})
    predikat = soup(operator.get("/laporan?tahun=2020")).select_one(".official-table .predikat").text
    assert predikat == "Poor"  # Q1: 1/2 = 50,00% against 80,00%: capaian 62,50%, "Kurang"
    assert "Kurang" in operator.get("/laporan/iku.csv?tahun=2020").text


@pytest.mark.parametrize("lang,label", [("id", "Indikator kinerja"), ("en", "Performance indicator")])
def test_target_form_labels_its_choice_as_one_indicator(client, runtime, lang, label):
    from tests.webapp.conftest import login

    login(client, "admin")
    client.post(f"/bahasa/{lang}", data={"next": "/laporan"})
    page = soup(client.get("/laporan?tahun=2020"))
    assert page.select_one("label[for=target-code]").text == label
    assert page.select_one("select#target-tahun") is not None  # the year is chosen, not typed


@pytest.mark.parametrize("role", ["operator", "auditor"])
def test_only_an_admin_sees_the_target_and_profile_forms(client, runtime, role):
    from tests.webapp.conftest import login

    login(client, role)
    page = soup(client.get("/laporan?tahun=2020"))
    assert page.select_one("#target form") is None and page.select_one("#profile form") is None
    assert not page.select("form[method=post][action^='/laporan']")


@pytest.mark.parametrize("form,field,error", [
    ({"value": "lots", "reason": "Renstra"}, "value", "target-value-error"),
    ({"value": "85", "reason": ""}, "reason", "target-reason-error"),
    ({"value": "85", "reason": "x" * 1001}, "reason", "target-reason-error"),
    ({"value": "85", "reason": "Renstra", "code": "bogus"}, "code", "target-code-error"),
])
def test_a_refused_target_keeps_what_was_typed_and_says_why_beside_the_field(client, runtime, form, field, error):
    from tests.webapp.conftest import event_count, login

    login(client, "admin")
    before = event_count(runtime)
    typed = {"tahun": "2021", "code": "documented", **form}
    response = client.post("/laporan/target", data=typed)
    assert response.status_code == 422 and event_count(runtime) == before
    page = soup(response)
    assert page.select_one(f"#{error}").text.strip()
    assert page.select_one("#target")["open"] is not None
    assert page.select_one("#target-value")["value"] == typed["value"]
    assert page.select_one("#target-reason")["value"] == typed["reason"]
    assert page.select_one("#target-tahun option[selected]")["value"] == "2021"
    if field != "code":
        assert page.select_one("#target-code option[selected]")["value"] == "documented"


def test_a_saved_target_is_confirmed_once(client, runtime):
    from tests.webapp.conftest import login

    login(client, "admin")
    response = client.post("/laporan/target", data={"tahun": "2020", "code": "documented", "value": "90,5",
                                                    "reason": "Renstra"})
    assert response.status_code == 303
    page = soup(client.get(response.headers["Location"]))
    assert page.select_one("#flash .saved").text == (
        "Tersimpan: target 2020, Prosentase kegiatan pimpinan daerah yang didokumentasikan: 90,50%")
    assert soup(client.get("/laporan?tahun=2020")).select_one("#flash .saved") is None


def test_a_saved_profile_is_confirmed(client, runtime):
    from tests.webapp.conftest import login

    login(client, "admin")
    response = client.post("/laporan/profil?tahun=2020", data={"alamat": "Jl. Baru No. 1"})
    assert response.status_code == 303
    page = soup(client.get(response.headers["Location"]))
    assert page.select_one("#flash .saved").text == "Tersimpan: profil instansi pada laporan"
    assert page.select_one(".official-head .address").text == "Jl. Baru No. 1"


def test_downloads_follow_the_year_an_htmx_request_shows(operator):
    fragment = soup(operator.get("/laporan?tahun=2021", headers={"HX-Request": "true"}))
    links = [a["href"] for a in fragment.select(".downloads a")]
    # the year, each triwulan, the LKjIP table (2), the evaluation pack, the Manual IKU (its page, PDF, DOCX)
    assert len(links) == 3 + 4 * 2 + 2 + 1 + 3
    assert all(any(f"{mark}2021" in link for mark in ("tahun=", "lkjip-", "paket-", "manual/")) for link in links)
