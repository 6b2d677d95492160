"""Every page: full page and htmx fragment, valid and invalid input, Indonesian formats."""

from __future__ import annotations

import csv
import io

import pytest

from projections import read
from tests.webapp.conftest import event_count, login, soup

HTMX = {"HX-Request": "true"}

PAGES = {
    "home": ("/?periode=2020-Q1", "#cards", ".card"),
    "drilldown": ("/indikator/published?periode=2020-Q1", "#drilldown", "ul.missing"),
    "agenda": ("/agenda?dari=2020-03-01&sampai=2020-03-31", "#agenda-list", "table.agenda"),
    "activity": ("/kegiatan/AG-2020-0001", "#activity", "ol.timeline"),
    "audit": ("/jejak-audit", "#audit-rows", "table.audit"),
    "compare": ("/perbandingan?periode=2020-Q1&per=2020-04-05T00:00", "#compare", "table.compare"),
}


@pytest.mark.parametrize("url,container,inside", PAGES.values(), ids=PAGES.keys())
def test_full_page_has_layout_and_content(operator, url, container, inside):
    response = operator.get(url)
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("html[lang=id]") is not None
    assert page.select_one("nav a[aria-current=page]") is not None
    assert page.select_one(container).select_one(inside) is not None
    assert "HX-Request" in response.headers.get("Vary", "")


@pytest.mark.parametrize("url,container,inside", PAGES.values(), ids=PAGES.keys())
def test_htmx_request_gets_only_the_fragment(operator, url, container, inside):
    response = operator.get(url, headers=HTMX)
    assert response.status_code == 200
    fragment = soup(response)
    assert fragment.select_one("html") is None and fragment.select_one("header.top") is None
    assert fragment.select_one(inside) is not None


def test_boosted_request_gets_the_full_page(operator):
    response = operator.get("/?periode=2020", headers={**HTMX, "HX-Boosted": "true"})
    assert soup(response).select_one("html") is not None


def test_home_shows_fractions_and_indonesian_percentages(operator):
    page = soup(operator.get("/?periode=2020-Q1"))
    cards = {card["data-code"]: card for card in page.select(".card")}
    assert cards["published"].select_one(".percent").text.strip() == "50,00%"
    assert cards["published"].select_one(".fraction").text.strip() == "1/2 = 50,00%"
    assert page.select_one("#period-title").text.startswith("Triwulan I 2020")
    assert page.select_one("svg[role=img]") is not None


def test_empty_period_shows_na_not_zero(operator):
    page = soup(operator.get("/?periode=2019"))
    assert {card.select_one(".percent").text.strip() for card in page.select(".card")} == {"n/a"}


def test_period_picker_fields_compose_the_period(operator):
    page = soup(operator.get("/?tahun=2020&bagian=Q1"))
    assert page.select_one("#period-title").text.startswith("Triwulan I 2020")
    page = soup(operator.get("/?dari=2020-02-03&sampai=2020-02-03"))
    assert page.select_one(".card .fraction").text.strip() == "0/1 = 0,00%"


def test_as_of_shows_what_was_known_then(operator):
    page = soup(operator.get("/?periode=2020&per=2020-01-01T00:00"))
    assert {card.select_one(".fraction").text.strip() for card in page.select(".card")} == {"0/0 = n/a"}


@pytest.mark.parametrize("url,field", [
    ("/?periode=2020-Q9", "periode"),
    ("/?periode=2020&per=kemarin", "per"),
    ("/?dari=2020-03-01&sampai=2020-02-01", "sampai"),
    ("/indikator/published?per=2020-02-30T10:00", "per"),
    ("/agenda?dari=2020-02-30", "dari"),
    ("/jejak-audit?sampai=31-12-2020", "sampai"),
])
def test_bad_query_parameters_are_explained_not_crashed(operator, url, field):
    response = operator.get(url)
    assert response.status_code == 400
    assert soup(response).select(".error"), "the message is shown"
    assert b"Traceback" not in response.data


@pytest.mark.parametrize("url", ["/kegiatan/TIDAK-ADA", "/indikator/unknown", "/halaman-tidak-ada"])
def test_unknown_things_get_a_404_page_in_indonesian(operator, url):
    response = operator.get(url)
    assert response.status_code == 404
    assert soup(response).select_one("h1").text.startswith("Halaman tidak ditemukan")


def test_drilldown_lists_counted_and_missing_with_links(operator):
    page = soup(operator.get("/indikator/published?periode=2020-Q1"))
    assert [a.text for a in page.select("ul.counted a")] == ["AG-2020-0001"]
    assert [a.text for a in page.select("ul.missing a")] == ["AG-2020-0002"]
    assert page.select_one("ul.missing a")["href"] == "/kegiatan/AG-2020-0002"


def test_trail_shows_times_in_wib_and_actor(operator):
    page = soup(operator.get("/kegiatan/AG-2020-0001"))
    held = page.select_one("li.kind-held")
    assert "31 Maret 2020 pukul 23.30 WIB" in held.text
    assert "siti" in held.text


def test_schedule_form_records_and_redirects(operator, runtime):
    response = operator.post("/agenda", data={
        "reference": "AG-2020-0100", "title": "Peresmian taman", "leaders": ["walikota", "sekda"],
        "location": "Alun-alun", "occurred_at": "2020-05-01T09:00", "submission_id": "s-100"})
    assert response.status_code == 303 and response.headers["Location"] == "/kegiatan/AG-2020-0100"
    trail = read.activities.trail(runtime.fresh(), "AG-2020-0100")
    assert trail["activity"]["leaders"] == ["walikota", "sekda"]
    assert trail["events"][0]["actor"] == "operator"


@pytest.mark.parametrize("overrides,field", [
    ({"title": ""}, "title"),
    ({"leaders": ["bupati"]}, "leaders"),
    ({"leaders": []}, "leaders"),
    ({"occurred_at": "2020-02-30T09:00"}, "occurred_at"),
    ({"reference": "AG-2020-0001"}, "reference"),
    ({"reference": "AG 2020"}, "reference"),
])
def test_schedule_form_errors_come_back_beside_the_field(operator, runtime, overrides, field):
    data = {"reference": "AG-2020-0101", "title": "Rapat", "leaders": ["walikota"], "location": "Aula",
            "occurred_at": "2020-05-01T09:00", **overrides}
    before = event_count(runtime)
    response = operator.post("/agenda", data=data)
    assert response.status_code == 422
    page = soup(response)
    assert page.select_one(f"#{field}-error") is not None
    assert event_count(runtime) == before


def test_schedule_form_error_as_htmx_returns_the_form_only(operator):
    response = operator.post("/agenda", data={"reference": "AG-X", "title": "", "leaders": ["walikota"],
                                               "occurred_at": "2020-05-01T09:00"}, headers=HTMX)
    assert response.status_code == 422
    fragment = soup(response)
    assert fragment.select_one("html") is None
    assert fragment.select_one("form#schedule-form #title-error") is not None


def test_one_click_held_in_the_agenda_swaps_the_row(operator, runtime):
    response = operator.post("/kegiatan/AG-2020-0003/catat", headers=HTMX, data={
        "kind": "held", "konteks": "agenda", "occurred_at": "2020-03-10T09:00", "submission_id": "r-1"})
    assert response.status_code == 200
    row = soup(response).select_one("tr#row-AG-2020-0003")
    assert "status-held" in row["class"]
    assert read.activities.activity(runtime.fresh(), "AG-2020-0003")["status"] == "held"


def test_one_click_evidence_without_its_reference_is_refused_in_the_row(operator, runtime):
    before = event_count(runtime)
    response = operator.post("/kegiatan/AG-2020-0002/catat", headers=HTMX, data={
        "kind": "published", "konteks": "agenda", "occurred_at": "2020-02-03T12:00", "channel": "website",
        "evidence_ref": ""})
    assert response.status_code == 422
    assert soup(response).select_one("tr#row-AG-2020-0002 .error") is not None
    assert event_count(runtime) == before


def test_plain_post_from_the_activity_page_redirects_back(operator, runtime):
    response = operator.post("/kegiatan/AG-2020-0002/catat", data={
        "kind": "documented", "occurred_at": "2020-02-03T10:00", "channel": "foto", "evidence_ref": "ARSIP/2"})
    assert response.status_code == 303 and response.headers["Location"] == "/kegiatan/AG-2020-0002"
    assert read.activities.activity(runtime.fresh(), "AG-2020-0002")["n_documented"] == 1


@pytest.mark.parametrize("data,field", [
    ({"kind": "withdrawn", "withdrawn_kind": "published", "reason": ""}, "reason"),
    ({"kind": "withdrawn", "withdrawn_kind": "documented", "reason": "keliru"}, "evidence_ref"),
    ({"kind": "held"}, "form"),
    ({"kind": "published", "channel": "web", "evidence_ref": "x", "occurred_at": "besok"}, "occurred_at"),
])
def test_rule_violations_show_inline_on_the_activity_page(operator, runtime, data, field):
    before = event_count(runtime)
    response = operator.post("/kegiatan/AG-2020-0001/catat", data={"occurred_at": "2020-04-02T10:00", **data})
    assert response.status_code == 422
    page = soup(response)
    errors = page.select(".actions-panel .error")
    assert errors, "the message is beside the form"
    assert event_count(runtime) == before


def test_unknown_kind_is_a_bad_request(operator):
    assert operator.post("/kegiatan/AG-2020-0001/catat", data={"kind": "scheduled"}).status_code == 400


def test_a_form_submitted_twice_records_one_event(operator, runtime):
    data = {"kind": "protocol_served", "occurred_at": "2020-02-03T09:00", "channel": "Subbag Protokol",
            "evidence_ref": "", "submission_id": "double-1"}
    first = operator.post("/kegiatan/AG-2020-0002/catat", data=data)
    head = event_count(runtime)
    second = operator.post("/kegiatan/AG-2020-0002/catat", data=data)
    assert (first.status_code, first.headers["Location"]) == (second.status_code, second.headers["Location"])
    assert event_count(runtime) == head
    assert read.activities.activity(runtime.fresh(), "AG-2020-0002")["n_protocol_served"] == 1


def test_audit_log_filters_and_pages(operator):
    page = soup(operator.get("/jejak-audit?jenis=held"))
    kinds = {row.select("td")[4].text for row in page.select("table.audit tbody tr")}
    assert kinds == {"terlaksana"}
    page = soup(operator.get("/jejak-audit?kegiatan=AG-2020-0003"))
    assert len(page.select("table.audit tbody tr")) == 1


def test_audit_csv_has_the_filtered_rows(operator):
    response = operator.get("/jejak-audit.csv?jenis=held")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["kind"] for r in rows] == ["held", "held"]


def test_audit_csv_rows_carry_the_seal_of_the_log_they_were_read_from(operator, runtime):
    from projections import chain

    rows = list(csv.DictReader(io.StringIO(operator.get("/jejak-audit.csv").get_data(as_text=True))))
    seal = str(chain.head(runtime.fresh()))
    assert rows and {r["seal"] for r in rows} == {seal}
    assert max(int(r["position"]) for r in rows) <= chain.head(runtime.fresh()).position


def test_text_with_markup_or_formulas_is_shown_as_text(operator, runtime):
    operator.post("/agenda", data={
        "reference": "AG-X-1", "title": "<script>alert(1)</script>", "leaders": ["walikota"],
        "location": "=HYPERLINK(\"http://x\")", "occurred_at": "2020-03-02T09:00"})
    for url in ("/agenda?dari=2020-03-02&sampai=2020-03-02", "/kegiatan/AG-X-1", "/jejak-audit?kegiatan=AG-X-1"):
        body = operator.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    rows = list(csv.reader(io.StringIO(operator.get("/jejak-audit.csv?kegiatan=AG-X-1").get_data(as_text=True))))
    location = rows[1][rows[0].index("location")]
    assert location.startswith("'=")


def test_english_on_request(client):
    login(client)
    client.post("/bahasa/en", data={"next": "/?periode=2020-Q1"})
    page = soup(client.get("/?periode=2020-Q1"))
    assert page.select_one("html[lang=en]") is not None
    assert page.select_one("#period-title").text.startswith("Quarter I 2020")
    assert page.select_one(".card .fraction").text.strip() == "1/2 = 50.00%"
    assert page.select_one("nav a").text == "Indicators"


@pytest.mark.parametrize("htmx", [False, True])
def test_a_step_someone_else_overtook_says_so_and_shows_their_change(operator, runtime, htmx):
    from domain.times import parse_instant

    other = runtime.batch()  # another node, acting on the same activity just before this request stores
    other.record("cancelled", "AG-2020-0003", occurred_at=parse_instant("2020-03-10T08:00"), reason="hujan",
                 actor="node-b")
    original = runtime.commit

    def overtaken(batch):
        other.commit()  # stored, but this node's read model has not seen it yet
        return original(batch)

    runtime.commit = overtaken
    try:
        response = operator.post("/kegiatan/AG-2020-0003/catat", data={
            "kind": "held", "occurred_at": "2020-03-10T09:00", **({"konteks": "agenda"} if htmx else {})},
            headers={"HX-Request": "true"} if htmx else {})
    finally:
        runtime.commit = original
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "diubah oleh orang lain" in body and "muat ulang" in body
    assert 'class="status-cancelled"' in body  # the other node's cancellation is on the page already
