"""Exclusions from the activity page: a writer takes a held activity out of one indicator's denominator for a
reason its definition allows (with a note), and takes it back with a reason; the indicator page, the drill-down
and the trail say so."""

from __future__ import annotations

import pytest

from domain.times import now, parse_instant
from tests.webapp.conftest import event_count, login, soup

EXCLUDE = {"kind": "excluded", "indicator": "published", "exclusion_reason": "tertutup",
           "note": "Rapat tertutup, tanpa peliputan", "occurred_at": "2020-04-02T10:00"}
UNEXCLUDE = {"kind": "withdrawn", "withdrawn_kind": "excluded", "evidence_ref": "published", "bagian": "pengecualian",
             "occurred_at": "2020-04-03T10:00", "reason": "Ternyata terbuka"}


def card(client, code: str = "published"):
    return soup(client.get("/?periode=2020-Q1")).select_one(f".card[data-code={code}]")


@pytest.mark.parametrize("role,shown", [("operator", True), ("admin", True), ("auditor", False),
                                        ("verifier", False), ("approver", False)])
def test_the_exclusion_form_is_for_writers_on_a_held_activity(client, role, shown):
    login(client, role)
    held = soup(client.get("/kegiatan/AG-2020-0002"))
    assert (held.select_one("form#step-excluded") is not None) == shown
    assert soup(client.get("/kegiatan/AG-2020-0003")).select_one("form#step-excluded") is None, "not held yet"


def test_the_form_offers_the_indicators_that_allow_exclusions_and_their_reasons(operator):
    form = soup(operator.get("/kegiatan/AG-2020-0002")).select_one("form#step-excluded")
    assert [o["value"] for o in form.select("select[name=indicator] option")] == ["published", "documented",
                                                                                    "protocol_served"]
    assert [o.text for o in form.select("select[name=exclusion_reason] option")][1:] == [
        "tertutup/rahasia", "diwakilkan pejabat lain", "bukan kegiatan pimpinan"]
    assert form.select_one("input[name=note]").has_attr("required")


def test_an_operator_excludes_a_held_activity_and_the_denominator_drops_by_one(operator, runtime):
    assert card(operator).select_one(".fraction").text == "1/2 = 50,00%"
    before = event_count(runtime)
    response = operator.post("/kegiatan/AG-2020-0002/catat", data=EXCLUDE)
    assert response.status_code == 303 and event_count(runtime) == before + 1
    published = card(operator)
    assert published.select_one(".fraction").text == "1/1 = 100,00%"
    assert published.select_one(".excluded").text == "1 kegiatan dikecualikan: 1 tertutup/rahasia"
    assert card(operator, "documented").select_one(".fraction").text == "0/2 = 0,00%", "other indicators keep it"

    drilldown = soup(operator.get("/indikator/published?periode=2020-Q1"))
    assert drilldown.select_one("#drilldown-excluded").text == "1 kegiatan dikecualikan: 1 tertutup/rahasia"
    assert drilldown.select_one("#excluded-title").contents[0].strip() == "Dikecualikan (1)"
    item = drilldown.select_one("ul.excluded-list li")
    assert item.select_one("a")["href"] == "/kegiatan/AG-2020-0002"
    assert "Rapat koordinasi" in item.text and "Alasan: tertutup/rahasia" in item.text
    assert "Rapat tertutup, tanpa peliputan" in item.text and "dicatat oleh operator" in item.text
    assert "3 Februari 2020 pukul 09.00 WIB" in item.text
    assert [a.text for a in drilldown.select("ul.missing a")] == []

    page = soup(operator.get("/kegiatan/AG-2020-0002"))
    event = page.select_one("li.kind-excluded")
    assert "dikecualikan" in event.text
    assert "Dari indikator Prosentase kegiatan pimpinan daerah yang dipublikasikan, alasan: tertutup/rahasia" in event.text
    assert "Catatan: Rapat tertutup, tanpa peliputan" in event.text
    assert [o["value"] for o in page.select("form#step-excluded select[name=indicator] option")] == [
        "documented", "protocol_served"], "excluded from published already"
    assert page.select_one("#exclusion-published") is not None
    assert "excluded" in [o["value"] for o in page.select("#withdrawn-kind option")]


def test_a_reason_the_definition_does_not_allow_is_refused_beside_the_field(operator, runtime):
    before = event_count(runtime)
    response = operator.post("/kegiatan/AG-2020-0002/catat", data={**EXCLUDE, "indicator": "documented"})
    assert response.status_code == 422
    page = soup(response)
    message = page.select_one("#excluded-exclusion_reason-error").text
    assert "documented" in message and "tertutup" in message
    assert page.select_one(".step-more-excluded").has_attr("open")
    assert page.select_one("#excluded-note")["value"] == EXCLUDE["note"], "what was typed stays"
    assert event_count(runtime) == before
    assert card(operator, "documented").select_one(".fraction").text == "0/2 = 0,00%"


@pytest.mark.parametrize("change,field", [({"note": ""}, "note"), ({"exclusion_reason": ""}, "exclusion_reason"),
                                          ({"indicator": "no_such"}, "indicator"),
                                          ({"occurred_at": "kemarin"}, "occurred_at")])
def test_an_incomplete_exclusion_is_refused_and_stores_nothing(operator, runtime, change, field):
    before = event_count(runtime)
    response = operator.post("/kegiatan/AG-2020-0002/catat", data={**EXCLUDE, **change})
    assert response.status_code == 422
    assert soup(response).select_one(f"#excluded-{field}-error") is not None, field
    assert event_count(runtime) == before


def test_an_exclusion_is_taken_back_in_its_own_form(operator, runtime):
    operator.post("/kegiatan/AG-2020-0002/catat", data=EXCLUDE)
    refused = operator.post("/kegiatan/AG-2020-0002/catat", data={**UNEXCLUDE, "reason": ""})
    assert refused.status_code == 422
    page = soup(refused)
    assert page.select_one("#exclusion-published details").has_attr("open")
    assert page.select_one("#unexclude-1-reason-error") is not None
    assert page.select_one("#withdrawn-reason-error") is None, "said in the exclusion's own form only"
    assert operator.post("/kegiatan/AG-2020-0002/catat", data=UNEXCLUDE).status_code == 303
    assert card(operator).select_one(".fraction").text == "1/2 = 50,00%"
    assert card(operator).select_one(".excluded") is None
    page = soup(operator.get("/kegiatan/AG-2020-0002"))
    assert page.select_one("#exclusion-published") is None
    assert "Ternyata terbuka" in page.select_one("li.kind-excluded").text


def test_an_exclusion_over_htmx_answers_the_activity_body(operator):
    response = operator.post("/kegiatan/AG-2020-0002/catat", data=EXCLUDE, headers={"HX-Request": "true"})
    assert response.status_code == 200
    fragment = soup(response)
    assert fragment.select_one("html") is None and fragment.select_one("#exclusion-published") is not None


def test_an_auditor_may_not_exclude(client, runtime):
    login(client, "auditor")
    before = event_count(runtime)
    assert client.post("/kegiatan/AG-2020-0002/catat", data=EXCLUDE).status_code == 403
    assert event_count(runtime) == before


def test_the_drilldown_and_trail_in_english(operator, runtime):
    runtime.record("excluded", "AG-2020-0002", indicator="published", exclusion_reason="tertutup", note="rahasia",
                   occurred_at=parse_instant("2020-04-02T10:00"), actor="operator")
    operator.post("/bahasa/en", data={"next": "/"})
    drilldown = soup(operator.get("/indikator/published?periode=2020-Q1"))
    assert drilldown.select_one("#drilldown-excluded").text == "1 activities excluded: 1 closed-door/confidential"
    assert drilldown.select_one("#excluded-title").contents[0].strip() == "Excluded (1)"
    assert "Reason: closed-door/confidential" in drilldown.select_one("ul.excluded-list li").text
    page = soup(operator.get("/kegiatan/AG-2020-0002"))
    assert "reason: closed-door/confidential" in page.select_one("li.kind-excluded").text
    assert [o.text for o in page.select("form#step-excluded select[name=exclusion_reason] option")][1:] == [
        "represented by another official", "not a leadership activity"]


def test_a_drilldown_without_exclusions_says_none(operator):
    drilldown = soup(operator.get(f"/indikator/published?periode={now().year}"))
    assert drilldown.select_one("#excluded-title").contents[0].strip() == "Dikecualikan (0)"
    assert drilldown.select_one("ul.excluded-list") is None
