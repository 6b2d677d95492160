"""The evidence bundle (data dukung): a ZIP of the period's report, its activities and every event behind
them, with a manifest of SHA-256 digests and the log's seal, and the check that re-verifies one."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from domain.periods import Period
from domain.times import from_utc_text, wib_iso
from projections import chain, read
from services import reports
from services.catalogue import marked, translate
from services.evidence import EvidenceStore
from services.presentation import neutralise

EVENT_COLUMNS = ("position", "reference", "version", "kind", "occurred_at", "recorded_at", "recorded_at_utc", "actor",
                 "title", "leaders", "location", "channel", "evidence_ref", "fact_kind", "sha256", "setting", "note",
                 "targets", "withdrawn_position",
                 "withdrawn_at", "withdrawn_by", "withdrawn_reason")
#: the read model's UTC times that people read: written as ISO 8601 in WIB (+07:00)
_MOMENTS = ("occurred_at", "recorded_at", "withdrawn_at")


def _wib(text: str | None) -> str | None:
    """A read-model UTC time as ISO 8601 in WIB, so a day reads as the day it was in the city."""
    return wib_iso(from_utc_text(text)) if text else None


def _event_line(event: dict[str, Any]) -> list[Any]:
    # recorded_at_utc: the store's own recording time, exactly as the hash chain covers it
    line = {**event, "recorded_at_utc": event["recorded_at"], **{key: _wib(event.get(key)) for key in _MOMENTS}}
    return [line.get(column) for column in EVENT_COLUMNS]


def _csv(header: list[str] | tuple[str, ...], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[neutralise(value) for value in row] for row in rows])
    return out.getvalue().encode("utf-8")


def evidence_files(db: sqlite_utils.Database, activity_ids: list[str], events: list[dict[str, Any]],
                   store: EvidenceStore) -> Iterator[tuple[str, Path, str]]:
    """The evidence files a bundle carries: those attached to the activities by an event among `events` (those
    recorded by its as-of) and kept in the store; each with its name in the bundle, where it is kept, and the
    name it was attached by."""
    recorded = {event["position"] for event in events}
    for row in read.activities.attachments_of(db, activity_ids):
        path = store.path(row["sha256"])
        if row["position"] in recorded and path.exists():
            original = Path(row["name"]).name
            yield f"evidence/{row['sha256'][:16]}-{original}", path, original


#: each check of a publication's link behind the figures: what answered, and the archived copy's file here
LINK_COLUMNS = ("position", "reference", "url", "checked_at", "status", "error", "final_url", "content_type",
                "sha256", "changed", "archive")


def link_lines(db: sqlite_utils.Database, events: list[dict[str, Any]]) -> list[list[Any]]:
    """The link checks among `events` (recorded by the bundle's as-of), each with the name its archived copy has
    in the bundle's evidence folder (empty when that check kept none)."""
    references = {event["position"]: event["reference"] for event in events if event["kind"] == "link_checked"}
    lines = []
    for row in read.evidence.checks_at(db, list(references)):
        archive = f"evidence/{row['archive_sha256'][:16]}-{Path(row['archive_name']).name}" if row["archive_name"] else ""
        lines.append([row["position"], references[row["position"]], row["url"], _wib(row["checked_at"]),
                      row["status"], row["error"], row["final_url"], row["content_type"], row["sha256"],
                      "ya" if row["changed"] else "tidak", archive])
    return lines


#: an activity's part in an indicator, in activities.csv: counted, in the denominator without the fact, excluded
#: from it (the exclusion is in events.csv), or not of the indicator's leaders
PART = {"counted": "ya", "missing": "tidak", "excluded": "dikecualikan", None: "-"}


def build(db: sqlite_utils.Database, period: Period, as_of: datetime, *, stated: bool = True,
          store: EvidenceStore | None = None) -> bytes:
    """The bundle as ZIP bytes (with the evidence files when `store` is given), as known at `as_of`; when the
    front door was given no as-of (`stated=False`, `as_of` its now) the manifest says so with a null as_of."""
    seal = str(chain.head(db))
    report = reports.report(db, period, as_of, "id", stated=stated)
    report["seal"] = seal
    indicators = reports.indicators_for(db, period, as_of)
    activities = read.indicators.period_activities(db, period, as_of, indicators)
    events = read.activities.events_of(db, [a["activity_id"] for a in activities], as_of)
    files = {
        "report.json": json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8"),
        "report.csv": _csv(["code", "name", "numerator", "denominator", "percent"],
                           [[i["code"], i["name"], i["numerator"], i["denominator"], i["percent"]]
                            for i in report["indicators"]]),
        "activities.csv": _csv(
            ["reference", "title", "leaders", "location", "held_at", *[i.code for i in indicators]],
            [[a["reference"], a["title"], a["leaders"], a["location"], _wib(a["held_at"]),
              *[PART[a[i.code]] for i in indicators]] for a in activities]),
        "events.csv": _csv(EVENT_COLUMNS, [_event_line(e) for e in events]),
        "links.csv": _csv(LINK_COLUMNS, link_lines(db, events)),
    }
    if store is not None:
        for name, path, _ in evidence_files(db, [a["activity_id"] for a in activities], events, store):
            files[name] = path.read_bytes()
    manifest = {
        "period": report["period"],
        "as_of": wib_iso(as_of) if stated else None,
        "seal": seal,
        "files": {name: hashlib.sha256(content).hexdigest() for name, content in files.items()},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return buffer.getvalue()


#: what can be wrong with a file of a ZIP that lists its files' SHA-256 in a manifest (bundles, backups)
FILE_PROBLEMS = {
    "missing": marked("hilang dari ZIP"),
    "altered": marked("berubah (SHA-256 berbeda dari manifes)"),
    "unlisted": marked("tidak tercantum di manifes"),
}
PROBLEMS = {
    **FILE_PROBLEMS,
    "unreadable": marked("bukan berkas data dukung: manifest.json tidak terbaca"),
    "seal": marked("log tidak lagi cocok dengan segel ini"),
}


def describe(problem: tuple[str, str], lang: str = "id", table: dict[str, str] = PROBLEMS) -> str:
    """`name: what is wrong`, in the given language (from `table`: texts of the catalogue by code)."""
    name, code = problem
    return f"{name}: {translate(lang, table[code])}"


def check(data: bytes) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """Problems found in a bundle as (file, code) pairs (empty: its files match its manifest), and the
    manifest."""
    problems: list[tuple[str, str]] = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        manifest = json.loads(archive.read("manifest.json"))
        expected = manifest["files"]
        seal = chain.Seal.parse(manifest["seal"])
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError):
        return [("manifest.json", "unreadable")], {}
    manifest["seal"] = seal
    names = set(archive.namelist()) - {"manifest.json"}
    for name, digest in sorted(expected.items()):
        if name not in names:
            problems.append((name, "missing"))
        elif hashlib.sha256(archive.read(name)).hexdigest() != digest:
            problems.append((name, "altered"))
    problems += [(name, "unlisted") for name in sorted(names - set(expected))]
    return problems, manifest
