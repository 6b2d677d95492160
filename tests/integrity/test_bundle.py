"""The evidence bundle: its manifest matches its files and the log's seal; any change is caught."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

from click.testing import CliRunner

from iku.cli import cli


def make(data, tmp_path, *args):
    target = tmp_path / "bundle.zip"
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "bundle", "2020-01", *args, "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target


def check(data, path):
    return CliRunner().invoke(cli, ["--data-dir", str(data), "bundle", "--check", str(path)])


def test_manifest_lists_every_file_with_its_digest_and_the_seal(data, tmp_path):
    archive = zipfile.ZipFile(make(data, tmp_path))
    manifest = json.loads(archive.read("manifest.json"))
    assert set(manifest["files"]) == {"report.json", "report.csv", "activities.csv", "events.csv"}
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    report = json.loads(archive.read("report.json"))
    assert report["seal"] == manifest["seal"]
    events = list(csv.DictReader(io.StringIO(archive.read("events.csv").decode())))
    assert [e["kind"] for e in events] == ["scheduled", "held", "published"] * 2
    assert check(data, tmp_path / "bundle.zip").exit_code == 0


def test_altering_a_file_in_the_zip_fails_the_check(data, tmp_path):
    original = zipfile.ZipFile(make(data, tmp_path))
    altered = tmp_path / "altered.zip"
    with zipfile.ZipFile(altered, "w") as out:
        for name in original.namelist():
            content = original.read(name)
            if name == "activities.csv":
                content = content.replace(b"tidak", b"ya")
            out.writestr(name, content)
    result = check(data, altered)
    assert result.exit_code != 0
    assert "activities.csv: berubah" in result.stderr


def test_a_file_that_is_not_a_bundle_is_explained(data, tmp_path):
    path = tmp_path / "x.zip"
    path.write_bytes(b"not a zip at all")
    result = check(data, path)
    assert result.exit_code != 0 and "bukan berkas data dukung" in result.stderr
    assert "Traceback" not in result.output


def test_bundle_is_downloadable_from_the_drilldown(data):
    from iku import accounts
    from iku.runtime import Runtime
    from webapp import create_app

    runtime = Runtime(data, database_url="")
    accounts.add_user(runtime, "auditor", "auditor", "sandi-uji-panjang", actor="t")
    client = create_app({"RUNTIME": runtime, "TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()
    client.post("/masuk", data={"username": "auditor", "password": "sandi-uji-panjang"})
    response = client.get("/data-dukung.zip?periode=2020-01")
    assert response.mimetype == "application/zip"
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    runtime.close()
