"""The period picker and the as-of field: the half of the form the user changed decides, with or without
JavaScript; a range keeps its dates in every link; a moment still to come is refused."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from werkzeug.datastructures import MultiDict

from domain.times import WIB, now
from tests.webapp.conftest import login, soup
from webapp.params import picked

HTMX = {"HX-Request": "true"}
FEBRUARY = {"dari": "2020-02-01", "sampai": "2020-02-15"}


def form(shown: str, tahun: str, bagian: str, dari: str, sampai: str, per: str = "") -> str:
    """The query the picker form submits (as a browser sends it, every field)."""
    return (f"tahun={tahun}&bagian={bagian}&dari={dari}&sampai={sampai}&per={per}&tampil={shown}")


def title(response) -> str:
    return soup(response).select_one("#period-title").contents[0].strip()


@pytest.mark.parametrize("shown,fields,expected", [
    ("2020-02-01..2020-02-15", ("2020", "Q3", "2020-02-01", "2020-02-15"), "select"),
    ("2020-02-01..2020-02-15", ("2021", "rentang", "2020-02-01", "2020-02-15"), "select"),
    ("2020-02-01..2020-02-15", ("2020", "rentang", "2020-02-01", "2020-02-20"), "range"),
    ("2020-Q3", ("2020", "Q3", "2020-02-01", "2020-02-15"), "range"),
    ("2020-Q3", ("2020", "rentang", "2020-07-01", "2020-09-30"), "range"),
    ("2020-Q3", ("2020", "Q3", "2020-07-01", "2020-09-30"), "select"),
    ("2020", ("2020", "Q1", "2020-02-01", "2020-02-15"), "select"),
])
def test_the_half_of_the_picker_the_user_changed_decides(shown, fields, expected):
    tahun, bagian, dari, sampai = fields
    args = MultiDict({"tampil": shown, "tahun": tahun, "bagian": bagian, "dari": dari, "sampai": sampai})
    assert picked(args) == expected


def test_a_link_without_the_form_is_not_a_choice():
    assert picked(MultiDict({"periode": "2020-Q1"})) is None


def test_choosing_a_quarter_after_a_custom_range_shows_the_quarter(operator):
    custom = operator.get("/?dari=2020-02-01&sampai=2020-02-15")
    assert title(custom) == "1 – 15 Februari 2020"
    assert soup(custom).select_one("#bagian option[selected]")["value"] == "rentang"
    # The form as the browser submits it after the user picks Triwulan III (the dates still hold February).
    response = operator.get("/?" + form("2020-02-01..2020-02-15", "2020", "Q3", "2020-02-01", "2020-02-15"))
    assert response.status_code == 200
    assert title(response) == "Triwulan III 2020"
    page = soup(response)
    assert page.select_one("#bagian option[selected]")["value"] == "Q3"
    assert (page.select_one("#dari")["value"], page.select_one("#sampai")["value"]) == ("2020-07-01", "2020-09-30")


def test_entering_dates_while_a_quarter_is_shown_selects_the_range(operator):
    response = operator.get("/?" + form("2020-Q3", "2020", "Q3", "2020-02-01", "2020-02-15"))
    assert title(response) == "1 – 15 Februari 2020"
    assert soup(response).select_one("#bagian option[selected]")["value"] == "rentang"
    assert soup(response).select_one(".card[data-code=published] .fraction").text.strip() == "0/1 = 0,00%"


def test_a_year_outside_the_list_is_still_shown_as_chosen(operator):
    page = soup(operator.get("/?periode=2011-Q2"))
    assert page.select_one("#tahun option[selected]")["value"] == "2011"
    assert page.select_one("#bagian option[selected]")["value"] == "Q2"


def test_a_reversed_range_is_explained_in_words_and_kept_to_correct(operator):
    response = operator.get("/?" + form("2020-Q1", "2020", "Q1", "2020-03-01", "2020-02-01"))
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one("#range-error .error").text == \
        "tanggal awal 1 Maret 2020 sesudah tanggal akhir 1 Februari 2020"
    assert (page.select_one("#dari")["value"], page.select_one("#sampai")["value"]) == ("2020-03-01", "2020-02-01")
    assert title(response) == "Triwulan I 2020", "the period shown before stays"


def test_htmx_change_brings_the_picker_up_to_date_out_of_band(operator):
    response = operator.get("/?" + form("2020-02-01..2020-02-15", "2020", "Q3", "2020-02-01", "2020-02-15"),
                            headers=HTMX)
    fragment = soup(response)
    assert fragment.select_one("html") is None
    assert fragment.select_one("#picker-shown[hx-swap-oob]")["value"] == "2020-Q3"
    assert fragment.select_one("#picker-choice[hx-swap-oob] #bagian option[selected]")["value"] == "Q3"
    assert fragment.select_one("#picker-range[hx-swap-oob] #dari")["value"] == "2020-07-01"


def test_htmx_leaves_the_dates_being_typed_alone(operator):
    response = operator.get("/?" + form("2020-Q3", "2020", "Q3", "2020-02-01", "2020-02-15"), headers=HTMX)
    fragment = soup(response)
    assert fragment.select_one("#picker-shown")["value"] == "2020-02-01..2020-02-15"
    assert fragment.select_one("#picker-range") is None
    assert fragment.select_one("#range-error[hx-swap-oob]") is not None


def test_a_full_page_has_no_out_of_band_parts(operator):
    assert soup(operator.get("/?periode=2020")).select("[hx-swap-oob]") == []


@pytest.mark.parametrize("start", ["/?dari=2020-02-01&sampai=2020-02-15", "/?periode=2020-02-01..2020-02-15"])
def test_links_between_indicator_and_drilldown_keep_a_custom_range_and_as_of(operator, start):
    home = soup(operator.get(start + "&per=2020-04-05T00:00"))
    rincian = home.select_one(".card[data-code=published] a")["href"]
    drill = soup(operator.get(rincian))
    assert drill.select_one("#drilldown h2").contents[0].strip() == "1 – 15 Februari 2020:"
    back = drill.select_one("#back-link a")["href"]
    bundle = drill.select_one("a[download]")["href"]
    for link in (rincian, back, bundle):
        assert "periode=2020-02-01..2020-02-15" in link and "per=2020-04-05T00:00" in link.replace("%3A", ":")
    again = operator.get(back)
    assert title(again) == "1 – 15 Februari 2020"
    assert "5 April 2020 pukul 00.00 WIB" in soup(again).select_one("#period-title small").text


def test_drilldown_back_link_follows_a_period_changed_with_htmx(operator):
    response = operator.get("/indikator/published?" + form("2020-02-01..2020-02-15", "2020", "Q1", *FEBRUARY.values()),
                            headers=HTMX)
    back = soup(response).select_one("#back-link[hx-swap-oob] a")["href"]
    assert "periode=2020-Q1" in back


def _future(days: int = 400) -> str:
    return (now() + timedelta(days=days)).astimezone(WIB).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("path", ["/?periode=2020", "/indikator/published?periode=2020",
                                  "/perbandingan?periode=2020", "/laporan?tahun=2020"])
def test_an_as_of_moment_still_to_come_is_refused_beside_the_field(operator, path):
    moment = _future()
    response = operator.get(f"{path}&per={moment}")
    assert response.status_code == 400
    message = soup(response).select_one(".error").text
    assert "masih di masa depan" in message
    assert re.search(r"\d{1,2} \w+ \d{4} pukul \d{2}\.\d{2} WIB", message), message


def test_the_refused_as_of_stays_in_its_field(operator):
    moment = _future()
    page = soup(operator.get(f"/?periode=2020&per={moment[:10]}"))
    assert page.select_one("#per")["value"] == f"{moment[:10]}T00:00"
    assert page.select_one("#per")["aria-invalid"] == "true"


def test_the_future_as_of_message_is_english_in_english(client):
    login(client, "auditor")
    client.post("/bahasa/en")
    message = soup(client.get(f"/?per={_future()}")).select_one("#per-error .error").text
    assert "is in the future" in message and " at " in message and "WIB" in message


def test_an_as_of_moment_just_passed_is_accepted(operator):
    moment = (now() - timedelta(minutes=2)).astimezone(WIB).strftime("%Y-%m-%dT%H:%M")
    assert operator.get(f"/?periode=2020&per={moment}").status_code == 200


def test_comparison_page_keeps_its_picker_up_to_date_with_htmx_too(operator):
    response = operator.get("/perbandingan?" + form("2020", "2020", "Q1", "2020-01-01", "2020-12-31",
                                                    per="2020-04-05T00:00"), headers=HTMX)
    fragment = soup(response)
    assert fragment.select_one("table.compare") is not None
    assert fragment.select_one("#picker-shown[hx-swap-oob]")["value"] == "2020-Q1"
