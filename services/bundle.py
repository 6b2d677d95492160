"""The evidence bundle (data dukung): a ZIP of the period's report, its activities and every event behind
them, with a manifest of SHA-256 digests and the log's seal, and the check that re-verifies one."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from domain.periods import Period
from domain.times import from_utc_text, utc_text, wib_iso
from projections import chain, read
from services import bundleverify, proofs, reports
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


def build(db: sqlite_utils.Database, period: Period, as_of: datetime, *, log: Any, stated: bool = True,
          store: EvidenceStore | None = None, since: Iterable[chain.Seal] = ()) -> bytes:
    """The bundle as ZIP bytes (with the evidence files when `store` is given), as known at `as_of`; when the
    front door was given no as-of (`stated=False`, `as_of` its now) the manifest says so with a null as_of.

    Its events are also in events.jsonl as stored in `log` (the event store), each with its inclusion proof in
    the tree the bundle's seal names; the manifest carries a consistency proof from each seal of `since` (a
    ProofError if this log is not consistent with one), and verify.py checks it all offline."""
    sealed = chain.head(db)
    if not sealed.names_tree:
        raise proofs.ProofError("pohon Merkle log belum lengkap; jalankan iku rebuild")
    head = proofs.Head(sealed.size, bytes.fromhex(sealed.root))
    connected = []
    for earlier in since:
        proven = proofs.consistency(db, earlier)
        if not proven.ok:
            raise proofs.ProofError("log ini tidak konsisten dengan segel %(seal)s: isinya berubah sejak segel "
                                    "dicetak", seal=str(earlier))
        connected.append({"seal": proven.old.seal, "size": proven.old.size, "root": proven.old.root.hex(),
                          "proof": [node.hex() for node in proven.proof]})
    seal = str(sealed)
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
        "events.jsonl": _proven_events(db, log, [e["position"] for e in events]
                                       + read.manual.positions(db, as_of), head),
        "links.csv": _csv(LINK_COLUMNS, link_lines(db, events)),
        VERIFIER: Path(bundleverify.__file__).read_bytes(),
    }
    if store is not None:
        for name, path, _ in evidence_files(db, [a["activity_id"] for a in activities], events, store):
            files[name] = path.read_bytes()
    manifest = {
        "period": report["period"],
        "as_of": wib_iso(as_of) if stated else None,
        "seal": seal,
        "chain": sealed.chain_text(),
        "consistency": connected,
        "files": {name: hashlib.sha256(content).hexdigest() for name, content in files.items()},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return buffer.getvalue()


#: the offline verifier every bundle carries (services/bundleverify.py, standard library only)
VERIFIER = "verify.py"


def _proven_events(db: sqlite_utils.Database, log: Any, positions: list[int], head: proofs.Head) -> bytes:
    """events.jsonl: each event at `positions` exactly as the store holds it (topic, aggregate, version, the
    recording time the log hashes, the stored state), with its leaf index and inclusion proof under `head`."""
    proven = proofs.inclusions(db, positions, head)
    lines = []
    for notification, event in chain.notifications_at(log, sorted(proven)):
        index, path = proven[notification.id]
        lines.append(json.dumps({
            "position": notification.id, "leaf_index": index, "topic": notification.topic,
            "originator_id": str(notification.originator_id), "originator_version": notification.originator_version,
            "recorded_at": utc_text(event.timestamp), "state": notification.state.decode("utf-8"),
            "proof": [node.hex() for node in path]}, ensure_ascii=False))
    return ("\n".join(lines) + "\n" if lines else "").encode("utf-8")


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
    "proof": marked("ditemukan oleh pemeriksaan verify.py"),
    "no_proofs": marked("bundel dibuat sebelum ada pohon Merkle: tidak membawa bukti"),
}


def describe(problem: tuple[str, str], lang: str = "id", table: dict[str, str] = PROBLEMS) -> str:
    """`name: what is wrong`, in the given language (from `table`: texts of the catalogue by code)."""
    name, code = problem
    return f"{name}: {translate(lang, table[code])}"


def check(data: bytes, since: Iterable[str] = ()) -> tuple[list[tuple[str, str]], dict[str, Any], list[str]]:
    """Problems found in a bundle as (file or finding, code) pairs (empty: it holds), its manifest, and what its
    verifier (verify.py, the checks an auditor runs offline) said: its files against the manifest, each event's
    inclusion proof, the consistency proofs (from the manifest's seals and `since`), and the figures
    recounted from the events. A bundle made before the Merkle tree carries no verifier: its files alone are
    checked."""
    problems: list[tuple[str, str]] = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        manifest = json.loads(archive.read("manifest.json"))
        expected = manifest["files"]
        seal = chain.Seal.parse(manifest["seal"])
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError):
        return [("manifest.json", "unreadable")], {}, []
    names = set(archive.namelist()) - {"manifest.json"}
    for name, digest in sorted(expected.items()):
        if name not in names:
            problems.append((name, "missing"))
        elif hashlib.sha256(archive.read(name)).hexdigest() != digest:
            problems.append((name, "altered"))
    problems += [(name, "unlisted") for name in sorted(names - set(expected))]
    said: list[str] = []
    since = list(since)
    if VERIFIER in expected and not problems:
        files = {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}
        # the verifier says each check that holds ("ok …") and each that fails; the failures are the problems
        found = bundleverify.check(files, since, say=lambda line: said.append(line) if line.startswith("ok") else None)
        problems += [(text, "proof") for text in found]
    elif since:
        problems.append(("manifest.json", "no_proofs"))
    manifest["seal"] = seal
    return problems, manifest, said
