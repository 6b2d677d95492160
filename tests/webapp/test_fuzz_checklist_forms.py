"""The checklist's forms (attach, not applicable, withdraw a file or a mark) and the document kinds' forms (define,
retire), fuzzed from bodies that pass: never a 500, a refusal says why and stores nothing, and afterwards the data
dir still verifies and rebuilds to the same read model. And the new pages and the archive route with hostile
path segments and query values."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import assert_data_dir_sound
from tests.webapp.conftest import login
from tests.webapp.evidence_history import PAGE, PDF, PNG, attach, check_link, not_applicable
from tests.webapp.test_fuzz_forms import FILES
from tests.webapp.test_fuzz_forms import HOSTILE as FORM_VALUES
from tests.webapp.test_fuzz_routes import HOSTILE as QUERY_VALUES

HOSTILE = (*FORM_VALUES, "lampirkan", "tidak-diperlukan", "tarik", "berkas", "tanda", "undangan", "foto",
           "naskah_sambutan", "video", "notulen", "FOTO", " foto ", "foto:", "0" * 64, "bupati", "sekda;walikota",
           "document", "not_applicable")
text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60))


@pytest.fixture
def kept(runtime):
    """A file of each activity's photo and a mark on the Sekda activity's speech (so withdrawals have targets);
    the digest of the first photo."""
    sha = attach(runtime, "AG-2020-0001", "foto", PNG, "foto.png")
    attach(runtime, "AG-2020-0002", "foto", PNG + b"2", "foto2.png")
    not_applicable(runtime, "AG-2020-0002", "naskah_sambutan")
    return sha


def bodies(sha: str) -> dict[str, tuple[str, dict]]:
    return {
        "attach": ("/kegiatan/AG-2020-0001/dokumen", {"aksi": "lampirkan", "document": "undangan"}),
        "not applicable": ("/kegiatan/AG-2020-0001/dokumen", {"aksi": "tidak-diperlukan", "document": "laporan",
                                                              "reason": "tanpa laporan"}),
        "withdraw file": ("/kegiatan/AG-2020-0001/dokumen", {"aksi": "tarik", "tarik": "berkas", "document": "foto",
                                                             "sha256": sha, "reason": "salah foto"}),
        "withdraw mark": ("/kegiatan/AG-2020-0002/dokumen", {"aksi": "tarik", "tarik": "tanda",
                                                             "document": "naskah_sambutan", "reason": "ada"}),
        "define": ("/daftar-dokumen/jenis", {"code": "notulen", "label": "Notulen rapat", "required_for": "sekda",
                                             "reason": "SOP 2021"}),
        "retire": ("/daftar-dokumen/hentikan", {"code": "video", "reason": "di kanal resmi"}),
    }


FIELDS = ("aksi", "tarik", "document", "sha256", "reason", "submission_id", "code", "label", "required_for")


def test_the_checklist_forms_never_fail_and_a_refusal_stores_nothing(client, runtime, kept):
    admin = login(client, "admin")
    forms = bodies(kept)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(form=st.sampled_from(sorted(forms)), changes=st.dictionaries(st.sampled_from(FIELDS), text, max_size=4),
           dropped=st.sets(st.sampled_from(FIELDS), max_size=3), upload=st.none() | st.sampled_from((*FILES, PDF)),
           many=st.booleans(), htmx=st.booleans())
    def post(form, changes, dropped, upload, many, htmx):
        url, body = forms[form]
        data: dict = {key: value for key, value in {**body, **changes}.items() if key not in dropped}
        if many:  # the checkboxes, as a browser sends them: the name once per box ticked
            data["required_for"] = ["walikota", data.get("required_for", "sekda")]
        if upload is not None:
            data["berkas"] = (io.BytesIO(upload), changes.get("label", "berkas.pdf"))
        before = runtime.follower.head()
        with admin.post(url, data=data, content_type="multipart/form-data",
                        headers={"HX-Request": "true"} if htmx else {}) as response:
            assert response.status_code < 500, (form, data)
            body_text = response.get_data(as_text=True)
            assert "Traceback" not in body_text, (form, data)
            if response.status_code >= 400:
                assert body_text.strip(), (form, data)  # a refusal says why
                assert runtime.follower.head() == before, (form, data)  # … and stored nothing

    post()
    assert_data_dir_sound(runtime)


PAGES = ("/daftar-dokumen", "/agenda", "/kegiatan/AG-2020-0001", "/indikator/published", "/integritas")
PARAMETERS = ("ubah", "dokumen", "dari", "sampai", "mulai", "periode", "per", "status", "q")
SEGMENTS = ("/arsip/{}", "/kegiatan/{}/dokumen", "/berkas/{}")


def _status(client, method: str, path: str, query: dict[str, str] | None = None) -> int:
    with client.open(path, method=method, query_string=query or {}) as response:
        response.get_data()
        return response.status_code


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.sampled_from(PAGES), query=st.dictionaries(
    st.sampled_from(PARAMETERS), st.one_of(st.sampled_from((*QUERY_VALUES, "belum")), st.text(max_size=30)),
    max_size=4))
def test_no_new_page_answers_500_whatever_its_query(client, page, query):
    login(client, "admin")
    assert _status(client, "GET", page, query) < 500, (page, query)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pattern=st.sampled_from(SEGMENTS), segment=st.one_of(st.sampled_from((*QUERY_VALUES, "0" * 64)),
                                                           st.text(min_size=1, max_size=80)))
def test_no_new_route_answers_500_whatever_its_path(client, runtime, pattern, segment):
    login(client, "operator")
    before = runtime.follower.head()
    path = pattern.format(quote(segment, safe=""))
    assert _status(client, "POST" if pattern.endswith("dokumen") else "GET", path) < 500, path
    assert runtime.follower.head() == before


def test_the_archive_route_answers_every_digest_shape(client, runtime):
    sha = check_link(runtime, "AG-2020-0001", "https://example.go.id/1", "2021-02-01T10:00", page=PAGE)
    login(client, "auditor")
    shapes = (sha, sha.upper(), sha[:-1], sha + "0", sha[:32], f"{sha}.html", f"{sha}/x", " " + sha, "")
    answers = {shape: _status(client, "GET", f"/arsip/{quote(shape, safe='/')}") for shape in shapes}
    assert answers.pop(sha) == 200
    assert set(answers.values()) == {404}, answers
