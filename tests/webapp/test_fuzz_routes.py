"""No request answers 500: every page and download, with random and hostile query parameters and path
segments, as every role, answers a page or a clear refusal (4xx)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.webapp.conftest import login

#: every query parameter a page reads, and a few it does not
PARAMETERS = ("akun", "alasan", "bagian", "belum", "dari", "halaman", "jenis", "kegiatan", "mulai", "pencatat", "per",
              "periode", "pimpinan", "q", "sampai", "sebelum", "setelah", "status", "sudah", "tahun", "tampil",
              "ukuran", "urutan", "format", "lang", "next")
HOSTILE = ("9999-12-31", "0001-01-01", "2020-02-30", "99999999999999999999999", "-1", "0", "1e309", "NaN",
           "2020-Q5", "2020-S0", "2020-13", "2020-00", "99999", "2020-01-01..2019-01-01", "2020-01-01T25:00",
           "9999-12-31T23:59-05:00", "0001-01-01T00:00+14:00", "'; DROP TABLE events; --", "<script>",
           "\x00", "%", "../../etc/passwd", "x" * 5000, "٣", "2020-Q1", "2020", "tahunan", "Q2", "published",
           "terbaru", "terlama", "held", "walikota", "AG-2020-0001")
SHARPEST = ("99999999999999999999999", "-1", "1e309", "9999-12-31", "0001-01-01T00:00+14:00", "\x00")
values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40), st.integers().map(str),
                   st.dates().map(str), st.datetimes().map(lambda moment: moment.isoformat()))
queries = st.dictionaries(st.one_of(st.sampled_from(PARAMETERS), st.text(min_size=1, max_size=8)), values,
                          max_size=6)

PAGES = ("/", "/agenda", "/jejak-audit", "/perbandingan", "/laporan", "/integritas", "/akun", "/akun/sandi",
         "/impor", "/indikator/published", "/indikator/documented", "/kegiatan/AG-2020-0001",
         "/jejak-audit.csv", "/jejak-audit.xlsx", "/laporan/iku.csv", "/data-dukung.zip", "/masuk", "/penutupan",
         "/manual")
SEGMENTS = ("/indikator/{}", "/kegiatan/{}", "/berkas/{}", "/laporan/iku.{}", "/impor/{}", "/{}", "/manual/{}.pdf",
            "/laporan/lkjip-{}.xlsx")
segments = st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=80))


@pytest.fixture(params=["operator", "auditor", "admin"])
def signed_in(request, client):
    return login(client, request.param)


def _get(client, path: str, query: dict[str, str] | None = None) -> int:
    with client.get(path, query_string=query or {}) as response:
        response.get_data()  # a streamed download runs to its end, so its failures show here too
        return response.status_code


def test_no_page_answers_500_to_any_hostile_value_of_any_parameter(client):
    """All parameters at once with each hostile value, and each parameter alone with the values that broke
    pages before (numbers beyond SQLite's integers, dates beyond datetime's), on every page."""
    login(client, "admin")
    failures = []
    for page in PAGES:
        tried = [dict.fromkeys(PARAMETERS, value) for value in HOSTILE]
        tried += [{name: value} for name in PARAMETERS for value in SHARPEST]
        failures += [(page, query) for query in tried if _get(client, page, query) >= 500]
    assert failures == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.sampled_from(PAGES), query=queries)
def test_no_page_answers_500_whatever_its_query(signed_in, page, query):
    status = _get(signed_in, page, query)
    assert status < 500, (page, query)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pattern=st.sampled_from(SEGMENTS), segment=segments)
def test_no_path_answers_500_whatever_its_segments(signed_in, pattern, segment):
    from urllib.parse import quote

    path = pattern.format(quote(segment, safe=""))
    status = _get(signed_in, path)
    assert status < 500, path


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.sampled_from(PAGES), query=queries)
def test_no_page_answers_500_to_a_visitor_who_is_not_logged_in(client, page, query):
    assert _get(client, page, query) < 500
