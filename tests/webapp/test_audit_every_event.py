"""Jejak audit shows who set a target or changed the profile or an account, and why, beside the activities."""

from __future__ import annotations

import pytest

from tests.webapp.conftest import login, soup


@pytest.fixture
def auditor(client):
    return login(client, "auditor")


def test_targets_profile_and_account_events_are_rows_of_the_audit_page(auditor, runtime):
    runtime.log.set_target(2020, "published", "87.5", reason="Perjanjian Kinerja 2020", actor="admin")
    runtime.log.set_profile("pemda", "Pemerintah Kota Uji", actor="admin")
    page = soup(auditor.get("/jejak-audit?jenis=target_set"))
    row = page.select_one("table.audit tbody tr")
    text = row.get_text(" ")
    assert "target ditetapkan" in text and "87,50%" in text and "Perjanjian Kinerja 2020" in text
    assert row.select_one("a[href^='/kegiatan/']") is None  # a target is no activity: nothing to open
    page = soup(auditor.get("/jejak-audit?jenis=profile_changed"))
    assert "pemda: Pemerintah Kota Uji" in page.select_one("table.audit tbody tr").get_text(" ")
    accounts = soup(auditor.get("/jejak-audit?jenis=account_created")).select("table.audit tbody tr")
    assert len(accounts) == 5 and all("akun dibuat" in row.get_text(" ") for row in accounts)


def test_the_audit_csv_holds_every_event_of_the_store(auditor, runtime):
    runtime.log.set_target(2020, "published", "90", reason="PK", actor="admin")
    lines = auditor.get("/jejak-audit.csv?urutan=terlama").get_data(as_text=True).splitlines()[1:]
    positions = [int(line.split(",")[0]) for line in lines]
    assert positions == list(range(1, runtime.follower.head() + 1))
