"""English mode: the choice survives login and logout, and the domain's words (predikat, leaders, indicators)
are English on every page; the city's identity in the header and on the login page."""

from __future__ import annotations

import io

import pytest

from services.presentation import indicator_formula, indicator_name
from tests.webapp.conftest import login, soup

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(40)


def choose_english(client, where="/masuk"):
    response = client.post("/bahasa/en", data={"next": where})
    assert response.status_code == 303
    return client


def lang_of(response) -> str:
    return soup(response).select_one("html")["lang"]


def test_english_chosen_on_the_login_page_survives_the_login(client):
    choose_english(client)
    assert lang_of(client.get("/masuk")) == "en"
    login(client, "operator")
    page = client.get("/agenda")
    assert lang_of(page) == "en" and soup(page).select_one("nav a").text == "Indicators"


def test_english_survives_the_logout(client):
    login(client, "auditor")
    choose_english(client, "/agenda")
    client.post("/keluar")
    page = soup(client.get("/masuk"))
    assert page.select_one("html")["lang"] == "en" and page.select_one("h1").text == "Log in"


def test_a_login_still_drops_everything_else_from_before(client):
    choose_english(client)
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    login(client, "operator")
    with client.session_transaction() as session:
        assert "planted" not in session and session["lang"] == "en" and session["user"] == "operator"


@pytest.fixture
def english_operator(client, runtime):
    runtime.log.set_target(2020, "published", "80", reason="Renstra", actor="admin")
    runtime.follower.catch_up()
    choose_english(client)
    return login(client, "operator")


def test_indicator_cards_speak_english(english_operator):
    page = soup(english_operator.get("/?periode=2020-Q1"))
    names = [h.text for h in page.select(".card h3")]
    assert names[0] == indicator_name("published", "en")
    target = page.select_one(".card .target").text
    assert target.endswith("(Poor)"), target  # 50% of an 80% target: capaian 62.5%
    assert "Kurang" not in page.text and "Prosentase" not in page.text


def test_drilldown_speaks_english(english_operator):
    page = soup(english_operator.get("/indikator/published?periode=2020-Q1"))
    assert page.select_one("h1").text == indicator_name("published", "en")
    assert page.select_one(".formula").text == indicator_formula("published", "en")
    assert page.select_one("#drilldown-target").text.endswith("(Poor)")


def test_agenda_and_activity_name_the_leaders_in_english(english_operator):
    agenda = soup(english_operator.get("/agenda?dari=2020-01-01&sampai=2020-12-31"))
    text = agenda.select_one("main").text
    assert "Mayor" in text and "Regional Secretary" in text
    assert "Walikota" not in text and "Sekretaris Daerah" not in text
    activity = soup(english_operator.get("/kegiatan/AG-2020-0003")).select_one("main").text
    assert "Regional Secretary" in activity and "Sekretaris Daerah" not in activity


def test_comparison_names_the_indicators_in_english(english_operator):
    page = soup(english_operator.get("/perbandingan?periode=2020-Q1&per=2020-04-01T00:00"))
    rows = [th.text for th in page.select("tbody th[scope=row]")]
    assert indicator_name("published", "en") in rows


def test_indonesian_stays_indonesian(client, runtime):
    runtime.log.set_target(2020, "published", "80", reason="Renstra", actor="admin")
    runtime.follower.catch_up()
    login(client, "operator")
    assert soup(client.get("/?periode=2020-Q1")).select_one(".card .target").text.endswith("(Kurang)")
    assert "Walikota" in soup(client.get("/kegiatan/AG-2020-0001")).select_one("main").text


def test_the_json_report_keeps_the_indonesian_predikat(runtime):
    from click.testing import CliRunner

    from cli.main import cli

    runtime.log.set_target(2020, "published", "80", reason="Renstra", actor="admin")
    result = CliRunner().invoke(cli, ["--data-dir", str(runtime.data_dir), "--lang", "en", "report", "2020-Q1",
                                      "--format", "json"])
    assert '"predikat": "Kurang"' in result.stdout


def test_the_header_names_the_city_above_the_product(client):
    login(client, "operator")
    brand = soup(client.get("/agenda")).select_one("header.top .brand")
    assert brand.select_one(".pemda").text == "Pemerintah Kota Mojokerto"
    assert brand.select_one(".product").text == "IKU Humas & Protokol"
    assert brand.select_one("img") is None, "no logo set, no broken image"


def test_the_header_and_login_page_show_the_profiles_name_and_logo(client, runtime):
    login(client, "admin")
    response = client.post("/laporan/profil", data={"pemda": "Pemerintah Kota Uji", "alamat": "Jl. Rahasia 1",
                                                     "logo": (io.BytesIO(PNG), "logo.png")})
    assert response.status_code == 303
    brand = soup(client.get("/agenda")).select_one("header.top .brand")
    assert brand.select_one(".pemda").text == "Pemerintah Kota Uji"
    assert brand.select_one("img.brand-logo")["src"] == "/laporan/logo"
    client.post("/keluar")
    login_page = soup(client.get("/masuk"))
    identity = login_page.select_one(".login-identity")
    assert identity.select_one(".pemda").text == "Pemerintah Kota Uji"
    assert identity.select_one("img")["src"] == "/laporan/logo"
    assert "Jl. Rahasia" not in login_page.text, "the public page shows the name and logo, nothing else"
    logo = client.get("/laporan/logo")
    assert logo.status_code == 200 and logo.data == PNG, "the logo is public, as the login page shows it"
    logo.close()
    assert client.get("/laporan").status_code == 303, "the rest of Laporan is not"


def test_a_logged_out_visitor_gets_no_logo_when_none_is_set(client):
    assert client.get("/laporan/logo").status_code == 404
    assert soup(client.get("/masuk")).select_one(".login-identity img") is None


def test_the_trend_points_are_labelled_in_english(client):
    login(client, "auditor")
    client.post("/bahasa/en", data={"next": "/"})
    page = soup(client.get("/", query_string={"periode": "2020"}))
    titles = [title.text for title in page.select("svg title")]
    assert titles and titles[0].startswith("February 2020: ") and all("Februari" not in t for t in titles)
