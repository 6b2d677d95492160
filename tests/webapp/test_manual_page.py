"""Manual IKU: every indicator in force with its whole definition and history, the documents, and an admin's
forms that define an indicator (a fourth one counts on the indicator page at once) or retire one."""

from __future__ import annotations

import io

import pytest
from docx import Document

from domain.periods import parse_period
from domain.times import now, parse_instant
from projections import read
from services import reports
from tests.webapp.conftest import event_count, login, soup

ONLINE = "Prosentase kegiatan Walikota yang dipublikasikan di media daring"


def form_values(form) -> dict[str, object]:
    """What a browser sends for `form` as it stands: inputs, checked boxes, chosen options, text areas."""
    values: dict[str, object] = {}
    for node in form.select("input[name], select[name], textarea[name]"):
        name = node["name"]
        if node.name == "input" and node.get("type") == "checkbox":
            if node.has_attr("checked"):
                values.setdefault(name, []).append(node["value"])
            else:
                values.setdefault(name, [])
        elif node.name == "select":
            chosen = node.select_one("option[selected]") or node.select_one("option")
            values[name] = chosen["value"] if chosen else ""
        elif node.name == "textarea":
            values[name] = node.text
        else:
            values[name] = node.get("value", "")
    return values


def define_online(client) -> object:
    """Fill the admin's "Definisikan indikator" form on the page the way a person does, and send it."""
    form = soup(client.get("/manual?tahun=2020")).select_one("#definisi form")
    values = form_values(form)
    values.update(code="published_online", name=ONLINE, numerator_kind="published", channels="website; media online",
                  leaders=["walikota"], exclusion_reasons=["tertutup"], effective_from="2020",
                  definition="Kegiatan Walikota yang terlaksana dan dipublikasikan di media daring.",
                  formula="Kegiatan Walikota yang dipublikasikan di media daring / kegiatan Walikota terlaksana × 100%",
                  renstra_target="95", reason="IKU perubahan 2020")
    return client.post(form["action"], data=values)


@pytest.fixture
def online_activities(runtime):
    """Beside the seed (two Walikota activities held in Q1 2020, AG-2020-0001 published on the website): one of
    the Sekda's published on the website, one of the Walikota's only on Instagram, one of the Walikota with the
    Sekda published on "Media Online " (channels compare trimmed, in any case)."""
    T = parse_instant
    for reference, leaders, channel in (("AG-2020-0010", ["sekda"], "website"),
                                        ("AG-2020-0011", ["walikota"], "instagram"),
                                        ("AG-2020-0012", ["walikota", "sekda"], "Media Online ")):
        runtime.record("scheduled", reference, title=f"Kegiatan {reference}", leaders=leaders, location="Aula",
                       occurred_at=T("2020-05-04T09:00"), actor="siti")
        runtime.record("held", reference, occurred_at=T("2020-05-04T09:00"), actor="siti")
        runtime.record("published", reference, occurred_at=T("2020-05-04T12:00"), channel=channel,
                       evidence_ref=f"https://example.go.id/{reference}", actor="siti")
    return runtime


def test_every_role_reads_each_indicator_in_force_with_its_whole_definition(client):
    for role in ("operator", "auditor", "verifier", "approver", "admin"):
        login(client, role)
        page = soup(client.get("/manual?tahun=2020"))
        sheets = page.select("article.manual-sheet")
        assert [sheet["data-code"] for sheet in sheets] == ["published", "documented", "protocol_served"]
        fields = dict(zip([dt.text for dt in sheets[1].select("dt")], [dd.text.strip() for dd in sheets[1].select("dd")],
                          strict=True))
        assert fields["Polaritas"] == "Maksimal (semakin tinggi semakin baik)"
        assert fields["Frekuensi pelaporan"] == "Triwulanan" and fields["Berlaku sejak"] == "definisi awal"
        assert "semua saluran" in fields["Aturan penghitungan"]
        assert "Walikota, Wakil Walikota, Sekretaris Daerah" in fields["Aturan penghitungan"]
        assert "diwakilkan pejabat lain, bukan kegiatan pimpinan" in fields["Aturan penghitungan"]
        assert fields["Target akhir Renstra"] == "belum dicatat"
        assert "Definisi awal (IKU 2020)" in sheets[1].select_one("ol.versions").text
        assert page.select_one("nav a[aria-current=page]").text == "Manual IKU"
        assert (page.select_one("#definisi") is None) == (role != "admin"), role
        assert (page.select_one("#hentikan") is None) == (role != "admin"), role
        assert bool(page.select("a[href*='ubah=']")) == (role == "admin"), role
        client.post("/keluar")


@pytest.mark.parametrize("url", ["/manual/definisi", "/manual/hentikan"])
@pytest.mark.parametrize("role", ["operator", "auditor", "verifier", "approver"])
def test_only_an_admin_may_define_or_retire_an_indicator(client, runtime, url, role):
    login(client, role)
    before = event_count(runtime)
    response = client.post(url, data={"code": "protocol_served", "name": "x", "definition": "x", "formula": "x",
                                      "numerator_kind": "published", "leaders": "walikota",
                                      "effective_from": "2021", "reason": "uji"})
    assert response.status_code == 403
    assert event_count(runtime) == before


def test_an_admin_defines_a_fourth_indicator_and_it_counts_on_the_indicator_page(client, runtime, online_activities):
    login(client, "admin")
    response = define_online(client)
    assert response.status_code == 303 and response.headers["Location"].endswith("/manual?tahun=2020")
    page = soup(client.get(response.headers["Location"]))
    assert "Tersimpan: definisi indikator published_online, berlaku mulai 2020" in page.select_one("#flash").text
    sheet = page.select_one("article[data-code=published_online]")
    fields = dict(zip([dt.text for dt in sheet.select("dt")], [dd.text.strip() for dd in sheet.select("dd")],
                      strict=True))
    assert fields["Berlaku sejak"] == "2020" and fields["Target akhir Renstra"] == "95,00%"
    assert "website, media online" in fields["Aturan penghitungan"] and "dari Walikota" in fields["Aturan penghitungan"]
    version = sheet.select_one("ol.versions li.current").text
    assert "dicatat oleh admin" in version and "IKU perubahan 2020" in version and " WIB" in version

    cards = soup(client.get("/?periode=2020"))
    assert [card["data-code"] for card in cards.select(".card")] == ["published", "documented", "protocol_served",
                                                                     "published_online"]
    card = cards.select_one(".card[data-code=published_online]")
    assert card.select_one("h3").text == ONLINE
    # by hand: the Walikota's activities held in 2020 are 0001, 0002, 0011 and 0012; on the website or online
    # media: 0001 (website) and 0012 ("Media Online "); 0010 is the Sekda's alone, 0011 only on Instagram
    assert card.select_one(".fraction").text == "2/4 = 50,00%"
    row = next(row for row in reports.report(runtime.fresh(), parse_period("2020"), now(), "id")["indicators"]
               if row["code"] == "published_online")
    assert (row["numerator"], row["denominator"]) == (2, 4)
    lines = cards.select("figure.trend svg g.series")
    assert [line["data-code"] for line in lines][-1] == "published_online"
    assert len({line["class"][1] for line in lines}) == 4, "each line its own colour"
    assert len(cards.select("figure.trend .legend li")) == 4

    drilldown = soup(client.get("/indikator/published_online?periode=2020"))
    assert [a.text for a in drilldown.select("ul.counted a")] == ["AG-2020-0001", "AG-2020-0012"]
    assert [a.text for a in drilldown.select("ul.missing a")] == ["AG-2020-0002", "AG-2020-0011"]
    assert client.get("/indikator/no_such_indicator?periode=2020").status_code == 404
    assert client.get("/indikator/published_online?periode=2019").status_code == 404, "not in force before 2020"


def test_a_change_from_a_year_keeps_the_years_before(client, runtime):
    login(client, "admin")
    link = soup(client.get("/manual?tahun=2021")).select_one("article[data-code=published] a[href*='ubah=']")
    assert link.text == "Ubah mulai tahun 2021"
    form = soup(client.get(link["href"])).select_one("#definisi form")
    values = form_values(form)
    assert values["code"] == "published" and values["effective_from"] == "2021"
    assert values["leaders"] == ["walikota", "wakil_walikota", "sekda"], "pre-filled with the version in force"
    assert values["exclusion_reasons"] == ["tertutup", "diwakilkan", "bukan_kegiatan_pimpinan"]
    values.update(name="Prosentase kegiatan pimpinan yang dipublikasikan (2021)", reason="Renstra baru")
    assert client.post(form["action"], data=values).status_code == 303
    assert soup(client.get("/manual?tahun=2021")).select_one("article[data-code=published] h2").text.startswith(
        "1. Prosentase kegiatan pimpinan yang dipublikasikan (2021)")
    assert soup(client.get("/manual?tahun=2020")).select_one("article[data-code=published] h2").text.startswith(
        "1. Prosentase kegiatan pimpinan daerah yang dipublikasikan")


@pytest.mark.parametrize("change,field", [
    ({"code": "Bukan Kode!"}, "code"),
    ({"name": ""}, "name"),
    ({"numerator_kind": "liked"}, "numerator_kind"),
    ({"leaders": []}, "leaders"),
    ({"exclusion_reasons": ["hujan"]}, "exclusion_reasons"),
    ({"renstra_target": "banyak"}, "renstra_target"),
    ({"effective_from": "20x0"}, "effective_from"),
    ({"reason": ""}, "reason"),
    ({"higher_is_better": "samping"}, "higher_is_better"),
    ({"frequency": "harian"}, "frequency"),
])
def test_a_refused_definition_says_why_beside_its_field_and_stores_nothing(client, runtime, change, field):
    login(client, "admin")
    form = soup(client.get("/manual?tahun=2020")).select_one("#definisi form")
    values = {**form_values(form), "code": "baru", "name": "Indikator baru", "definition": "d", "formula": "f",
              "numerator_kind": "documented", "reason": "uji", **change}
    before = event_count(runtime)
    response = client.post(form["action"], data=values)
    assert response.status_code == 422
    page = soup(response)
    assert page.select_one(f"#define-{field}-error").text.strip(), field
    assert page.select_one("#definisi").has_attr("open")
    if field != "name":
        assert page.select_one("#define-name")["value"] == "Indikator baru", "what was typed stays"
    assert event_count(runtime) == before


def test_an_admin_retires_an_indicator_from_a_year(client, runtime):
    login(client, "admin")
    refused = client.post("/manual/hentikan", data={"code": "protocol_served", "effective_from": "2021", "reason": ""})
    assert refused.status_code == 422 and soup(refused).select_one("#retire-reason-error") is not None
    response = client.post("/manual/hentikan", data={"code": "protocol_served", "effective_from": "2021",
                                                     "reason": "Tidak lagi dalam Renstra"})
    assert response.status_code == 303
    assert [s["data-code"] for s in soup(client.get("/manual?tahun=2021")).select("article.manual-sheet")] == [
        "published", "documented"]
    kept = soup(client.get("/manual?tahun=2020")).select_one("article[data-code=protocol_served]")
    assert "Dihentikan mulai 2021" in kept.select_one("ol.versions").text
    again = client.post("/manual/hentikan", data={"code": "protocol_served", "effective_from": "2022",
                                                  "reason": "sekali lagi"})
    assert again.status_code == 422 and soup(again).select_one("#retire-code-error") is not None


@pytest.mark.parametrize("fmt,mimetype", [("pdf", "application/pdf"),
                                          ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")])
def test_the_manual_downloads_for_every_role(client, fmt, mimetype):
    login(client, "auditor")
    response = client.get(f"/manual/2020.{fmt}")
    assert response.status_code == 200 and response.mimetype == mimetype
    assert 'filename="manual-iku-2020.' in response.headers["Content-Disposition"]
    if fmt == "docx":
        assert "MANUAL INDIKATOR KINERJA UTAMA TAHUN 2020" in "\n".join(
            p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    assert client.get(f"/manual/99999.{fmt}").status_code == 404
    assert client.get("/manual/2020.doc").status_code == 404


def test_a_bad_year_is_explained_and_the_picker_answers_htmx_with_the_body_alone(client):
    login(client, "operator")
    response = client.get("/manual?tahun=abc")
    assert response.status_code == 400 and soup(response).select_one("#tahun-error") is not None
    fragment = soup(client.get("/manual?tahun=2020", headers={"HX-Request": "true"}))
    assert fragment.select_one("html") is None and fragment.select("article.manual-sheet")


def test_the_manual_in_english(client):
    login(client, "admin")
    client.post("/bahasa/en", data={"next": "/manual"})
    page = soup(client.get("/manual?tahun=2020"))
    sheet = page.select_one("article[data-code=documented]")
    assert sheet.select_one("h2").text.startswith("2. Percentage of leadership activities documented")
    labels = [dt.text for dt in sheet.select("dt")]
    assert "Operational definition" in labels and "Polarity" in labels
    text = sheet.text
    assert "Quarterly" in text and "every channel" in text and "represented by another official" in text
    assert "Mayor, Deputy Mayor, Regional Secretary" in text and "initial definition" in text
    assert page.select_one("#definisi summary").text.strip() == "Define an indicator"


def test_the_read_model_holds_what_the_form_defined(client, runtime):
    login(client, "admin")
    assert define_online(client).status_code == 303
    found = [entry for entry in read.manual.history(runtime.fresh()) if entry["code"] == "published_online"]
    assert len(found) == 1
    indicator = found[0]["indicator"]
    assert indicator.channels == ("website", "media online") and indicator.leaders == ("walikota",)
    assert indicator.exclusion_reasons == ("tertutup",) and indicator.effective_from == 2020
