"""Evidence files: kept by content, refused when empty, oversize or of the wrong type (whatever the name
says), shown in the trail, served safely, checked by `iku verify`, carried in the bundle."""

from __future__ import annotations

import io
import zipfile

import pytest
from click.testing import CliRunner

from cli.main import cli
from domain.errors import EmptyFileError, FileTooLargeError, UnsupportedFileTypeError
from projections import read
from services.evidence import EvidenceStore
from services.runtime import Runtime

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(40)
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def iku(data, *args):
    return CliRunner().invoke(cli, ["--data-dir", str(data), *args])


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_attach_keeps_the_file_by_content_and_the_trail_shows_it(data, tmp_path):
    result = iku(data, "attach", "AG-1", "published", write(tmp_path, "foto.png", PNG), "--actor", "siti")
    assert result.exit_code == 0, result.output
    runtime = Runtime(data, database_url="")
    trail = read.activities.trail(runtime.fresh(), "AG-1")
    published = next(e for e in trail["events"] if e["kind"] == "published")
    [attached] = published["attachments"]
    assert attached["media_type"] == "image/png" and attached["name"] == "foto.png" and attached["actor"] == "siti"
    assert EvidenceStore(data).path(attached["sha256"]).read_bytes() == PNG
    runtime.close()


@pytest.mark.parametrize("name,content,error", [
    ("foto.jpg", b"just text pretending to be a photo", UnsupportedFileTypeError),
    ("kosong.pdf", b"", EmptyFileError),
])
def test_refused_files_store_nothing(data, tmp_path, name, content, error):
    result = iku(data, "attach", "AG-1", "published", write(tmp_path, name, content))
    assert result.exit_code != 0 and "iku: " in result.stderr
    assert not (data / "evidence").exists() or not any((data / "evidence").rglob("*"))
    with pytest.raises(error):
        EvidenceStore(data).check(content, name)


def test_oversize_files_are_refused(data, tmp_path, monkeypatch):
    monkeypatch.setenv("IKU_MAX_UPLOAD_MB", "0.00001")
    result = iku(data, "attach", "AG-1", "published", write(tmp_path, "dok.pdf", PDF))
    assert result.exit_code != 0 and "terlalu besar" in result.stderr
    with pytest.raises(FileTooLargeError):
        EvidenceStore(data).check(PDF, "dok.pdf")


def test_attaching_to_a_kind_without_a_valid_fact_is_refused(data, tmp_path):
    result = iku(data, "attach", "AG-1", "documented", write(tmp_path, "foto.png", PNG))
    assert result.exit_code != 0 and "belum punya catatan" in result.stderr


@pytest.mark.parametrize("damage", ["replace", "delete"])
def test_verify_finds_a_replaced_or_deleted_evidence_file(data, tmp_path, damage):
    iku(data, "attach", "AG-1", "published", write(tmp_path, "foto.png", PNG))
    [path] = [p for p in (data / "evidence").rglob("*") if p.is_file()]
    if damage == "replace":
        path.write_bytes(PNG + b"edited")
    else:
        path.unlink()
    result = iku(data, "verify")
    assert result.exit_code == 1
    assert "posisi 7:" in result.stderr and ("berubah" in result.stderr or "hilang" in result.stderr)


def test_bundle_carries_the_files_in_its_manifest(data, tmp_path):
    iku(data, "attach", "AG-1", "published", write(tmp_path, "dok.pdf", PDF))
    target = tmp_path / "b.zip"
    assert iku(data, "bundle", "2020-01", "-o", str(target)).exit_code == 0
    archive = zipfile.ZipFile(target)
    [name] = [n for n in archive.namelist() if n.startswith("evidence/")]
    assert archive.read(name) == PDF
    assert name in __import__("json").loads(archive.read("manifest.json"))["files"]


@pytest.fixture
def web(data):
    from services import accounts
    from webapp import create_app

    runtime = Runtime(data, database_url="")
    accounts.add_user(runtime, "operator", "operator", "sandi-uji-panjang", actor="t")
    client = create_app({"RUNTIME": runtime, "TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()
    client.post("/masuk", data={"username": "operator", "password": "sandi-uji-panjang"})
    yield client, runtime
    runtime.close()


def form(kind="documented", **extra):
    return {"kind": kind, "occurred_at": "2020-01-01T10:00", "channel": "foto", "evidence_ref": "ARSIP/1", **extra}


def test_web_form_records_the_fact_and_its_file_together(web):
    client, runtime = web
    response = client.post("/kegiatan/AG-1/catat", content_type="multipart/form-data",
                           data=form(berkas=(io.BytesIO(PNG), "apel.png")))
    assert response.status_code == 303
    trail = read.activities.trail(runtime.fresh(), "AG-1")
    assert [e["kind"] for e in trail["events"]][-2:] == ["documented", "attached"]
    page = client.get("/kegiatan/AG-1").get_data(as_text=True)
    assert "apel.png" in page and 'class="thumb"' in page
    sha = trail["events"][-2]["attachments"][0]["sha256"]
    served = client.get(f"/berkas/{sha}")
    assert served.mimetype == "image/png" and served.data == PNG
    served.close()


@pytest.mark.parametrize("content,name,needle", [
    (b"MZ not a photo", "foto.jpg", "bukan JPEG"),
    (b"", "kosong.png", "kosong"),
])
def test_web_upload_refusals_store_neither_fact_nor_file(web, content, name, needle):
    client, runtime = web
    before = runtime.follower.head()
    upload = (io.BytesIO(content), name)  # a fresh file each run: the post closes it
    response = client.post("/kegiatan/AG-1/catat", content_type="multipart/form-data", data=form(berkas=upload))
    assert response.status_code == 422
    assert needle in response.get_data(as_text=True)
    assert runtime.follower.head() == before


def test_unknown_files_are_not_served(web):
    client, _runtime = web
    assert client.get("/berkas/" + "0" * 64).status_code == 404
    assert client.get("/berkas/../../secret_key").status_code == 404
