"""Who may write, CSRF, login throttling, sessions, headers, and the vendored htmx."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

import pytest

from tests.webapp.conftest import PASSWORD, event_count, login, soup
from webapp import create_app
from webapp.security import load_secret_key

HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"
STATIC = Path(__file__).resolve().parents[2] / "webapp" / "static"

# Every route that changes the log, with a valid body: (url, form data).
WRITES = {
    "schedule": ("/agenda", {"reference": "AG-2020-0200", "title": "Rapat", "leaders": ["walikota"],
                             "location": "Aula", "occurred_at": "2020-05-01T09:00"}),
    "record": ("/kegiatan/AG-2020-0003/catat", {"kind": "held", "occurred_at": "2020-03-10T09:00"}),
    "exclude": ("/kegiatan/AG-2020-0002/catat", {"kind": "excluded", "indicator": "published",
                                                 "exclusion_reason": "tertutup", "note": "rapat tertutup",
                                                 "occurred_at": "2020-04-01T09:00"}),
    "not applicable": ("/kegiatan/AG-2020-0001/dokumen", {"aksi": "tidak-diperlukan", "document": "naskah_sambutan",
                                                          "reason": "tanpa sambutan"}),
}


# Routes that change accounts: admins only.
ADMIN_WRITES = {
    "add account": ("/akun", {"username": "baru", "role": "auditor", "password": "sandi-baru-panjang"}),
    "set role": ("/akun/auditor/peran", {"role": "operator"}),
    "disable": ("/akun/auditor/nonaktif", {"reason": "pindah"}),
    "reset password": ("/akun/sandi/reset", {"username": "auditor", "new_password": "sandi-baru-panjang",
                                             "new_password_again": "sandi-baru-panjang", "reason": "lupa"}),
    "set target": ("/laporan/target", {"tahun": "2020", "code": "published", "value": "90", "reason": "Renstra"}),
    "set profile": ("/laporan/profil", {"pemda": "Pemerintah Kota Uji"}),
    "define indicator": ("/manual/definisi", {"code": "published_online", "name": "Publikasi daring",
                                              "definition": "Kegiatan yang dipublikasikan daring",
                                              "formula": "daring / terlaksana × 100%", "numerator_kind": "published",
                                              "leaders": "walikota", "effective_from": "2020", "reason": "IKU baru"}),
    "retire indicator": ("/manual/hentikan", {"code": "protocol_served", "effective_from": "2021",
                                              "reason": "Renstra baru"}),
    "define document kind": ("/daftar-dokumen/jenis", {"code": "notulen", "label": "Notulen rapat",
                                                       "required_for": "sekda", "reason": "SOP 2021"}),
    "retire document kind": ("/daftar-dokumen/hentikan", {"code": "video", "reason": "disimpan di kanal resmi"}),
}
#: events an allowed admin write stores (1 unless said here)
ADMIN_EVENTS = {"set profile": 2,  # the profile's first change also starts it
                "define indicator": 2, "retire indicator": 2,  # … and the Manual IKU's first version it
                "define document kind": 2, "retire document kind": 2}  # … and the checklist's first version it


def test_every_state_changing_route_is_in_a_table(app):
    writing = {rule.endpoint for rule in app.url_map.iter_rules() if rule.methods & {"POST", "PUT", "PATCH", "DELETE"}}
    assert writing - {"auth.login", "auth.logout", "i18n.switch", "integrity.verify_now"} == {
        "agenda.schedule", "activity.record", "accounts.add", "accounts.set_role", "accounts.disable",
        "accounts.enable", "accounts.change_password", "accounts.reset_password", "report.set_target",
        "report.set_profile", "importing.upload", "importing.store_all", "manual.define", "manual.retire",
        # the quarter's cycle: its roles are the domain's (tests/webapp/test_closing_page.py)
        "closing.step", "closing.narrative",
        # the document checklist: an activity's documents, and (admins) the kinds
        "checklist.record", "documents.define", "documents.retire"}


@pytest.mark.parametrize("url", ["/impor", f"/impor/{'a' * 64}"])
@pytest.mark.parametrize("role,status", [(None, 303), ("auditor", 403)])
def test_import_routes_refuse_readers_before_reading_anything(client, runtime, url, role, status):
    if role:
        login(client, role)
    before = event_count(runtime)
    assert client.post(url, data={"submission_id": "x"}).status_code == status
    assert event_count(runtime) == before and not (runtime.data_dir / "imports").exists()


@pytest.mark.parametrize("route", ADMIN_WRITES)
@pytest.mark.parametrize("role,allowed", [(None, False), ("auditor", False), ("operator", False), ("admin", True)])
def test_account_routes_by_role(client, runtime, route, role, allowed):
    if role:
        login(client, role)
    url, data = ADMIN_WRITES[route]
    before = event_count(runtime)
    response = client.post(url, data=data)
    assert response.status_code == (303 if allowed or role is None else 403)
    assert event_count(runtime) == before + (ADMIN_EVENTS.get(route, 1) if allowed else 0)


def test_enable_route_by_role(client, runtime):
    runtime.log.disable_account("auditor", actor="admin", reason="cuti")
    login(client, "operator")
    assert client.post("/akun/auditor/aktif").status_code == 403
    client.post("/keluar")
    login(client, "admin")
    assert client.post("/akun/auditor/aktif").status_code == 303


def test_account_page_for_auditors_and_admins_only(client):
    login(client, "operator")
    assert client.get("/akun").status_code == 403
    client.post("/keluar")
    login(client, "auditor")
    page = soup(client.get("/akun"))
    assert [td.text for td in page.select("table.accounts tbody tr td:first-child")] == ["admin", "approver", "auditor", "operator", "verifier"]
    assert page.select("table.account-record tbody tr")
    assert page.select_one("form[action='/akun']") is None, "auditors see no change forms"


def test_admin_form_errors_come_back_beside_the_field(client, runtime):
    login(client, "admin")
    before = event_count(runtime)
    response = client.post("/akun", data={"username": "x", "role": "auditor", "password": "sandi-baru-panjang"})
    assert response.status_code == 422
    assert soup(response).select_one("#username-error") is not None
    response = client.post("/akun", data={"username": "baru", "role": "auditor", "password": "pendek"})
    assert soup(response).select_one("#password-error") is not None
    assert event_count(runtime) == before


@pytest.mark.parametrize("route", WRITES)
@pytest.mark.parametrize("role,allowed", [(None, False), ("auditor", False), ("operator", True), ("admin", True)])
def test_write_routes_by_role(client, runtime, route, role, allowed):
    if role:
        login(client, role)
    url, data = WRITES[route]
    before = event_count(runtime)
    response = client.post(url, data=data)
    if allowed:
        assert response.status_code == 303
        assert event_count(runtime) == before + 1
    else:
        assert response.status_code == (403 if role else 303)
        if role is None:
            assert response.headers["Location"].startswith("/masuk")
        assert event_count(runtime) == before


def test_auditor_gets_an_inline_message_for_htmx(client, runtime):
    login(client, "auditor")
    response = client.post("/kegiatan/AG-2020-0003/catat", headers={"HX-Request": "true"},
                           data={"kind": "held", "konteks": "agenda", "occurred_at": "2020-03-10T09:00"})
    assert response.status_code == 403
    assert response.headers["HX-Retarget"] == "#flash"
    assert soup(response).select_one("html") is None
    assert "hanya dapat melihat" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/", "/agenda", "/kegiatan/AG-2020-0001", "/jejak-audit", "/jejak-audit.csv",
                                 "/perbandingan", "/indikator/published"])
def test_anonymous_visitors_see_only_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/masuk?next=")


def test_auditor_reads_everything(client):
    login(client, "auditor")
    for url in ("/", "/agenda", "/kegiatan/AG-2020-0001", "/jejak-audit", "/jejak-audit.csv"):
        assert client.get(url).status_code == 200, url


def test_public_indicator_page_when_configured(runtime):
    app = create_app({"RUNTIME": runtime, "TESTING": True, "PUBLIC_INDICATORS": True})
    client = app.test_client()
    page = soup(client.get("/?periode=2020-Q1"))
    assert page.select(".card")
    assert not page.select(".card a"), "no drill-down (staff names) for the public"
    assert "siti" not in page.text
    assert client.get("/agenda").status_code == 303
    assert client.get("/indikator/published").status_code == 303


def test_login_redirects_to_the_page_asked_for_and_never_elsewhere(client):
    response = client.post("/masuk", data={"username": "auditor", "password": PASSWORD, "next": "/jejak-audit"})
    assert response.headers["Location"] == "/jejak-audit"
    client.post("/keluar")
    response = client.post("/masuk", data={"username": "auditor", "password": PASSWORD,
                                            "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_wrong_password_and_disabled_account_cannot_log_in(client, runtime):
    response = client.post("/masuk", data={"username": "operator", "password": "salah-sandi-sekali"})
    assert response.status_code == 401
    assert soup(response).select_one("#login-error") is not None
    runtime.log.disable_account("operator", actor="admin", reason="cuti")
    response = client.post("/masuk", data={"username": "operator", "password": PASSWORD})
    assert response.status_code == 401


def test_a_session_ends_when_its_account_is_disabled(client, runtime):
    login(client, "operator")
    assert client.get("/agenda").status_code == 200
    runtime.log.disable_account("operator", actor="admin", reason="cuti")
    assert client.get("/agenda").status_code == 303


def test_repeated_failures_throttle_the_account(client):
    for _ in range(5):
        assert client.post("/masuk", data={"username": "operator", "password": "salah-salah-salah"}).status_code == 401
    response = client.post("/masuk", data={"username": "operator", "password": PASSWORD})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in soup(response).select_one("#login-error").text


def test_logging_in_starts_a_new_session(client):
    client.get("/masuk")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    login(client, "operator")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["user"] == "operator"


def test_logout_ends_the_session(client):
    login(client)
    assert client.post("/keluar").status_code == 303
    assert client.get("/agenda").status_code == 303


@pytest.fixture
def csrf_client(runtime):
    app = create_app({"RUNTIME": runtime, "TESTING": True, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    page = soup(client.get("/masuk"))
    token = page.select_one("input[name=csrf_token]")["value"]
    client.post("/masuk", data={"username": "operator", "password": PASSWORD, "csrf_token": token})
    return client


def fresh_token(client) -> str:
    return soup(client.get("/agenda")).select_one("#schedule-form input[name=csrf_token]")["value"]


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_missing_or_wrong_csrf_token_is_refused(csrf_client, runtime, token):
    url, data = WRITES["record"]
    if token:
        data = {**data, "csrf_token": token}
    before = event_count(runtime)
    response = csrf_client.post(url, data=data)
    assert response.status_code == 400
    assert "Formulir kedaluwarsa" in soup(response).select_one("h1").text
    assert event_count(runtime) == before


def test_csrf_token_as_htmx_header_is_accepted(csrf_client, runtime):
    page = soup(csrf_client.get("/agenda"))
    header = re.search(r'"X-CSRFToken": "([^"]+)"', page.select_one("body")["hx-headers"]).group(1)
    url, data = WRITES["record"]
    before = event_count(runtime)
    response = csrf_client.post(url, data={**data, "konteks": "agenda"},
                                headers={"HX-Request": "true", "X-CSRFToken": header})
    assert response.status_code == 200
    assert event_count(runtime) == before + 1


def test_csrf_token_in_the_form_is_accepted(csrf_client, runtime):
    url, data = WRITES["schedule"]
    response = csrf_client.post(url, data={**data, "csrf_token": fresh_token(csrf_client)})
    assert response.status_code == 303


def test_security_headers(client):
    response = client.get("/masuk")
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_carry_no_inline_script(operator):
    for url in ("/", "/agenda", "/kegiatan/AG-2020-0001", "/jejak-audit"):
        scripts = soup(operator.get(url)).select("script")
        assert scripts and all(script.get("src") and not script.text.strip() for script in scripts), url


def test_session_cookie_is_httponly_and_lax(client):
    response = client.post("/masuk", data={"username": "operator", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secret_key_is_made_once_and_private(tmp_path):
    first = load_secret_key(tmp_path)
    assert load_secret_key(tmp_path) == first and len(first) == 64
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # nothing left beside it


def test_nodes_share_one_secret_key_file_and_a_session_works_on_either(runtime, tmp_path, monkeypatch):
    import threading

    shared = tmp_path / "share" / "secret_key"
    monkeypatch.setenv("IKU_SECRET_KEY_FILE", str(shared))
    keys: list[str] = []
    starters = [threading.Thread(target=lambda n=n: keys.append(load_secret_key(tmp_path / f"node-{n}")))
                for n in range(8)]
    for starter in starters:
        starter.start()
    for starter in starters:
        starter.join()
    assert len(set(keys)) == 1 and len(keys[0]) == 64  # nodes starting together agree on one key
    assert session_from_a_works_on_b(runtime, tmp_path)
    monkeypatch.delenv("IKU_SECRET_KEY_FILE")
    assert not session_from_a_works_on_b(runtime, tmp_path / "unshared")  # each data dir's own key


def session_from_a_works_on_b(runtime, tmp_path) -> bool:
    from services import accounts
    from services.runtime import Runtime

    node_b_runtime = Runtime(tmp_path / "node-b-data", database_url="")  # another node's data dir
    try:
        accounts.add_user(node_b_runtime, "operator", "operator", PASSWORD, actor="setup")
        node_a = create_app({"RUNTIME": runtime, "TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()
        login(node_a, "operator")
        node_b = create_app({"RUNTIME": node_b_runtime, "TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()
        node_b.set_cookie("session", node_a.get_cookie("session").value)
        return node_b.get("/agenda").status_code == 200  # logged in on B with A's session
    finally:
        node_b_runtime.close()


def test_vendored_htmx_is_the_pinned_release_with_its_licence():
    assert hashlib.sha256((STATIC / "htmx-2.0.11.min.js").read_bytes()).hexdigest() == HTMX_SHA256
    assert "Zero-Clause BSD" in (STATIC / "htmx-LICENSE.txt").read_text()


def test_htmx_is_served_from_our_own_static_files(operator):
    script = soup(operator.get("/")).select_one("script[src]")["src"]
    assert script == "/static/htmx-2.0.11.min.js"
    response = operator.get(script)
    assert response.status_code == 200
    response.close()


def fail_logins_from(client, address: str, times: int = 5) -> None:
    for n in range(times):
        client.post("/masuk", data={"username": f"nobody{n}", "password": "salah-salah-salah"},
                    headers={"X-Forwarded-For": address})


@pytest.mark.parametrize("hops,other_client_locked_out", [("1", False), ("0", True)])
def test_behind_a_proxy_throttling_counts_each_client_not_the_proxy(runtime, monkeypatch, hops,
                                                                    other_client_locked_out):
    monkeypatch.setenv("IKU_PROXY_HOPS", hops)
    client = create_app({"RUNTIME": runtime, "TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()
    fail_logins_from(client, "10.1.1.1")  # one client guessing through the proxy
    response = client.post("/masuk", data={"username": "operator", "password": PASSWORD},
                           headers={"X-Forwarded-For": "10.2.2.2"})  # another client, same proxy
    assert (response.status_code == 429) is other_client_locked_out


def test_a_wrong_proxy_setting_is_refused(runtime, monkeypatch):
    monkeypatch.setenv("IKU_PROXY_HOPS", "satu")
    with pytest.raises(ValueError, match="IKU_PROXY_HOPS"):
        create_app({"RUNTIME": runtime, "TESTING": True})
