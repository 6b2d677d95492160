"""verify.py, the verifier every bundle carries, run as an auditor runs it: `python3 -I verify.py` in the unpacked
bundle's folder, with no project on the path. It passes an honest bundle (recounting every figure, exclusions,
withdrawals, as-of, WIB midnight and a recorded indicator definition included) and fails, naming the problem,
on an edited event, a dropped event, a swapped proof, an edited report figure and a log rewritten after an
earlier seal; `iku bundle --check` runs the same checks."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from domain.times import parse_instant
from projections import chain
from services.runtime import Runtime
from tests.conftest import SteppingClock
from tests.manual.test_definitions import DARING

T = parse_instant
START = T("2021-01-05T08:00Z")


def history(data: Path, title: str = "Rapat koordinasi", extra: int = 0) -> Runtime:
    """Activities around the Q1/Q2 edge in WIB, with withdrawals, an exclusion (one withdrawn), a re-held
    activity and a fourth indicator (Walikota online) recorded for 2020; then `extra` later activities."""
    runtime = Runtime(data, database_url="", clock=SteppingClock(start=START, step=timedelta(minutes=5)))
    runtime.applied(runtime.log.define_indicator({**DARING, "effective_from": "2020"}, reason="uji", actor="admin"))
    plans = [
        ("AG-1", "2020-03-31T23:30", ("walikota",), "website"),  # still Q1 in WIB
        ("AG-2", "2020-03-31T17:30Z", ("sekda",), "instagram"),  # 00:30 WIB on 1 April: Q2
        ("AG-3", "2020-02-10T09:00", ("walikota", "sekda"), " Media ONLINE "),
        ("AG-4", "2020-01-02T00:00", ("wakil_walikota",), "radio"),
        ("AG-5", "2020-03-15T10:00", ("walikota",), "website"),
    ]
    for reference, moment, leaders, channel in plans:
        runtime.record("scheduled", reference, title=title, leaders=list(leaders), location="Aula",
                       occurred_at=T(moment), actor="siti")
        runtime.record("held", reference, occurred_at=T(moment), actor="siti")
        runtime.record("published", reference, occurred_at=T(moment), channel=channel,
                       evidence_ref=f"https://kota.go.id/{reference}", actor="siti")
    runtime.record("documented", "AG-1", occurred_at=T("2020-04-02T09:00"), channel="foto", evidence_ref="FOTO-1",
                   actor="budi")
    runtime.record("protocol_served", "AG-3", occurred_at=T("2020-02-10T09:00"), channel="protokol",
                   evidence_ref="ST-3", actor="budi")
    runtime.record("excluded", "AG-5", indicator="published", exclusion_reason="tertutup", note="rapat tertutup",
                   occurred_at=T("2020-03-15T10:00"), actor="budi")
    runtime.record("excluded", "AG-3", indicator="documented", exclusion_reason="diwakilkan", note="wakil",
                   occurred_at=T("2020-02-10T09:00"), actor="budi")
    runtime.record("withdrawn", "AG-3", withdrawn_kind="excluded", evidence_ref="documented", reason="salah",
                   occurred_at=T("2020-02-11T09:00"), actor="budi")
    runtime.record("withdrawn", "AG-4", withdrawn_kind="held", reason="belum terlaksana",
                   occurred_at=T("2020-01-03T09:00"), actor="budi")
    runtime.record("held", "AG-4", occurred_at=T("2020-01-09T09:00"), actor="budi")
    runtime.record("withdrawn", "AG-1", withdrawn_kind="published", evidence_ref="https://kota.go.id/AG-1",
                   reason="tautan salah", occurred_at=T("2020-04-03T09:00"), actor="budi")
    for n in range(extra):
        runtime.record("scheduled", f"AG-9{n}", title="Kunjungan", leaders=["sekda"], location="Pasar",
                       occurred_at=T("2020-05-04T09:00"), actor="siti")
    return runtime


def iku(data: Path, *args: str):
    return CliRunner().invoke(cli, ["--data-dir", str(data), *args])


def bundle(data: Path, tmp_path: Path, *args: str) -> Path:
    out = tmp_path / f"b{len(list(tmp_path.glob('b*.zip')))}.zip"
    result = iku(data, "bundle", *args, "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def unpack(zipped: Path, folder: Path) -> Path:
    folder.mkdir()
    with zipfile.ZipFile(zipped) as archive:
        archive.extractall(folder)
    return folder


def run_verifier(folder: Path, *args: str) -> subprocess.CompletedProcess:
    # -I: isolated (no PYTHONPATH, no user site, not the script's folder's parents): the project is not importable
    return subprocess.run([sys.executable, "-I", "verify.py", *args], cwd=folder, capture_output=True, text=True,
                          timeout=60, env={"PATH": "/usr/bin:/bin"})


def rewrite(folder: Path, name: str, change) -> None:
    """Edit a file as a forger would: and list its new digest in the manifest, so only the proofs can tell."""
    path = folder / name
    path.write_bytes(change(path.read_bytes()))
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"][name] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))


def rezip(folder: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return out


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    data = tmp_path_factory.mktemp("office")
    runtime = history(data)
    runtime.close()
    return data


def lines_of(result) -> list[str]:
    return result.stdout.splitlines()


def recorded_at(data: Path, kind: str, reference: str) -> str:
    runtime = Runtime(data, database_url="")
    try:
        return runtime.db.execute("SELECT recorded_at FROM events WHERE kind = ? AND reference = ?",
                                  [kind, reference]).fetchone()[0]
    finally:
        runtime.close()


@pytest.mark.parametrize(("period", "known", "expected"), [
    # Q1 in WIB: AG-1 (walikota, 23:30 on 31 March; its publication withdrawn), AG-3 (walikota and sekda, its
    # exclusion from `documented` withdrawn), AG-4 (held, withdrawn, held again), AG-5 (walikota, excluded from
    # `published`, not from walikota_daring, whose channels take " Media ONLINE " and "website")
    ("2020-Q1", None, {"published": "2/3 = 66,67%", "documented": "1/4 = 25,00%", "protocol_served": "1/4 = 25,00%",
                       "walikota_daring": "2/3 = 66,67%"}),
    # as known when AG-3's exclusion was recorded: it is out of `documented`; AG-1's publication still valid
    ("2020-Q1", "AG-3", {"published": "3/3 = 100,00%", "documented": "1/3 = 33,33%",
                         "protocol_served": "1/4 = 25,00%", "walikota_daring": "3/3 = 100,00%"}),
    # AG-2: 17:30 UTC on 31 March is 00:30 WIB on 1 April
    ("2020-Q2", None, {"published": "1/1 = 100,00%", "documented": "0/1 = 0,00%", "protocol_served": "0/1 = 0,00%",
                       "walikota_daring": "0/0 = n/a"}),
])
def test_an_honest_bundle_verifies_and_every_figure_is_recounted(office, tmp_path, period, known, expected):
    as_of = ["--as-of", recorded_at(office, "excluded", known)] if known else []
    zipped = bundle(office, tmp_path, period, *as_of)
    folder = unpack(zipped, tmp_path / "b")
    result = run_verifier(folder)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for code, shown in expected.items():
        assert f"ok     {code}: dihitung ulang {shown}, laporan {shown}" in out
    assert out.splitlines()[-1] == "HASIL: semua cocok"
    assert "peristiwa terbukti ada di log segel mth:" in out
    assert iku(office, "bundle", "--check", str(zipped)).exit_code == 0


def test_the_verifier_needs_only_the_standard_library():
    source = Path("services/bundleverify.py").read_text()
    imported = {line.split()[1].split(".")[0] for line in source.splitlines()
                if line.startswith(("import ", "from "))}
    assert imported <= set(sys.stdlib_module_names), imported - set(sys.stdlib_module_names)
    assert len(source.splitlines()) < 400  # one sitting


def tampered(office, tmp_path, change) -> tuple[subprocess.CompletedProcess, Path]:
    folder = unpack(bundle(office, tmp_path, "2020-Q1"), tmp_path / "b")
    change(folder)
    return run_verifier(folder), folder


def edit_line(number: int, edit):
    def change(folder: Path) -> None:
        def lines(data: bytes) -> bytes:
            rows = data.decode().splitlines()
            rows[number - 1] = edit(rows[number - 1], rows)
            return ("\n".join(row for row in rows if row is not None) + "\n").encode()
        rewrite(folder, "events.jsonl", lines)
    return change


def line_of(folder: Path, topic_end: str, text: str = "") -> int:
    rows = (folder / "events.jsonl").read_text().splitlines()
    return next(n for n, row in enumerate(rows, 1) if json.loads(row)["topic"].endswith(topic_end) and text in row)


def test_an_edited_event_fails(office, tmp_path):
    def change(folder):
        number = line_of(folder, ".Published")
        edit_line(number, lambda row, _rows: row.replace("https://kota.go.id/", "https://kota.go.id/x"))(folder)
    result, _ = tampered(office, tmp_path, change)
    assert result.returncode == 1
    assert "SALAH  events.jsonl baris" in result.stdout and "tidak terbukti ada di log segel" in result.stdout


def test_an_edited_recording_time_fails(office, tmp_path):
    def change(folder):
        edit_line(3, lambda row, _rows: json.dumps({**json.loads(row), "recorded_at": "2019-01-01T00:00:00.000000Z"}))(folder)
    result, _ = tampered(office, tmp_path, change)
    assert result.returncode == 1 and "SALAH  events.jsonl baris 3" in result.stdout


def test_a_dropped_event_fails(office, tmp_path):
    def change(folder):
        number = line_of(folder, ".Published", "kota.go.id/AG-3")  # a publication that counts
        edit_line(number, lambda _row, _rows: None)(folder)
    result, _ = tampered(office, tmp_path, change)
    assert result.returncode == 1
    assert "SALAH  events.csv: 1 peristiwa tanpa bukti di events.jsonl" in result.stdout
    assert "SALAH  published: dihitung ulang 1/3 = 33,33%, laporan 2/3 = 66,67%" in result.stdout


def test_a_swapped_proof_fails(office, tmp_path):
    def change(folder):
        rows = [json.loads(row) for row in (folder / "events.jsonl").read_text().splitlines()]
        rows[1]["proof"], rows[2]["proof"] = rows[2]["proof"], rows[1]["proof"]
        rewrite(folder, "events.jsonl", lambda _data: "".join(json.dumps(r) + "\n" for r in rows).encode())
    result, _ = tampered(office, tmp_path, change)
    assert result.returncode == 1
    assert "SALAH  events.jsonl baris 2:" in result.stdout and "SALAH  events.jsonl baris 3:" in result.stdout


def test_an_edited_report_figure_fails(office, tmp_path):
    def change(folder):
        def edit(data):
            report = json.loads(data)
            row = next(r for r in report["indicators"] if r["code"] == "documented")
            row.update(numerator=3, percent=75.0)
            return json.dumps(report).encode()
        rewrite(folder, "report.json", edit)
    result, folder = tampered(office, tmp_path, change)
    assert result.returncode == 1
    assert "SALAH  documented: dihitung ulang 1/4 = 25,00%, laporan 3/4 = 75,00%" in result.stdout
    assert result.stdout.splitlines()[-1] == "HASIL: 1 masalah"
    checked = iku(office, "bundle", "--check", str(rezip(folder, tmp_path / "edited.zip")))
    assert checked.exit_code == 1
    assert "documented: dihitung ulang 1/4 = 25,00%, laporan 3/4 = 75,00%" in checked.output


def test_a_file_changed_without_its_manifest_fails(office, tmp_path):
    def change(folder):
        (folder / "activities.csv").write_text("reference\n")
    result, _ = tampered(office, tmp_path, change)
    assert result.returncode == 1 and "SALAH  activities.csv: berubah (SHA-256 berbeda dari manifes)" in result.stdout


def test_a_log_rewritten_after_an_earlier_seal_fails(tmp_path):
    """The office sealed its log (the seal printed on the Q1 report), then rewrote an early event and went on.
    Its next bundle, connected to a seal of the rewritten log of the same size, fails against the printed one."""
    honest = history(tmp_path / "honest")
    printed = str(chain.head(honest.fresh()))
    honest.close()
    forged = history(tmp_path / "forged", title="Rapat koordinasi (diubah)")
    forged_old = str(chain.head(forged.fresh()))
    assert forged_old.split(":")[1] == printed.split(":")[1] and forged_old != printed  # same size, other root
    for n in range(3):
        forged.record("scheduled", f"AG-7{n}", title="Kunjungan", leaders=["sekda"], location="Pasar",
                      occurred_at=T("2020-05-04T09:00"), actor="siti")
    forged.close()
    refused = iku(tmp_path / "forged", "bundle", "2020-Q2", "--since-seal", printed, "-o", str(tmp_path / "x.zip"))
    assert refused.exit_code == 1 and "tidak konsisten dengan segel" in refused.output
    folder = unpack(bundle(tmp_path / "forged", tmp_path, "2020-Q2", "--since-seal", forged_old), tmp_path / "b")
    assert run_verifier(folder).returncode == 0  # consistent with its own rewritten history, as far as it says
    result = run_verifier(folder, "--since", printed)
    assert result.returncode == 1
    assert f"tidak konsisten dengan segel {printed}: log ditulis ulang" in result.stdout
    checked = iku(tmp_path / "forged", "bundle", "--check", str(rezip(folder, tmp_path / "f.zip")), "--since-seal",
                  printed)
    assert checked.exit_code == 1


def test_a_grown_log_proves_consistency_with_the_printed_seal(tmp_path):
    runtime = history(tmp_path / "data")
    printed = str(chain.head(runtime.fresh()))
    for n in range(40):
        runtime.record("scheduled", f"AG-8{n}", title="Kunjungan", leaders=["sekda"], location="Pasar",
                       occurred_at=T("2020-05-04T09:00"), actor="siti")
    runtime.close()
    folder = unpack(bundle(tmp_path / "data", tmp_path, "2020-Q2", "--since-seal", printed), tmp_path / "b")
    result = run_verifier(folder, "--since", printed)
    assert result.returncode == 0, result.stdout
    assert f"hanya bertambah sejak segel {printed} (bukti konsistensi)" in result.stdout
    unknown = run_verifier(folder, "--since", "mth:3:" + "ab" * 32)
    assert unknown.returncode == 1 and "tidak membawa bukti konsistensi dari segel ini" in unknown.stdout


def test_an_old_bundle_without_proofs_still_checks_its_files(office, tmp_path):
    folder = unpack(bundle(office, tmp_path, "2020-Q1"), tmp_path / "b")
    manifest = json.loads((folder / "manifest.json").read_text())
    for name in ("events.jsonl", "verify.py"):
        (folder / name).unlink()
        del manifest["files"][name]
    manifest["seal"] = iku(office, "verify").output.split("segel kini ")[1].split()[0]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    zipped = rezip(folder, tmp_path / "old.zip")
    assert iku(office, "bundle", "--check", str(zipped)).exit_code == 0
    asked = iku(office, "bundle", "--check", str(zipped), "--since-seal", manifest["seal"])
    assert asked.exit_code == 1 and "tidak membawa bukti" in asked.output
