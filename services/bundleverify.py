#!/usr/bin/env python3
"""verify.py: check an iku-humas evidence bundle (data dukung) without trusting the office's server.

Run it inside the unpacked bundle's folder, with nothing but Python 3.9+ (standard library only):

    python3 verify.py [--since SEAL ...]

It checks, and prints, four things; the exit status is 0 only when every one holds:

1. Files: each file has the SHA-256 that manifest.json lists, and no file is missing or unlisted.
2. Inclusion: each event in events.jsonl, hashed in its canonical form, is in the log the bundle's seal
   names (`mth:SIZE:ROOT`, a Merkle tree head), by its inclusion proof (RFC 9162 §2.1.3).
3. Consistency: the log of each earlier seal listed in the manifest, or given with --since (e.g. the seal on
   last quarter's printed report), is the start of this one (RFC 9162 §2.1.4): the log only grew.
4. Figures: each indicator's numerator, denominator and percent, recounted here from the events alone,
   equal report.json's. The counting rule: an activity counts in the denominator when it has a valid `held`
   whose date in WIB (UTC+7) lies in the period, with one of the indicator's leaders, and no valid exclusion
   from the indicator for a reason it allows; in the numerator when it also has a valid fact of the
   indicator's kind (on one of its channels, if it names some). A fact is valid when it was recorded by the
   report's as-of and no withdrawal recorded by then took it back. percent = 100 × numerator ÷ denominator,
   half-up to 2 decimals. The indicators are the built-in ones (SEED below) and the versions recorded in the
   log (its IndicatorManual events, in the bundle) in force for the period's first year.

What it cannot show: that the bundle left out no activity of the period. Each included event is proven to be
in the log; an omitted one would only be found in the full log (`iku verify` at the office).
"""

import argparse
import csv
import hashlib
import io
import json
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

WIB = timezone(timedelta(hours=7))
LEADERS = ["walikota", "wakil_walikota", "sekda"]
REASONS = ["tertutup", "diwakilkan", "bukan_kegiatan_pimpinan"]
# The indicators in force before any version is recorded (the division's IKU 2020): the counting fields only.
SEED = [
    {"code": "published", "numerator_kind": "published", "channels": [], "leaders": LEADERS,
     "exclusion_reasons": REASONS, "effective_from": 0, "active": True},
    {"code": "documented", "numerator_kind": "documented", "channels": [], "leaders": LEADERS,
     "exclusion_reasons": REASONS[1:], "effective_from": 0, "active": True},
    {"code": "protocol_served", "numerator_kind": "protocol_served", "channels": [], "leaders": LEADERS,
     "exclusion_reasons": REASONS[1:], "effective_from": 0, "active": True},
]
ACTIVITY = "domain.activity:Activity."
MANUAL = "domain.indicators:IndicatorManual."
NUMERATOR_KINDS = ("Published", "Documented", "ProtocolServed")
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def channel_key(channel):
    """A channel as the rule compares it: trimmed, ASCII letters in lower case."""
    return (channel or "").strip().translate(ASCII_LOWER)


# --- RFC 9162 §2.1: the Merkle tree ---------------------------------------------------------------------

def sha256(data):
    return hashlib.sha256(data).digest()


def leaf_hash(data):
    return sha256(b"\x00" + data)


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


def verify_inclusion(leaf, index, size, proof, root):
    """§2.1.3.2: does `proof` lead from the leaf at `index` to `root` of the tree of `size` leaves?"""
    if not 0 <= index < size:
        return False
    fn, sn, result = index, size - 1, leaf
    for node in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            result = node_hash(node, result)
            while fn & 1 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            result = node_hash(result, node)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and result == root


def verify_consistency(old_size, new_size, old_root, new_root, proof):
    """§2.1.4.2: does `proof` show the tree of `old_size` leaves (`old_root`) to be the start of the new one?"""
    if not 0 < old_size <= new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    if not path:
        return False
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for node in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(node, fr), node_hash(node, sr)
            while fn & 1 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, node)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old_root and sr == new_root


def parse_seal(text):
    """(size, root) of a tree seal `mth:SIZE:ROOT`; None for anything else."""
    prefix, _, rest = text.strip().lower().partition(":")
    size, _, root = rest.partition(":")
    if prefix != "mth" or not size.isdigit() or len(root) != 64:
        return None
    try:
        return int(size), bytes.fromhex(root)
    except ValueError:
        return None


# --- the events -----------------------------------------------------------------------------------------

def canonical(line, state):
    """The leaf data of a stored event: the JSON array the log hashes (the state bytes by their SHA-256)."""
    return json.dumps([line["topic"], line["originator_id"], line["originator_version"], line["recorded_at"],
                       hashlib.sha256(state).hexdigest()], separators=(",", ":")).encode()


def decode(value):
    """A stored value as Python: the store writes datetimes as {"_type_": "datetime_iso", "_data_": …}."""
    if isinstance(value, dict):
        if value.get("_type_") == "datetime_iso":
            return datetime.fromisoformat(value["_data_"])
        return {key: decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decode(item) for item in value]
    return value


def utc(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


# --- the counting rule ----------------------------------------------------------------------------------

def in_force(manual, year):
    """The active indicators for `year`: of each code, the version with the latest effective year ≤ `year`
    (of two with the same year, the later recorded)."""
    chosen = {}
    for version in SEED + manual:
        found = chosen.get(version["code"])
        if version["effective_from"] <= year and (found is None or version["effective_from"] >= found["effective_from"]):
            chosen[version["code"]] = version
    return [version for version in chosen.values() if version["active"]]


def count(events, start, end, as_of):
    """Each indicator's figures from the events (as of `as_of`; None: every event here)."""
    def known(moment):
        return as_of is None or moment <= as_of

    manual, activities = [], {}
    for event in events:
        name, data, recorded = event["name"], event["data"], event["recorded"]
        if not known(recorded):
            continue
        if event["topic"].startswith(MANUAL):
            if name == "Defined":
                manual.append(dict(data["fields"]))
            elif name == "Retired":
                current = [v for v in in_force(manual, data["effective_from"]) if v["code"] == data["code"]]
                if current:
                    manual.append(dict(current[0], effective_from=data["effective_from"], active=False))
            continue
        if not event["topic"].startswith(ACTIVITY):
            continue
        activity = activities.setdefault(event["originator_id"], {"leaders": [], "facts": []})
        if name in ("Scheduled", "Rescheduled") and data.get("leaders"):
            activity["leaders"] = data["leaders"]
        fact = {"version": event["version"], "recorded": recorded, "withdrawn": None}
        if name == "Held":
            fact.update(kind="held", day=data["occurred_at"].astimezone(WIB).date(), leaders=activity["leaders"])
        elif name in NUMERATOR_KINDS:
            kind = {"Published": "published", "Documented": "documented", "ProtocolServed": "protocol_served"}[name]
            fact.update(kind=kind, channel=data["channel"], ref=data["evidence_ref"])
        elif name == "Excluded":
            fact.update(kind="excluded", indicator=data["indicator"], reason=data["exclusion_reason"],
                        ref=data["indicator"])
        elif name == "Withdrawn":
            for earlier in activity["facts"]:
                taken = (earlier["version"] in data["targets"]) if data.get("targets") else (
                    earlier["kind"] == data["withdrawn_kind"] and (
                        earlier["kind"] == "held" or not data["evidence_ref"] or earlier.get("ref") == data["evidence_ref"]))
                if taken and earlier["withdrawn"] is None:
                    earlier["withdrawn"] = recorded
            continue
        else:
            continue
        activity["facts"].append(fact)

    figures = {}
    for indicator in in_force(manual, start.year):
        numerator = denominator = 0
        channels = [channel_key(channel) for channel in indicator["channels"]]
        for activity in activities.values():
            valid = [f for f in activity["facts"] if f["withdrawn"] is None or not known(f["withdrawn"])]
            held = any(f["kind"] == "held" and start <= f["day"] <= end
                       and any(leader in indicator["leaders"] for leader in f["leaders"]) for f in valid)
            excluded = any(f["kind"] == "excluded" and f["indicator"] == indicator["code"]
                           and f["reason"] in indicator["exclusion_reasons"] for f in valid)
            if not held or excluded:
                continue
            denominator += 1
            numerator += any(f["kind"] == indicator["numerator_kind"]
                             and (not channels or channel_key(f["channel"]) in channels) for f in valid)
        figures[indicator["code"]] = (numerator, denominator)
    return figures


def percent(numerator, denominator):
    if denominator == 0:
        return None
    return (Decimal(100 * numerator) / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def shown(numerator, denominator, value):
    return f"{numerator}/{denominator} = " + ("n/a" if value is None else f"{value:.2f}%".replace(".", ","))


# --- the checks -----------------------------------------------------------------------------------------

def check(files, since=(), say=print):
    """Check a bundle whose files `files` maps name -> bytes; print each finding through `say` and return the
    list of problems (empty: everything holds)."""
    problems = []

    def fail(text):
        problems.append(text)
        say("SALAH  " + text)

    try:
        manifest = json.loads(files["manifest.json"])
        listed, seal = manifest["files"], manifest["seal"]
    except (KeyError, ValueError, TypeError):
        fail("manifest.json tidak terbaca")
        return problems

    # 1. files
    for name in sorted(listed):
        if name not in files:
            fail(f"{name}: hilang")
        elif hashlib.sha256(files[name]).hexdigest() != listed[name]:
            fail(f"{name}: berubah (SHA-256 berbeda dari manifes)")
    for name in sorted(set(files) - set(listed) - {"manifest.json"}):
        fail(f"{name}: tidak tercantum di manifes")
    if not problems:
        say(f"ok     {len(listed)} berkas cocok dengan SHA-256 di manifes")

    # 2. inclusion
    head = parse_seal(str(seal))
    if head is None:
        fail(f"segel {seal} bukan kepala pohon Merkle (mth:UKURAN:AKAR)")
        return problems
    size, root = head
    events, bad = [], 0
    for number, text in enumerate(files.get("events.jsonl", b"").decode("utf-8").splitlines(), start=1):
        try:
            line = json.loads(text)
            state = line["state"].encode("utf-8")
            proof = [bytes.fromhex(node) for node in line["proof"]]
            proven = verify_inclusion(leaf_hash(canonical(line, state)), line["leaf_index"], size, proof, root)
            data = decode(json.loads(state))
            recorded = data["timestamp"]
            proven = proven and recorded == utc(line["recorded_at"])
        except (KeyError, ValueError, TypeError, AttributeError):
            proven = False
        if not proven:
            bad += 1
            fail(f"events.jsonl baris {number}: tidak terbukti ada di log segel {seal}")
            continue
        events.append({"topic": line["topic"], "name": line["topic"].rpartition(".")[2], "data": data,
                       "originator_id": line["originator_id"], "version": line["originator_version"],
                       "recorded": recorded, "position": line["position"], "leaf": line["leaf_index"]})
    if len({event["leaf"] for event in events}) != len(events):
        fail("events.jsonl: satu peristiwa tercantum dua kali")
    if not bad:
        say(f"ok     {len(events)} peristiwa terbukti ada di log segel {seal} (bukti inklusi RFC 9162)")
    listed_positions = {row[0] for row in list(csv.reader(io.StringIO(files.get("events.csv", b"").decode("utf-8"))))[1:]}
    missing = listed_positions - {str(event["position"]) for event in events}
    if missing:
        fail(f"events.csv: {len(missing)} peristiwa tanpa bukti di events.jsonl (posisi {min(missing)} …)")

    # 3. consistency
    proofs = {entry["size"]: entry for entry in manifest.get("consistency", [])}
    for given in since:
        old = parse_seal(given)
        if old is None:
            fail(f"--since {given}: bukan segel mth:UKURAN:AKAR (segel lama POSISI:DIGEST hanya dapat diperiksa "
                 "dengan iku verify --seal di kantor)")
        elif old[0] not in proofs:
            fail(f"--since {given}: bundel tidak membawa bukti konsistensi dari segel ini")
        else:
            proofs[old[0]] = dict(proofs[old[0]], root=old[1].hex(), seal=given)
    for old_size, entry in sorted(proofs.items()):
        try:
            ok = verify_consistency(old_size, size, bytes.fromhex(entry["root"]), root,
                                    [bytes.fromhex(node) for node in entry["proof"]])
        except (KeyError, ValueError, TypeError):
            ok = False
        if ok:
            say(f"ok     log segel {seal} hanya bertambah sejak segel {entry['seal']} (bukti konsistensi)")
        else:
            fail(f"log segel {seal} tidak konsisten dengan segel {entry['seal']}: log ditulis ulang")

    # 4. figures
    try:
        report = json.loads(files["report.json"])
        start, end = date.fromisoformat(report["period"]["from"]), date.fromisoformat(report["period"]["to"])
        as_of = datetime.fromisoformat(manifest["as_of"]) if manifest.get("as_of") else None
        stated = {row["code"]: row for row in report["indicators"]}
    except (KeyError, ValueError, TypeError):
        fail("report.json tidak terbaca")
        return problems
    events.sort(key=lambda event: event["leaf"])
    figures = count(events, start, end, as_of)
    for code in sorted(set(figures) | set(stated)):
        numerator, denominator = figures.get(code, (0, 0))
        mine = shown(numerator, denominator, percent(numerator, denominator))
        row = stated.get(code)
        if row is None or code not in figures:
            fail(f"{code}: indikator {'tidak ada di laporan' if row is None else 'tidak berlaku menurut log'}")
            continue
        theirs = shown(row["numerator"], row["denominator"],
                       None if row["percent"] is None else Decimal(str(row["percent"])))
        if (row["numerator"], row["denominator"]) == (numerator, denominator) and theirs == mine:
            say(f"ok     {code}: dihitung ulang {mine}, laporan {theirs}")
        else:
            fail(f"{code}: dihitung ulang {mine}, laporan {theirs}")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description="Periksa bundel data dukung iku-humas tanpa server kantor.")
    parser.add_argument("--since", action="append", default=[], metavar="SEGEL",
                        help="segel mth:UKURAN:AKAR yang dicetak lebih dulu (mis. laporan triwulan lalu)")
    parser.add_argument("folder", nargs="?", default=".", help="folder bundel yang sudah dibuka (bawaan: .)")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    files = {path.relative_to(folder).as_posix(): path.read_bytes()
             for path in sorted(folder.rglob("*")) if path.is_file() and "__pycache__" not in path.parts}
    problems = check(files, args.since)
    print("HASIL: semua cocok" if not problems else f"HASIL: {len(problems)} masalah")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
