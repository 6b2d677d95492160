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


def test_the_page_says_where_this_node_stands(client, runtime):
    login(client, "auditor")
    node = soup(client.get("/integritas"))
    head = runtime.follower.head()
    assert node.select_one("#node-position").text == node.select_one("#node-head").text == f"{head:,}".replace(",", ".")
    assert "SQLite" in node.select_one("#node").text and "pada setiap permintaan" in node.select_one("#node-following").text
    runtime.follow(interval=0.25)  # as `iku serve` does; stopped when the runtime closes
    assert "setiap 0,25 detik" in soup(client.get("/integritas")).select_one("#node-following").text


def test_the_store_is_named_without_its_password():
    from pathlib import Path

    from services.runtime import store_label

    assert store_label(Path("."), "postgresql://iku:rahasia@db.internal:5433/iku?schema=kota") == \
        "PostgreSQL db.internal:5433/iku (kota)"
