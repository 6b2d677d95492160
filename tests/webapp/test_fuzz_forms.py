"""Every form, fuzzed: random and hostile values in every field answer a page or a refusal with a message,
never a 500; and afterwards the data dir still verifies and rebuilds to the same read model."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import assert_data_dir_sound
from tests.webapp.conftest import login

HOSTILE = ("", " ", "\x00", "=HYPERLINK(\"http://x\")", "9999-12-31T23:59", "0001-01-01", "2020-03-10T09:00",
           "2020-02-30", "99999999999999999999", "-1", "NaN", "inf", "1e309", "87,5", "<script>alert(1)</script>",
           "x" * 2000, "AG-2020-0001", "AG-2020-0003", "005/HUMAS/2020", "walikota", "sekda", "admin", "operator",
           "auditor", "held", "published", "withdrawn", "cancelled", "scheduled", "published ", "website",
           "kata-sandi-uji-panjang", "2020", "2999", "1899", "published", "documented", "agenda")
text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60))

FIELDS = ("reference", "title", "leaders", "location", "occurred_at", "note", "kind", "channel", "evidence_ref",
          "withdrawn_kind", "reason", "konteks", "kembali", "submission_id", "username", "role", "password",
          "current_password", "new_password", "new_password_again", "tahun", "code", "value", "pemda", "unit",
          "alamat", "tempat", "penandatangan_nama", "penandatangan_nip", "penandatangan_jabatan", "encoding",
          "jenis", "quarter", "basis_number", "basis_date", "indicator", "exclusion_reason", "bagian", "name",
          "definition", "formula", "numerator_kind", "exclusion_reasons", "effective_from", "higher_is_better")
forms = st.dictionaries(st.sampled_from(FIELDS), text, max_size=10)

#: every form, with a body that would be accepted; the fuzz changes some of its fields
ROUTES = {
    "/agenda": {"reference": "AG-2020-0100", "title": "Rapat", "leaders": "walikota", "location": "Aula",
                "occurred_at": "2020-05-01T09:00", "note": ""},
    "/kegiatan/AG-2020-0003/catat": {"kind": "held", "occurred_at": "2020-03-10T09:00", "note": ""},
    "/kegiatan/AG-2020-0001/catat": {"kind": "documented", "occurred_at": "2020-04-01T09:00", "channel": "foto",
                                     "evidence_ref": "ARSIP/1", "note": ""},
    "/kegiatan/AG-2020-0002/catat": {"kind": "withdrawn", "withdrawn_kind": "held", "reason": "salah catat",
                                     "occurred_at": "2020-04-01T09:00"},
    "/akun": {"username": "baru", "role": "auditor", "password": "sandi-baru-panjang"},
    "/akun/auditor/peran": {"role": "operator"},
    "/akun/auditor/nonaktif": {"reason": "pindah"},
    "/akun/auditor/aktif": {},
    "/akun/admin/peran": {"role": "operator"},
    "/akun/sandi": {"current_password": "kata-sandi-uji-panjang", "new_password": "sandi-baru-panjang",
                    "new_password_again": "sandi-baru-panjang"},
    "/akun/sandi/reset": {"username": "operator", "new_password": "sandi-baru-panjang",
                          "new_password_again": "sandi-baru-panjang", "reason": "lupa"},
    "/laporan/target": {"tahun": "2020", "code": "published", "value": "90", "reason": "Renstra"},
    "/laporan/profil": {"pemda": "Pemerintah Kota Uji", "penandatangan_nip": "197503102000031004"},
    "/impor": {"encoding": "utf-8"},
    "/manual/definisi": {"code": "published_online", "name": "Publikasi daring", "definition": "Dipublikasikan daring",
                         "formula": "daring / terlaksana × 100%", "numerator_kind": "published", "leaders": "walikota",
                         "effective_from": "2020", "reason": "IKU baru"},
    "/manual/hentikan": {"code": "protocol_served", "effective_from": "2021", "reason": "Renstra baru"},
}
FILES = (b"", b"%PDF-1.4 tiny", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, b"activity,event,occurred_at\nAG-9,held,2020\n",
         b"\xff\xfe\x00\x00garbage", bytes(range(256)))


@pytest.fixture
def admin(client):
    return login(client, "admin")


def test_every_form_answers_without_a_server_error_and_the_data_dir_stays_sound(admin, runtime):
    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(route=st.sampled_from(sorted(ROUTES)), changes=forms, dropped=st.sets(st.sampled_from(FIELDS)),
           upload=st.none() | st.sampled_from(FILES), htmx=st.booleans())
    def post(route, changes, dropped, upload, htmx):
        data: dict = {key: value for key, value in {**ROUTES[route], **changes}.items() if key not in dropped}
        if upload is not None:
            data["berkas" if route != "/laporan/profil" else "logo"] = (io.BytesIO(upload), "berkas.bin")
        headers = {"HX-Request": "true"} if htmx else {}
        before = runtime.follower.head()
        with admin.post(route, data=data, headers=headers, content_type="multipart/form-data") as response:
            assert response.status_code < 500, (route, data)
            body = response.get_data(as_text=True)
            assert "Traceback" not in body, (route, data)
            if response.status_code >= 400:
                assert body.strip(), (route, data)  # a refusal says why
                assert runtime.follower.head() == before, (route, data)  # … and stored nothing
        if route == "/akun/sandi" and response.status_code == 303:  # the session follows its new password
            login_again(admin, data.get("new_password", ""))

    post()
    assert_data_dir_sound(runtime)


def login_again(client, password: str) -> None:
    client.post("/masuk", data={"username": "admin", "password": password})


def test_valid_steps_mixed_with_fuzz_leave_a_sound_data_dir(admin, runtime):
    """Fuzzed fields on the step form, starting from values that pass: some are stored, some refused."""
    base = {"kind": "published", "occurred_at": "2020-04-01T09:00", "channel": "website",
            "evidence_ref": "https://example.go.id/b"}

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(changes=st.dictionaries(st.sampled_from(("kind", "occurred_at", "channel", "evidence_ref", "note",
                                                    "withdrawn_kind", "reason")), text, max_size=3))
    def post(changes):
        before = runtime.follower.head()
        with admin.post("/kegiatan/AG-2020-0001/catat", data={**base, **changes}) as response:
            assert response.status_code in (303, 400, 404, 409, 422), changes
            stored = runtime.follower.head() - before
            assert stored == (1 if response.status_code == 303 else 0) or (response.status_code == 303
                                                                          and stored == 0), changes

    post()
    assert_data_dir_sound(runtime)
