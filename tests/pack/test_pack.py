"""The evaluation pack (paket evaluasi SAKIP) of a year: every file listed in its manifest with its size and
SHA-256, `iku pack --check` catching any change, documents that open with the report's figures, evidence
streamed through in bounded memory, and the download for an auditor."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from cli.main import cli
from domain.periods import quarter, year
from domain.times import now
from services import accounts, reports
from services import pack as packs
from services.evidence import EvidenceStore
from services.presentation import format_fraction
from services.runtime import Runtime
from tests.cli.test_report import ROWS

PASSWORD = "kata-sandi-panjang-1"
#: the start of a JPEG: what the evidence store reads a photo by
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
DOCUMENTS = ("00-daftar-isi.pdf", "01-manual-iku.pdf", "02-target-pk.csv", "02-target-pk.pdf",
             "03-laporan-triwulan-I.pdf", "03-laporan-triwulan-II.pdf", "03-laporan-triwulan-III.pdf",
             "03-laporan-triwulan-IV.pdf", "04-laporan-tahunan.pdf", "05-lkjip-bab-iii.xlsx", "05-lkjip-bab-iii.docx",
             "06-log-audit-2020.csv")
BUNDLE = ("report.json", "report.csv", "activities.csv", "events.csv", "manifest.json")


def runner_for(data: Path):
    runner = CliRunner()

    def run(*args: str, stdin: str | None = None, status: int = 0):
        result = runner.invoke(cli, ["--data-dir", str(data), *args], input=stdin)
        assert result.exit_code == status, result.output
        return result

    return run


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """A year's history: the imported rows, a target, a narrative, a photo attached, Q1 closed; and an auditor."""
    tmp = tmp_path_factory.mktemp("pack")
    run = runner_for(tmp / "data")
    source = tmp / "rows.csv"
    source.write_text(ROWS, encoding="utf-8")
    photo = tmp / "foto-apel.jpg"
    photo.write_bytes(JPEG + os.urandom(4096))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        run("import", str(source))
        run("target", "set", "2020", "published", "80", "--reason", "Renstra")
        run("attach", "AG-1", "published", str(photo), "--actor", "siti")
        for name, role in (("siti", "operator"), ("kasubbag", "verifier"), ("kabag", "approver"),
                           ("inspektur", "auditor")):
            run("user", "add", name, "--role", role, "--password-stdin", stdin=PASSWORD)
        run("period", "narrative", "2020-Q1", "published", "--analysis", "Lima dari tujuh kegiatan dipublikasikan",
            "--obstacles", "Kegiatan malam hari", "--follow-up", "Piket peliputan malam", "--actor", "siti")
        for step, actor in (("submit", "siti"), ("verify", "kasubbag"), ("approve", "kabag")):
            run("period", step, "2020-Q1", "--actor", actor)
    return tmp / "data"


@pytest.fixture(scope="module")
def built(data, tmp_path_factory):
    """The pack of 2020, as the command writes it, and what the command said."""
    path = tmp_path_factory.mktemp("built") / "paket-2020.zip"
    said = runner_for(data)("pack", "2020", "-o", str(path))
    return path, said.output


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rewritten(source: Path, target: Path, change) -> Path:
    """A copy of the pack with `change(files)` applied to its {name: content} (a tampered pack)."""
    files = members(source)
    change(files)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return target


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def figures(data: Path, period) -> list[str]:
    """Each indicator's `numerator/denominator = percent` of services.reports.report, as the documents print it."""
    runtime = Runtime(data, database_url="")
    try:
        found = reports.report(runtime.fresh(), period, now(), "id")
    finally:
        runtime.close()
    return [format_fraction(row["numerator"], row["denominator"], row["percent"]) for row in found["indicators"]]


def test_every_file_is_in_the_manifest_with_its_size_and_digest(built):
    path, said = built
    files = members(path)
    manifest = json.loads(files.pop("manifest.json"))
    assert set(manifest["files"]) == set(files)
    for name, entry in manifest["files"].items():
        assert (entry["size"], entry["sha256"]) == (len(files[name]), hashlib.sha256(files[name]).hexdigest()), name
    assert set(DOCUMENTS) <= set(files)
    for roman in ("I", "II", "III", "IV"):
        assert {f"07-data-dukung-triwulan-{roman}/{name}" for name in BUNDLE} <= set(files)
    evidence = [name for name in files if name.startswith("07-data-dukung-triwulan-I/evidence/")]
    assert len(evidence) == 1 and evidence[0].endswith("-foto-apel.jpg")
    assert manifest["year"] == 2020 and manifest["as_of"] is None and manifest["printed_at"]
    assert manifest["seal"] in said and len(said.strip().splitlines()) == 1  # quiet off a terminal: one line
    assert list(manifest["approvals"]) == ["2020-Q1"]
    assert manifest["approvals"]["2020-Q1"]["revision"] == 1 and manifest["approvals"]["2020-Q1"]["approved_by"] == "kabag"


def test_the_index_names_every_other_file_with_its_size_and_digest(built):
    path, _said = built
    files = members(path)
    manifest = json.loads(files["manifest.json"])
    text = pdf_text(files["00-daftar-isi.pdf"]).replace(" ", "")
    for name, entry in manifest["files"].items():
        if name != "00-daftar-isi.pdf":
            assert entry["sha256"] in text, name
            assert f"{entry['size']:,}".replace(",", ".") in text, name
    assert manifest["files"]["00-daftar-isi.pdf"]["sha256"] not in text


def test_the_honest_pack_passes_the_check(data, built):
    result = runner_for(data)("pack", "--check", str(built[0]))
    assert "paket utuh" in result.output


def _change_member(files):
    files["07-data-dukung-triwulan-I/activities.csv"] = files["07-data-dukung-triwulan-I/activities.csv"].replace(
        b"tidak", b"ya")


def _drop_member(files):
    del files["04-laporan-tahunan.pdf"]


def _add_member(files):
    files["08-tambahan.pdf"] = b"%PDF-1.4 not evidenced"


def _edit_manifest(files):
    manifest = json.loads(files["manifest.json"])
    manifest["files"]["02-target-pk.csv"]["sha256"] = hashlib.sha256(b"another table").hexdigest()
    files["manifest.json"] = json.dumps(manifest).encode()


@pytest.mark.parametrize(("change", "said"), [
    (_change_member, "07-data-dukung-triwulan-I/activities.csv: berubah (SHA-256 berbeda dari manifes)"),
    (_drop_member, "04-laporan-tahunan.pdf: hilang dari ZIP"),
    (_add_member, "08-tambahan.pdf: tidak tercantum di manifes"),
    (_edit_manifest, "02-target-pk.csv: berubah (SHA-256 berbeda dari manifes)"),
])
def test_the_check_fails_naming_the_file_on_a_tampered_pack(data, built, tmp_path, change, said):
    tampered = rewritten(built[0], tmp_path / "tampered.zip", change)
    result = runner_for(data)("pack", "--check", str(tampered), status=1)
    assert said in result.stderr
    assert len(result.stderr.strip().splitlines()) == 2  # the one problem, then the verdict
    assert "pemeriksaan paket gagal" in result.stderr


def test_the_check_fails_when_the_manifest_names_a_seal_this_log_never_had(data, built, tmp_path):
    def forge(files):
        manifest = json.loads(files["manifest.json"])
        manifest["seal"] = f"{manifest['seal'].rsplit(':', 1)[0]}:{'0' * 64}"  # the same size, another root
        files["manifest.json"] = json.dumps(manifest).encode()

    result = runner_for(data)("pack", "--check", str(rewritten(built[0], tmp_path / "forged.zip", forge)), status=1)
    assert "log tidak lagi cocok dengan segel ini" in result.stderr


def test_the_check_says_so_in_english(data, built, tmp_path):
    result = runner_for(data)("--lang", "en", "pack", "--check",
                              str(rewritten(built[0], tmp_path / "t.zip", _drop_member)), status=1)
    assert "04-laporan-tahunan.pdf: missing from the ZIP" in result.stderr and "pack check failed" in result.stderr


@pytest.mark.parametrize("content", [b"not a zip at all", b""])
def test_a_file_that_is_not_a_pack_is_explained(data, tmp_path, content):
    path = tmp_path / "x.zip"
    path.write_bytes(content)
    result = runner_for(data)("pack", "--check", str(path), status=1)
    assert "bukan paket evaluasi" in result.stderr and "Traceback" not in result.output


def test_a_bundle_zip_is_not_taken_for_a_pack(data, tmp_path):
    bundle = tmp_path / "bundle.zip"
    runner_for(data)("bundle", "2020-Q1", "-o", str(bundle))
    assert packs.check(bundle) == [("manifest.json", "unreadable")]


def test_each_triwulan_folder_zipped_is_a_bundle_that_iku_bundle_accepts(data, built, tmp_path):
    files = members(built[0])
    folder = "07-data-dukung-triwulan-I/"
    bundle = tmp_path / "q1.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        for name, content in files.items():
            if name.startswith(folder):
                archive.writestr(name.removeprefix(folder), content)
    listed = json.loads(files[folder + "manifest.json"])["files"]
    assert any(name.startswith("evidence/") for name in listed)
    assert "berkas utuh" in runner_for(data)("bundle", "--check", str(bundle)).output


@pytest.mark.parametrize("number", ["I", "II", "III", "IV"])
def test_each_triwulan_folder_passes_its_own_verifier_offline(built, tmp_path, number):
    folder = f"07-data-dukung-triwulan-{number}/"
    for name, content in members(built[0]).items():
        if name.startswith(folder):
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_bytes(content)
    result = subprocess.run([sys.executable, "-I", "verify.py"], cwd=tmp_path / folder, capture_output=True,
                            text=True, timeout=60, env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("ok     ") >= 5 and "dihitung ulang" in result.stdout


def test_the_documents_open_and_show_the_reports_figures(data, built):
    files = members(built[0])
    for name in files:
        if name.endswith(".pdf") and "/evidence/" not in name:
            assert PdfReader(io.BytesIO(files[name])).pages, name
    first = pdf_text(files["03-laporan-triwulan-I.pdf"])
    assert all(figure in first for figure in figures(data, quarter(2020, 1)))
    assert "FINAL - disetujui oleh kabag" in first and "Piket peliputan malam" in first
    annual = pdf_text(files["04-laporan-tahunan.pdf"])
    assert all(figure in annual for figure in figures(data, year(2020)))
    assert "MANUAL INDIKATOR KINERJA UTAMA TAHUN 2020" in pdf_text(files["01-manual-iku.pdf"])
    sheet = [str(cell.value) for row in load_workbook(io.BytesIO(files["05-lkjip-bab-iii.xlsx"])).active.iter_rows()
             for cell in row if cell.value is not None]
    document = Document(io.BytesIO(files["05-lkjip-bab-iii.docx"]))
    words = " ".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    for figure in figures(data, year(2020)):
        assert any(figure in cell for cell in sheet) and figure in words


def test_the_targets_table_lists_every_setting_with_who_and_when(built):
    files = members(built[0])
    rows = list(csv.DictReader(io.StringIO(files["02-target-pk.csv"].decode())))
    assert [(row["code"], row["jenis"], row["nilai"], row["alasan"]) for row in rows] == [
        ("published", "PK awal", "80.00", "Renstra")]
    assert rows[0]["dicatat_oleh"] and rows[0]["dicatat_pada"].endswith("+07:00")
    assert "Renstra" in pdf_text(files["02-target-pk.pdf"])


def test_the_audit_log_is_the_log_recorded_in_the_year(data, built, tmp_path):
    recorded_this_year = now().year
    this_year = tmp_path / "this-year.zip"
    runner_for(data)("pack", str(recorded_this_year), "-o", str(this_year))
    log = list(csv.DictReader(io.StringIO(members(this_year)[f"06-log-audit-{recorded_this_year}.csv"].decode())))
    assert {row["reference"] for row in log} >= {"AG-1", "2020-Q1"}
    assert {row["seal"] for row in log} == {json.loads(members(this_year)["manifest.json"])["seal"]}
    # the fixture recorded 2020's activities now, not in 2020: none of them is in 2020's log
    assert len(members(built[0])["06-log-audit-2020.csv"].decode().splitlines()) == 1


def test_a_stated_as_of_is_in_the_manifest_and_leaves_later_events_out(data, tmp_path):
    path = tmp_path / "early.zip"
    runner_for(data)("pack", "2020", "--as-of", "2020-12-31", "-o", str(path))
    files = members(path)
    manifest = json.loads(files["manifest.json"])
    assert manifest["as_of"] == "2020-12-31T00:00:00+07:00" and manifest["approvals"] == {}
    assert not any(name.startswith("07-") and "/evidence/" in name for name in files)  # nothing recorded by then
    assert packs.check(path) == []


def test_a_pack_without_a_year_or_output_is_a_usage_error(data, tmp_path):
    assert "beri TAHUN -o BERKAS.zip" in runner_for(data)("pack", "2020", status=2).output
    assert "beri TAHUN -o BERKAS.zip" in runner_for(data)("pack", "-o", str(tmp_path / "p.zip"), status=2).output
    assert not (tmp_path / "p.zip").exists()


def test_a_large_evidence_file_streams_through_in_bounded_memory(tmp_path):
    run = runner_for(tmp_path / "data")
    source = tmp_path / "rows.csv"
    source.write_text("activity,event,occurred_at,title,leaders,location,channel,reference,note\n"
                      "AG-1,scheduled,2020-01-06T08:00,Apel pagi,walikota,Balai Kota,,,\n"
                      "AG-1,held,2020-01-06T08:00,,,,,,\n"
                      "AG-1,published,2020-01-06T11:00,,,,website,https://example.go.id/1,\n", encoding="utf-8")
    run("import", str(source))
    run("pack", "2020", "-o", str(tmp_path / "warm.zip"))  # every module a pack needs is imported before measuring
    large = tmp_path / "arsip-foto.jpg"
    size = 20_000_000
    large.write_bytes(JPEG + os.urandom(size - len(JPEG)))
    run("attach", "AG-1", "published", str(large), "--actor", "siti")
    runtime = Runtime(tmp_path / "data", database_url="")
    try:
        db, store = runtime.fresh(), EvidenceStore(runtime.data_dir)
        tracemalloc.start()
        try:
            manifest = packs.write(db, 2020, now(), tmp_path / "pack.zip", log=runtime.log, stated=False, store=store,
                                   printed_at=now())
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    finally:
        runtime.close()
    listed = [entry for name, entry in manifest["files"].items() if name.endswith("-arsip-foto.jpg")]
    assert [entry["size"] for entry in listed] == [size]
    assert listed[0]["sha256"] == hashlib.sha256(large.read_bytes()).hexdigest()
    assert peak < 8 * 1024 * 1024, f"peak {peak:,} bytes while writing a pack with a {size:,}-byte file"
    assert packs.check(tmp_path / "pack.zip") == []


@pytest.fixture
def auditor(data):
    from webapp import create_app

    runtime = Runtime(data, database_url="")
    client = create_app({"RUNTIME": runtime, "TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()
    assert client.post("/masuk", data={"username": "inspektur", "password": PASSWORD}).status_code == 303
    yield client
    runtime.close()


def test_an_auditor_downloads_the_pack_of_a_year(auditor):
    response = auditor.get("/laporan/paket-2020.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "paket-evaluasi-2020.zip" in response.headers["Content-Disposition"]
    body = io.BytesIO(response.get_data())
    response.close()
    assert packs.check(body) == []
    assert json.loads(zipfile.ZipFile(body).read("manifest.json"))["as_of"] is None


@pytest.mark.parametrize(("path", "status"), [("/laporan/paket-1899.zip", 404), ("/laporan/paket-3000.zip", 404),
                                              ("/laporan/paket-99999999999999999999999.zip", 404),
                                              ("/laporan/paket-2020.zip?per=kemarin", 400)])
def test_a_year_out_of_range_is_not_found_and_a_bad_as_of_refused(auditor, path, status):
    response = auditor.get(path)
    assert response.status_code == status
    assert response.mimetype == "text/html"


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(data):
    from webapp import create_app

    runtime = Runtime(data, database_url="")
    try:
        client = create_app({"RUNTIME": runtime, "TESTING": True}).test_client()
        response = client.get("/laporan/paket-2020.zip")
        assert response.status_code in (302, 303) and "/masuk" in response.headers["Location"]
    finally:
        runtime.close()


@pytest.mark.parametrize("name", ["00-daftar-isi.pdf", "02-target-pk.pdf"])
def test_the_packs_own_documents_print_every_word_at_7pt_or_more(built, tmp_path, name):
    from tests.targets.test_report_rendering import _require, font_sizes, overlaps, read_words

    _require("pdftotext")
    pdf = tmp_path / name
    pdf.write_bytes(members(built[0])[name])
    words = read_words(pdf)
    # a digest is set in Courier, every character 0.6 em wide: its size is its width over 0.6 × its length
    digests = [w for w in words if len(w.text) == 64 and all(c in "0123456789abcdef" for c in w.text)]
    assert (name == "00-daftar-isi.pdf") == bool(digests)
    assert all((w.x1 - w.x0) / (0.6 * len(w.text)) >= 7 for w in digests)
    sizes = font_sizes([w for w in words if w not in digests])
    assert words and min(sizes.values()) >= 7, sorted(sizes.items(), key=lambda item: item[1])[:3]
    assert overlaps(words, {**sizes, **{w: 8 for w in digests}}) == []
