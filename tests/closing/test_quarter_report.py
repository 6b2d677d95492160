"""The quarterly report (Laporan Kinerja Triwulanan) as PDF and XLSX, and the annual official report's approved
triwulan: final figures with their revision, approver and seal, the narrative, or provisional figures."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner
from openpyxl import load_workbook
from pypdf import PdfReader

from cli.main import cli
from services import accounts
from tests.cli.test_report import ROWS
from tests.targets.test_report_rendering import _require


@pytest.fixture
def iku(tmp_path, monkeypatch):
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    runner = CliRunner()
    source = tmp_path / "rows.csv"
    source.write_text(ROWS, encoding="utf-8")

    def run(*args: str, stdin: str | None = None):
        result = runner.invoke(cli, ["--data-dir", str(tmp_path / "data"), *args], input=stdin)
        assert result.exit_code == 0, result.output
        return result

    run("import", str(source))
    run("target", "set", "2020", "published", "80", "--reason", "Renstra")
    run("profile", "set", "penandatangan_nama", "Drs. Budi Santoso")
    for name, role in (("siti", "operator"), ("kasubbag", "verifier"), ("kabag", "approver")):
        run("user", "add", name, "--role", role, "--password-stdin", stdin="kata-sandi-panjang-1")
    run("period", "narrative", "2020-Q1", "published", "--analysis", "Lima dari tujuh kegiatan dipublikasikan",
        "--obstacles", "Kegiatan malam hari", "--follow-up", "Piket peliputan malam", "--actor", "siti")
    return run


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def close(iku, code):
    for step, actor in (("submit", "siti"), ("verify", "kasubbag"), ("approve", "kabag")):
        iku("period", step, code, "--actor", actor)


def test_a_provisional_quarter_prints_the_log_now_with_its_narrative(iku, tmp_path):
    iku("report", "2020-Q1", "--format", "pdf", "-o", str(tmp_path / "q1.pdf"))
    text = pdf_text(tmp_path / "q1.pdf")
    assert "LAPORAN KINERJA TRIWULAN I 2020" in text
    assert "SEMENTARA - status terbuka" in text and "Angka kondisi terkini" in text
    assert "5/7 = 71,43%" in text and "80,00%" in text and "89,29%" in text  # realisasi, target, capaian
    assert "Lima dari tujuh kegiatan dipublikasikan" in text and "Piket peliputan malam" in text
    assert "Drs. Budi Santoso" in text


def test_a_closed_quarter_prints_its_approved_revision_even_after_the_log_moves_on(iku, tmp_path):
    close(iku, "2020-Q1")
    seal = json.loads(iku("report", "2020-Q1", "--format", "json").stdout)["final"]["seal"]
    iku("report", "2020-Q1", "--format", "pdf", "-o", str(tmp_path / "q1.pdf"))
    text = pdf_text(tmp_path / "q1.pdf")
    assert "FINAL - disetujui oleh kabag" in text and "revisi 1" in text
    assert seal in text.replace(" ", "") or seal.split(":")[0] in text
    iku("report", "2020-Q1", "--format", "xlsx", "-o", str(tmp_path / "q1.xlsx"))
    cells = [str(cell.value) for row in load_workbook(tmp_path / "q1.xlsx").active.iter_rows() for cell in row
             if cell.value is not None]
    assert any(cell.startswith("FINAL - disetujui oleh kabag") for cell in cells)
    assert "5/7 = 71,43%" in cells and "Analisis capaian: Lima dari tujuh kegiatan dipublikasikan" in cells


def test_the_annual_report_marks_each_approved_quarter_with_its_revision(iku, tmp_path):
    close(iku, "2020-Q1")
    iku("report", "2020", "--format", "pdf", "-o", str(tmp_path / "y.pdf"))
    text = pdf_text(tmp_path / "y.pdf")
    assert "TW I (rev. 1)" in text and "TW II (rev." not in text
    assert "periode bertanda (rev. N) memuat angka final revisi N yang disetujui, periode lain sementara" in text


def test_the_quarterly_report_prints_in_libreoffice_on_one_portrait_page(iku, tmp_path):
    _require("soffice", "pdftotext")
    close(iku, "2020-Q1")
    iku("report", "2020-Q1", "--format", "xlsx", "-o", str(tmp_path / "q1.xlsx"))
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "q1.xlsx")],
                   check=True, capture_output=True, timeout=180)
    reader = PdfReader(tmp_path / "q1.pdf")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.height) > float(box.width)  # portrait
    assert "Tindak lanjut: Piket peliputan malam" in " ".join(reader.pages[0].extract_text().split())
