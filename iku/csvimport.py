"""`iku import`: a CSV file of events, applied in file order, all or nothing, errors by physical line."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from domain.activity import EVENT_KINDS
from domain.application import Batch
from domain.errors import DomainError, UnknownEventKindError
from domain.times import parse_instant

COLUMNS = ("activity", "event", "occurred_at", "title", "leaders", "location", "channel", "reference", "note")
REQUIRED = ("activity", "event", "occurred_at")
MAX_ERRORS = 50


@dataclass(frozen=True)
class LineError:
    line: int
    message_id: str
    message_en: str

    def message(self, lang: str = "id") -> str:
        return f"line {self.line}: {self.message_en if lang == 'en' else self.message_id}"


@dataclass
class ImportResult:
    rows: int = 0
    by_kind: Counter = field(default_factory=Counter)
    activities: set = field(default_factory=set)
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _fields(kind: str, row: dict[str, str]) -> dict[str, Any]:
    """Command arguments for one row, by event kind (see the CSV contract in the README)."""
    occurred_at = parse_instant(row.get("occurred_at", ""))
    leaders = [part for part in (row.get("leaders") or "").split(";")]
    if kind == "scheduled":
        return {"title": row.get("title", ""), "leaders": leaders, "location": row.get("location", ""),
                "occurred_at": occurred_at, "note": row.get("note", "")}
    if kind == "rescheduled":
        return {"title": row.get("title", ""), "leaders": leaders, "location": row.get("location", ""),
                "occurred_at": occurred_at, "note": row.get("note", "")}
    if kind == "held":
        return {"occurred_at": occurred_at, "note": row.get("note", "")}
    if kind == "cancelled":
        return {"occurred_at": occurred_at, "reason": row.get("note", "")}
    if kind == "withdrawn":
        return {"withdrawn_kind": row.get("channel", ""), "evidence_ref": row.get("reference", ""),
                "reason": row.get("note", ""), "occurred_at": occurred_at}
    return {"channel": row.get("channel", ""), "evidence_ref": row.get("reference", ""),
            "occurred_at": occurred_at, "note": row.get("note", "")}


def _decode(data: bytes) -> str | LineError:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return LineError(
            line,
            "berkas bukan UTF-8 (simpan ulang sebagai CSV UTF-8)",
            "the file is not UTF-8 (save it again as CSV UTF-8)",
        )


def read_into(batch: Batch, data: bytes, actor: str) -> ImportResult:
    """Apply every row of `data` to `batch`; the caller commits only when the result has no errors."""
    result = ImportResult()
    text = _decode(data)
    if isinstance(text, LineError):
        result.errors.append(text)
        return result
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        result.errors.append(LineError(1, "berkas kosong (tidak ada baris judul)", "the file is empty (no header row)"))
        return result
    except csv.Error as error:
        result.errors.append(LineError(1, f"CSV rusak: {error}", f"malformed CSV: {error}"))
        return result
    header = [name.strip().lower() for name in header]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing or unknown:
        parts_id, parts_en = [], []
        if missing:
            parts_id.append("kolom wajib tidak ada: " + ", ".join(missing))
            parts_en.append("missing column(s): " + ", ".join(missing))
        if unknown:
            parts_id.append("kolom tidak dikenal: " + ", ".join(unknown))
            parts_en.append("unknown column(s): " + ", ".join(unknown))
        result.errors.append(LineError(1, "; ".join(parts_id), "; ".join(parts_en)))
        return result
    last_line = reader.line_num
    while len(result.errors) < MAX_ERRORS:
        line = last_line + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            result.errors.append(LineError(line, f"CSV rusak: {error}", f"malformed CSV: {error}"))
            break
        last_line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        result.rows += 1
        if len(values) != len(header):
            result.errors.append(LineError(
                line, f"ada {len(values)} kolom, seharusnya {len(header)}",
                f"has {len(values)} fields, expected {len(header)}",
            ))
            continue
        row = {name: value.strip() for name, value in zip(header, values, strict=True)}
        kind = row["event"].lower()
        try:
            if kind not in EVENT_KINDS:
                raise UnknownEventKindError(kind=row["event"])
            aid = batch.record(kind, row["activity"], actor=actor, **_fields(kind, row))
        except DomainError as error:
            result.errors.append(LineError(line, error.message("id"), error.message("en")))
            continue
        result.by_kind[kind] += 1
        result.activities.add(aid)
    return result
