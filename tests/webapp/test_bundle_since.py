"""The evidence bundle from the drill-down, connected to a seal printed on an earlier report (`sejak`): its
manifest carries the consistency proof verify.py checks; a seal that does not read, or that this log is not
consistent with, is refused with why; nothing else changes and no input answers 500."""

from __future__ import annotations

import io
import json
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.times import parse_instant
from projections import chain, merkle
from services import bundleverify
from tests.conftest import assert_data_dir_sound
from tests.webapp.conftest import login, soup


def grow(runtime, count: int = 5) -> None:
    for n in range(count):
        runtime.record("scheduled", f"AG-2020-08{n:02d}", title="Rapat", leaders=["sekda"], location="Aula",
                       occurred_at=parse_instant("2020-05-04T09:00"), actor="siti")


def files_of(response) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_drilldown_offers_the_bundle_with_a_consistency_proof(client, runtime):
    login(client, "auditor")
    form = soup(client.get("/indikator/published?periode=2020-Q1")).select_one("form.since-form")
    assert form["method"] == "get" and form["action"] == "/data-dukung.zip"
    assert {i["name"]: i.get("value") for i in form.select("input[type=hidden]")} == {"periode": "2020-Q1"}
    assert form.select_one("#sejak")["name"] == "sejak"


def test_a_bundle_since_an_earlier_seal_carries_its_consistency_proof(client, runtime):
    earlier = chain.head(runtime.fresh())
    grow(runtime)
    login(client, "auditor")
    for given_seal in (str(earlier), earlier.chain_text(), f"  {str(earlier).upper().replace('MTH', 'mth')} "):
        response = client.get("/data-dukung.zip", query_string={"periode": "2020-Q1", "sejak": given_seal})
        assert response.status_code == 200 and response.mimetype == "application/zip"
        files = files_of(response)
        manifest = json.loads(files["manifest.json"])
        [proof] = manifest["consistency"]
        head = chain.head(runtime.fresh())
        assert (proof["size"], proof["root"]) == (earlier.size, earlier.root)
        assert merkle.verify_consistency(earlier.size, head.size, bytes.fromhex(earlier.root),
                                         bytes.fromhex(head.root), [bytes.fromhex(p) for p in proof["proof"]])
        assert bundleverify.check(files, [str(earlier)], say=lambda _line: None) == []
    plain = files_of(client.get("/data-dukung.zip?periode=2020-Q1&sejak="))
    assert json.loads(plain["manifest.json"])["consistency"] == []


def test_a_seal_that_does_not_read_is_refused_with_why(client, runtime):
    login(client, "auditor")
    for text in ("bukan segel", "mth:5", "x" * 500, "mth:0:" + "0" * 64):
        response = client.get("/data-dukung.zip", query_string={"periode": "2020-Q1", "sejak": text})
        assert response.status_code == 400
        page = soup(response)
        assert page.select_one("h1").text == "Segel tidak dapat dibaca (400)"
        assert "segel berbentuk mth:UKURAN:AKAR atau POSISI:DIGEST" in page.text


def test_a_seal_this_log_is_not_consistent_with_is_refused_with_why(client, runtime):
    head = chain.head(runtime.fresh())
    login(client, "auditor")
    for text, said in ((f"mth:{head.size}:{'0' * 64}", "log ini tidak konsisten dengan segel"),
                       (f"mth:{head.size + 9}:{head.root}", "log ini baru berisi"),
                       (f"3:{'0' * 64}", "tidak ditemukan di rantai log ini")):
        response = client.get("/data-dukung.zip", query_string={"periode": "2020-Q1", "sejak": text})
        assert response.status_code == 409
        page = soup(response)
        assert page.select_one("h1").text == "Segel tidak cocok dengan log ini (409)" and said in page.text
    client.post("/bahasa/en")
    english = client.get("/data-dukung.zip", query_string={"periode": "2020-Q1", "sejak": f"mth:{head.size}:{'0' * 64}"})
    assert "this log is not consistent with seal" in soup(english).text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=140), st.from_regex(r"(mth:)?[0-9]{1,22}:[0-9a-fA-F]{62,66}", fullmatch=True)))
def test_any_sejak_gets_an_answer_never_a_500(client, runtime, text):
    login(client, "auditor")
    response = client.get("/data-dukung.zip", query_string={"periode": "2020-Q1", "sejak": text})
    assert response.status_code in (200, 400, 409)


def test_after_the_fuzz_the_data_dir_still_verifies_and_rebuilds_the_same(client, runtime):
    login(client, "auditor")
    for text in ("mth:1:" + "a" * 64, "\x00", "1:" + "f" * 64, str(chain.head(runtime.fresh()))):
        assert client.get("/data-dukung.zip", query_string={"periode": "2020", "sejak": text}).status_code in (
            200, 400, 409)
    assert_data_dir_sound(runtime)
