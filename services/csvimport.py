"""`iku import` and the Impor page: the rows of a CSV or XLSX file of events, applied in file order, all or
nothing, each error naming its physical line (a sheet's row number for XLSX)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.activity import EVENT_KINDS, activity_id
from domain.application import Batch, Recorded
from domain.errors import DomainError, InvalidDateTimeError, UnknownEventKindError
from domain.times import parse_instant
from services import importrows
from services.catalogue import Said, said
from services.presentation import describe, format_number

if TYPE_CHECKING:
    from services.runtime import Runtime

#: told (lines read, about how many lines the file has) as an import goes
Progress = Callable[[int, int], None]
#: how often (in lines) an import says where it is
PROGRESS_EVERY = 1000
COLUMNS = ("activity", "event", "occurred_at", "title", "leaders", "location", "channel", "reference", "note")
REQUIRED = ("activity", "event", "occurred_at")
MAX_ERRORS = 50
#: no column of the contract holds more (the longest, `note`, takes 1000 characters)
MAX_CELL = 2000
#: rows kept for a preview
SAMPLE_ROWS = 20
_LOCAL_DATE = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


@dataclass(frozen=True)
class LineError:
    """What is wrong with one line: each part a text of the catalogue or a refusal of the domain, said in the
    reader's language only when shown."""

    line: int
    parts: tuple[Said | DomainError, ...]

    def text(self, lang: str = "id") -> str:
        """The message alone, on one line and of a readable length, whatever the file held."""
        said_parts = (describe(part, lang) if isinstance(part, DomainError) else part(lang) for part in self.parts)
        text = _CONTROL.sub(" ", "; ".join(said_parts))
        return text if len(text) <= 400 else text[:399] + "…"

    def message(self, lang: str = "id") -> str:
        return f"line {self.line}: {self.text(lang)}"


@dataclass(frozen=True)
class Row:
    """One row that would be stored, as a preview shows it."""

    line: int
    activity: str
    kind: str
    occurred_at: datetime
    detail: str


@dataclass
class ImportResult:
    rows: int = 0
    by_kind: Counter = field(default_factory=Counter)
    #: the activities' references, in the order the file first names them (one per activity: `activities`)
    references: dict[str, None] = field(default_factory=dict)
    errors: list[LineError] = field(default_factory=list)
    sample: list[Row] = field(default_factory=list)
    #: what was read: "csv" or "xlsx", the encoding and separator of a CSV, the sheet of an XLSX
    kind: str = ""
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    #: rows this submission had stored already (the same upload confirmed twice)
    repeated: int = 0
    first: datetime | None = None
    last: datetime | None = None
    #: whether reading stopped at the error limit (so there may be more)
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def activities(self) -> int:
        """How many activities the rows touch."""
        return len(self.references)

    @property
    def events(self) -> int:
        return sum(self.by_kind.values())


def _fields(kind: str, row: dict[str, str]) -> dict[str, Any]:
    """Command arguments for one row, by event kind (see the CSV contract in the README)."""
    occurred_at = parse_instant(row.get("occurred_at", ""))
    leaders = [part for part in (row.get("leaders") or "").split(";")]
    if kind in ("scheduled", "rescheduled"):
        return {"title": row.get("title", ""), "leaders": leaders, "location": row.get("location", ""),
                "occurred_at": occurred_at, "note": row.get("note", "")}
    if kind == "held":
        return {"occurred_at": occurred_at, "note": row.get("note", "")}
    if kind == "cancelled":
        return {"occurred_at": occurred_at, "reason": row.get("note", "")}
    if kind == "withdrawn":
        return {"withdrawn_kind": row.get("channel", ""), "evidence_ref": row.get("reference", ""),
                "reason": row.get("note", ""), "occurred_at": occurred_at}
    if kind == "excluded":  # channel = the reason, reference = the indicator (as a withdrawal names it)
        return {"exclusion_reason": row.get("channel", ""), "indicator": row.get("reference", ""),
                "note": row.get("note", ""), "occurred_at": occurred_at}
    return {"channel": row.get("channel", ""), "evidence_ref": row.get("reference", ""),
            "occurred_at": occurred_at, "note": row.get("note", "")}


def _detail(kind: str, row: dict[str, str]) -> str:
    if kind in ("scheduled", "rescheduled"):
        return " · ".join(part for part in (row.get("title"), row.get("location")) if part)
    if kind in ("held", "cancelled"):
        return row.get("note", "")
    return " · ".join(part for part in (row.get("channel"), row.get("reference"), row.get("note")) if part)


def _names(header: list[str]) -> list[str]:
    """The header's column names as the contract spells them (trimmed, lower case)."""
    return [name.strip().lower() for name in header]


def _header_error(header: list[str]) -> LineError | None:
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name if len(name) <= 40 else name[:39] + "…" for name in header if name not in COLUMNS]
    if not (missing or unknown):
        return None
    shown = ", ".join(unknown[:5]) + (f" (+{len(unknown) - 5})" if len(unknown) > 5 else "")
    parts = []
    if missing:
        parts.append(said("kolom wajib tidak ada: %(columns)s", columns=", ".join(missing)))
    if unknown:
        parts.append(said("kolom tidak dikenal: %(columns)s", columns=shown))
    if missing and len(header) == 1 and ";" not in header[0] and "," not in header[0]:
        parts.append(said("baris pertama harus judul kolom: %(columns)s", columns=",".join(COLUMNS)))
    return LineError(1, tuple(parts))


def _row_error(line: int, row: dict[str, str], error: DomainError, table_kind: str) -> LineError:
    parts: tuple[Said | DomainError, ...] = (error,)
    if isinstance(error, InvalidDateTimeError) and table_kind == "csv" and _LOCAL_DATE.match(row["occurred_at"]):
        parts += (said("Excel menulis tanggal menurut format lokal: simpan sebagai XLSX, atau jadikan kolom teks"),)
    elif isinstance(error, InvalidDateTimeError) and table_kind == "xlsx" and _NUMBER.match(row["occurred_at"]):
        parts += (said("sel ini berisi angka, bukan tanggal: beri sel format tanggal dan jam"),)
    return LineError(line, parts)


def read_into(batch: Batch, data: bytes | Path, actor: str, *, encoding: str | None = None, submission: str = "",
              max_errors: int | None = MAX_ERRORS, choose: str = importrows.CHOOSE_ON_COMMAND_LINE,
              progress: Progress | None = None, before: Callable[[int, str], None] | None = None,
              after: Callable[[int, str], None] | None = None,
              result: ImportResult | None = None) -> ImportResult:
    """Apply every row of `data` (CSV or XLSX) to `batch`; the caller commits only when the result has no errors.

    With `submission`, each row's event carries the submission id `<submission>-<line>`, so storing the same
    upload again records nothing twice. `progress(line, lines)` is told where reading is, every
    `PROGRESS_EVERY` lines and at the end (`lines`: about how many the file has). `before(line, reference)`
    and `after(line, reference)` are told each row read whole, before the domain sees it and after (whether
    it took it or not).
    """
    result = result if result is not None else ImportResult()
    try:
        table = importrows.open_table(data, encoding, choose)
        result.kind, result.encoding = table.kind, table.encoding
        result.delimiter, result.sheet = table.delimiter, table.sheet
        _apply_rows(batch, table, actor, submission, max_errors, result, progress or _quiet, before or _quiet,
                    after or _quiet)
    except importrows.UnreadableFileError as error:
        result.errors.append(LineError(error.line, (error.said,)))
    result.repeated = batch.repeated
    return result


def _quiet(_line: int, _other: object) -> None:
    pass


def _apply_rows(batch: Batch, table: importrows.Table, actor: str, submission: str, max_errors: int | None,
                result: ImportResult, progress: Progress, before: Callable[[int, str], None],
                after: Callable[[int, str], None]) -> None:
    header_line, header = next(table.rows, (1, []))
    header = _names(header)
    if not any(header):
        result.errors.append(LineError(header_line, (said("berkas kosong (tidak ada baris judul)"),)))
        return
    problem = _header_error(header)
    if problem is not None:
        result.errors.append(problem)
        return
    line = header_line
    for line, values in table.rows:
        if line % PROGRESS_EVERY == 0:
            progress(line, table.lines)
        if max_errors is not None and len(result.errors) >= max_errors:
            result.truncated = True
            break
        if not any(value.strip() for value in values):
            continue
        result.rows += 1
        if len(values) != len(header):
            result.errors.append(LineError(line, (said("ada %(found)d kolom, seharusnya %(expected)d",
                                                       found=len(values), expected=len(header)),)))
            continue
        row = {name: value.strip() for name, value in zip(header, values, strict=True)}
        too_long = next((name for name, value in row.items() if len(value) > MAX_CELL), None)
        if too_long is not None:
            result.errors.append(LineError(line, (said(
                "isi kolom %(column)s terlalu panjang (%(length)s karakter)", column=too_long,
                length=partial(format_number, len(row[too_long]))),)))
            continue
        before(line, row["activity"])
        kind = row["event"].lower()
        try:
            if kind not in EVENT_KINDS:
                raise UnknownEventKindError(kind=row["event"])
            fields = _fields(kind, row)
            if submission:
                fields["submission_id"] = f"{submission}-{line}"
            batch.record(kind, row["activity"], actor=actor, **fields)
            batch.check_last()  # a closed triwulan or year: said on this line, not only when storing
        except DomainError as error:
            result.errors.append(_row_error(line, row, error, table.kind))
            after(line, row["activity"])
            continue
        after(line, row["activity"])
        result.by_kind[kind] += 1
        result.references.setdefault(row["activity"], None)
        moment = fields["occurred_at"]
        result.first = moment if result.first is None else min(result.first, moment)
        result.last = moment if result.last is None else max(result.last, moment)
        if len(result.sample) < SAMPLE_ROWS:
            result.sample.append(Row(line, row["activity"], kind, moment, _detail(kind, row)))
    progress(max(line, table.lines), max(line, table.lines))


#: events a bulk import stores per insert: memory stays flat, and each insert's fixed cost is spread
CHUNK = 5000


class _Rejected(Exception):
    """A row was refused: the bulk import's transaction rolls back."""


def store_file(runtime: Runtime, data: bytes | Path, actor: str, *, encoding: str | None = None,
               submission: str = "", max_errors: int | None = MAX_ERRORS,
               choose: str = importrows.CHOOSE_ON_COMMAND_LINE,
               progress: Progress | None = None) -> tuple[ImportResult, Recorded | None]:
    """Check every row of `data` and store all of its events or none, in memory that stays flat however long
    the file is: (the result, what was stored or None when a row was refused).

    A first pass reads only each activity's reference and notes the last line naming it. The second applies
    the rows to one batch inside one transaction of the event store, held under the write lock
    (`Runtime.bulk`), handing over the events every `CHUNK` and letting go of each activity after its last
    line. So memory holds the file's references, its activities still to come and one chunk, never its
    events. A refused row stops the storing, the reading goes on to name the other errors, and the
    transaction rolls back: nothing is stored. The read model is not caught up here (`Runtime.applied`).
    """
    result = ImportResult()
    try:
        last = _last_lines(data, encoding, choose)
    except importrows.UnreadableFileError as error:
        result.errors.append(LineError(error.line, (error.said,)))
        return result, None
    positions: list[int] = []
    try:
        with runtime.bulk() as put:
            batch = _import_batch(runtime, last)

            def before(line: int, reference: str) -> None:
                if last.get(reference, 0) < line:  # a line the first pass did not see: the file changed since
                    result.errors.append(LineError(line, (said("berkas berubah selama diimpor; impor lagi"),)))
                    raise _Rejected

            def after(line: int, reference: str) -> None:
                if last[reference] == line:
                    batch.forget(reference)
                if len(batch) >= CHUNK:
                    events = batch.drain()
                    if result.ok:
                        _note(positions, put(events))

            read_into(batch, data, actor, encoding=encoding, submission=submission, max_errors=max_errors,
                      choose=choose, progress=progress, before=before, after=after, result=result)
            if not result.ok:
                raise _Rejected
            _note(positions, put(batch.drain()))
            # Each line's closed periods were checked as it was read; this is the whole batch's, under the lock.
            runtime.log.check_open(batch.touched)
    except _Rejected:
        return result, None
    span = range(positions[0], positions[1] + 1) if positions else range(0)
    return result, Recorded((), span, batch.repeated)


def _note(positions: list[int], stored: list[int]) -> None:
    """Keep the first and last position stored (a million positions need not be held)."""
    if stored:
        positions[:] = [positions[0] if positions else stored[0], stored[-1]]


def _import_batch(runtime: Runtime, last: dict[str, int]) -> Batch:
    """A batch that asks the store once which of the file's activities it already holds (none, in an empty
    store) and keeps no commands for a retry: no other writer can come in while the write lock is held."""
    known: set[UUID] = set()
    if runtime.log.recorder.max_notification_id():
        ids = []
        for reference in last:
            try:
                ids.append(activity_id(reference))
            except DomainError:  # an unusable reference: its rows are refused when read
                continue
        known = runtime.stored_ids(ids)
    return runtime.log.batch(stored=known.__contains__, retry=False)


def _last_lines(data: bytes | Path, encoding: str | None, choose: str) -> dict[str, int]:
    """The last line naming each activity reference, as the rows are read for applying (trimmed, rows of the
    header's width only); empty when the header names no activity column (the reading says why)."""
    table = importrows.open_table(data, encoding, choose)
    _, header = next(table.rows, (1, []))
    names = _names(header)
    if "activity" not in names:
        return {}
    column, width = names.index("activity"), len(names)
    last: dict[str, int] = {}
    for line, values in table.rows:
        if len(values) == width:
            last[values[column].strip()] = line
    return last
