"""Passwords in the browser: every account changes its own (/akun/sandi); an admin resets another's."""

from __future__ import annotations

import pytest

from projections import read
from services import accounts
from services.presentation import role_label
from tests.webapp.conftest import PASSWORD, ROLES, event_count, login, soup

NEW = "sandi-baru-yang-panjang"


def change(client, current=PASSWORD, new=NEW, again=NEW):
    return client.post("/akun/sandi", data={"current_password": current, "new_password": new,
                                            "new_password_again": again})


def reset(client, username="operator", new=NEW, again=NEW, reason="lupa kata sandi"):
    return client.post("/akun/sandi/reset", data={"username": username, "new_password": new,
                                                  "new_password_again": again, "reason": reason})


def last_change(runtime, username):
    return read.accounts.account_log(runtime.fresh(), username)[-1]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reaches_the_password_page_from_its_name_in_the_header(client, role):
    login(client, role)
    page = soup(client.get("/agenda"))
    link = page.select_one("header.top .session a.who")
    assert link["href"] == "/akun/sandi"
    assert link.contents[0].strip() == role
    assert link.select_one("small").text == f"({role_label(role)})"
    form = soup(client.get(link["href"])).select_one("form#own-password")
    assert form["action"] == "/akun/sandi" and form["method"] == "post"
    assert {i["name"] for i in form.select("input[type=password]")} == {
        "current_password", "new_password", "new_password_again"}


@pytest.mark.parametrize("role", ROLES)
def test_own_password_change_is_recorded_and_keeps_the_session(client, runtime, role):
    login(client, role)
    response = change(client)
    assert response.status_code == 303 and response.headers["Location"] == "/akun/sandi"
    confirmation = soup(client.get("/akun/sandi")).select_one("#flash .saved").text
    assert confirmation.startswith("Tersimpan: kata sandi Anda diganti, ") and confirmation.endswith(" WIB")
    assert client.get("/agenda").status_code == 200, "the session that changed it stays valid"
    recorded = last_change(runtime, role)
    assert (recorded["kind"], recorded["actor"]) == ("password_changed", role)
    assert accounts.authenticate(runtime.fresh(), role, NEW) is not None
    assert accounts.authenticate(runtime.db, role, PASSWORD) is None


def test_own_password_change_ends_the_accounts_other_sessions(app, runtime):
    here, elsewhere = login(app.test_client(), "auditor"), login(app.test_client(), "auditor")
    assert change(here).status_code == 303
    assert here.get("/agenda").status_code == 200
    assert elsewhere.get("/agenda").status_code == 303, "a session opened with the old password ends"


@pytest.mark.parametrize("current,new,again,field", [
    ("salah-sandi-sekali", NEW, NEW, "current_password"),
    (PASSWORD, NEW, NEW + "x", "new_password_again"),
    (PASSWORD, "pendek", "pendek", "new_password"),
])
def test_a_refused_password_change_says_why_beside_the_field_and_changes_nothing(client, runtime, current, new,
                                                                                 again, field):
    login(client, "operator")
    before = event_count(runtime)
    response = change(client, current, new, again)
    assert response.status_code == 422
    page = soup(response)
    assert page.select_one(f"#{field}-error").text
    assert page.select_one(f"#{field}")["aria-invalid"] == "true"
    assert page.select_one("#flash .saved") is None
    assert event_count(runtime) == before
    assert accounts.authenticate(runtime.fresh(), "operator", PASSWORD) is not None


def test_a_wrong_current_password_counts_towards_the_login_lock(client, runtime):
    login(client, "operator")
    before = event_count(runtime)
    for _ in range(5):
        assert change(client, current="salah-sandi-sekali").status_code == 422
    response = change(client)  # the right password, too late
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in soup(response).select_one("#current_password-error").text
    assert event_count(runtime) == before
    client.post("/keluar")
    assert client.post("/masuk", data={"username": "operator", "password": PASSWORD}).status_code == 429


def test_an_htmx_password_change_gets_the_fragment(client):
    login(client, "operator")
    response = client.post("/akun/sandi", headers={"HX-Request": "true"},
                           data={"current_password": "salah-sandi-sekali", "new_password": NEW,
                                 "new_password_again": NEW})
    fragment = soup(response)
    assert fragment.select_one("header.top") is None and fragment.select_one("#current_password-error")


def test_admin_resets_another_accounts_password_with_a_reason(app, runtime):
    victim = login(app.test_client(), "operator")
    admin = login(app.test_client(), "admin")
    response = reset(admin)
    assert response.status_code == 303
    assert soup(admin.get(response.headers["Location"])).select_one("#flash .saved").text.startswith(
        "Tersimpan: kata sandi akun operator direset, ")
    recorded = last_change(runtime, "operator")
    assert (recorded["kind"], recorded["actor"], recorded["reason"]) == ("password_reset", "admin", "lupa kata sandi")
    assert victim.get("/agenda").status_code == 303, "the account's open session ends"
    assert accounts.authenticate(runtime.fresh(), "operator", NEW) is not None
    assert admin.get("/agenda").status_code == 200


@pytest.mark.parametrize("data,field", [
    ({"reason": ""}, "reset_reason"),
    ({"again": NEW + "x"}, "reset_new_password_again"),
    ({"new": "pendek", "again": "pendek"}, "reset_new_password"),
    ({"username": "nobody"}, "reset_username"),
    ({"username": "admin"}, "reset_username"),  # one's own password is changed with the current one
])
def test_a_refused_reset_says_why_and_changes_nothing(client, runtime, data, field):
    login(client, "admin")
    before = event_count(runtime)
    response = reset(client, **data)
    assert response.status_code == 422
    assert soup(response).select_one(f"#{field}-error").text
    assert event_count(runtime) == before


@pytest.mark.parametrize("role", ["operator", "auditor"])
def test_only_admins_see_and_use_the_reset_form(client, runtime, role):
    login(client, role)
    assert soup(client.get("/akun/sandi")).select_one("form#reset-password") is None
    before = event_count(runtime)
    assert reset(client, username="admin").status_code == 403
    assert event_count(runtime) == before


def test_the_reset_form_lists_the_other_accounts_and_preselects_one(client):
    login(client, "admin")
    page = soup(client.get("/akun/sandi?akun=auditor"))
    options = page.select("#reset_username option")
    assert [o["value"] for o in options] == ["", "approver", "auditor", "operator", "verifier"]
    assert page.select_one("#reset_username option[selected]")["value"] == "auditor"
    accounts_page = soup(client.get("/akun"))
    assert accounts_page.select_one("#account-auditor a[href='/akun/sandi?akun=auditor#reset']")
    assert accounts_page.select_one("#account-admin a[href^='/akun/sandi?akun=']") is None
