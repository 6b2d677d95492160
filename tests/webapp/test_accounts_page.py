"""The accounts page: a reason to disable, who and when beside each account, the record in words."""

from __future__ import annotations

import re

import pytest

from projections import read
from services import accounts
from tests.webapp.conftest import event_count, login, soup

MOMENT_ID = re.compile(r"\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November"
                       r"|Desember) \d{4} pukul \d{2}\.\d{2} WIB")
MOMENT_EN = re.compile(r"\d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} WIB")
RAW_KINDS = {"created", "role_changed", "disabled", "enabled", "password_changed", "password_reset"}


@pytest.fixture
def admin(client):
    return login(client, "admin")


def english(client):
    client.post("/bahasa/en", data={"next": "/akun"})
    return client


def test_disabling_without_a_reason_is_refused_in_its_row(admin, runtime):
    before = event_count(runtime)
    response = admin.post("/akun/operator/nonaktif", data={"reason": "  "})
    assert response.status_code == 422
    row = soup(response).select_one("#account-operator")
    assert row.select_one("#reason-operator-error").text == "alasan wajib diisi"
    assert row.select_one("#reason-operator")["aria-invalid"] == "true"
    assert event_count(runtime) == before
    assert not read.accounts.account(runtime.fresh(), "operator")["disabled"]


def test_the_disable_field_is_required_in_the_form(admin):
    field = soup(admin.get("/akun")).select_one("#account-operator form[action='/akun/operator/nonaktif'] "
                                                "input[name=reason]")
    assert field.has_attr("required")


def test_disabling_with_a_reason_confirms_and_keeps_it(admin, runtime):
    response = admin.post("/akun/operator/nonaktif", data={"reason": "pindah tugas"})
    assert response.status_code == 303
    page = soup(admin.get("/akun"))
    assert page.select_one("#flash .saved").text.startswith("Tersimpan: akun operator dinonaktifkan, ")
    newest = page.select_one("table.account-record tbody tr td.change").text
    assert newest.startswith("dinonaktifkan oleh admin, ") and newest.endswith("(alasan: pindah tugas)")


def test_a_refused_role_change_is_said_in_its_row_not_in_the_add_form(admin):
    response = admin.post("/akun/operator/peran", data={"role": "operator"})
    assert response.status_code == 422
    page = soup(response)
    assert "sudah berperan" in page.select_one("#account-operator #row-operator-error").text
    assert page.select_one("#role-error") is None and not page.select_one("details.schedule").has_attr("open")


def test_created_and_last_change_name_who_and_when(admin, runtime):
    runtime.log.change_role("operator", "auditor", actor="admin")
    row = soup(admin.get("/akun")).select_one("#account-operator")
    created, changed = row.select_one("td.created").text, row.select_one("td.changed").text
    assert created.startswith("setup, ") and MOMENT_ID.search(created)
    assert changed.startswith("admin, ") and MOMENT_ID.search(changed)


def test_the_account_record_reads_as_sentences_not_codes(admin, runtime):
    runtime.log.change_role("operator", "auditor", actor="admin")
    runtime.log.disable_account("operator", actor="admin", reason="cuti")
    runtime.log.enable_account("operator", actor="admin")
    accounts.set_password(runtime, "operator", "sandi-baru-panjang", actor="operator")
    accounts.reset_password(runtime, "operator", "sandi-lain-panjang", actor="admin", reason="lupa")
    cells = [td.text for td in soup(admin.get("/akun")).select("table.account-record td.change")]
    reset_, changed, enabled, disabled, role, created = cells[:6]
    assert reset_.startswith("kata sandi direset oleh admin, ") and reset_.endswith("(alasan: lupa)")
    assert changed.startswith("kata sandi diganti oleh operator, ")
    assert enabled.startswith("diaktifkan kembali oleh admin, ")
    assert disabled.startswith("dinonaktifkan oleh admin, ")
    assert role.startswith("peran diubah: Operator → Auditor, oleh admin, ")
    assert created.startswith("dibuat sebagai ") and " oleh setup, " in created
    assert all(MOMENT_ID.search(cell) for cell in cells)
    assert not RAW_KINDS & {word.strip(":,") for cell in cells for word in cell.split()}


def test_the_account_record_and_roles_in_english(admin, runtime):
    runtime.log.change_role("operator", "auditor", actor="admin")
    page = soup(english(admin).get("/akun"))
    cells = [td.text for td in page.select("table.account-record td.change")]
    assert cells[0].startswith("role changed: Operator → Auditor, by admin, ") and MOMENT_EN.search(cells[0])
    assert any(cell.startswith("created as Admin by setup, ") for cell in cells)
    assert page.select_one("#account-operator td[data-label]:nth-of-type(2)").text == "Auditor"


def test_roles_are_shown_with_their_labels(admin):
    page = soup(admin.get("/akun"))
    assert [td.text for td in page.select("table.accounts tbody tr td:nth-of-type(2)")] == [
        "Admin", "Penyetuju", "Auditor", "Operator", "Verifikator"]
    assert [o.text for o in page.select("#role option")] == ["Operator", "Auditor", "Admin", "Verifikator", "Penyetuju"]
    assert [o["value"] for o in page.select("#role option")] == ["operator", "auditor", "admin", "verifier", "approver"]

