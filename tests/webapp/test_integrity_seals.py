"""Integritas: the seals printed on approved reports, each checked against today's log, and a seal pasted from a
paper report checked with an RFC 9162 consistency proof; with and without htmx, in both languages, refusing a
malformed seal beside its field and never answering 500."""

from __future__ import annotations

import sqlite3
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.times import parse_instant
from projections import chain, merkle
from projections.tree import StoredTree
from services import closing
from tests.conftest import assert_data_dir_sound
from tests.webapp.conftest import login, soup


def grow(runtime, count: int = 20) -> None:
    for n in range(count):
        runtime.record("scheduled", f"AG-2020-09{n:02d}", title="Rapat", leaders=["sekda"], location="Aula",
                       occurred_at=parse_instant("2020-05-04T09:00"), actor="siti")


def approve_q1(runtime) -> str:
    for step, actor in (("submit", "operator"), ("verify", "verifier"), ("approve", "approver")):
        closing.take_step(runtime, "2020-Q1", step, actor=actor)
    return runtime.fresh().execute("SELECT seal FROM period_steps WHERE step = 'approve'").fetchone()[0]


def checked(client, seal: str, **headers):
    return client.get(f"/integritas?segel={quote(seal)}", headers=headers)


def test_a_seal_from_an_earlier_report_holds_with_its_consistency_proof(client, runtime):
    earlier = str(chain.head(runtime.fresh()))
    grow(runtime)
    login(client, "auditor")
    response = checked(client, earlier)
    assert response.status_code == 200
    result = soup(response).select_one("#seal-check")
    assert "ok" in result.select_one("p")["class"]
    now = StoredTree(runtime.fresh()).size()
    assert result.select_one("p").text == (f"Cocok: log hari ini ({now} peristiwa) hanya bertambah sejak segel ini "
                                           f"({chain.Seal.parse(earlier).size} peristiwa).")
    proof = [bytes.fromhex(li.text) for li in result.select(".proof li")]
    head = chain.head(runtime.fresh())
    old = chain.Seal.parse(earlier)
    assert proof and merkle.verify_consistency(old.size, head.size, bytes.fromhex(old.root), bytes.fromhex(head.root),
                                                proof)
    assert soup(response).select_one("#segel")["value"] == earlier


def test_a_seal_printed_before_the_tree_is_checked_by_its_chain_digest(client, runtime):
    old = chain.head(runtime.fresh()).chain_text()  # POSITION:DIGEST
    grow(runtime, 3)
    login(client, "admin")
    result = soup(checked(client, old)).select_one("#seal-check")
    assert "Cocok" in result.text and old in result.text


@pytest.mark.parametrize(("forge", "expected"), [
    (lambda s: f"mth:{s.size}:{'0' * 64}", "TIDAK COCOK: log hari ini tidak konsisten dengan segel ini"),
    (lambda s: f"mth:{s.size + 5}:{s.root}", "Segel ini tidak ada di log ini: segel mth:"),
    (lambda s: f"{s.position}:{'0' * 64}", "tidak ditemukan di rantai log ini"),
])
def test_a_seal_this_log_never_had_does_not_hold(client, runtime, forge, expected):
    text = forge(chain.head(runtime.fresh()))
    login(client, "auditor")
    response = checked(client, text)
    assert response.status_code == 200
    result = soup(response).select_one("#seal-check")
    assert expected in result.text and "error" in result.select_one("p")["class"]


@pytest.mark.parametrize("text", ["bukan segel", "mth:12", "12:abc", "mth:0:" + "0" * 64, "x" * 500])
def test_a_malformed_seal_is_refused_beside_its_field(client, runtime, text):
    login(client, "auditor")
    response = checked(client, text)
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one("#segel")["aria-invalid"] == "true"
    assert page.select_one("#segel-error").text == \
        "segel berbentuk mth:UKURAN:AKAR atau POSISI:DIGEST (64 digit heksadesimal)"
    assert page.select_one("#seal-check") is None


def test_with_htmx_only_the_body_comes_back(client, runtime):
    login(client, "auditor")
    response = checked(client, str(chain.head(runtime.fresh())), **{"HX-Request": "true"})
    assert response.status_code == 200 and b"<html" not in response.data
    assert "Cocok" in soup(response).select_one("#seal-check").text


def test_the_approved_reports_seals_are_listed_and_checked(client, runtime):
    login(client, "auditor")
    assert soup(client.get("/integritas")).select_one("#printed-none").text == "Belum ada laporan yang disetujui."
    seal = approve_q1(runtime)
    grow(runtime, 2)
    row = soup(client.get("/integritas")).select_one(".printed-seals tbody tr")
    cells = [cell.text.strip() for cell in row.select("th, td")]
    assert cells[0] == "Triwulan I 2020" and cells[1] == "konsisten" and cells[2] == "1"
    assert cells[3].startswith("approver, ") and cells[4] == seal and seal.startswith("mth:")
    # a stored tree changed behind the program's back no longer proves the printed seal
    conn = sqlite3.connect(runtime.data_dir / "readmodel.sqlite3", isolation_level=None)
    conn.execute("UPDATE merkle_leaves SET hash = zeroblob(32) WHERE leaf = 0")
    conn.close()
    assert soup(client.get("/integritas")).select_one(".printed-seals tbody td.state").text.strip() == "TIDAK konsisten"


def test_the_check_speaks_english(client, runtime):
    login(client, "auditor")
    client.post("/bahasa/en")
    page = soup(checked(client, str(chain.head(runtime.fresh()))))
    assert "It holds: today's log" in page.select_one("#seal-check").text
    assert page.select_one("#seal-check-title").text == "Check a seal from a printed report"


def test_only_auditors_and_admins_check_seals(client, runtime):
    for role in ("operator", "verifier", "approver"):
        login(client, role)
        assert checked(client, str(chain.head(runtime.fresh()))).status_code == 403
        client.post("/keluar")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=150), st.from_regex(r"(mth:)?[0-9]{1,22}:[0-9a-fA-F]{60,66}", fullmatch=True)))
def test_any_pasted_text_gets_an_answer_never_a_500(client, runtime, text):
    login(client, "auditor")
    response = client.get("/integritas", query_string={"segel": text})
    assert response.status_code in (200, 400)
    assert b"Traceback" not in response.data


def test_after_the_fuzz_the_data_dir_still_verifies_and_rebuilds_the_same(client, runtime):
    login(client, "auditor")
    for text in ("mth:1:" + "a" * 64, "\x00", "1:" + "f" * 64, "mth:99999999999999999999:" + "0" * 64):
        assert client.get("/integritas", query_string={"segel": text}).status_code in (200, 400)
    assert_data_dir_sound(runtime)
