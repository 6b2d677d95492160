"""References in the office's own numbering style with slashes (`005/HUMAS/2025`) work on every page."""

from __future__ import annotations

from domain.times import from_utc_text
from projections import read
from tests.webapp.conftest import soup

REFERENCE = "005/HUMAS/2020"


def test_a_reference_with_slashes_is_scheduled_opened_and_stepped_on_the_web(operator, runtime):
    response = operator.post("/agenda", data={"reference": REFERENCE, "title": "Rapat dinas", "leaders": ["sekda"],
                                              "location": "Aula", "occurred_at": "2020-03-05T09:00"})
    assert response.status_code == 303 and response.headers["Location"] == f"/kegiatan/{REFERENCE}"
    page = operator.get(f"/kegiatan/{REFERENCE}")
    assert page.status_code == 200 and REFERENCE in soup(page).select_one("h1").get_text()
    form = soup(page).select_one("form.step:has(input[name=kind][value=held])")
    assert form["action"] == f"/kegiatan/{REFERENCE}/catat"
    stepped = operator.post(form["action"], data={"kind": "held", "occurred_at": "2020-03-05T09:00"})
    assert stepped.status_code == 303
    assert read.activities.activity(runtime.fresh(), REFERENCE)["status"] == "held"
    agenda = soup(operator.get("/agenda?dari=2020-03-05&sampai=2020-03-05"))
    assert agenda.select_one(f"a[href='/kegiatan/{REFERENCE}']") is not None


def test_an_encoded_slash_reaches_the_same_activity(operator, runtime):
    runtime.record("scheduled", REFERENCE, title="Rapat", leaders=["sekda"], location="",
                   occurred_at=from_utc_text("2020-03-05T02:00:00.000000Z"), actor="siti")
    assert operator.get("/kegiatan/005%2FHUMAS%2F2020").status_code == 200
