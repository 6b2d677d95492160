"""`iku backup` and `iku restore`: a verified ZIP of the SQLite store and the evidence files, restored only
into an empty data dir and only when every file, the event count and the seal match the manifest."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from datetime import timedelta

import pytest
from click.testing import CliRunner

from cli.main import cli
from domain.times import parse_instant as T
from projections import chain
from services.runtime import Runtime
from tests.conftest import SteppingClock

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(40)


def iku(data, *args):
    return CliRunner().invoke(cli, ["--data-dir", str(data), *args])


def head(data):
    runtime = Runtime(data, database_url="")
    try:
        return chain.head(runtime.fresh())
    finally:
        runtime.close()


@pytest.fixture
def data(tmp_path):
    """Two activities recorded ten minutes apart, and a photo attached to one publication."""
    runtime = Runtime(tmp_path / "data", database_url="", clock=SteppingClock(step=timedelta(minutes=10)))
    for n in (1, 2):
        ref = f"AG-{n}"
        runtime.record("scheduled", ref, title="Rapat", leaders=["sekda"], location="Aula",
                       occurred_at=T(f"2020-01-0{n}T09:00"), actor="siti")
        runtime.record("held", ref, occurred_at=T(f"2020-01-0{n}T09:00"), actor="siti")
    runtime.record("published", "AG-1", occurred_at=T("2020-01-01T12:00"), channel="web",
                   evidence_ref="https://x/1", actor="siti")
    runtime.close()
    photo = tmp_path / "foto.png"
    photo.write_bytes(PNG)
    assert iku(tmp_path / "data", "attach", "AG-1", "published", str(photo), "--actor", "siti").exit_code == 0
    return tmp_path / "data"


@pytest.fixture
def backed_up(data, tmp_path):
    path = tmp_path / "cadangan.zip"
    result = iku(data, "backup", str(path))
    assert result.exit_code == 0, result.output
    return path


def rewrite(source, target, change):
    """Copy a ZIP, passing every member's bytes through `change(name, content)`."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as out:
        for name in original.namelist():
            out.writestr(name, change(name, original.read(name)))
    return target


def test_backup_prints_count_seal_and_evidence_files(data, backed_up):
    result = iku(data, "backup", str(backed_up), "--force")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{backed_up}: 6 peristiwa, segel {head(data)}, 1 berkas bukti"
    english = iku(data, "--lang", "en", "backup", str(backed_up), "--force")
    assert english.stdout.strip() == f"{backed_up}: 6 events, seal {head(data)}, 1 evidence files"


def test_manifest_holds_count_seal_and_the_digest_of_every_file(data, backed_up):
    with zipfile.ZipFile(backed_up) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        [photo] = [name for name in manifest["files"] if name.startswith("evidence/")]
        assert archive.read(photo) == PNG
        assert archive.getinfo("events.sqlite3").compress_type == zipfile.ZIP_DEFLATED
    assert (manifest["format"], manifest["version"], manifest["events"]) == ("iku-backup", 1, 6)
    assert manifest["seal"] == str(head(data))
    assert manifest["created_at"].endswith("+00:00")


def test_restore_into_a_new_data_dir_gives_the_same_report_and_seal(data, backed_up, tmp_path):
    copy = tmp_path / "pulih"
    result = iku(copy, "restore", str(backed_up))
    assert result.exit_code == 0, result.output
    assert f"6 peristiwa, segel {head(data)}, 1 berkas bukti" in result.stdout
    assert head(copy) == head(data)
    assert iku(copy, "report", "2020", "--format", "json").stdout == iku(data, "report", "2020", "--format", "json").stdout
    verified = iku(copy, "verify", "--seal", str(head(data)))  # checks the evidence file too
    assert verified.exit_code == 0, verified.output
    assert sorted(p.name for p in copy.iterdir() if not p.name.startswith("evidence")) == [
        "events.sqlite3", "readmodel.sqlite3"]


def test_restore_into_a_data_dir_that_was_opened_but_holds_no_event(data, backed_up, tmp_path):
    Runtime(tmp_path / "pulih", database_url="").close()  # an empty store and read model, as `iku serve` leaves
    result = iku(tmp_path / "pulih", "restore", str(backed_up))
    assert result.exit_code == 0, result.output
    assert head(tmp_path / "pulih") == head(data)


def test_restore_refuses_a_data_dir_that_holds_events_and_changes_nothing(data, backed_up):
    before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    result = iku(data, "restore", str(backed_up))
    assert result.exit_code == 1
    assert "sudah berisi peristiwa" in result.stderr and "tidak ada yang diubah" in result.stderr
    assert {p: p.read_bytes() for p in data.rglob("*") if p.is_file()} == before


def flip_a_byte(name, content):
    if name != "events.sqlite3":
        return content
    return content[:3000] + bytes([content[3000] ^ 1]) + content[3001:]


def flip_a_stored_byte(source, target):
    """Change one byte of events.sqlite3's compressed data in place (the ZIP's CRC no longer matches)."""
    raw = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo("events.sqlite3")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start + info.compress_size // 2] ^= 0xFF
    target.write_bytes(bytes(raw))
    return target


@pytest.mark.parametrize("alter", ["rewritten", "flipped"])
def test_restore_refuses_an_altered_store_naming_it(backed_up, tmp_path, alter):
    altered = tmp_path / "altered.zip"
    if alter == "rewritten":
        rewrite(backed_up, altered, flip_a_byte)
    else:
        flip_a_stored_byte(backed_up, altered)
    result = iku(tmp_path / "pulih", "restore", str(altered))
    assert result.exit_code == 1
    assert "events.sqlite3: berubah (SHA-256 berbeda dari manifes)" in result.stderr
    assert not (tmp_path / "pulih").exists()


@pytest.mark.parametrize("field,value,message", [
    ("events", 7, "jumlah peristiwa berbeda dari manifes"),
    ("seal", "6:" + "0" * 64, "segel yang dihitung ulang berbeda dari manifes"),
])
def test_restore_refuses_a_manifest_whose_count_or_seal_differs(backed_up, tmp_path, field, value, message):
    def change(name, content):
        if name != "manifest.json":
            return content
        return json.dumps({**json.loads(content), field: value}).encode()

    result = iku(tmp_path / "pulih", "restore", str(rewrite(backed_up, tmp_path / "edited.zip", change)))
    assert result.exit_code == 1
    assert "events.sqlite3 (" in result.stderr and message in result.stderr
    assert not (tmp_path / "pulih").exists()


def test_restore_refuses_a_file_name_outside_the_evidence_folder(backed_up, tmp_path):
    escape = "evidence/../../lolos.txt"

    def add(name, content):
        if name != "manifest.json":
            return content
        manifest = json.loads(content)
        manifest["files"][escape] = hashlib.sha256(b"x").hexdigest()
        return json.dumps(manifest).encode()

    edited = rewrite(backed_up, tmp_path / "edited.zip", add)
    with zipfile.ZipFile(edited, "a") as archive:
        archive.writestr(escape, b"x")
    result = iku(tmp_path / "pulih", "restore", str(edited))
    assert result.exit_code == 1 and f"{escape}: nama berkas" in result.stderr
    assert not list(tmp_path.rglob("lolos.txt"))


@pytest.mark.parametrize("lang,message", [
    ("id", "bukan berkas cadangan iku"), ("en", "not an iku backup"),
])
def test_a_file_that_is_not_a_backup_is_refused_in_one_line(tmp_path, lang, message):
    path = tmp_path / "x.zip"
    path.write_bytes(b"not a zip at all")
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "pulih"), "--lang", lang, "restore", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("iku: manifest.json: ") and message in result.stderr
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert not (tmp_path / "pulih").exists()


def test_backup_refuses_to_overwrite_without_force(data, tmp_path):
    path = tmp_path / "cadangan.zip"
    path.write_bytes(b"earlier")
    result = iku(data, "backup", str(path))
    assert result.exit_code == 1 and "--force" in result.stderr
    assert path.read_bytes() == b"earlier"
    assert iku(data, "backup", str(path), "--force").exit_code == 0
    assert zipfile.is_zipfile(path)
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["cadangan.zip", "foto.png"]  # no .part


@pytest.mark.parametrize("command,advice", [
    ("backup", "pg_dump --format=custom --schema=humas --file=iku.dump postgresql://iku@db.example:5432/iku"),
    ("restore", "pg_restore --dbname=postgresql://iku@db.example:5432/iku iku.dump"),
])
def test_postgres_store_gets_pg_tools_advice(tmp_path, monkeypatch, command, advice):
    monkeypatch.setenv("IKU_DATABASE_URL", "postgresql://iku:rahasia@db.example:5432/iku?schema=humas")
    existing = tmp_path / "cadangan.zip"
    existing.write_bytes(b"x")
    result = iku(tmp_path / "data", command, str(existing))
    assert result.exit_code == 1
    assert advice in result.stderr and "rahasia" not in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "data").exists()  # refused before opening anything


def test_a_shared_evidence_dir_is_backed_up_and_restored_into_it(data, tmp_path, monkeypatch):
    shutil.move(data / "evidence", tmp_path / "shared")  # the node moved its files to a share
    monkeypatch.setenv("IKU_EVIDENCE_DIR", str(tmp_path / "shared"))
    picture = tmp_path / "foto.png"
    picture.write_bytes(PNG + b"shared")
    assert iku(data, "attach", "AG-1", "published", str(picture), "--actor", "siti").exit_code == 0
    assert iku(data, "backup", str(tmp_path / "b.zip")).exit_code == 0
    names = zipfile.ZipFile(tmp_path / "b.zip").namelist()
    sha = hashlib.sha256(PNG + b"shared").hexdigest()
    assert f"evidence/{sha[:2]}/{sha}" in names
    monkeypatch.setenv("IKU_EVIDENCE_DIR", str(tmp_path / "shared-new"))
    restored = iku(tmp_path / "new", "restore", str(tmp_path / "b.zip"))
    assert restored.exit_code == 0, restored.output
    assert (tmp_path / "shared-new" / sha[:2] / sha).read_bytes() == PNG + b"shared"
    assert iku(tmp_path / "new", "verify").exit_code == 0


def test_a_backup_taken_while_another_process_writes_is_consistent(data, tmp_path):
    import threading
    import time

    stop, written = threading.Event(), []

    def keep_writing():
        writer = Runtime(data, database_url="")
        try:
            n = 0
            while not stop.is_set() and n < 400:
                n += 1
                writer.record("scheduled", f"AG-W-{n}", title="Rapat", leaders=["sekda"], location="Aula",
                              occurred_at=T("2020-02-01T09:00"), actor="siti")
                written.append(n)
        finally:
            writer.close()

    before = Runtime(data, database_url="")
    base = before.follower.head()
    before.close()
    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        while len(written) < 20 and thread.is_alive():
            time.sleep(0.01)
        result = iku(data, "backup", str(tmp_path / "online.zip"))
    finally:
        stop.set()
        thread.join(30)
    assert result.exit_code == 0, result.output
    manifest = json.loads(zipfile.ZipFile(tmp_path / "online.zip").read("manifest.json"))
    assert base + 20 <= manifest["events"] <= base + len(written)
    restored = iku(tmp_path / "new", "restore", str(tmp_path / "online.zip"))
    assert restored.exit_code == 0, restored.output
