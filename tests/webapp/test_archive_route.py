"""`/arsip/<sha256>`: a publication's archived copy, with its media type; a page is sandboxed (no script, nothing
loaded from this origin) and never sniffed; anything that is not an archive's digest is 404."""

from __future__ import annotations

import pytest

from tests.webapp.conftest import login
from tests.webapp.evidence_history import PAGE, PDF, PNG, attach, check_link

SANDBOX = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def fetch(client, path: str):
    with client.get(path) as response:
        return response.status_code, dict(response.headers), response.get_data()


@pytest.mark.parametrize("role", ["operator", "auditor", "admin", "verifier", "approver"])
def test_an_archived_page_is_served_sandboxed_to_every_role(client, runtime, role):
    sha = check_link(runtime, "AG-2020-0001", "https://example.go.id/1", "2021-02-01T10:00", page=PAGE)
    login(client, role)
    status, headers, body = fetch(client, f"/arsip/{sha}")
    assert status == 200 and body == PAGE
    assert headers["Content-Type"] == "text/html"
    assert headers["Content-Security-Policy"] == SANDBOX
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Disposition"].startswith("inline")


def test_an_archived_image_keeps_its_media_type(operator, runtime):
    sha = check_link(runtime, "AG-2020-0001", "https://example.go.id/1", "2021-02-01T10:00", page=PNG,
                     content_type="image/png")
    status, headers, body = fetch(operator, f"/arsip/{sha}")
    assert (status, headers["Content-Type"], body) == (200, "image/png", PNG)
    assert headers["Content-Security-Policy"] == SANDBOX and headers["X-Content-Type-Options"] == "nosniff"


def test_the_same_bytes_kept_first_as_a_document_are_still_served_as_the_archive(operator, runtime):
    attach(runtime, "AG-2020-0001", "foto", PNG, "foto.png")
    sha = check_link(runtime, "AG-2020-0001", "https://example.go.id/1", "2021-02-01T10:00", page=PNG,
                     content_type="image/png")
    status, headers, _ = fetch(operator, f"/arsip/{sha}")
    assert status == 200 and headers["Content-Type"] == "image/png"


@pytest.mark.parametrize("digest", ["0" * 64, "A" * 64, "abc", "0" * 65, "../../secret_key", "%00", "g" * 64])
def test_an_unknown_or_malformed_digest_is_404(operator, digest):
    assert fetch(operator, f"/arsip/{digest}")[0] == 404


def test_a_document_or_evidence_file_is_not_an_archive(operator, runtime):
    sha = attach(runtime, "AG-2020-0001", "undangan", PDF, "undangan.pdf")
    assert fetch(operator, f"/arsip/{sha}")[0] == 404


def test_an_archive_whose_file_is_gone_is_404(operator, runtime):
    from services.evidence import EvidenceStore

    sha = check_link(runtime, "AG-2020-0001", "https://example.go.id/1", "2021-02-01T10:00", page=PAGE)
    EvidenceStore(runtime.data_dir).path(sha).unlink()
    assert fetch(operator, f"/arsip/{sha}")[0] == 404


def test_an_archive_is_not_served_by_the_evidence_file_route(operator, runtime):
    sha = check_link(runtime, "AG-2020-0001", "https://example.go.id/1", "2021-02-01T10:00", page=PAGE)
    assert fetch(operator, f"/berkas/{sha}")[0] == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, runtime):
    sha = check_link(runtime, "AG-2020-0001", "https://example.go.id/1", "2021-02-01T10:00", page=PAGE)
    status, headers, _ = fetch(client, f"/arsip/{sha}")
    assert status == 303 and "/masuk" in headers["Location"]
