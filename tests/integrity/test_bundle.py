"""The evidence bundle: its manifest matches its files and the log's seal; any change is caught."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path

from click.testing import CliRunner

from cli.main import cli


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
    assert set(manifest["files"]) == {"report.json", "report.csv", "activities.csv", "events.csv", "links.csv",
                                      "events.jsonl", "verify.py"}
    assert manifest["seal"].startswith("mth:6:") and manifest["chain"].startswith("6:")
    assert manifest["consistency"] == []
    assert archive.read("verify.py") == Path("services/bundleverify.py").read_bytes()
    proven = [json.loads(line) for line in archive.read("events.jsonl").decode().splitlines()]
    assert [(e["position"], e["leaf_index"]) for e in proven] == [(n, n - 1) for n in range(1, 7)]
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
    from services import accounts
    from services.runtime import Runtime
    from webapp import create_app

    runtime = Runtime(data, database_url="")
    accounts.add_user(runtime, "auditor", "auditor", "sandi-uji-panjang", actor="t")
    client = create_app({"RUNTIME": runtime, "TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()
    client.post("/masuk", data={"username": "auditor", "password": "sandi-uji-panjang"})
    response = client.get("/data-dukung.zip?periode=2020-01")
    assert response.mimetype == "application/zip"
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    runtime.close()


def test_bundle_times_are_iso_8601_in_wib(tmp_path):
    from datetime import timedelta

    from domain.times import parse_instant
    from services.runtime import Runtime
    from tests.conftest import SteppingClock

    data = tmp_path / "data"
    runtime = Runtime(data, database_url="", clock=SteppingClock(step=timedelta(minutes=10)))
    # Held at 00:30 WIB on 27 January (17:30 UTC on the 26th): every file must say the 27th.
    runtime.record("scheduled", "AG-1", title="Rapat", leaders=["sekda"], location="Aula",
                   occurred_at=parse_instant("2020-01-27T00:30"), actor="siti")
    runtime.record("held", "AG-1", occurred_at=parse_instant("2020-01-27T00:30"), actor="siti")
    runtime.record("published", "AG-1", occurred_at=parse_instant("2020-01-27T08:00"), channel="web",
                   evidence_ref="https://x/1", actor="siti")
    runtime.record("withdrawn", "AG-1", withdrawn_kind="published", evidence_ref="", reason="salah",
                   occurred_at=parse_instant("2020-01-27T09:00"), actor="auditor")
    runtime.close()
    archive = zipfile.ZipFile(make(data, tmp_path))
    events = list(csv.DictReader(io.StringIO(archive.read("events.csv").decode())))
    held = next(e for e in events if e["kind"] == "held")
    assert held["occurred_at"] == "2020-01-27T00:30:00+07:00"
    for event in events:
        assert event["recorded_at"].endswith("+07:00") and event["recorded_at_utc"].endswith("Z")
    published = next(e for e in events if e["kind"] == "published")
    assert published["withdrawn_at"].endswith("+07:00")
    [activity] = list(csv.DictReader(io.StringIO(archive.read("activities.csv").decode())))
    assert activity["held_at"] == "2020-01-27T00:30:00+07:00"
    assert check(data, tmp_path / "bundle.zip").exit_code == 0
