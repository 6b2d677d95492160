"""Integritas: auditors see the seal and can verify the whole log from the browser."""

from projections import chain
from tests.webapp.conftest import event_count, login, soup


def test_auditor_verifies_the_log_and_sees_the_seal(client, runtime):
    login(client, "auditor")
    page = soup(client.get("/integritas"))
    assert page.select_one("#seal").text == str(chain.head(runtime.fresh()))
    before = event_count(runtime)
    response = client.post("/integritas/periksa")
    assert response.status_code == 303
    result = soup(client.get("/integritas")).select_one("#verification")
    assert "ok" in result["class"] and "Utuh" in result.text
    assert event_count(runtime) == before


def test_operators_do_not_get_the_integrity_page(client):
    login(client, "operator")
    assert client.get("/integritas").status_code == 403
    assert client.post("/integritas/periksa").status_code == 403


def test_home_page_shows_the_seal_it_was_computed_at(operator, runtime):
    page = soup(operator.get("/?periode=2020"))
    assert str(chain.head(runtime.fresh())) in page.select_one(".seal").text
