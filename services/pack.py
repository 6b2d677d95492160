"""The evaluation pack (paket evaluasi SAKIP) of a year: one ZIP of the Manual IKU, the PK targets, the four
quarterly reports, the annual report, the LKjIP chapter III table, the year's audit log and each triwulan's
evidence bundle, with an index (daftar isi) and a manifest of every file's size and SHA-256 and the log's seal;
and the check that re-verifies one.

The ZIP is written as it is made: each member goes to the output as it is produced, its digest computed on the
way, and evidence files are copied from disk a megabyte at a time, so the year's evidence is never in memory.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import sqlite_utils

from domain.closing import APPROVED
from domain.periods import Period, quarter
from domain.periods import year as year_period
from domain.targets import check_year
from domain.times import WIB, end_of_day, start_of_day, wib_iso
from projections import chain, read
from services import auditexport, closing, officialreport, packdocs, quarterreport, reports
from services import bundle as bundles
from services.bundle import FILE_PROBLEMS
from services.catalogue import marked
from services.evidence import EvidenceStore
from services.presentation import ROMAN, format_moment

MANIFEST = "manifest.json"
INDEX = "00-daftar-isi.pdf"
CHUNK = 1 << 20  # bytes copied at a time
#: the parts of a pack, each reported to `progress` when written
PARTS = ("manual", "targets", "Q1", "Q2", "Q3", "Q4", "annual", "lkjip", "audit", "bundle Q1", "bundle Q2",
         "bundle Q3", "bundle Q4", "index")
#: what can be wrong with a pack, by code (the file problems are those of a bundle)
PROBLEMS = {
    **FILE_PROBLEMS,
    "size": marked("berubah (ukuran berbeda dari manifes)"),
    "duplicate": marked("tercantum lebih dari sekali di ZIP"),
    "unreadable": marked("bukan paket evaluasi: manifest.json tidak terbaca"),
    "seal": marked("log tidak lagi cocok dengan segel ini"),
}
#: what each file of a triwulan's evidence bundle holds, in the index
BUNDLE_FILES = {"report.json": "laporan indikator (JSON) dengan segel",
                "report.csv": "laporan indikator (CSV)",
                "activities.csv": "setiap kegiatan yang dilaksanakan dan perannya pada tiap indikator",
                "events.csv": "setiap peristiwa di balik angka: kapan terjadi, kapan dan oleh siapa dicatat",
                "links.csv": "setiap pemeriksaan tautan publikasi: jawaban situs dan salinan arsipnya",
                MANIFEST: "manifes data dukung: SHA-256 berkasnya dan segel (iku bundle --check)"}


class _Hashing:
    """A member being written: passes bytes on, counting them and hashing them."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle, self.digest, self.size = handle, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.handle.write(data)


class _Pack:
    """The ZIP as it is written: every member's size, SHA-256 and what it evidences, in the order written."""

    def __init__(self, archive: zipfile.ZipFile, made: datetime) -> None:
        local = made.astimezone(WIB)
        # every member carries the moment the pack was made (a ZIP's clock runs from 1980 to 2107)
        self.date_time = local.timetuple()[:6] if 1980 <= local.year <= 2107 else (1980, 1, 1, 0, 0, 0)
        self.archive = archive
        self.files: dict[str, dict[str, Any]] = {}
        self.what: dict[str, str] = {}

    @contextmanager
    def member(self, name: str, what: str, *, stored: bool = False, size: int | None = None,
               unbounded: bool = False) -> Iterator[_Hashing]:
        info = zipfile.ZipInfo(name, self.date_time)
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        if size is not None:
            info.file_size = size  # lets zipfile choose ZIP64 for a large file by itself
        with self.archive.open(info, "w", force_zip64=unbounded) as handle:
            out = _Hashing(handle)
            yield out
        self.files[name] = {"size": out.size, "sha256": out.digest.hexdigest()}
        self.what[name] = what

    def add(self, name: str, data: bytes, what: str) -> None:
        with self.member(name, what) as out:
            out.write(data)

    def copy(self, name: str, path: Path, what: str) -> str:
        """Copy a file from disk (stored as it is: photos and PDFs are compressed already); its SHA-256."""
        with path.open("rb") as source, self.member(name, what, stored=True, size=path.stat().st_size) as out:
            shutil.copyfileobj(source, out, CHUNK)
        return self.files[name]["sha256"]


def write(db: sqlite_utils.Database, year: int, as_of: datetime, out: IO[bytes] | str | Path, *, log: Any,
          stated: bool, store: EvidenceStore, printed_at: datetime, progress: Callable[[str], None] | None = None,
          since: Iterable[chain.Seal] = ()) -> dict[str, Any]:
    """Write the pack of `year` as known at `as_of` to `out` (a binary file or a path); returns its manifest.
    When the front door was given no as-of (`stated=False`, `as_of` its now) the manifest says so with a null
    as_of. Every document is read in one snapshot of the read model: all of them are of the manifest's seal."""
    check_year(year)
    began = not db.conn.in_transaction
    if began:
        db.execute("BEGIN")  # deferred: the snapshot is taken at the first read
    try:
        return _write(db, year, as_of, out, stated=stated, store=store, printed_at=printed_at,
                      progress=progress or (lambda _part: None), log=log, since=since)
    finally:
        if began and db.conn.in_transaction:
            db.execute("COMMIT")  # nothing was written: this only lets the snapshot go


def _write(db: sqlite_utils.Database, y: int, as_of: datetime, out: IO[bytes] | str | Path, *, stated: bool,
           store: EvidenceStore, printed_at: datetime, progress: Callable[[str], None], log: Any,
           since: Iterable[chain.Seal]) -> dict[str, Any]:
    from services import lkjip, manualdoc  # only to write a pack (they load python-docx); checking needs neither

    seal = str(chain.head(db))
    quarters = [quarter(y, q) for q in range(1, 5)]
    approvals = _approvals(db, [*quarters, year_period(y)], as_of if stated else None)
    profile = read.targets.profile(db)
    logo = store.path(profile["logo"]) if profile.get("logo") else None
    common = {"year": y, "seal": seal, "profile": profile, "logo": logo if logo and logo.exists() else None,
              "known": (f"Sebagaimana diketahui pada {format_moment(as_of)}" if stated
                        else f"Kondisi terkini, {format_moment(printed_at)}")}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        pack = _Pack(archive, printed_at)
        pack.add("01-manual-iku.pdf", manualdoc.pdf(manualdoc.data(db, y, as_of, logo_path=store.path)),
                 f"Manual IKU tahun {y}: definisi, formula, sumber data dan penanggung jawab tiap indikator")
        progress("manual")
        targets = {**common, **packdocs.targets(db, y, as_of)}
        what = (f"Target PK tahun {y}: setiap penetapan (awal, perubahan, triwulan) dengan dasar, alasan, "
                f"pencatat dan waktunya")
        pack.add("02-target-pk.csv", packdocs.targets_csv(targets), what)
        pack.add("02-target-pk.pdf", packdocs.targets_pdf(targets), what)
        progress("targets")
        for number, period in enumerate(quarters, start=1):
            data = quarterreport.build(db, period, as_of, printed_at=printed_at, stated=stated, logo_path=store.path)
            pack.add(f"03-laporan-triwulan-{ROMAN[number - 1]}.pdf", quarterreport.to_pdf(data),
                     f"Laporan Kinerja Triwulan {ROMAN[number - 1]} {y}: target, realisasi, capaian dan analisis; "
                     f"{data['status']}" + (f"; segel {data['seal']}" if data["final"] else ""))
            progress(f"Q{number}")
        annual = officialreport.build(db, y, as_of, printed_at=printed_at, stated=stated, logo_path=store.path)
        pack.add("04-laporan-tahunan.pdf", officialreport.to_pdf(annual),
                 f"Laporan realisasi IKU tahun {y}: triwulan I-IV dan tahunan; {annual['as_known']}")
        progress("annual")
        chapter = lkjip.data(db, y, as_of, logo_path=store.path)
        what = f"LKjIP tahun {y} Bab III (akuntabilitas kinerja): tabel capaian IKU"
        pack.add("05-lkjip-bab-iii.xlsx", lkjip.xlsx(chapter), what)
        pack.add("05-lkjip-bab-iii.docx", lkjip.docx(chapter), what)
        progress("lkjip")
        _audit_log(pack, db, y, as_of, seal)
        progress("audit")
        for number, period in enumerate(quarters, start=1):
            _quarter_bundle(pack, db, period, as_of, stated, store, f"07-data-dukung-triwulan-{ROMAN[number - 1]}",
                            log=log, since=since)
            progress(f"bundle Q{number}")
        manifest = {"year": y, "as_of": wib_iso(as_of) if stated else None, "printed_at": wib_iso(printed_at),
                    "seal": seal, "approvals": approvals}
        index = {**common, "status": _status(manifest), "printed_at": printed_at,
                 "files": [(name, pack.what[name], entry["size"], entry["sha256"])
                           for name, entry in sorted(pack.files.items())]}
        pack.add(INDEX, packdocs.index_pdf(index), "daftar isi paket ini")
        progress("index")
        manifest["files"] = dict(sorted(pack.files.items()))
        info = zipfile.ZipInfo(MANIFEST, pack.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    return manifest


def _approvals(db: sqlite_utils.Database, periods: list[Period], as_of: datetime | None) -> dict[str, Any]:
    """Each approved period of the year (its triwulan, the year) as known at `as_of`: revision, approver, seal."""
    found = {}
    for period in periods:
        standing = closing.reported(db, period, as_of)
        if standing is not None and standing["state"] == APPROVED and standing["approval"] is not None:
            approval = standing["approval"]
            found[period.code] = {"revision": standing["revision"], "seal": approval["seal"],
                                  "approved_by": approval["approved_by"], "approved_at": approval["approved_at"]}
    return found


def _status(manifest: dict[str, Any]) -> list[str]:
    lines = [f"Dibuat {format_moment(datetime.fromisoformat(manifest['printed_at']))}; "
             f"segel log saat paket dibuat {manifest['seal']}"]
    for code, approval in manifest["approvals"].items():
        lines.append(f"{code}: final, revisi {approval['revision']} disetujui oleh {approval['approved_by']} "
                     f"({format_moment(datetime.fromisoformat(approval['approved_at']))}), segel {approval['seal']}")
    if not manifest["approvals"]:
        lines.append("Belum ada periode tahun ini yang disetujui: semua angka sementara")
    return lines


def _audit_log(pack: _Pack, db: sqlite_utils.Database, y: int, as_of: datetime, seal: str) -> None:
    """The year's audit log: every event recorded from 1 January to 31 December (WIB), up to `as_of`, streamed
    a batch of rows at a time. (The events behind each triwulan's figures, whenever recorded, are in its
    evidence bundle's events.csv.)"""
    filters = {"recorded_from": start_of_day(date(y, 1, 1)), "recorded_to": min(end_of_day(date(y, 12, 31)), as_of)}
    what = (f"Log audit: setiap peristiwa yang dicatat 1 Januari - 31 Desember {y} (WIB) sampai saat paket ini, "
            f"dengan pencatat, waktu dan segel")
    with pack.member(f"06-log-audit-{y}.csv", what, unbounded=True) as out:
        for chunk in auditexport.csv_chunks(auditexport.log_rows(db, filters, newest_first=False), seal):
            out.write(chunk.encode("utf-8"))


def _quarter_bundle(pack: _Pack, db: sqlite_utils.Database, period: Period, as_of: datetime, stated: bool,
                    store: EvidenceStore, folder: str, *, log: Any, since: Iterable[chain.Seal]) -> None:
    """A triwulan's evidence bundle, its files expanded into `folder`.

    Expanded rather than nested as `…-I.zip`: services/bundle builds a bundle in memory with its evidence read
    whole, and a quarter's evidence is bounded only by its number of files times the upload limit. Here the
    bundle's own files (report, activities, events: as large as the quarter's activities, not its evidence)
    come from services/bundle, and each evidence file is copied from disk in chunks under the name the bundle
    gives it, its digest added to the folder's manifest. So the folder holds what `iku bundle` writes, manifest
    included (zipped, it passes `iku bundle --check`), each evidence file is listed with its own SHA-256 in the
    pack's manifest and index, and nothing is compressed twice.
    """
    made = zipfile.ZipFile(io.BytesIO(bundles.build(db, period, as_of, log=log, stated=stated, since=since)))
    manifest = json.loads(made.read(MANIFEST))
    label = f"Data dukung Triwulan {ROMAN[int(period.part[1]) - 1]} {period.start.year}"
    for name in manifest["files"]:
        pack.add(f"{folder}/{name}", made.read(name), f"{label}: {BUNDLE_FILES.get(name, name)}")
    for name, path, original in _evidence(db, period, as_of, store):
        if name not in manifest["files"]:  # one file attached twice is one file of the bundle
            manifest["files"][name] = pack.copy(f"{folder}/{name}", path, f"{label}: berkas bukti {original}")
    pack.add(f"{folder}/{MANIFEST}", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"),
             f"{label}: {BUNDLE_FILES[MANIFEST]}")


def _evidence(db: sqlite_utils.Database, period: Period, as_of: datetime,
              store: EvidenceStore) -> Iterator[tuple[str, Path, str]]:
    """The evidence files of the period's activities that services/bundle puts in its bundle (attached by
    `as_of`, kept in the store): the bundle's name for each, where it is kept, the name it was attached by."""
    activities = read.indicators.period_activities(db, period, as_of, reports.indicators_for(db, period, as_of))
    ids = [activity["activity_id"] for activity in activities]
    yield from bundles.evidence_files(db, ids, read.activities.events_of(db, ids, as_of), store)


def manifest_of(source: str | Path | IO[bytes]) -> dict[str, Any]:
    """The pack's manifest, with its seal parsed (ValueError, KeyError, TypeError or BadZipFile when it is not
    one)."""
    with zipfile.ZipFile(source) as archive:
        return _manifest(archive)


def _manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    manifest = json.loads(archive.read(MANIFEST))
    files = manifest["files"]
    if not isinstance(manifest["year"], int) or not isinstance(files, dict):
        raise TypeError("not a pack's manifest")
    for entry in files.values():
        if not isinstance(entry["size"], int) or not isinstance(entry["sha256"], str):
            raise TypeError("not a pack's manifest")
    manifest["seal"] = chain.Seal.parse(manifest["seal"])
    return manifest


def check(source: str | Path | IO[bytes]) -> list[tuple[str, str]]:
    """Problems found in a pack as (file, code) pairs (empty: every file matches its manifest and nothing else
    is in the ZIP); each file is read in chunks."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        return [(MANIFEST, "unreadable")]
    with archive:
        try:
            expected = _manifest(archive)["files"]
        except (zipfile.BadZipFile, zlib.error, KeyError, ValueError, TypeError, AttributeError):
            return [(MANIFEST, "unreadable")]
        names = Counter(archive.namelist())
        problems = [(name, "duplicate") for name, count in sorted(names.items()) if count > 1]
        present = set(names) - {MANIFEST}
        for name, entry in sorted(expected.items()):
            if name not in present:
                problems.append((name, "missing"))
                continue
            digest, size = _digest(archive, name)
            if digest != entry["sha256"]:
                problems.append((name, "altered"))
            elif size != entry["size"]:
                problems.append((name, "size"))
        return problems + [(name, "unlisted") for name in sorted(present - set(expected))]


def _digest(archive: zipfile.ZipFile, name: str) -> tuple[str | None, int]:
    digest, size = hashlib.sha256(), 0
    try:
        with archive.open(name) as member:
            for block in iter(lambda: member.read(CHUNK), b""):
                digest.update(block)
                size += len(block)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        return None, size  # a member that no longer reads back (its CRC fails): changed
    return digest.hexdigest(), size


def describe(problem: tuple[str, str], lang: str = "id") -> str:
    """`name: what is wrong`, in the given language."""
    return bundles.describe(problem, lang, PROBLEMS)
