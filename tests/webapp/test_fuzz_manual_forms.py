"""The Manual IKU's forms (define, retire), the exclusion form and its withdrawal, and the target form's three
kinds, fuzzed from bodies that pass: never a 500, a refusal says why and stores nothing, and afterwards the data
dir still verifies and rebuilds to the same read model. And the new pages and downloads with hostile years and
query values."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import assert_data_dir_sound
from tests.webapp.conftest import login
from tests.webapp.test_fuzz_forms import HOSTILE as FORM_VALUES
from tests.webapp.test_fuzz_routes import HOSTILE as QUERY_VALUES
from tests.webapp.test_fuzz_routes import SHARPEST

HOSTILE = (*FORM_VALUES, "tertutup", "diwakilkan", "bukan_kegiatan_pimpinan", "naik", "turun", "triwulanan",
           "harian", "pengecualian", "excluded", "awal", "perubahan", "triwulan", "2020-06-15", "1", "4", "5", "Q2",
           "protocol_served", "published_online", "website; media online", "walikota;sekda", "2021", "2100")
text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60))

#: each new form with a body that would be accepted; the fuzz changes some of its fields
BODIES = {
    "define": ("/manual/definisi", {
        "code": "published_online", "name": "Prosentase kegiatan Walikota yang dipublikasikan di media daring",
        "definition": "Kegiatan Walikota yang dipublikasikan di media daring", "formula": "daring / terlaksana × 100%",
        "unit": "%", "higher_is_better": "naik", "data_source": "Bagian Humas", "responsible": "Kabag Humas",
        "frequency": "triwulanan", "sasaran": "Meningkatnya pelayanan kehumasan", "numerator_kind": "published",
        "channels": "website; media online", "leaders": "walikota", "exclusion_reasons": "tertutup",
        "renstra_target": "95", "effective_from": "2020", "reason": "IKU perubahan"}),
    "retire": ("/manual/hentikan", {"code": "protocol_served", "effective_from": "2021", "reason": "Renstra baru"}),
    "exclude": ("/kegiatan/AG-2020-0002/catat", {"kind": "excluded", "indicator": "published",
                                                 "exclusion_reason": "tertutup", "note": "rapat tertutup",
                                                 "occurred_at": "2020-04-01T09:00"}),
    "unexclude": ("/kegiatan/AG-2020-0002/catat", {"kind": "withdrawn", "withdrawn_kind": "excluded",
                                                   "evidence_ref": "published", "bagian": "pengecualian",
                                                   "occurred_at": "2020-04-02T09:00", "reason": "ternyata terbuka"}),
    "awal": ("/laporan/target", {"jenis": "awal", "tahun": "2020", "code": "published", "value": "80",
                                 "reason": "PK"}),
    "perubahan": ("/laporan/target", {"jenis": "perubahan", "tahun": "2020", "code": "published", "value": "85",
                                      "basis_number": "050/1/2020", "basis_date": "2020-06-15", "reason": "refocusing"}),
    "triwulan": ("/laporan/target", {"jenis": "triwulan", "tahun": "2020", "code": "published", "quarter": "2",
                                     "value": "40", "reason": "rencana aksi"}),
}
FIELDS = sorted({name for _, body in BODIES.values() for name in body} | {"konteks", "submission_id"})


@pytest.fixture
def admin(client):
    return login(client, "admin")


def test_the_new_forms_never_fail_and_a_refusal_stores_nothing(admin, runtime):
    @settings(max_examples=160, deadline=None, suppress_health_check=list(HealthCheck))
    @given(form=st.sampled_from(sorted(BODIES)), changes=st.dictionaries(st.sampled_from(FIELDS), text, max_size=4),
           dropped=st.sets(st.sampled_from(FIELDS), max_size=3), many=st.booleans(), htmx=st.booleans())
    def post(form, changes, dropped, many, htmx):
        url, body = BODIES[form]
        data: dict = {key: value for key, value in {**body, **changes}.items() if key not in dropped}
        if many:  # the checkboxes, as a browser sends them: the name once per box ticked
            data["leaders"] = ["walikota", data.get("leaders", "sekda")]
            data["exclusion_reasons"] = [data.get("exclusion_reasons", "diwakilkan"), "tertutup"]
        before = runtime.follower.head()
        with admin.post(url, data=data, headers={"HX-Request": "true"} if htmx else {}) as response:
            assert response.status_code < 500, (form, data)
            body_text = response.get_data(as_text=True)
            assert "Traceback" not in body_text, (form, data)
            if response.status_code >= 400:
                assert body_text.strip(), (form, data)  # a refusal says why
                assert runtime.follower.head() == before, (form, data)  # … and stored nothing

    post()
    assert_data_dir_sound(runtime)


YEARS = ("2020", "1899", "1900", "2999", "3000", "0", "-1", "99999999999999999999999", "20x0", "٢٠٢٠", "", "2020.5")
PAGES = ("/manual", "/manual/2020.pdf", "/manual/2020.docx", "/laporan/lkjip-2020.xlsx", "/laporan/lkjip-2020.docx",
         "/laporan", "/indikator/published", "/kegiatan/AG-2020-0002")
SEGMENTS = ("/manual/{}.pdf", "/manual/{}.docx", "/laporan/lkjip-{}.xlsx", "/laporan/lkjip-{}.docx", "/manual/{}")


def _status(client, path: str, query: dict[str, str] | None = None) -> int:
    with client.get(path, query_string=query or {}) as response:
        response.get_data()
        return response.status_code


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_the_manual_page_and_the_new_downloads_answer_every_year_and_as_of(client, role):
    login(client, role)
    failures = [("/manual", {"tahun": year}) for year in YEARS if _status(client, "/manual", {"tahun": year}) >= 500]
    failures += [(path, {"per": value}) for path in PAGES[1:5] for value in SHARPEST
                 if _status(client, path, {"per": value}) >= 500]
    failures += [(pattern, year) for pattern in SEGMENTS for year in YEARS
                 if _status(client, pattern.format(quote(year, safe="")) if year else pattern.format("x")) >= 500]
    assert failures == []
    assert _status(client, "/manual/99999.pdf") == 404 and _status(client, "/laporan/lkjip-1899.xlsx") == 404


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.sampled_from(PAGES), query=st.dictionaries(
    st.sampled_from(("tahun", "per", "ubah", "periode", "belum", "sudah", "bagian")),
    st.one_of(st.sampled_from((*QUERY_VALUES, *YEARS)), st.text(max_size=30)), max_size=4))
def test_no_new_page_answers_500_whatever_its_query(admin, page, query):
    assert _status(admin, page, query) < 500, (page, query)
