"""Daily entry on the Agenda: the future-held guard, the suggested reference, confirmations, dates as people
read them, and write controls only for roles that may write."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.times import now, parse_instant, wib_date
from services.presentation import format_moment
from tests.webapp.conftest import event_count, login, soup
from webapp.activity import HELD_NOW_LEAD

HTMX = {"HX-Request": "true"}


def schedule(runtime, reference: str, start) -> None:
    runtime.record("scheduled", reference, title="Rapat paripurna", leaders=["walikota"], location="DPRD",
                   occurred_at=start, actor="siti")


def agenda_on(client, day) -> object:
    return soup(client.get(f"/agenda?dari={day.isoformat()}&sampai={day.isoformat()}"))


def test_held_for_an_activity_planned_far_ahead_asks_for_its_time(operator, runtime):
    planned = (now() + timedelta(days=2)).replace(second=0, microsecond=0)
    schedule(runtime, "AG-FUT-1", planned)
    row = agenda_on(operator, wib_date(planned)).select_one("tr#row-AG-FUT-1")
    assert row.select("form.one-click") == [], "no silent one-click held"
    held = row.select_one("form:has(input[name=kind][value=held])")
    field = held.select_one("details input[type=datetime-local][name=occurred_at]")
    assert field is not None and field.has_attr("required") and not field.get("value")
    assert held.select_one(".hint").text == f"Direncanakan {format_moment(planned)}"


def test_held_within_the_lead_stays_one_click_at_now(operator, runtime):
    planned = (now() + HELD_NOW_LEAD / 2).replace(second=0, microsecond=0)
    schedule(runtime, "AG-SOON-1", planned)
    row = agenda_on(operator, wib_date(planned)).select_one("tr#row-AG-SOON-1")
    form = row.select_one("form.one-click:has(input[name=kind][value=held])")
    assert form is not None and form.select_one("button[type=submit]") is not None
    assert form.select_one("input[name=occurred_at]")["type"] == "hidden"


def test_held_after_the_planned_start_records_the_planned_start_in_one_click(operator):
    row = agenda_on(operator, parse_instant("2020-03-10").date()).select_one("tr#row-AG-2020-0003")
    form = row.select_one("form.one-click:has(input[name=kind][value=held])")
    assert form.select_one("input[name=occurred_at]")["value"] == "2020-03-10T09:00"


def test_activity_page_does_not_propose_now_for_an_activity_planned_far_ahead(operator, runtime):
    planned = (now() + timedelta(days=2)).replace(second=0, microsecond=0)
    schedule(runtime, "AG-FUT-2", planned)
    form = soup(operator.get("/kegiatan/AG-FUT-2")).select_one("form.step:has(input[name=kind][value=held])")
    field = form.select_one("#held-occurred_at")
    assert not field.get("value") and field.has_attr("required")
    assert form.select_one("#held-plan").text == f"Direncanakan {format_moment(planned)}"


def test_activity_page_proposes_the_planned_start_once_it_has_passed(operator):
    form = soup(operator.get("/kegiatan/AG-2020-0003")).select_one("form.step:has(input[name=kind][value=held])")
    assert form.select_one("#held-occurred_at")["value"] == "2020-03-10T09:00"
    assert form.select_one("#held-plan") is None


def test_schedule_form_suggests_the_next_reference_of_this_year(operator, runtime):
    year = wib_date(now()).year
    for reference in (f"AG-{year}-00007", f"AG-{year}-01466", f"AG-{year}-01500b", f"AG-{year - 1}-09999"):
        schedule(runtime, reference, parse_instant(f"{year}-01-05T09:00"))
    field = soup(operator.get("/agenda")).select_one("#schedule-form #reference")
    assert field["value"] == f"AG-{year}-01467"
    assert field["placeholder"] == f"AG-{year}-00001"
    assert not field.has_attr("readonly"), "the suggestion is editable"


def test_schedule_form_suggests_the_first_reference_of_a_fresh_year(operator):
    field = soup(operator.get("/agenda")).select_one("#schedule-form #reference")
    assert field["value"] == f"AG-{wib_date(now()).year}-00001"


def test_a_refused_schedule_keeps_the_reference_typed(operator):
    response = operator.post("/agenda", data={"reference": "AG-2020-0001", "title": "Rapat", "leaders": ["walikota"],
                                              "occurred_at": "2020-05-01T09:00"})
    assert response.status_code == 422
    assert soup(response).select_one("#reference")["value"] == "AG-2020-0001"


def test_scheduling_confirms_after_the_redirect_and_once(operator):
    response = operator.post("/agenda", data={"reference": "AG-2020-0200", "title": "Rapat", "leaders": ["walikota"],
                                              "occurred_at": "2020-05-01T09:00", "submission_id": "c-1"})
    assert response.status_code == 303
    page = soup(operator.get(response.headers["Location"]))
    assert page.select_one("#flash .saved").text == "Tersimpan: dijadwalkan, 1 Mei 2020 pukul 09.00 WIB"
    assert soup(operator.get(response.headers["Location"])).select_one("#flash .saved") is None


def test_one_click_in_a_row_confirms_in_the_live_region_out_of_band(operator):
    response = operator.post("/kegiatan/AG-2020-0002/catat", headers=HTMX, data={
        "kind": "published", "konteks": "agenda", "occurred_at": "2020-02-03T12:00", "channel": "website",
        "evidence_ref": "https://example.go.id/2", "submission_id": "c-2"})
    fragment = soup(response)
    assert fragment.select_one("tr#row-AG-2020-0002") is not None
    flash = fragment.select_one("#flash[hx-swap-oob]")
    assert flash.select_one(".saved").text == "Tersimpan: dipublikasikan, 3 Februari 2020 pukul 12.00 WIB"
    following = soup(operator.get("/agenda?dari=2020-02-03&sampai=2020-02-03", headers=HTMX))
    assert following.select_one("#flash[hx-swap-oob]").select(".saved") == [], "gone on the next action"


def test_one_click_without_javascript_confirms_on_the_agenda_it_returns_to(operator):
    back = "/agenda?dari=2020-03-10&sampai=2020-03-10"
    response = operator.post("/kegiatan/AG-2020-0003/catat", data={
        "kind": "held", "konteks": "agenda", "kembali": back, "occurred_at": "2020-03-10T09:00"})
    assert response.status_code == 303 and response.headers["Location"] == back
    page = soup(operator.get(back))
    assert page.select_one("#flash .saved").text == "Tersimpan: terlaksana, 10 Maret 2020 pukul 09.00 WIB"


def test_confirmation_speaks_english_in_english(operator):
    operator.post("/bahasa/en", data={"next": "/"})
    response = operator.post("/kegiatan/AG-2020-0002/catat", headers=HTMX, data={
        "kind": "published", "konteks": "agenda", "occurred_at": "2020-02-03T12:00", "channel": "website",
        "evidence_ref": "https://example.go.id/2"})
    assert soup(response).select_one("#flash .saved").text == "Saved: published, 3 February 2020 at 12:00 WIB"


def test_a_refused_step_confirms_nothing(operator, runtime):
    before = event_count(runtime)
    response = operator.post("/kegiatan/AG-2020-0002/catat", headers=HTMX, data={
        "kind": "published", "konteks": "agenda", "occurred_at": "2020-02-03T12:00", "channel": "website"})
    assert response.status_code == 422
    assert soup(response).select("#flash .saved") == []
    assert event_count(runtime) == before


@pytest.mark.parametrize("span,expected", [
    ("dari=2020-03-01&sampai=2020-03-31", "1 – 31 Maret 2020"),
    ("dari=2020-02-24&sampai=2020-03-01", "24 Februari 2020 – 1 Maret 2020"),
    ("dari=2020-03-10&sampai=2020-03-10", "10 Maret 2020"),
])
def test_agenda_summary_names_its_dates_as_people_read_them(operator, span, expected):
    summary = soup(operator.get(f"/agenda?{span}")).select_one("p.summary").text
    assert summary.startswith(f"{expected}:")
    assert "2020-0" not in summary


def test_auditor_sees_no_write_control_on_the_agenda(client):
    login(client, "auditor")
    page = soup(client.get("/agenda?dari=2020-03-01&sampai=2020-03-31"))
    assert page.select("main form[method=post]") == []
    assert page.select_one("details.schedule") is None and page.select_one("#schedule-form") is None
    assert page.select("td.actions") == [] and "Langkah berikut" not in page.select_one("table.agenda thead").text
    assert page.select_one("tr#row-AG-2020-0003") is not None, "the agenda itself is there to read"


@pytest.mark.parametrize("role", ["operator", "admin"])
def test_writers_see_the_agenda_controls(client, role):
    login(client, role)
    page = soup(client.get("/agenda?dari=2020-03-01&sampai=2020-03-31"))
    assert page.select_one("#schedule-form") is not None
    assert page.select_one("tr#row-AG-2020-0003 form.one-click") is not None

