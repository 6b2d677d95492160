"""The indicator page: the trend chart, the folded seal for each kind of viewer, and dates in words."""

from __future__ import annotations

import re

import pytest

from domain.times import parse_instant
from projections import chain
from services import reports
from tests.webapp.conftest import PASSWORD, login, soup
from webapp import create_app
from webapp.charts import month_names, trend_chart

RAW_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def test_trend_chart_labels_months_by_name(operator):
    page = soup(operator.get("/?periode=2020"))
    assert [li.text for li in page.select(".trend-x li")] == \
        ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
    assert month_names("en")[-4:] == ["Sep", "Oct", "Nov", "Dec"]


def test_trend_chart_stretches_to_its_card(operator):
    svg = soup(operator.get("/?periode=2020")).select_one(".trend svg")
    assert svg["preserveaspectratio"] == "none"
    assert svg.select("polyline") and all(p["vector-effect"] == "non-scaling-stroke" for p in svg.select("polyline"))


def test_trend_points_name_their_month_and_fraction(operator):
    titles = [t.text for t in soup(operator.get("/?periode=2020")).select(".trend svg title")]
    assert "Maret 2020: 1/1 = 100,00%" in titles


def test_a_year_without_held_activities_says_so_instead_of_empty_axes(operator):
    page = soup(operator.get("/?periode=2019"))
    assert page.select_one(".trend svg") is None
    assert page.select_one(".trend-empty").text.strip() == "Belum ada kegiatan terlaksana pada 2019"


def test_a_year_known_empty_at_the_as_of_says_so_too(runtime):
    trend = reports.monthly_trend(runtime.fresh(), 2020, parse_instant("2020-01-01T00:00"), "id")
    assert trend_chart(trend) is None


@pytest.mark.parametrize("role,command", [("operator", False), ("auditor", True), ("admin", True)])
def test_seal_is_folded_with_the_command_for_auditors_and_admins_only(client, runtime, role, command):
    login(client, role)
    seal = soup(client.get("/?periode=2020")).select_one("details.seal")
    assert seal.select_one("summary").text.strip() == "Segel log"
    assert str(chain.head(runtime.fresh())) in seal.text
    assert ("iku verify --seal" in seal.text) is command


def test_cards_cached_for_one_role_are_not_shown_to_another(app):
    operator, auditor = app.test_client(), app.test_client()
    login(operator, "operator")
    login(auditor, "auditor")
    assert "iku verify" not in operator.get("/?periode=2020").get_data(as_text=True)
    assert "iku verify" in auditor.get("/?periode=2020").get_data(as_text=True)
    assert "iku verify" not in operator.get("/?periode=2020").get_data(as_text=True)


def test_public_visitors_see_figures_without_command_names_or_drilldown(runtime):
    app = create_app({"RUNTIME": runtime, "TESTING": True, "WTF_CSRF_ENABLED": False, "PUBLIC_INDICATORS": True})
    staff = app.test_client()
    staff.post("/masuk", data={"username": "auditor", "password": PASSWORD})
    staff.get("/?periode=2020-Q1")  # cached for staff first, at the same position
    response = app.test_client().get("/?periode=2020-Q1")
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one(".card .fraction").text.strip() == "1/2 = 50,00%"
    assert "iku verify" not in page.text
    assert page.select("a[href^='/indikator/']") == []
    assert "siti" not in page.text and "auditor" not in page.text


@pytest.mark.parametrize("path", ["/?dari=2020-02-01&sampai=2020-02-15", "/?periode=2020-01-15..2020-03-02",
                                  "/indikator/published?periode=2019-12-01..2020-03-31&per=2020-04-05T00:00"])
def test_dates_are_written_in_words_not_as_codes(operator, path):
    page = soup(operator.get(path))
    for hidden in page.select("script, style"):
        hidden.decompose()
    assert RAW_ISO.findall(page.select_one("main").get_text(" ")) == []


@pytest.mark.parametrize("path,words", [
    ("/?dari=2020-02-01&sampai=2020-02-15", "1 – 15 Februari 2020"),
    ("/?periode=2020-01-15..2020-03-02", "15 Januari – 2 Maret 2020"),
    ("/?periode=2019-12-01..2020-01-31", "1 Desember 2019 – 31 Januari 2020"),
    ("/?dari=2020-02-03&sampai=2020-02-03", "3 Februari 2020"),
])
def test_a_custom_range_title_reads_as_a_person_writes_it(operator, path, words):
    assert soup(operator.get(path)).select_one("#period-title").contents[0].strip() == words
